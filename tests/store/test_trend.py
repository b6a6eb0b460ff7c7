"""Is it helping? The pain trend by week, pain rises, and the history progression reads."""

from __future__ import annotations

import itertools
import json
import random
import statistics
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storehelpers import MINUTE, SHORT, World, play_to_end, record, step, tz

from tui.core.progression import IndexedRecord, PastSession, step_identities
from tui.store.sessions import HistoryStore

INSERT = (
    "INSERT INTO sessions (routine_id, routine_name, routine_digest, started_at, day, status,"
    " planned_seconds, active_seconds, segments_done, segments_total, updated_at, pain_before,"
    " pain_after, full_steps) VALUES (?, 'Name', 'abc', ?, ?, ?, 60, ?, ?, 10, ?, ?, ?, ?)"
)


def add(
    store: HistoryStore,
    day: date,
    *,
    routine: str = "minute",
    status: str = "completed",
    seconds: float = 60.0,
    done: int = 1,
    before: int | None = None,
    after: int | None = None,
    full: list[int] | None = None,
    hour: int = 8,
    zone: int = 1,
) -> int:
    started = datetime(day.year, day.month, day.day, hour, tzinfo=tz(zone)).isoformat()
    cursor = store.connection.execute(
        INSERT,
        (
            routine,
            started,
            day.isoformat(),
            status,
            seconds,
            done,
            started,
            before,
            after,
            json.dumps(full or []),
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


# -- pain trend -------------------------------------------------------------------------------

TODAY = date(2025, 3, 12)  # a Wednesday


def test_every_week_of_the_window_is_there_oldest_first_from_a_monday(world: World) -> None:
    store = world.open()
    weeks = store.pain_trend(TODAY)
    assert len(weeks) == 12
    assert weeks[-1].week_start == date(2025, 3, 10)
    assert all(w.week_start.weekday() == 0 for w in weeks)
    assert [b.week_start - a.week_start for a, b in itertools.pairwise(weeks)] == [
        timedelta(weeks=1)
    ] * 11
    assert all((w.median_pain_before, w.sessions, w.minutes) == (None, 0, 0.0) for w in weeks)
    assert len(store.pain_trend(TODAY, weeks=4)) == 4


def test_a_week_runs_monday_to_sunday(world: World) -> None:
    store = world.open()
    add(store, date(2025, 3, 9), before=8)  # Sunday: the week before
    add(store, date(2025, 3, 10), before=2)  # Monday: this week
    add(store, date(2025, 3, 13), before=6)  # tomorrow: not yet
    *_, last_week, this_week = store.pain_trend(TODAY)
    assert (last_week.median_pain_before, last_week.sessions) == (8.0, 1)
    assert (this_week.median_pain_before, this_week.sessions) == (2.0, 1)


def test_medians_sessions_and_minutes_as_stats_counts_them(world: World) -> None:
    store = world.open()
    monday = date(2025, 3, 10)
    add(store, monday, before=3, seconds=120)
    add(store, monday, before=4, seconds=300)
    add(store, monday + timedelta(days=1), before=8, seconds=90)
    add(store, monday + timedelta(days=1), before=9, seconds=0, done=0)  # stopped at once
    add(store, monday + timedelta(days=2), seconds=60)  # no check-in
    this_week = store.pain_trend(TODAY)[-1]
    assert this_week.median_pain_before == 6.0  # 3, 4, 8, 9: the check-in counts all the same
    assert this_week.sessions == 4  # as stats() counts: one finished segment
    assert this_week.minutes == pytest.approx((120 + 300 + 90 + 60) / 60)
    stats = store.stats(TODAY)
    assert (stats.week_sessions, stats.week_minutes) == (4, pytest.approx(this_week.minutes))


def test_today_defaults_to_the_store_s_now(world: World) -> None:
    store = world.open()  # now: Wednesday 15 January 2025
    assert store.pain_trend()[-1].week_start == date(2025, 1, 13)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sessions=st.lists(
        st.tuples(
            st.integers(-100, 10),  # days from TODAY
            st.one_of(st.none(), st.integers(0, 10)),
            st.integers(0, 3),  # segments done
            st.floats(0, 3600),
        ),
        max_size=40,
    ),
    weeks=st.integers(1, 15),
)
def test_the_trend_is_what_counting_by_hand_gives(
    tmp_path_factory: pytest.TempPathFactory, sessions: list, weeks: int
) -> None:
    store = HistoryStore.open(tmp_path_factory.mktemp("data"))
    try:
        for offset, pain, done, seconds in sessions:
            add(store, TODAY + timedelta(days=offset), before=pain, done=done, seconds=seconds)
        trend = store.pain_trend(TODAY, weeks)
    finally:
        store.close()
    first = TODAY - timedelta(days=TODAY.weekday()) - timedelta(weeks=weeks - 1)
    for n, week in enumerate(trend):
        start = first + timedelta(weeks=n)
        inside = [
            s
            for s in sessions
            if start <= TODAY + timedelta(days=s[0]) < start + timedelta(weeks=1) and s[0] <= 0
        ]
        pains = [s[1] for s in inside if s[1] is not None]
        assert week.week_start == start
        assert week.median_pain_before == (statistics.median(pains) if pains else None)
        assert week.sessions == sum(1 for s in inside if s[2] > 0)
        assert week.minutes == pytest.approx(sum(s[3] for s in inside if s[2] > 0) / 60)


# -- pain rises -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pairs", "rises"),
    [
        ([], 0),
        ([(3, 5)], 1),
        ([(3, 4), (3, 5), (6, 2)], 1),
        ([(3, 5), (0, 9), (4, 4)], 2),
        ([(3, 5), (0, 9), (4, 6)], 3),
        ([(3, 5), (0, 9), (4, 6), (5, 5)], 2),  # only the last three count
    ],
)
def test_rises_of_two_or_more_among_the_last_three(
    world: World, pairs: list[tuple[int, int]], rises: int
) -> None:
    store = world.open()
    for n, (before, after) in enumerate(pairs):
        add(store, date(2025, 1, 1) + timedelta(days=n), before=before, after=after)
    assert store.recent_pain_rises() == rises


def test_sessions_without_both_check_ins_do_not_count_among_the_three(world: World) -> None:
    store = world.open()
    add(store, date(2025, 1, 1), before=2, after=6)
    add(store, date(2025, 1, 2), before=2, after=5)
    add(store, date(2025, 1, 3), before=2)  # no answer after
    add(store, date(2025, 1, 4), after=9)  # none before
    add(store, date(2025, 1, 5), before=4, after=4)
    assert store.recent_pain_rises() == 2
    assert store.recent_pain_rises(last=1) == 0


def test_the_last_sessions_are_the_latest_instants_not_the_latest_text(world: World) -> None:
    store = world.open()
    # 10:00 at +14:00 is the day before's 20:00 UTC: earlier than 08:00 at +01:00.
    add(store, date(2025, 1, 2), before=0, after=9, hour=10, zone=14)
    for n in range(3):
        add(store, date(2025, 1, 2), before=5, after=5, hour=8 + n, zone=1)
    assert store.recent_pain_rises() == 0


# -- progression ------------------------------------------------------------------------------


def test_past_sessions_are_the_routine_s_ended_ones_oldest_first(world: World) -> None:
    store = world.open()
    add(store, date(2025, 1, 3), routine="short", full=[0], before=4, after=7)
    add(store, date(2025, 1, 1), routine="short", status="stopped", full=[1])
    add(store, date(2025, 1, 2), routine="short", status="interrupted", full=[])
    add(store, date(2025, 1, 4), routine="short", status="active", full=[0, 1])
    add(store, date(2025, 1, 2), routine="minute", full=[0])
    # Step indexes, as versions before step identities wrote them, with what they played.
    old = IndexedRecord("abc")
    assert store.past_sessions("short") == [
        PastSession(frozenset({1}), indexed=old),
        PastSession(frozenset()),
        PastSession(frozenset({0}), 4, 7, indexed=old),
    ]
    assert store.past_sessions("nothing") == []


def test_past_sessions_of_played_sessions_name_the_steps_done_in_full(world: World) -> None:
    store = world.open()
    first = record(world, store, datetime(2025, 1, 6, 8, 0, tzinfo=tz(1)), plan=SHORT)
    store.set_pain(first, before=3, after=5)
    world.now.set(datetime(2025, 1, 7, 8, 0, tzinfo=tz(1)))
    session = world.session(SHORT)
    stopped = store.begin(SHORT, pain_before=2)
    step(store, stopped, session, session.start())
    step(store, stopped, session, session.next_exercise())  # step 0 skipped
    play_to_end(world, store, stopped, session)
    record(world, store, datetime(2025, 1, 8, 8, 0, tzinfo=tz(1)), plan=MINUTE)
    egg, knee = step_identities(SHORT.routine)
    assert store.past_sessions("short") == [
        PastSession(frozenset({egg, knee}), 3, 5),
        PastSession(frozenset({knee}), 2, None),
    ]


def test_a_session_from_before_schema_3_has_no_full_steps(world: World) -> None:
    store = world.open()
    session_id = add(store, date(2025, 1, 1))
    store.connection.execute("UPDATE sessions SET full_steps = NULL WHERE id = ?", (session_id,))
    add(store, date(2025, 1, 2), full=None)
    store.connection.execute("UPDATE sessions SET full_steps = 'junk' WHERE id = 2")
    assert store.past_sessions("minute") == [PastSession(frozenset()), PastSession(frozenset())]


# -- speed ------------------------------------------------------------------------------------


def fill_years(store: HistoryStore, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    rows = []
    first = date.today() - timedelta(days=count // 3)
    for n in range(count):
        day = first + timedelta(days=n // 3)
        started = f"{day.isoformat()}T0{n % 3 + 6}:00:00+01:00"
        pain = rng.choice([None, rng.randint(0, 10)])
        after = rng.choice([None, rng.randint(0, 10)]) if pain is not None else None
        routine = rng.choice(["short", "short", "minute"])
        full = json.dumps(sorted(rng.sample(range(6), rng.randint(0, 6))))
        rows.append(
            (routine, started, day.isoformat(), "completed", 600.0, 40, started, pain, after, full)
        )
    with store.connection:
        store.connection.execute("BEGIN")
        store.connection.executemany(INSERT, rows)


def test_trend_rises_and_progression_read_10000_sessions(tmp_path: Path) -> None:
    """They read 10,000 sessions and answer; how fast is a benchmark's figure, never a test's
    assertion (a loaded CI machine took 93 ms where a quiet one takes under 50)."""
    store = HistoryStore.open(tmp_path / "data")
    try:
        fill_years(store, 10_000)
        assert store.count() == 10_000
        assert len(store.past_sessions("short")) > 6000
        today = date.today()
        for name, work in [
            ("pain_trend", lambda: store.pain_trend(today)),
            ("recent_pain_rises", store.recent_pain_rises),
            ("past_sessions", lambda: store.past_sessions("short")),
        ]:
            assert work() is not None, name
    finally:
        store.close()
