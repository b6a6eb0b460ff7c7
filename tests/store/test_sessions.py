"""The history store: round trip, checkpoints, resume, statuses, locks, migrations, damage,
export, statistics across calendar and time-zone edges, and the `backtone history` command.

The engine runs on a FakeClock and the store on a FakeNow, both moved by hand: nothing sleeps.
Two HistoryStore objects on one data dir stand for two processes: the per-session lock is an
flock on a file, which two separately opened file descriptions contend for even in one process.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storehelpers import (
    ISO_WITH_OFFSET,
    MINUTE,
    ROUTINES,
    SHORT,
    FakeClock,
    World,
    engine_outcomes,
    expected_status,
    play_to_end,
    record,
    step,
    stored_outcomes,
    tz,
)

import tui.store.database as history_module
from tui import cli
from tui.core.engine import Countdown, Event, Outcome, Session
from tui.store.database import DB_NAME, SCHEMA_VERSION
from tui.store.export import EXPORT_FIELDS, ExportedSession, export, export_record, export_text
from tui.store.recorder import Recorder, resume_session, start_recording
from tui.store.rows import HistoryUnavailable, SegmentRow, SessionRow
from tui.store.sessions import HistoryStore

REPO_ROOT = Path(__file__).resolve().parents[2]

# -- round trip -------------------------------------------------------------------------------


def test_begin_writes_an_active_row_describing_the_plan(world: World) -> None:
    store = world.open()
    world.now.set(datetime(2025, 3, 9, 7, 45, 12, 345678, tzinfo=tz(5, 30)))
    session_id = store.begin(SHORT, routines_file="/home/me/routines.toml")
    row = store.get(session_id)
    assert row is not None
    assert row.id == session_id
    assert row.routine_id == "short"
    assert row.routine_name == "Short test"
    assert row.routine_digest == SHORT.digest()
    assert row.started_at == "2025-03-09T07:45:12+05:30"
    assert row.ended_at is None
    assert row.status == "active"
    assert row.planned_seconds == SHORT.timed_seconds
    assert row.segments_total == len(SHORT.segments) == 12
    assert (row.segments_done, row.current_segment) == (0, 0)
    assert (row.active_seconds, row.paused_seconds) == (0.0, 0.0)
    assert row.completion == 0.0
    assert store.count() == 1
    assert store.get(session_id + 1) is None


def test_a_completed_session_reads_back_whole(world: World) -> None:
    store = world.open()
    world.now.set(datetime(2025, 2, 28, 23, 59, 50, tzinfo=tz(-3)))
    session = world.session()
    session_id = store.begin(SHORT)
    play_to_end(world, store, session_id, session)

    row = store.get(session_id)
    assert row is not None
    assert row.status == "completed"
    assert row.started_at == "2025-02-28T23:59:50-03:00"
    # 33 s planned, plus 1.5 s on each of the two untimed phases: past midnight, into March
    assert row.ended_at == "2025-03-01T00:00:26-03:00"
    assert row.active_seconds == pytest.approx(SHORT.timed_seconds + 3.0)
    assert row.paused_seconds == 0.0
    assert row.segments_done == row.segments_total == 12
    assert row.current_segment == 11
    assert row.completion == 1.0

    segments = store.segments(session_id)
    assert [s.segment_index for s in segments] == list(range(12))
    for stored, planned in zip(segments, SHORT.segments, strict=True):
        assert stored.kind == planned.kind.value
        assert stored.label == planned.label
        assert stored.exercise == planned.exercise.name
        assert stored.position == planned.position
        assert stored.outcome == "done"
        assert stored.active_seconds == pytest.approx(planned.seconds or 1.5)
        assert ISO_WITH_OFFSET.match(stored.ended_at)
    assert segments[9].position == "Rep 1/1 · Right"  # the side is kept


def test_sessions_come_newest_first_a_page_at_a_time(world: World) -> None:
    store = world.open()
    start = datetime(2024, 12, 25, 9, 0, tzinfo=tz(0))
    ids = [record(world, store, start + timedelta(hours=7 * n)) for n in range(25)]
    newest_first = ids[::-1]
    assert store.count() == 25
    assert [r.id for r in store.sessions()] == newest_first
    pages = [store.sessions(limit=10, offset=offset) for offset in (0, 10, 20, 30)]
    assert [len(p) for p in pages] == [10, 10, 5, 0]
    assert [r.id for page in pages for r in page] == newest_first


def test_delete_bins_the_session_and_its_segments(world: World) -> None:
    store = world.open()
    kept = record(world, store, datetime(2025, 1, 1, 9, 0, tzinfo=tz(1)), plan=SHORT)
    gone = record(world, store, datetime(2025, 1, 2, 9, 0, tzinfo=tz(1)), plan=SHORT)
    assert store.delete(gone) is True
    assert store.get(gone) is None
    assert [r.id for r in store.sessions()] == [kept]
    assert len(store.segments(kept)) == 12
    # In the bin, segments and all, until it is restored or its 30 days are up
    # (tests/store/test_bin.py).
    assert [r.id for r in store.binned()] == [gone]
    assert len(store.segments(gone)) == 12
    assert store.restore(gone) is True
    assert [r.id for r in store.sessions()] == [gone, kept]


# -- checkpoints ------------------------------------------------------------------------------


def test_every_segment_change_is_checkpointed_as_the_engine_sees_it(world: World) -> None:
    store = world.open()
    session = world.session()
    session_id = store.begin(SHORT)
    stamps = []

    def check(events: list[Event]) -> None:
        step(store, session_id, session, events)
        row = store.get(session_id)
        assert row is not None
        assert stored_outcomes(store, session_id) == engine_outcomes(session)
        assert row.current_segment == session.index
        assert row.segments_done == list(session.outcomes.values()).count(Outcome.DONE)
        if events:
            assert row.active_seconds == pytest.approx(session.progress().active_seconds)
        assert row.status == expected_status(session)
        stamps.append(row.ended_at)

    check(session.start())
    world.tick(2.0)
    check(session.update())  # the prepare done, the first hold starts
    world.tick(3.0)
    check(session.next_segment())  # the hold skipped halfway: the release
    world.tick(2.0 + 6.0)
    check(session.update())  # the release and the second hold done
    assert (session.index, len(session.outcomes)) == (4, 4)
    check(session.next_exercise())  # the last release and the rest skipped
    assert (session.index, sorted(session.outcomes)) == (6, [0, 1, 2, 3, 4, 5])
    world.tick(2.0)
    check(session.update())  # into the untimed "Get into position"
    assert session.waiting
    world.tick(30.0)
    check(session.update())  # untimed: time passes, nothing ends, nothing is written
    check(session.go_on())
    world.tick(1.0)
    check(session.stop())
    assert store.get(session_id).status == "stopped"  # type: ignore[union-attr]
    assert stored_outcomes(store, session_id) == {
        0: "done",
        1: "skipped",
        2: "done",
        3: "done",
        4: "skipped",
        5: "skipped",
        6: "done",
        7: "done",
    }
    assert stamps[-1] is not None and all(s is None for s in stamps[:-1])


def test_going_back_removes_the_rows_of_segments_played_again(world: World) -> None:
    store = world.open()
    session = world.session()
    session_id = store.begin(SHORT)
    step(store, session_id, session, session.start())
    world.tick(2 + 6 + 2 + 6)  # prepare, hold, release, hold: segment 4 (release, rep 2) plays
    step(store, session_id, session, session.update())
    assert session.index == 4
    assert sorted(stored_outcomes(store, session_id)) == [0, 1, 2, 3]

    step(store, session_id, session, session.previous_segment())  # back to the second hold
    assert session.index == 3
    assert sorted(stored_outcomes(store, session_id)) == [0, 1, 2]
    assert store.get(session_id).segments_done == 3  # type: ignore[union-attr]

    step(store, session_id, session, session.restart_exercise())  # the egg from its prepare
    assert session.index == 0
    assert stored_outcomes(store, session_id) == {}
    assert store.get(session_id).current_segment == 0  # type: ignore[union-attr]

    world.tick(2 + 6 + 2 + 6 + 2 + 3 + 2)  # the egg again, its rest, the knee's prepare
    step(store, session_id, session, session.update())
    assert session.index == 7 and session.waiting
    assert sorted(stored_outcomes(store, session_id)) == list(range(7))

    step(store, session_id, session, session.previous_exercise())  # back to the egg's prepare
    assert session.index == 0
    assert stored_outcomes(store, session_id) == engine_outcomes(session) == {}

    play_to_end(world, store, session_id, session)
    assert stored_outcomes(store, session_id) == dict.fromkeys(range(12), "done")
    assert store.get(session_id).segments_done == 12  # type: ignore[union-attr]


def test_pause_and_resume_are_checkpointed(world: World) -> None:
    store = world.open()
    session = world.session()
    session_id = store.begin(SHORT)
    step(store, session_id, session, session.start())
    world.tick(1.0)
    step(store, session_id, session, session.toggle())  # pause
    row = store.get(session_id)
    assert row is not None and (row.active_seconds, row.paused_seconds) == (1.0, 0.0)
    world.tick(30.0)
    step(store, session_id, session, session.toggle())  # resume
    row = store.get(session_id)
    assert row is not None and (row.active_seconds, row.paused_seconds) == (1.0, 30.0)
    play_to_end(world, store, session_id, session)
    row = store.get(session_id)
    assert row is not None
    assert row.paused_seconds == 30.0
    assert row.active_seconds == pytest.approx(SHORT.timed_seconds + 3.0)


def test_events_that_change_no_segment_write_nothing(world: World) -> None:
    store = world.open()
    session = world.session()
    session_id = store.begin(SHORT)
    step(store, session_id, session, session.start())
    world.tick(2.0)
    step(store, session_id, session, session.update())  # the 6 s hold starts
    before = store.connection.execute(
        "SELECT updated_at, active_seconds FROM sessions WHERE id = ?", (session_id,)
    ).fetchone()
    world.tick(3.5)
    events = session.update()
    assert events and all(isinstance(e, Countdown) for e in events)
    step(store, session_id, session, events)
    step(store, session_id, session, [])
    step(store, session_id, session, session.adjust(+5.0))  # a longer hold, same segment
    after = store.connection.execute(
        "SELECT updated_at, active_seconds FROM sessions WHERE id = ?", (session_id,)
    ).fetchone()
    assert after == before


OPERATIONS: dict[str, Callable[[Session], list[Event]]] = {
    "space": Session.toggle,
    "go on": Session.go_on,
    "next": Session.next_segment,
    "back": Session.previous_segment,
    "next exercise": Session.next_exercise,
    "previous exercise": Session.previous_exercise,
    "restart exercise": Session.restart_exercise,
    "+5": lambda s: s.adjust(5.0),
    "-5": lambda s: s.adjust(-5.0),
    "stop": Session.stop,
}

operation = st.one_of(
    st.sampled_from(sorted(OPERATIONS)),
    st.sampled_from([0.4, 1.0, 2.0, 3.7, 6.0, 13.0, 45.0]),  # seconds pass, then update()
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(operations=st.lists(operation, max_size=40))
def test_after_any_prefix_the_store_holds_what_the_engine_did_and_resumes_from_it(
    operations: list[str | float],
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        world = World(Path(directory) / "data")
        try:
            store = world.open()
            session = world.session()
            recorder = start_recording(store, session)
            session_id = recorder.session_id
            for op in operations:
                if isinstance(op, float):
                    world.tick(op)
                    events = session.update()
                else:
                    events = OPERATIONS[op](session)
                assert recorder.record(session, events) is None
                row = store.get(session_id)
                assert row is not None
                assert stored_outcomes(store, session_id) == engine_outcomes(session)
                assert row.segments_done == list(session.outcomes.values()).count(Outcome.DONE)
                assert row.current_segment == session.index
                assert row.status == expected_status(session)
                assert (row.ended_at is not None) == session.over
                if any(not isinstance(e, Countdown) for e in events):
                    progress = session.progress()
                    assert row.active_seconds == pytest.approx(progress.active_seconds)
                    assert row.paused_seconds == pytest.approx(progress.paused_seconds)
            if session.over:
                return

            store.close()  # the process is gone; what was stored is all there is
            again = world.open()
            (orphan,) = again.orphans()
            assert orphan.id == session_id
            assert again.claim(orphan.id)
            resumed, recorder = resume_session(again, orphan, SHORT, world.clock)
            assert resumed.index == session.index
            assert engine_outcomes(resumed) == engine_outcomes(session)
            assert resumed.progress().active_seconds == pytest.approx(orphan.active_seconds)
            play_to_end(world, again, session_id, resumed)
            final = again.get(session_id)
            assert final is not None and final.status == "completed"
            assert stored_outcomes(again, session_id) == engine_outcomes(resumed)
            assert sorted(stored_outcomes(again, session_id)) == list(range(12))
            assert again.orphans() == []
        finally:
            world.close_all()


def test_a_recorder_that_cannot_write_warns_once_and_stops(world: World) -> None:
    store = world.open()
    session = world.session()
    recorder = start_recording(store, session)
    assert recorder.record(session, session.start()) is None
    store.connection.close()  # the disk went away, say
    world.tick(2.0)
    warning = recorder.record(session, session.update())
    assert warning is not None and warning.startswith("History stopped recording")
    world.tick(6.0)
    assert recorder.record(session, session.update()) is None  # said once, then quiet
    assert recorder.failure == warning


# -- statuses -----------------------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["active", "completed", "stopped", "interrupted"])
def test_each_way_a_session_ends_is_its_status(world: World, ending: str) -> None:
    store = world.open()
    session = world.session()
    session_id = store.begin(SHORT)
    step(store, session_id, session, session.start())
    world.tick(2.0)
    step(store, session_id, session, session.update())
    if ending == "completed":
        play_to_end(world, store, session_id, session)
    elif ending == "stopped":
        world.tick(1.0)
        step(store, session_id, session, session.stop())
    elif ending == "interrupted":
        store.close()
        store = world.open()
        (orphan,) = store.orphans()
        world.tick(3600.0)
        store.mark_interrupted(orphan.id)
    row = store.get(session_id)
    assert row is not None
    assert row.status == ending
    if ending == "active":
        assert row.ended_at is None
    else:
        assert row.ended_at is not None and ISO_WITH_OFFSET.match(row.ended_at)
    assert store.orphans() == []  # live here, or over


def test_marking_interrupted_leaves_an_ended_session_alone(world: World) -> None:
    store = world.open()
    done = record(world, store, datetime(2025, 1, 5, 7, 0, tzinfo=tz(1)))
    stopped = record(world, store, datetime(2025, 1, 6, 7, 0, tzinfo=tz(1)), how="stop-at-once")
    before = [store.get(done), store.get(stopped)]
    world.tick(86400.0)
    store.mark_interrupted(done)
    store.mark_interrupted(stopped)
    assert [store.get(done), store.get(stopped)] == before


def test_stopping_before_anything_is_done_counts_no_segment(world: World) -> None:
    store = world.open()
    session_id = record(world, store, datetime(2025, 1, 5, 7, 0, tzinfo=tz(1)), how="stop-at-once")
    row = store.get(session_id)
    assert row is not None
    assert (row.status, row.segments_done, row.completion) == ("stopped", 0, 0.0)
    assert row.active_seconds == 20.0
    assert store.segments(session_id) == []


# -- resume ---------------------------------------------------------------------------------


def test_an_interrupted_session_resumes_at_the_segment_in_progress(world: World) -> None:
    store = world.open()
    session = world.session()
    session_id = store.begin(SHORT)
    step(store, session_id, session, session.start())
    world.tick(2.0 + 6.0)
    step(store, session_id, session, session.update())  # prepare and first hold done
    step(store, session_id, session, session.next_segment())  # release skipped
    world.tick(4.0)  # into the second hold: never checkpointed, lost with the process
    store.close()

    world.clock = FakeClock(50.0)  # a new process, a new monotonic clock
    store = world.open()
    (orphan,) = store.orphans()
    assert (orphan.id, orphan.current_segment, orphan.segments_done) == (session_id, 3, 2)
    assert orphan.active_seconds == pytest.approx(8.0)
    assert store.claim(orphan.id)
    resumed, recorder = resume_session(store, orphan, SHORT, world.clock)
    assert isinstance(recorder, Recorder) and recorder.session_id == session_id
    assert resumed.index == 3
    assert engine_outcomes(resumed) == {0: "done", 1: "done", 2: "skipped"}
    assert recorder.record(resumed, resumed.start()) is None
    world.tick(6.0)
    assert recorder.record(resumed, resumed.update()) is None
    row = store.get(session_id)
    assert row is not None
    assert row.active_seconds == pytest.approx(14.0)  # 8 before, 6 since
    assert stored_outcomes(store, session_id) == {0: "done", 1: "done", 2: "skipped", 3: "done"}

    while not resumed.over:
        if resumed.waiting:
            events = resumed.go_on()
        else:
            world.tick(resumed.remaining() or 0.0)
            events = resumed.update()
        assert recorder.record(resumed, events) is None
    row = store.get(session_id)
    assert row is not None
    assert row.status == "completed"
    assert (row.segments_done, row.segments_total) == (11, 12)


def test_a_killed_process_loses_at_most_the_segment_in_progress(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    child = """
import os, signal, sys
from pathlib import Path
from tui.store.sessions import HistoryStore
from tui.core.plan import build_plan
from tui.core.loader import load_text
from tui.core.engine import Session

plan = build_plan(load_text(sys.stdin.read()).routine("short"))
now = [1000.0]
store = HistoryStore.open(Path(sys.argv[1]))
session = Session(plan, clock=lambda: now[0])
session_id = store.begin(plan)
store.checkpoint(session_id, session, session.start())
for _ in range(3):
    now[0] += plan.segments[session.index].seconds
    store.checkpoint(session_id, session, session.update())
now[0] += 1.0
print(session_id, session.index, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", child, str(data_dir)],
        input=ROUTINES,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    session_id, index = map(int, result.stdout.split())
    store = HistoryStore.open(data_dir)
    try:
        (orphan,) = store.orphans()  # the lock died with the process
        assert (orphan.id, orphan.current_segment) == (session_id, index) == (session_id, 3)
        assert orphan.status == "active"
        assert stored_outcomes(store, session_id) == {0: "done", 1: "done", 2: "done"}
        assert orphan.active_seconds == pytest.approx(10.0)
        assert store.claim(session_id)
        assert store.orphans() == []
    finally:
        store.close()


def test_a_session_another_process_is_playing_cannot_be_deleted(world: World) -> None:
    player, viewer = world.open(), world.open()
    session = world.session()
    session_id = player.begin(SHORT)
    player.checkpoint(session_id, session, session.start())
    assert viewer.delete(session_id) is False
    assert viewer.get(session_id) is not None
    assert viewer.binned() == []
    player.checkpoint(session_id, session, session.stop())  # stopped: the lock is let go
    assert viewer.delete(session_id) is True
    assert viewer.get(session_id) is None
    assert [r.id for r in viewer.binned()] == [session_id]


# -- two processes, locks and orphans ---------------------------------------------------------


def test_two_processes_each_record_their_own_session(world: World) -> None:
    first, second = world.open(), world.open()
    session_a, session_b = world.session(), world.session(MINUTE)
    id_a = first.begin(SHORT)
    id_b = second.begin(MINUTE)
    assert id_a != id_b
    assert first.orphans() == [] and second.orphans() == []  # neither takes the other's
    step(first, id_a, session_a, session_a.start())
    step(second, id_b, session_b, session_b.start())
    world.tick(2.0)
    step(first, id_a, session_a, session_a.update())
    assert first.orphans() == [] and second.orphans() == []
    play_to_end(world, second, id_b, session_b)
    play_to_end(world, first, id_a, session_a)
    third = world.open()
    assert {(r.id, r.status) for r in third.sessions()} == {
        (id_a, "completed"),
        (id_b, "completed"),
    }
    assert len(third.segments(id_a)) == 12 and len(third.segments(id_b)) == 1


def test_a_gone_process_leaves_an_orphan_that_is_claimed_once(world: World) -> None:
    gone = world.open()
    session = world.session()
    session_id = gone.begin(SHORT)
    step(gone, session_id, session, session.start())
    gone.close()

    first, second = world.open(), world.open()
    assert [r.id for r in first.orphans()] == [session_id]
    assert [r.id for r in second.orphans()] == [session_id]
    assert first.claim(session_id)
    assert first.claim(session_id)  # asking again in the same process is harmless
    assert not second.claim(session_id)
    assert second.orphans() == [] and first.orphans() == []
    first.close()  # the claimer is gone too: the session is an orphan again
    assert [r.id for r in second.orphans()] == [session_id]
    assert second.claim(session_id)


def test_orphans_filter_by_routine_newest_first(world: World) -> None:
    gone = world.open()
    older = gone.begin(SHORT)
    world.tick(60.0)
    minute = gone.begin(MINUTE)
    world.tick(60.0)
    newer = gone.begin(SHORT)
    gone.close()
    store = world.open()
    assert [r.id for r in store.orphans()] == [newer, minute, older]
    assert [r.id for r in store.orphans("short")] == [newer, older]
    assert [r.id for r in store.orphans("minute")] == [minute]
    assert store.orphans("nope") == []


@pytest.mark.parametrize("other_process", ["resumes and completes it", "keeps it as interrupted"])
def test_an_orphan_another_process_dealt_with_cannot_be_claimed(
    world: World, other_process: str
) -> None:
    gone = world.open()
    session = world.session()
    session_id = gone.begin(SHORT)
    step(gone, session_id, session, session.start())
    world.tick(2.0)
    step(gone, session_id, session, session.update())
    gone.close()

    first, second = world.open(), world.open()  # two logins, both offering to resume
    (row_first,) = first.orphans()
    (row_second,) = second.orphans()
    if other_process == "resumes and completes it":
        assert first.claim(row_first.id)
        resumed, _ = resume_session(first, row_first, SHORT, world.clock)
        play_to_end(world, first, session_id, resumed)
    else:
        first.mark_interrupted(row_first.id)
    before = (first.get(session_id), first.segments(session_id))

    assert not second.claim(row_second.id)
    assert (first.get(session_id), first.segments(session_id)) == before


def test_marking_interrupted_never_touches_a_live_session(world: World) -> None:
    gone = world.open()
    session_id = gone.begin(SHORT)
    gone.close()
    first, second = world.open(), world.open()
    (stale,) = second.orphans()  # second shows "resume?"; meanwhile first resumes it
    assert first.claim(session_id)
    second.mark_interrupted(stale.id)  # and then second's person answers "keep"
    row = first.get(session_id)
    assert row is not None and row.status == "active"


def test_a_session_just_begun_is_never_an_orphan(world: World, monkeypatch) -> None:
    first, second = world.open(), world.open()
    seen: list[list[int]] = []
    take_lock = first.locks.take

    def another_process_looks_first(session_id: int) -> bool:
        seen.append([r.id for r in second.orphans()])
        return take_lock(session_id)

    monkeypatch.setattr(first.locks, "take", another_process_looks_first)
    session_id = first.begin(SHORT)
    assert seen, "begin() no longer locks through locks.take: update this test"
    assert all(session_id not in ids for ids in seen)


class FailingCommit:
    """A connection whose COMMIT fails, as on a full disk."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.real = connection

    def execute(self, sql: str, *parameters: object) -> sqlite3.Cursor:
        if sql == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return self.real.execute(sql, *parameters)

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)


@pytest.mark.parametrize("failing", ["the lock", "the commit"])
def test_a_begin_that_fails_leaves_no_row_and_no_lock(
    world: World, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    first, second = world.open(), world.open()
    real = first.connection
    if failing == "the lock":
        take_lock = first.locks.take

        def lock_then_fail(session_id: int) -> bool:
            take_lock(session_id)
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(first.locks, "take", lock_then_fail)
    else:
        monkeypatch.setattr(first, "connection", FailingCommit(real))
    with pytest.raises(HistoryUnavailable):  # the store's own error: no sqlite3.Error escapes
        first.begin(SHORT)
    monkeypatch.undo()
    assert first.connection is real and not real.in_transaction  # rolled back, not left open
    assert first.locks._held == {}
    assert list((world.data_dir / "locks").iterdir()) == []
    assert first.count() == second.count() == 0
    session_id = first.begin(SHORT)  # the store goes on working
    assert second.orphans() == [] and not second.claim(session_id)


def test_marking_interrupted_says_whether_it_did(world: World) -> None:
    gone = world.open()
    orphan = gone.begin(SHORT)
    gone.close()
    first, second = world.open(), world.open()
    live = first.begin(MINUTE)
    done = record(world, first, datetime(2025, 1, 16, 7, 0, tzinfo=tz(1)))
    assert second.mark_interrupted(live) is False  # first is playing it
    assert second.mark_interrupted(done) is False  # over already
    assert second.mark_interrupted(orphan) is True
    assert second.mark_interrupted(orphan) is False  # once is enough
    statuses = {r.id: r.status for r in second.sessions()}
    assert statuses == {orphan: "interrupted", live: "active", done: "completed"}
    assert second.claim(orphan) is False  # kept as interrupted: no longer resumable


def test_an_interrupted_session_ended_at_its_last_checkpoint(world: World) -> None:
    store = world.open()
    world.now.set(datetime(2025, 1, 13, 8, 0, tzinfo=tz(1)))  # a Monday morning
    session = world.session()
    session_id = store.begin(SHORT)
    step(store, session_id, session, session.start())
    world.tick(2.0)
    step(store, session_id, session, session.update())  # last checkpoint: 08:00:02
    world.tick(4.0)  # then the SSH connection drops
    store.close()
    world.now.set(datetime(2025, 1, 15, 19, 0, tzinfo=tz(1)))  # opened again on Wednesday
    store = world.open()
    (orphan,) = store.orphans()
    store.mark_interrupted(orphan.id)
    row = store.get(session_id)
    assert row is not None
    assert row.ended_at == "2025-01-13T08:00:02+01:00"


# -- migrations -------------------------------------------------------------------------------

# The first release's schema, frozen here: a later migration must still open such a file.
SCHEMA_V1 = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    routine_id TEXT NOT NULL,
    routine_name TEXT NOT NULL,
    routine_digest TEXT NOT NULL,
    routines_file TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    day TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL,
    planned_seconds REAL NOT NULL,
    active_seconds REAL NOT NULL DEFAULT 0,
    paused_seconds REAL NOT NULL DEFAULT 0,
    segments_done INTEGER NOT NULL DEFAULT 0,
    segments_total INTEGER NOT NULL,
    current_segment INTEGER NOT NULL DEFAULT 0,
    host TEXT NOT NULL DEFAULT '',
    pid INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX sessions_by_start ON sessions (started_at DESC, id DESC);
CREATE INDEX sessions_by_day ON sessions (day);
CREATE INDEX sessions_by_status ON sessions (status);
CREATE TABLE segments (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    segment_index INTEGER NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    exercise TEXT NOT NULL,
    position TEXT NOT NULL,
    outcome TEXT NOT NULL,
    active_seconds REAL NOT NULL,
    ended_at TEXT NOT NULL,
    PRIMARY KEY (session_id, segment_index)
) WITHOUT ROWID;
INSERT INTO sessions (id, routine_id, routine_name, routine_digest, started_at, day, ended_at,
    status, planned_seconds, active_seconds, paused_seconds, segments_done, segments_total,
    current_segment, updated_at)
VALUES (7, 'minute', 'One minute', 'abc', '2024-06-01T07:00:00+02:00', '2024-06-01',
    '2024-06-01T07:01:00+02:00', 'completed', 60, 60, 0, 1, 1, 0, '2024-06-01T07:01:00+02:00');
INSERT INTO segments VALUES (7, 0, 'work', 'Hold the plank', 'Plank', 'Rep 1/1', 'done', 60.0,
    '2024-06-01T07:01:00+02:00');
PRAGMA user_version = 1;
"""


def user_version(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()


def test_a_new_store_is_at_the_current_schema_version(world: World) -> None:
    store = world.open()
    assert SCHEMA_VERSION >= 1
    assert store.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.connection.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    store.close()
    assert user_version(world.data_dir / DB_NAME) == SCHEMA_VERSION


def test_an_empty_file_is_migrated_from_version_0(world: World) -> None:
    world.data_dir.mkdir()
    (world.data_dir / DB_NAME).touch()
    store = world.open()
    assert store.warning is None
    assert store.count() == 0
    record(world, store, datetime(2025, 1, 1, 9, 0, tzinfo=tz(1)))
    assert store.count() == 1


def test_a_version_1_database_opens_with_its_sessions(world: World) -> None:
    world.data_dir.mkdir()
    connection = sqlite3.connect(world.data_dir / DB_NAME)
    connection.executescript(SCHEMA_V1)
    connection.close()
    store = world.open()
    assert store.warning is None
    (row,) = store.sessions()
    assert (row.id, row.routine_id, row.status, row.segments_done) == (7, "minute", "completed", 1)
    assert row.started_at == "2024-06-01T07:00:00+02:00"
    assert [s.label for s in store.segments(7)] == ["Hold the plank"]
    new = record(world, store, datetime(2025, 1, 1, 9, 0, tzinfo=tz(1)))
    assert [r.id for r in store.sessions()] == [new, 7]
    store.close()
    assert user_version(world.data_dir / DB_NAME) == SCHEMA_VERSION


def page_query_plan(store: HistoryStore) -> str:
    """How SQLite reads the History screen's first page: the query sessions() runs, explained."""
    statements: list[str] = []
    store.connection.set_trace_callback(statements.append)
    try:
        store.sessions(limit=100, offset=0)
    finally:
        store.connection.set_trace_callback(None)
    (query,) = [q for q in statements if q.lstrip().upper().startswith("SELECT")]
    plan = store.connection.execute(f"EXPLAIN QUERY PLAN {query}").fetchall()
    return " / ".join(str(row[-1]) for row in plan)


def test_version_1_migrates_to_newest_first_by_the_instant(world: World) -> None:
    world.data_dir.mkdir()
    connection = sqlite3.connect(world.data_dir / DB_NAME)
    connection.executescript(SCHEMA_V1)
    # New York, the night summer time ends: 01:30 EDT (05:30 UTC), then 01:10 EST (06:10 UTC).
    # As text, 01:30 sorts after 01:10: the first release listed them the wrong way round.
    for session_id, started in [(8, "2024-11-03T01:30:00-04:00"), (9, "2024-11-03T01:10:00-05:00")]:
        connection.execute(
            "INSERT INTO sessions (id, routine_id, routine_name, routine_digest, started_at, day,"
            " status, planned_seconds, segments_total, updated_at)"
            " VALUES (?, 'minute', 'One minute', 'abc', ?, '2024-11-03', 'stopped', 60, 1, ?)",
            (session_id, started, started),
        )
    connection.commit()
    connection.close()
    assert user_version(world.data_dir / DB_NAME) == 1

    store = world.open()
    assert store.warning is None
    assert SCHEMA_VERSION >= 2
    assert store.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    indexes = {
        name
        for (name,) in store.connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sessions'"
        )
    }
    assert "sessions_by_instant" in indexes and "sessions_by_start" not in indexes
    assert [r.id for r in store.sessions()] == [9, 8, 7]
    assert [r.id for n in range(4) for r in store.sessions(limit=1, offset=n)] == [9, 8, 7]
    plan = page_query_plan(store)
    assert "sessions_by_instant" in plan and "TEMP B-TREE" not in plan, plan
    store.close()
    again = world.open()  # migrated once: opening again changes nothing
    assert again.warning is None and [r.id for r in again.sessions()] == [9, 8, 7]


def test_a_new_store_reads_a_page_through_an_index(world: World) -> None:
    store = world.open()
    plan = page_query_plan(store)
    assert "sessions_by_instant" in plan and "TEMP B-TREE" not in plan, plan


def test_two_processes_migrating_at_once_migrate_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.data_dir.mkdir()
    connection = sqlite3.connect(world.data_dir / DB_NAME)
    connection.executescript(SCHEMA_V1)
    connection.close()
    first = world.open()  # migrates while the second, below, still believes the file is v1
    reads = iter([1])
    real = history_module.user_version
    monkeypatch.setattr(history_module, "user_version", lambda c: next(reads, None) or real(c))
    second = world.open()
    assert second.warning is None
    assert [r.id for r in second.sessions()] == [r.id for r in first.sessions()] == [7]


def test_a_store_from_a_newer_backtone_is_refused_and_left_as_it_is(world: World) -> None:
    world.data_dir.mkdir()
    path = world.data_dir / DB_NAME
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA_V1)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(HistoryUnavailable, match=r"newer backtone.*upgrade") as caught:
        world.open()
    assert f"schema {SCHEMA_VERSION + 1}" in str(caught.value)
    assert sorted(p.name for p in world.data_dir.iterdir() if "damaged" in p.name) == []
    assert user_version(path) == SCHEMA_VERSION + 1
    connection = sqlite3.connect(path)
    try:  # its sessions are all still there, untouched
        assert connection.execute("SELECT id, status FROM sessions").fetchall() == [
            (7, "completed")
        ]
    finally:
        connection.close()


# -- damaged files and unusable places ---------------------------------------------------------


def test_a_corrupt_file_is_moved_aside_and_a_new_store_started(world: World) -> None:
    world.data_dir.mkdir()
    garbage = bytes(range(256)) * 40
    (world.data_dir / DB_NAME).write_bytes(garbage)
    store = world.open()
    assert store.warning is not None
    kept = [p for p in world.data_dir.iterdir() if p.name.startswith(DB_NAME + ".damaged-")]
    assert len(kept) == 1
    assert kept[0].read_bytes() == garbage
    assert str(kept[0]) in store.warning
    assert "damaged" in store.warning
    assert store.count() == 0
    session_id = record(world, store, datetime(2025, 1, 1, 9, 0, tzinfo=tz(1)))
    store.close()
    again = world.open()
    assert again.warning is None
    assert [r.id for r in again.sessions()] == [session_id]


def test_a_second_corrupt_file_is_kept_beside_the_first(world: World) -> None:
    world.data_dir.mkdir()
    for content in (b"first garbage " * 100, b"second garbage " * 100):
        (world.data_dir / DB_NAME).write_bytes(content)
        world.open().close()
    kept = sorted(p.read_bytes() for p in world.data_dir.iterdir() if "damaged" in p.name)
    assert kept == sorted([b"first garbage " * 100, b"second garbage " * 100])


@pytest.mark.parametrize(
    "content",
    [b"x", b"\x00", b"SQLite format 3", b"\x00" * 100, b"backtone history\n"],
    ids=["one byte", "one zero byte", "a truncated header", "zeros", "text"],
)
def test_a_file_too_short_for_sqlite_is_moved_aside_not_reused(
    world: World, content: bytes
) -> None:
    # SQLite takes a file shorter than a page for an empty database and writes over it.
    world.data_dir.mkdir()
    (world.data_dir / DB_NAME).write_bytes(content)
    store = world.open()
    assert store.warning is not None and "damaged" in store.warning
    (kept,) = [p for p in world.data_dir.iterdir() if p.name.startswith(DB_NAME + ".damaged-")]
    assert kept.read_bytes() == content
    assert str(kept) in store.warning
    assert store.count() == 0
    session_id = record(world, store, datetime(2025, 1, 1, 9, 0, tzinfo=tz(1)))
    store.close()
    again = world.open()
    assert again.warning is None
    assert [r.id for r in again.sessions()] == [session_id]


@pytest.mark.parametrize("place", ["under a regular file", "a regular file", "db is a dir"])
def test_an_unusable_data_dir_is_a_clear_error(tmp_path: Path, place: str) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    data_dir = {
        "under a regular file": blocker / "data",
        "a regular file": blocker,
        "db is a dir": tmp_path / "data",
    }[place]
    if place == "db is a dir":
        (data_dir / DB_NAME).mkdir(parents=True)
    with pytest.raises(HistoryUnavailable) as caught:
        HistoryStore.open(data_dir)
    message = str(caught.value)
    assert str(data_dir) in message
    assert "Traceback" not in message and message.startswith("cannot ")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(0o500)
    try:
        with pytest.raises(HistoryUnavailable, match=r"permission denied|cannot write"):
            HistoryStore.open(data_dir)
    finally:
        data_dir.chmod(0o700)


def test_the_data_dir_is_private_and_so_is_the_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "deep" / "data"
    store = HistoryStore.open(data_dir)
    session_id = store.begin(MINUTE)  # makes the lock dir too
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm"):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE((data_dir / "locks").stat().st_mode) == 0o700
    assert store.get(session_id) is not None
    store.close()


def test_an_existing_readable_file_is_made_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    HistoryStore.open(data_dir).close()
    (data_dir / DB_NAME).chmod(0o644)
    HistoryStore.open(data_dir).close()
    assert stat.S_IMODE((data_dir / DB_NAME).stat().st_mode) == 0o600


# -- export -----------------------------------------------------------------------------------

ZONES = [tz(14), tz(-10), tz(5, 30), tz(0), tz(-3, -30)]


@pytest.fixture
def mixed(world: World) -> HistoryStore:
    """Sessions in five time zones, plus one still active (no ended_at)."""
    store = world.open()
    start = datetime(2024, 12, 31, 23, 30)
    for n, zone in enumerate(ZONES):
        record(world, store, (start + timedelta(days=n)).replace(tzinfo=zone))
    record(world, store, datetime(2025, 1, 6, 7, 0, tzinfo=tz(1)), SHORT, "stop-after-one")
    world.now.set(datetime(2025, 1, 7, 7, 0, tzinfo=tz(1)))
    session = world.session()
    live = store.begin(SHORT)
    step(store, live, session, session.start())
    return store


def test_json_export_is_a_list_of_objects_with_iso_times(mixed: HistoryStore) -> None:
    records = json.loads(export_text(mixed.sessions(), "json"))
    assert isinstance(records, list) and len(records) == 7
    for record_ in records:
        assert list(record_) == EXPORT_FIELDS
        assert record_["export_version"] == 2
        assert isinstance(record_["id"], int)
        assert ISO_WITH_OFFSET.match(record_["started_at"])
        assert datetime.fromisoformat(record_["started_at"]).tzinfo is not None
        if record_["status"] == "active":
            assert record_["ended_at"] is None
        else:
            assert ISO_WITH_OFFSET.match(record_["ended_at"])
            ended = datetime.fromisoformat(record_["ended_at"])
            assert ended >= datetime.fromisoformat(record_["started_at"])
        for key in ("planned_seconds", "active_seconds", "paused_seconds"):
            assert isinstance(record_[key], int | float)
        assert 0 <= record_["segments_done"] <= record_["segments_total"]
    offsets = {r["started_at"][-6:] for r in records}
    assert {"+14:00", "-10:00", "+05:30", "+00:00", "-03:30"} <= offsets
    by_status = {r["status"] for r in records}
    assert by_status == {"completed", "stopped", "active"}
    kiribati = next(r for r in records if r["started_at"].endswith("+14:00"))
    assert kiribati["started_at"] == "2024-12-31T23:30:00+14:00"
    assert kiribati["ended_at"] == "2024-12-31T23:31:00+14:00"
    assert (kiribati["active_seconds"], kiribati["planned_seconds"]) == (60.0, 60.0)


def test_csv_export_has_a_header_and_reads_back(mixed: HistoryStore) -> None:
    text = export_text(mixed.sessions(), "csv")
    assert text.splitlines()[0] == ",".join(EXPORT_FIELDS)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 7
    assert [int(r["id"]) for r in rows] == [r.id for r in mixed.sessions()]
    active = next(r for r in rows if r["status"] == "active")
    assert active["ended_at"] == ""
    for row in rows:
        assert ISO_WITH_OFFSET.match(row["started_at"])
        float(row["active_seconds"])
        int(row["segments_total"])


def test_toml_export_reads_back_with_tomllib(mixed: HistoryStore) -> None:
    parsed = tomllib.loads(export_text(mixed.sessions(), "toml"))
    sessions = parsed["sessions"]
    assert len(sessions) == 7
    as_json = json.loads(export_text(mixed.sessions(), "json"))
    for from_toml, from_json in zip(sessions, as_json, strict=True):
        assert from_toml == {k: v for k, v in from_json.items() if v is not None}
    active = next(s for s in sessions if s["status"] == "active")
    assert "ended_at" not in active  # TOML has no null


@pytest.mark.parametrize(
    ("fmt", "parse", "empty"),
    [
        ("json", json.loads, []),
        ("csv", lambda t: t.splitlines(), [",".join(EXPORT_FIELDS)]),
        ("toml", tomllib.loads, {"sessions": []}),
    ],
)
def test_an_empty_history_exports_cleanly(fmt: str, parse, empty) -> None:
    assert parse(export_text([], fmt)) == empty


class CountingWriter(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


@pytest.mark.parametrize("fmt", ["json", "csv", "toml"])
def test_export_does_a_little_work_once_per_session(
    monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    rows = [
        SessionRow(n, "minute", "One minute", "abc", "2025-01-01T07:00:00+01:00",
                   "2025-01-01T07:01:00+01:00", "completed", 60.0, 60.0, 0.0, 1, 1, 0)
        for n in range(1, 501)
    ]  # fmt: skip
    built = 0
    build = SessionRow.export

    def counted(row: SessionRow) -> dict[str, object]:
        nonlocal built
        built += 1
        return build(row)

    monkeypatch.setattr(SessionRow, "export", counted)
    out = CountingWriter()
    export(rows, fmt, out)
    assert built <= len(rows)
    assert out.writes <= len(rows) + 2  # a write a line at most (CSV), not a write a token


def test_export_text_is_exactly_as_documented() -> None:
    rows = [
        SessionRow(2, "minute", "One, \"minute\"", "abc", "2025-01-01T07:00:00+01:00", None,
                   "active", 60.0, 12.345, 0.04, 0, 1, 0),
        ExportedSession(
            SessionRow(1, "short", "Short", "v2:def", "2024-12-31T23:30:00+14:00",
                       "2024-12-31T23:31:00+14:00", "completed", 33.0, 36.0, 1.25, 12, 12, 11,
                       6, 4, '{"egg/3fa85f64": 8}', "2", 'Felt "better"'),
            "2024-12-31", '["egg/3fa85f64"]', "/home/me/routines.toml", "pi",
            "2024-12-31T23:31:00+14:00",
            (SegmentRow(0, "work", "Hug", "Egg", "Rep 1/1", "done", 8.0,
                        "2024-12-31T23:30:08+14:00", 0),),
        ),
    ]  # fmt: skip
    assert [list(export_record(row)) for row in rows] == [EXPORT_FIELDS, EXPORT_FIELDS]
    assert EXPORT_FIELDS[:13] == [  # what every export has written, in the same order
        "id", "routine_id", "routine_name", "started_at", "ended_at", "status",
        "planned_seconds", "active_seconds", "paused_seconds", "segments_done",
        "segments_total", "pain_before", "pain_after",
    ]  # fmt: skip
    assert export_text(rows, "json") == (
        "[\n"
        "  {\n"
        '    "id": 2,\n'
        '    "routine_id": "minute",\n'
        '    "routine_name": "One, \\"minute\\"",\n'
        '    "started_at": "2025-01-01T07:00:00+01:00",\n'
        '    "ended_at": null,\n'
        '    "status": "active",\n'
        '    "planned_seconds": 60.0,\n'
        '    "active_seconds": 12.3,\n'
        '    "paused_seconds": 0.0,\n'
        '    "segments_done": 0,\n'
        '    "segments_total": 1,\n'
        '    "pain_before": null,\n'
        '    "pain_after": null,\n'
        '    "program_version": null,\n'
        '    "note": null,\n'
        '    "routine_digest": "abc",\n'
        '    "day": "2025-01-01",\n'
        '    "levels": null,\n'
        '    "full_steps": null,\n'
        '    "current_segment": 0,\n'
        '    "routines_file": "",\n'
        '    "host": "",\n'
        '    "updated_at": null,\n'
        '    "segments": [],\n'
        '    "export_version": 2\n'
        "  },\n"
        "  {\n"
        '    "id": 1,\n'
        '    "routine_id": "short",\n'
        '    "routine_name": "Short",\n'
        '    "started_at": "2024-12-31T23:30:00+14:00",\n'
        '    "ended_at": "2024-12-31T23:31:00+14:00",\n'
        '    "status": "completed",\n'
        '    "planned_seconds": 33.0,\n'
        '    "active_seconds": 36.0,\n'
        '    "paused_seconds": 1.2,\n'
        '    "segments_done": 12,\n'
        '    "segments_total": 12,\n'
        '    "pain_before": 6,\n'
        '    "pain_after": 4,\n'
        '    "program_version": "2",\n'
        '    "note": "Felt \\"better\\"",\n'
        '    "routine_digest": "v2:def",\n'
        '    "day": "2024-12-31",\n'
        '    "levels": {\n'
        '      "egg/3fa85f64": 8\n'
        "    },\n"
        '    "full_steps": [\n'
        '      "egg/3fa85f64"\n'
        "    ],\n"
        '    "current_segment": 11,\n'
        '    "routines_file": "/home/me/routines.toml",\n'
        '    "host": "pi",\n'
        '    "updated_at": "2024-12-31T23:31:00+14:00",\n'
        '    "segments": [\n'
        "      {\n"
        '        "segment_index": 0,\n'
        '        "kind": "work",\n'
        '        "label": "Hug",\n'
        '        "exercise": "Egg",\n'
        '        "position": "Rep 1/1",\n'
        '        "outcome": "done",\n'
        '        "active_seconds": 8.0,\n'
        '        "ended_at": "2024-12-31T23:30:08+14:00",\n'
        '        "step_index": 0\n'
        "      }\n"
        "    ],\n"
        '    "export_version": 2\n'
        "  }\n"
        "]\n"
    )
    text = export_text(rows, "csv")
    assert text.splitlines()[0] == ",".join(EXPORT_FIELDS)
    assert text.splitlines()[1] == (
        '2,minute,"One, ""minute""",2025-01-01T07:00:00+01:00,,active,60.0,12.3,0.0,0,1,'
        ",,,,abc,2025-01-01,,,0,,,,[],2"
    )
    (_, _, second) = list(csv.reader(io.StringIO(text)))
    assert second[:13] == [
        "1", "short", "Short", "2024-12-31T23:30:00+14:00", "2024-12-31T23:31:00+14:00",
        "completed", "33.0", "36.0", "1.2", "12", "12", "6", "4",
    ]  # fmt: skip
    assert second[13:23] == [
        "2", 'Felt "better"', "v2:def", "2024-12-31", '{"egg/3fa85f64": 8}',
        '["egg/3fa85f64"]', "11", "/home/me/routines.toml", "pi", "2024-12-31T23:31:00+14:00",
    ]  # fmt: skip
    assert json.loads(second[23]) == [
        {"segment_index": 0, "kind": "work", "label": "Hug", "exercise": "Egg",
         "position": "Rep 1/1", "outcome": "done", "active_seconds": 8.0,
         "ended_at": "2024-12-31T23:30:08+14:00", "step_index": 0},
    ]  # fmt: skip
    assert second[24] == "2"
    assert export_text(rows, "toml") == (
        "[[sessions]]\n"
        "id = 2\n"
        'routine_id = "minute"\n'
        'routine_name = "One, \\"minute\\""\n'
        'started_at = "2025-01-01T07:00:00+01:00"\n'
        'status = "active"\n'
        "planned_seconds = 60.0\n"
        "active_seconds = 12.3\n"
        "paused_seconds = 0.0\n"
        "segments_done = 0\n"
        "segments_total = 1\n"
        'routine_digest = "abc"\n'
        'day = "2025-01-01"\n'
        "current_segment = 0\n"
        'routines_file = ""\n'
        'host = ""\n'
        "segments = []\n"
        "export_version = 2\n"
        "\n"
        "[[sessions]]\n"
        "id = 1\n"
        'routine_id = "short"\n'
        'routine_name = "Short"\n'
        'started_at = "2024-12-31T23:30:00+14:00"\n'
        'ended_at = "2024-12-31T23:31:00+14:00"\n'
        'status = "completed"\n'
        "planned_seconds = 33.0\n"
        "active_seconds = 36.0\n"
        "paused_seconds = 1.2\n"
        "segments_done = 12\n"
        "segments_total = 12\n"
        "pain_before = 6\n"
        "pain_after = 4\n"
        'program_version = "2"\n'
        'note = "Felt \\"better\\""\n'
        'routine_digest = "v2:def"\n'
        'day = "2024-12-31"\n'
        "full_steps = [\n"
        '    "egg/3fa85f64",\n'
        "]\n"
        "current_segment = 11\n"
        'routines_file = "/home/me/routines.toml"\n'
        'host = "pi"\n'
        'updated_at = "2024-12-31T23:31:00+14:00"\n'
        "export_version = 2\n"
        "\n"
        "[sessions.levels]\n"
        '"egg/3fa85f64" = 8\n'
        "\n"
        "[[sessions.segments]]\n"
        "segment_index = 0\n"
        'kind = "work"\n'
        'label = "Hug"\n'
        'exercise = "Egg"\n'
        'position = "Rep 1/1"\n'
        'outcome = "done"\n'
        "active_seconds = 8.0\n"
        'ended_at = "2024-12-31T23:30:08+14:00"\n'
        "step_index = 0\n"
    )


def test_an_unknown_format_is_refused(world: World) -> None:
    with pytest.raises(ValueError, match="xml"):
        export([], "xml", io.StringIO())


def test_since_keeps_sessions_on_or_after_a_local_day(world: World) -> None:
    store = world.open()
    dec30 = record(world, store, datetime(2024, 12, 30, 12, 0, tzinfo=tz(1)))
    dec31 = record(world, store, datetime(2024, 12, 31, 23, 30, tzinfo=tz(14)))
    jan1 = record(world, store, datetime(2025, 1, 1, 0, 30, tzinfo=tz(-10)))
    assert {r.id for r in store.sessions(since=date(2024, 12, 30))} == {dec30, dec31, jan1}
    assert {r.id for r in store.sessions(since=date(2024, 12, 31))} == {dec31, jan1}
    assert {r.id for r in store.sessions(since=date(2025, 1, 1))} == {jan1}
    assert store.sessions(since=date(2025, 1, 2)) == []
    assert [r.id for r in store.sessions(limit=1, since=date(2024, 12, 31))] == [jan1]


def test_sessions_are_newest_first_across_an_offset_change(world: World) -> None:
    store = world.open()
    # New York, the night summer time ends: 01:30 EDT, then 40 minutes later 01:10 EST.
    before = record(world, store, datetime(2024, 11, 3, 1, 30, tzinfo=tz(-4)))
    after = record(world, store, datetime(2024, 11, 3, 1, 10, tzinfo=tz(-5)))
    assert [r.id for r in store.sessions()] == [after, before]


# -- streak and weekly figures ----------------------------------------------------------------


CET = tz(1)


def practise_on(world: World, store: HistoryStore, *days: str, zone: timezone = CET) -> None:
    for day in days:
        record(world, store, datetime.fromisoformat(f"{day}T07:30").replace(tzinfo=zone))


@pytest.mark.parametrize(
    ("today", "streak", "week_sessions"),
    [
        ("2024-12-29", 1, 1),  # a Sunday: its week began Monday the 23rd
        ("2024-12-30", 2, 1),  # Monday: a new week with only today in it
        ("2024-12-31", 3, 2),
        ("2025-01-01", 4, 4),  # two sessions on New Year's Day, one day of streak
        ("2025-01-02", 4, 4),  # nothing yet today: yesterday still counts
        ("2025-01-03", 1, 5),  # the 2nd was missed
        ("2025-01-05", 0, 5),  # Sunday, nothing since Friday
        ("2025-01-06", 0, 0),  # a new week
    ],
)
def test_streak_and_week_across_the_year_end(
    world: World, today: str, streak: int, week_sessions: int
) -> None:
    store = world.open()
    practise_on(world, store, "2024-12-29", "2024-12-30", "2024-12-31", "2025-01-01")
    practise_on(world, store, "2025-01-01", "2025-01-03")
    stats = store.stats(today=date.fromisoformat(today))
    assert stats.streak_days == streak
    assert stats.week_sessions == week_sessions
    assert stats.week_minutes == pytest.approx(week_sessions)  # a minute each


@pytest.mark.parametrize(
    ("days", "today", "streak"),
    [
        (["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"], "2024-03-01", 4),
        (["2023-02-27", "2023-02-28", "2023-03-01"], "2023-03-01", 3),
        (["2024-04-29", "2024-04-30", "2024-05-01"], "2024-05-02", 3),
        (["2024-01-30", "2024-02-01"], "2024-02-01", 1),  # the 31st was missed
    ],
)
def test_streak_across_month_ends(world: World, days: list[str], today: str, streak: int) -> None:
    store = world.open()
    practise_on(world, store, *days)
    assert store.stats(today=date.fromisoformat(today)).streak_days == streak


def test_later_sessions_do_not_count_for_an_earlier_day(world: World) -> None:
    store = world.open()
    practise_on(world, store, "2025-01-01", "2025-01-02", "2025-01-05")
    stats = store.stats(today=date(2025, 1, 2))
    assert (stats.streak_days, stats.week_sessions) == (2, 2)


def test_a_day_is_the_local_day_where_the_session_was_played(world: World) -> None:
    store = world.open()
    # 23:30 on the 31st in Kiribati is 09:30 UTC; 00:30 on the 1st in Hawaii is 10:30 UTC the
    # next day: two days of the calendar the person lived, so a streak of two.
    record(world, store, datetime(2024, 12, 31, 23, 30, tzinfo=tz(14)))
    record(world, store, datetime(2025, 1, 1, 0, 30, tzinfo=tz(-10)))
    stats = store.stats(today=date(2025, 1, 1))
    assert (stats.streak_days, stats.week_sessions) == (2, 2)
    minutes = dict(stats.minutes_by_day)
    assert (minutes[date(2024, 12, 31)], minutes[date(2025, 1, 1)]) == (1.0, 1.0)


def test_two_sessions_a_day_apart_in_utc_on_one_local_day(world: World) -> None:
    store = world.open()
    # 00:30 on the 1st in Kiribati is 10:30 UTC on the 31st; 23:30 on the 1st in Hawaii is
    # 09:30 UTC on the 2nd. In UTC that would be two days; for the person it is one.
    record(world, store, datetime(2025, 1, 1, 0, 30, tzinfo=tz(14)))
    record(world, store, datetime(2025, 1, 1, 23, 30, tzinfo=tz(-10)))
    stats = store.stats(today=date(2025, 1, 1))
    assert (stats.streak_days, stats.week_sessions, stats.week_minutes) == (1, 2, 2.0)
    assert dict(stats.minutes_by_day)[date(2025, 1, 1)] == 2.0
    assert dict(stats.minutes_by_day)[date(2024, 12, 31)] == 0.0


@pytest.mark.parametrize(
    ("now", "today", "week_sessions", "streak"),
    [
        # Monday already in Kiribati, still Sunday in UTC: a new week, yesterday in the streak
        (datetime(2024, 12, 30, 0, 30, tzinfo=tz(14)), date(2024, 12, 30), 0, 1),
        # Still Sunday in Hawaii, Monday in UTC: Sunday's session is this week's
        (datetime(2024, 12, 29, 23, 30, tzinfo=tz(-10)), date(2024, 12, 29), 1, 1),
        (datetime(2024, 12, 29, 23, 59, 59, tzinfo=tz(0)), date(2024, 12, 29), 1, 1),
        (datetime(2024, 12, 31, 0, 0, tzinfo=tz(0)), date(2024, 12, 31), 0, 0),
    ],
)
def test_today_is_the_local_day_of_now(
    world: World, now: datetime, today: date, week_sessions: int, streak: int
) -> None:
    store = world.open()
    record(world, store, datetime(2024, 12, 29, 10, 0, tzinfo=tz(0)))  # a Sunday
    world.now.set(now)
    stats = store.stats()
    assert stats.minutes_by_day[-1][0] == today
    assert (stats.week_sessions, stats.streak_days) == (week_sessions, streak)


def test_minutes_by_day_cover_every_day_oldest_first(world: World) -> None:
    store = world.open()
    practise_on(world, store, "2025-01-31", "2025-01-31", "2025-02-01")
    practise_on(world, store, "2024-12-01")  # too old for the chart
    week = store.stats(today=date(2025, 2, 3), days=7).minutes_by_day
    assert week == (
        (date(2025, 1, 28), 0.0),
        (date(2025, 1, 29), 0.0),
        (date(2025, 1, 30), 0.0),
        (date(2025, 1, 31), 2.0),
        (date(2025, 2, 1), 1.0),
        (date(2025, 2, 2), 0.0),
        (date(2025, 2, 3), 0.0),
    )
    four_weeks = store.stats(today=date(2025, 2, 3)).minutes_by_day
    assert len(four_weeks) == 28
    assert four_weeks[0][0] == date(2025, 1, 7) and four_weeks[-1][0] == date(2025, 2, 3)
    assert sum(m for _, m in four_weeks) == 3.0


def test_a_session_with_nothing_done_keeps_no_streak(world: World) -> None:
    store = world.open()
    practise_on(world, store, "2025-01-06")  # Monday: a minute
    record(world, store, datetime(2025, 1, 7, 7, 0, tzinfo=tz(1)), how="stop-at-once")
    record(world, store, datetime(2025, 1, 8, 7, 0, tzinfo=tz(1)), SHORT, "stop-after-one")
    stats = store.stats(today=date(2025, 1, 8))
    assert stats.streak_days == 1  # the 8th: the prepare was done; the 7th: nothing
    assert stats.week_sessions == 2
    assert stats.week_minutes == pytest.approx((60.0 + 2.0) / 60)


def test_the_chart_counts_the_sessions_the_week_counts(world: World) -> None:
    # A session where nothing was done is no practice: not in the streak, not in the week's
    # minutes or sessions, and not in the chart either.
    store = world.open()
    practise_on(world, store, "2025-01-06")  # Monday: a minute
    record(world, store, datetime(2025, 1, 7, 7, 0, tzinfo=tz(1)), how="stop-at-once")  # 20 s
    record(world, store, datetime(2025, 1, 8, 7, 0, tzinfo=tz(1)), SHORT, "stop-after-one")
    stats = store.stats(today=date(2025, 1, 8), days=7)
    by_day = dict(stats.minutes_by_day)
    assert by_day[date(2025, 1, 7)] == 0.0
    assert by_day[date(2025, 1, 8)] == pytest.approx(2.0 / 60)  # the prepare: done
    this_week = [minutes for day, minutes in stats.minutes_by_day if day >= date(2025, 1, 6)]
    assert sum(this_week) == pytest.approx(stats.week_minutes)
    assert sum(1 for minutes in this_week if minutes) == stats.week_sessions == 2


def test_an_empty_store_has_no_figures(world: World) -> None:
    stats = world.open().stats(today=date(2025, 1, 1))
    assert (stats.streak_days, stats.week_minutes, stats.week_sessions) == (0, 0, 0)
    assert len(stats.minutes_by_day) == 28
    assert all(m == 0 for _, m in stats.minutes_by_day)


# -- the `backtone history` command -----------------------------------------------------------


def run_history(capsys, data_dir: Path, *options: str) -> tuple[int, str, str]:
    code = cli.main(["history", "--data-dir", str(data_dir), *options])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def filled(world: World) -> Path:
    store = world.open()
    practise_on(world, store, "2024-12-30", "2024-12-31")
    record(world, store, datetime(2025, 1, 1, 0, 30, tzinfo=tz(-10)), plan=SHORT)
    store.close()
    return world.data_dir


def test_history_on_a_missing_store_says_so(tmp_path: Path, capsys) -> None:
    data_dir = tmp_path / "nowhere"
    assert run_history(capsys, data_dir) == (0, "No sessions recorded yet.\n", "")
    assert not data_dir.exists()  # printing creates nothing
    assert run_history(capsys, data_dir, "--format", "json")[:2] == (0, "[]\n")


def test_history_on_an_empty_store_says_so(world: World, capsys) -> None:
    world.open().close()
    assert run_history(capsys, world.data_dir) == (0, "No sessions recorded yet.\n", "")
    code, out, _ = run_history(capsys, world.data_dir, "--since", "2020-01-01")
    assert (code, out) == (0, "No sessions since then.\n")


def test_history_prints_a_table(filled: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")  # rich sizes the table to it
    code, out, err = run_history(capsys, filled)
    assert (code, err) == (0, "")
    assert "Short test" in out and out.count("One minute") == 2
    assert "2025-01-01 00:30" in out and "in full" in out
    assert out.index("Short test") < out.index("One minute")  # newest first


@pytest.mark.parametrize("fmt", ["json", "csv", "toml"])
def test_history_exports_each_format(filled: Path, capsys, fmt: str) -> None:
    code, out, err = run_history(capsys, filled, "--format", fmt)
    assert (code, err) == (0, "")
    if fmt == "json":
        records = json.loads(out)
    elif fmt == "csv":
        records = list(csv.DictReader(io.StringIO(out)))
    else:
        records = tomllib.loads(out)["sessions"]
    assert [r["routine_id"] for r in records] == ["short", "minute", "minute"]
    assert [str(r["started_at"]) for r in records] == [
        "2025-01-01T00:30:00-10:00",
        "2024-12-31T07:30:00+01:00",
        "2024-12-30T07:30:00+01:00",
    ]
    # TOML has no null: a session with no check-in, note, version or levels leaves them out
    unset = {"pain_before", "pain_after", "program_version", "note", "levels"}
    expected = set(EXPORT_FIELDS) - (unset if fmt == "toml" else set())
    assert all(set(r) >= expected for r in records)


def test_history_since_filters(filled: Path, capsys) -> None:
    code, out, _ = run_history(capsys, filled, "--format", "json", "--since", "2024-12-31")
    assert code == 0
    assert [r["started_at"][:10] for r in json.loads(out)] == ["2025-01-01", "2024-12-31"]
    code, out, _ = run_history(capsys, filled, "--since", "2025-01-02")
    assert (code, out) == (0, "No sessions since then.\n")


def test_history_refuses_a_bad_date(filled: Path, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["history", "--data-dir", str(filled), "--since", "31/12/2024"])
    assert caught.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_history_from_a_newer_backtone_is_a_clear_error(world: World, capsys) -> None:
    world.data_dir.mkdir()
    connection = sqlite3.connect(world.data_dir / DB_NAME)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    connection.close()
    code, out, err = run_history(capsys, world.data_dir)
    assert (code, out) == (1, "")
    assert err.startswith("backtone: ") and "newer backtone" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "toml"])
def test_history_of_a_damaged_file_says_so_and_leaves_it_where_it_is(
    world: World, capsys, fmt: str
) -> None:
    # Moving it aside and printing `[]` gave an export script an empty success.
    world.data_dir.mkdir()
    (world.data_dir / DB_NAME).write_bytes(b"\xde\xad\xbe\xef" * 500)
    code, out, err = run_history(capsys, world.data_dir, "--format", fmt)
    assert (code, out) == (1, "")
    assert err == f"backtone: cannot read {world.data_dir / DB_NAME}: the history file is damaged\n"
    assert sorted(p.name for p in world.data_dir.iterdir()) == [DB_NAME]
