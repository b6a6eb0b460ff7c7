"""The report's figures, worked out from rows alone (tui/core/adherence.py): no database."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.adherence import (
    Period,
    PlayedAs,
    Prescription,
    ReportSession,
    monday_of,
    summarize,
)

ZONE = timezone(timedelta(hours=2))
TODAY = date(2026, 5, 27)  # a Wednesday
DAILY = Prescription("daily-back", "Daily back care", 5)


def row(
    day: date,
    *,
    number: int = 1,
    hour: int = 8,
    routine: str = "daily-back",
    digest: str = "a",
    done: int = 10,
    seconds: float = 600.0,
    before: int | None = None,
    after: int | None = None,
    version: str | None = None,
    levels: str | None = None,
) -> ReportSession:
    return ReportSession(
        id=number,
        routine_id=routine,
        routine_name=routine.title(),
        routine_digest=digest,
        started_at=datetime(day.year, day.month, day.day, hour, tzinfo=ZONE),
        day=day,
        status="completed",
        active_seconds=seconds,
        segments_done=done,
        segments_total=10,
        pain_before=before,
        pain_after=after,
        levels=levels,
        program_version=version,
    )


def test_the_period_is_calendar_weeks_ending_with_today_s() -> None:
    period = Period.last_weeks(TODAY, 12)
    assert period.start == date(2026, 3, 9) and period.start.weekday() == 0
    assert period.end == TODAY
    assert period.days == 80
    assert len(period.week_starts()) == 12
    assert Period.last_weeks(date(2026, 5, 31), 1).days == 7  # a Sunday: one whole week
    with pytest.raises(ValueError):
        Period.last_weeks(TODAY, 0)


def test_an_empty_period() -> None:
    figures = summarize([], Period.last_weeks(TODAY, 12), [DAILY])
    assert figures.practised == 0 and figures.minutes == 0
    assert figures.sessions_per_week == 0 and figures.minutes_per_week == 0
    assert figures.days_practised_recent == 0
    assert figures.pain_change.points is None and not figures.pain_change.matters
    assert [w.sessions for w in figures.weeks] == [0] * 12
    assert figures.adherence[0].per_week == 0 and figures.adherence[0].percent == 0
    assert figures.versions == () and figures.hand_edits == () and figures.pain_rises == ()


def test_sessions_and_minutes_count_as_the_history_screen_counts_them() -> None:
    period = Period(date(2026, 5, 1), TODAY)  # 27 days
    rows = [
        row(date(2026, 5, 4), seconds=300),
        row(date(2026, 5, 4), number=2, hour=19, seconds=420),
        row(date(2026, 5, 5), number=3, done=0, seconds=4, before=7),  # nothing finished
        row(date(2026, 5, 20), number=4, seconds=600),
    ]
    figures = summarize(rows, period, [DAILY])
    assert figures.practised == 3
    assert figures.minutes == pytest.approx(22.0)
    assert figures.sessions_per_week == pytest.approx(3 / 27 * 7)
    assert figures.minutes_per_week == pytest.approx(22 / 27 * 7)
    assert len(figures.sessions) == 4  # the table lists every session all the same
    assert figures.sessions_by_day == {date(2026, 5, 4): 2, date(2026, 5, 20): 1}
    assert [w.median_before for w in figures.weeks if w.median_before is not None] == [7.0]


def test_days_practised_in_the_last_30_reach_before_a_short_period() -> None:
    period = Period(date(2026, 5, 20), TODAY)
    assert period.read_from() == date(2026, 4, 28)
    rows = [
        row(date(2026, 4, 27)),  # 31 days back: out
        row(date(2026, 4, 28), number=2),  # 30th day back: in
        row(date(2026, 5, 1), number=3),
        row(date(2026, 5, 1), number=4, hour=20),  # the same day again
        row(date(2026, 5, 21), number=5),
    ]
    figures = summarize(rows, period, [])
    assert figures.days_practised_recent == 3
    assert figures.practised == 1  # only the period's count anywhere else


def test_adherence_is_against_per_week_from_the_day_the_programme_was_issued() -> None:
    period = Period.last_weeks(TODAY, 12)
    rows = [row(period.start + timedelta(days=n), number=n) for n in range(0, 80, 2)]
    rows.append(row(TODAY, number=999, routine="gentle"))
    figures = summarize(rows, period, [DAILY])
    (dose,) = figures.adherence
    assert dose.sessions == 40 and dose.days == 80
    assert dose.per_week == pytest.approx(3.5)
    assert dose.percent == pytest.approx(70.0)
    issued = summarize(rows, period, [DAILY], issued=date(2026, 5, 18))
    # From 18 May to 27 May (10 days): the 18th, 20th, 22nd, 24th and 26th.
    assert issued.adherence[0].sessions == 5 and issued.adherence[0].days == 10
    assert issued.adherence[0].per_week == pytest.approx(3.5)
    before_period = summarize(rows, period, [DAILY], issued=date(2025, 1, 1))
    assert before_period.adherence[0].from_day == period.start


def test_pain_first_two_weeks_against_the_last_two() -> None:
    period = Period.last_weeks(TODAY, 12)
    rows = [
        row(period.start, before=6),
        row(period.start + timedelta(days=13), number=2, before=8),  # the first window's end
        row(period.start + timedelta(days=14), number=3, before=1),  # in neither
        row(TODAY - timedelta(days=13), number=4, before=3),  # the last window's start
        row(TODAY, number=5, before=4, after=6),
        row(TODAY, number=6, hour=20, before=5),
    ]
    change = summarize(rows, period).pain_change
    assert (change.first, change.last) == (7.0, 4.0)
    assert (change.first_count, change.last_count) == (2, 3)
    assert change.points == -3.0
    assert change.percent == pytest.approx(-3 / 7 * 100)
    assert change.matters


@pytest.mark.parametrize(
    ("first", "last", "matters"),
    [
        ([5], [4], False),  # 1 point, 20 %
        ([5], [3], True),  # 2 points
        ([3], [2], True),  # 1 point, but 33 %
        ([10], [9], False),  # 1 point, 10 %
        ([0], [1], False),  # from 0: no per cent, 1 point
        ([4], [6], True),  # a rise matters as much as a fall
    ],
)
def test_the_usual_mark_for_a_change_that_matters(
    first: list[int], last: list[int], matters: bool
) -> None:
    period = Period.last_weeks(TODAY, 12)
    rows = [row(period.start, before=first[0]), row(TODAY, number=2, before=last[0])]
    assert summarize(rows, period).pain_change.matters is matters


def test_a_period_under_four_weeks_is_not_compared() -> None:
    period = Period(TODAY - timedelta(days=20), TODAY)
    rows = [row(period.start, before=8), row(TODAY, number=2, before=2)]
    change = summarize(rows, period).pain_change
    assert not change.comparable and change.points is None and not change.matters


def test_weekly_medians_and_pain_rises() -> None:
    period = Period.last_weeks(TODAY, 2)
    monday = period.start
    rows = [
        row(monday, before=4, after=6),  # a rise of 2
        row(monday + timedelta(days=1), number=2, before=5, after=4),
        row(monday + timedelta(days=2), number=3, before=9, after=None),
        row(monday + timedelta(days=7), number=4, before=2, after=5),  # 3
        row(monday + timedelta(days=8), number=5, before=6, after=7),  # 1: no rise
    ]
    figures = summarize(rows, period)
    first, second = figures.weeks
    assert (first.median_before, first.median_after, first.pain_rises) == (5.0, 5.0, 1)
    assert (second.median_before, second.median_after, second.pain_rises) == (4.0, 6.0, 1)
    assert [s.id for s in figures.pain_rises] == [1, 4]


def test_versions_with_the_day_each_was_first_played() -> None:
    period = Period.last_weeks(TODAY, 12)
    rows = [
        row(period.start, version="1"),
        row(period.start + timedelta(days=20), number=2, version="2"),
        row(period.start + timedelta(days=21), number=3, version="2"),
        row(period.start + timedelta(days=22), number=4, version=None),
    ]
    earlier = {"1": date(2025, 11, 3), "0": date(2025, 6, 1)}
    figures = summarize(rows, period, versions_first_played=earlier)
    # "0" was not played in the period: the report is about the versions followed in it.
    assert [(v.version, v.first_played, v.sessions) for v in figures.versions] == [
        ("1", date(2025, 11, 3), 1),
        ("2", period.start + timedelta(days=20), 2),
    ]


def test_a_new_plan_with_the_same_version_and_levels_is_a_hand_edit() -> None:
    period = Period.last_weeks(TODAY, 12)
    start = period.start
    rows = [
        row(start, digest="a", version="2"),  # as before the period: nothing new
        row(start + timedelta(days=1), number=2, digest="b", version="2"),  # edited
        row(start + timedelta(days=2), number=3, digest="c", version="3"),  # a new version
        row(start + timedelta(days=3), number=4, digest="d", version="3", levels='{"1": 9}'),
        row(start + timedelta(days=4), number=5, routine="gentle", digest="z", version="3"),
        row(start + timedelta(days=5), number=6, digest="d", version="3", levels='{"1": 9}'),
    ]
    before = {"daily-back": PlayedAs("a", None, "2"), "gentle": PlayedAs("y", None, "3")}
    edits = summarize(rows, period, played_before=before).hand_edits
    assert [(edit.session.id, edit.version) for edit in edits] == [(2, "2"), (5, "3")]
    assert summarize(rows, period).hand_edits[0].session.id == 2  # no history before: same


@given(
    st.lists(
        st.tuples(
            st.integers(0, 120),  # days before today
            st.integers(0, 3),  # segments done
            st.one_of(st.none(), st.integers(0, 10)),
            st.one_of(st.none(), st.integers(0, 10)),
        ),
        max_size=60,
    )
)
def test_the_figures_agree_with_a_count_by_hand(
    sessions: list[tuple[int, int, int | None, int | None]],
) -> None:
    period = Period.last_weeks(TODAY, 12)
    rows = sorted(
        (
            row(TODAY - timedelta(days=back), number=n, done=done, before=b, after=a)
            for n, (back, done, b, a) in enumerate(sessions)
        ),
        key=lambda r: (r.started_at, r.id),
    )
    figures = summarize(rows, period, [DAILY])
    inside = [r for r in rows if period.start <= r.day <= TODAY]
    practised = [r for r in inside if r.segments_done]
    assert figures.practised == len(practised)
    assert figures.adherence[0].sessions == len(practised)
    recent = {r.day for r in rows if r.segments_done and (TODAY - r.day).days < 30}
    assert figures.days_practised_recent == len(recent)
    assert sum(w.sessions for w in figures.weeks) == len(practised)
    for week in figures.weeks:
        pains = [
            r.pain_before
            for r in inside
            if monday_of(r.day) == week.week_start and r.pain_before is not None
        ]
        assert week.median_before == (statistics.median(pains) if pains else None)
    rises = [r for r in inside if r.pain_before is not None and r.pain_after is not None]
    assert len(figures.pain_rises) == sum(1 for r in rises if r.pain_after - r.pain_before >= 2)


def test_a_digest_an_older_backtone_wrote_is_no_hand_edit() -> None:
    """Rows written before today's digest (16 hex digits) differ from a new-style digest of
    the same plan: that is an upgrade of backtone, not an edit of the file. An empty digest (a
    session imported from an export that had none) says nothing about the plan either."""
    period = Period.last_weeks(TODAY, 12)
    start = period.start
    legacy, other_legacy = "0123456789abcdef", "fedcba9876543210"
    rows = [
        row(start, digest=legacy, version="2"),
        row(start + timedelta(days=1), number=2, digest="v2:aaaa", version="2"),  # upgraded
        row(start + timedelta(days=2), number=3, digest="", version="2"),  # imported, unknown
        row(start + timedelta(days=3), number=4, digest="v2:aaaa", version="2"),  # as before
        row(start + timedelta(days=4), number=5, digest="v2:bbbb", version="2"),  # edited
    ]
    assert [edit.session.id for edit in summarize(rows, period).hand_edits] == [5]
    # Two legacy digests are compared as ever: both old, one plan edited.
    before = {"daily-back": PlayedAs(other_legacy, None, "2")}
    edits = summarize(rows[:1], period, played_before=before).hand_edits
    assert [edit.session.id for edit in edits] == [1]
    # The last digest known before the period, legacy, against a new one: no edit.
    before = {"daily-back": PlayedAs(legacy, None, "2")}
    assert summarize(rows[1:2], period, played_before=before).hand_edits == ()
    assert not PlayedAs(legacy, None, "2").edited_into(PlayedAs("v2:aaaa", None, "2"))
    assert not PlayedAs("", None, "2").edited_into(PlayedAs("v2:aaaa", None, "2"))
    assert PlayedAs("v2:aaaa", None, "2").edited_into(PlayedAs("v2:bbbb", None, "2"))
