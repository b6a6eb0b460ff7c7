"""The History screen's trend chart and calendar as laid out in the core, and what the store
reads for them: any data fits the size asked for, labels never run into each other, a missed
week shows, and the points stand on the rows their scale names."""

from __future__ import annotations

import itertools
import operator
import re
import sqlite3
import statistics
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from apphelpers import write_routines
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tui.core.adherence import Period
from tui.core.loader import load_file
from tui.core.plan import build_plan
from tui.core.trend_calendar import (
    CALENDAR_LABELS,
    WEEKDAYS,
    calendar_rows,
    calendar_width,
    month_labels,
)
from tui.core.trend_cells import ASCII, UNICODE, ChartSession, Ink, Row, plain, short_date
from tui.core.trend_chart import (
    FRAME_ROWS,
    LABEL_GAP,
    chart_geometry,
    chart_rows,
    chart_weeks,
    tick_labels,
    trend_rows,
    version_changes,
)
from tui.store.chart_rows import chart_sessions
from tui.store.sessions import HistoryStore

TODAY = date(2026, 11, 25)  # a Wednesday
PERIOD = Period.last_weeks(TODAY, 12)

pains = st.none() | st.integers(0, 10)
sessions_strategy = st.lists(
    st.builds(
        ChartSession,
        day=st.dates(PERIOD.start - timedelta(days=20), TODAY + timedelta(days=5)),
        pain_before=pains,
        pain_after=pains,
        minutes=st.floats(0, 600, allow_nan=False),
        practised=st.booleans(),
        version=st.none() | st.sampled_from(["1", "2", "v3", "March visit"]),
    ),
    max_size=60,
)
periods = st.builds(
    Period.last_weeks,
    st.dates(date(2001, 1, 1), date(2098, 12, 31)),
    st.integers(1, 14),
)


def texts(rows: list[Row]) -> list[str]:
    return [plain(row) for row in rows]


def inks_at(rows: list[Row], y: int) -> list[Ink]:
    return [ink for text, ink in rows[y] for _ in text]


def session(day: date, before: int | None = None, after: int | None = None) -> ChartSession:
    return ChartSession(day, before, after, 8.0)


# -- any data, any size ---------------------------------------------------------------------


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    sessions=sessions_strategy,
    width=st.integers(0, 220),
    height=st.integers(0, 45),
    ascii_only=st.booleans(),
)
def test_any_history_fits_the_size_it_is_given(
    sessions: list[ChartSession], width: int, height: int, ascii_only: bool
) -> None:
    rows = trend_rows(sessions, PERIOD, width, height, ascii_only)
    assert len(rows) <= height
    assert all(len(text) == width for text in texts(rows))
    assert all(text for row in rows for text, _ in row)  # no empty runs
    if ascii_only:
        assert all(text.isascii() for text in texts(rows))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    sessions=sessions_strategy,
    period=periods,
    width=st.integers(0, 160),
    height=st.integers(0, 30),
    cell=st.integers(1, 4),
    ascii_only=st.booleans(),
)
def test_any_period_lays_out_without_error(
    sessions: list[ChartSession],
    period: Period,
    width: int,
    height: int,
    cell: int,
    ascii_only: bool,
) -> None:
    moved = [replace(s, day=period.start + (s.day - PERIOD.start)) for s in sessions]
    chart = chart_rows(moved, period, width, height, ascii_only)
    assert len(chart) <= height and all(len(text) == width for text in texts(chart))
    calendar = calendar_rows(moved, period, height, ascii_only, cell)
    assert len(calendar) <= height
    weeks = len(period.week_starts())
    assert all(len(text) == calendar_width(weeks, cell) for text in texts(calendar))


@given(period=periods, width=st.integers(10, 200), height=st.integers(9, 20))
def test_dates_under_the_axis_never_touch_and_stay_inside(
    period: Period, width: int, height: int
) -> None:
    mondays = period.week_starts()
    geometry = chart_geometry(len(mondays), width, height)
    if geometry is None:
        return
    labels = tick_labels(mondays, geometry, width)
    assert labels, "a chart always names a week"
    for (x, text), (next_x, _) in itertools.pairwise(labels):
        assert x + len(text) + LABEL_GAP <= next_x
    assert all(x >= 0 and x + len(text) <= width for x, text in labels)
    assert labels[-1][1] == short_date(mondays[-1])  # this week is always named
    rows = chart_rows([], period, width, height)
    dates = plain(rows[FRAME_ROWS + geometry.plot_rows - 2])
    assert dates.split() == " ".join(text for _, text in labels).split()


@given(period=periods, cell=st.integers(2, 4))
def test_month_names_never_touch(period: Period, cell: int) -> None:
    labels = month_labels(period.week_starts(), period, cell)
    for (x, text), (next_x, _) in itertools.pairwise(labels):
        assert x + len(text) < next_x
    width = calendar_width(len(period.week_starts()), cell)
    assert all(x >= CALENDAR_LABELS and x + len(text) <= width for x, text in labels)


# -- what the chart shows -----------------------------------------------------------------------


@given(
    before=st.integers(0, 10),
    after=st.integers(0, 10),
    ago=st.integers(0, (TODAY - PERIOD.start).days),
    height=st.integers(9, 15),
    ascii_only=st.booleans(),
)
def test_a_check_in_stands_on_its_row_and_day(
    before: int, after: int, ago: int, height: int, ascii_only: bool
) -> None:
    day = TODAY - timedelta(days=ago)
    width = 78
    rows = chart_rows([session(day, before, after)], PERIOD, width, height, ascii_only)
    geometry = chart_geometry(12, width, height)
    assert geometry is not None
    glyphs = ASCII if ascii_only else UNICODE
    x = geometry.day_x((day - PERIOD.start).days // 7, day.weekday())
    assert texts(rows)[1 + geometry.pain_y(before)][x] == glyphs.before
    if geometry.pain_y(after) != geometry.pain_y(before):
        assert texts(rows)[1 + geometry.pain_y(after)][x] == glyphs.after
        rose = after - before >= 2
        assert inks_at(rows, 1 + geometry.pain_y(after))[x] is (Ink.RISE if rose else Ink.AFTER)
    scale = {value: texts(rows)[1 + geometry.pain_y(value)][:2].strip() for value in (10, 5, 0)}
    assert scale == {10: "10", 5: "5", 0: "0"}


def test_the_rows_of_the_scale_are_10_at_the_top_and_0_at_the_bottom() -> None:
    for plot_rows in range(5, 12):
        geometry = chart_geometry(12, 80, plot_rows + FRAME_ROWS)
        assert geometry is not None and geometry.plot_rows == plot_rows
        ys = [geometry.pain_y(p) for p in range(10, -1, -1)]
        assert ys[0] == 0 and ys[-1] == plot_rows - 1 and ys == sorted(ys)
    exact = chart_geometry(12, 80, 40)
    assert exact is not None and exact.plot_rows == 11  # a row a point: no more
    assert [exact.pain_y(p) for p in range(11)] == list(range(10, -1, -1))


@given(sessions=sessions_strategy, missed=st.integers(0, 11), ascii_only=st.booleans())
@example(sessions=[], missed=3, ascii_only=True)  # failed a clean-clone run: the words' "o"
def test_a_missed_week_shows_empty(
    sessions: list[ChartSession], missed: int, ascii_only: bool
) -> None:
    monday = PERIOD.start + timedelta(weeks=missed)
    kept = [s for s in sessions if not monday <= s.day < monday + timedelta(days=7)]
    glyphs = ASCII if ascii_only else UNICODE
    height = 15
    chart = chart_rows(kept, PERIOD, 78, height, ascii_only)
    geometry = chart_geometry(12, 78, height)
    assert geometry is not None
    band = slice(geometry.week_x(missed), geometry.week_x(missed) + geometry.band)
    # By ink, not glyph: with no check-ins the plot says so in words, and "No" holds an "o".
    marks = {Ink.BEFORE, Ink.AFTER, Ink.RISE}
    plot = [inks_at(chart, y)[band] for y in range(1, 1 + geometry.plot_rows)]
    assert not any(marks & set(row) for row in plot)
    counts = texts(chart)[-1]
    assert counts[band].strip() == "0"
    calendar = calendar_rows(kept, PERIOD, 10, ascii_only)
    column = CALENDAR_LABELS + missed * 2
    days = [row[column] for row in texts(calendar)[2:9]]
    assert glyphs.practised not in days
    assert set(days) <= {glyphs.missed, " "}


def test_the_week_figures_count_as_the_history_screen_does() -> None:
    monday = PERIOD.start
    sessions = [
        ChartSession(monday, 6, 5, 8.0),
        ChartSession(monday + timedelta(days=1), 4, None, 10.0),
        ChartSession(monday + timedelta(days=2), 5, None, 0.0, practised=False),  # stopped at once
        ChartSession(monday - timedelta(days=1), 9, 9, 8.0),  # before the period
    ]
    first = chart_weeks(sessions, PERIOD)[0]
    assert (first.sessions, first.minutes) == (2, 18.0)
    assert first.median_before == statistics.median([6, 4, 5])  # every answer counts
    assert len(chart_weeks(sessions, PERIOD)) == 12


def test_without_check_ins_the_plot_says_so_and_the_weeks_still_count() -> None:
    sessions = [session(TODAY - timedelta(days=n)) for n in (0, 2, 9)]
    rows = texts(chart_rows(sessions, PERIOD, 78, 11))
    assert any("No check-ins in these weeks" in row for row in rows)
    assert rows[-1].split()[-3:] == ["1", "2", "sessions"]


def test_the_legend_and_the_count_row_say_what_they_show() -> None:
    rows = texts(chart_rows([session(TODAY, 5, 4)], PERIOD, 118, 15))
    assert rows[0].startswith("Back pain: ● before  × after a session  ━ median of the week")
    assert rows[0].rstrip().endswith("(0 best, 10 worst)")
    assert rows[-1].rstrip().endswith("sessions a week")
    small = texts(chart_rows([session(TODAY, 5, 4)], PERIOD, 49, 11, ascii_only=True))
    assert small[0].rstrip() == "Pain o before x after = median (0 best, 10 worst)"


def test_the_median_steps_between_weeks() -> None:
    sessions = [session(PERIOD.start, 8), session(PERIOD.start + timedelta(weeks=1), 2)]
    rows = chart_rows(sessions, PERIOD, 78, 15)
    geometry = chart_geometry(12, 78, 15)
    assert geometry is not None
    gap = geometry.week_x(0) + geometry.band - 1
    column = "".join(texts(rows)[1 + y][gap] for y in range(geometry.plot_rows))
    assert column.strip() == "┓┃┃┃┃┃┗"  # 8 down to 2
    assert all(
        inks_at(rows, 1 + y)[gap] is Ink.MEDIAN
        for y in range(geometry.pain_y(8), 1 + geometry.pain_y(2))
    )


def test_a_new_programme_version_is_marked_where_it_began() -> None:
    start = PERIOD.start
    sessions = [
        replace(session(start, 6), version="1"),
        replace(session(start + timedelta(days=30), 5), version=None),  # no programme named
        replace(session(start + timedelta(days=44), 4), version="2"),
        replace(session(start + timedelta(days=50), 3), version="2"),
    ]
    assert version_changes(sessions) == [(start + timedelta(days=44), "2")]
    rows = texts(chart_rows(sessions, PERIOD, 78, 15))
    assert re.search(r"┊v2", rows[1])


# -- the calendar -------------------------------------------------------------------------------


def test_the_calendar_reads_as_a_calendar() -> None:
    sessions = [
        session(TODAY),
        session(TODAY),  # two today
        session(TODAY - timedelta(days=1)),
        replace(session(TODAY - timedelta(days=2)), practised=False),  # stopped at once
    ]
    rows = calendar_rows(sessions, PERIOD, 10)
    lines = texts(rows)
    assert lines[0].strip() == "Days practised"
    assert lines[1].split() == ["Sep", "Oct", "Nov"]
    assert [line[:2] for line in lines[2:9]] == list(WEEKDAYS)
    last = CALENDAR_LABELS + 11 * 2
    week = [line[last : last + 2] for line in lines[2:9]]
    assert week == ["· ", "■ ", "■◂", "  ", "  ", "  ", "  "]  # Mon 23 to Wed 25, today
    assert inks_at(rows, 4)[last] is Ink.DAY_MANY and inks_at(rows, 3)[last] is Ink.DAY_ONE
    assert lines[9].strip() == "■ practised  · not  ◂ today"
    assert sum(line.count("◂") for line in lines[2:9]) == 1
    short = texts(calendar_rows(sessions, PERIOD, 8, ascii_only=True))
    assert short[0].split() == ["Sep", "Oct", "Nov"] and len(short) == 8
    assert short[3][last : last + 2] == "#<"


def test_the_calendar_beside_the_chart_where_both_fit() -> None:
    sessions = [session(TODAY, 4, 3)]
    wide = texts(trend_rows(sessions, PERIOD, 78, 11))
    assert "Days practised" in wide[0] and wide[2].rstrip().endswith("·")
    assert "sessions" in wide[-1]
    narrow = texts(trend_rows(sessions, PERIOD, 68, 11))  # no room for both: the chart alone
    assert not any("Days practised" in line for line in narrow)
    assert narrow[-1].rstrip().endswith("sessions a week")
    assert trend_rows(sessions, PERIOD, 26, 11) == []  # not even the chart: the sentence then
    assert trend_rows(sessions, PERIOD, 78, 8) == []


# -- what the store reads -----------------------------------------------------------------------


def history_with(tmp_path: Path, days_ago: list[int]) -> HistoryStore:
    now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    store = HistoryStore.open(tmp_path / "data", now=lambda: now)
    plan = build_plan(load_file(write_routines(tmp_path)).routine("eggs"))
    for ago in days_ago:
        store.now = partial(operator.sub, now, timedelta(days=ago))
        session_id = store.begin(plan, pain_before=ago % 11)
        store.connection.execute(
            "UPDATE sessions SET status = 'completed', segments_done = 1, active_seconds = 300,"
            " program_version = '2' WHERE id = ?",
            (session_id,),
        )
        store.locks.release(session_id)
    store.now = lambda: now
    return store


def test_the_store_reads_the_twelve_weeks_in_one_indexed_query(tmp_path: Path) -> None:
    store = history_with(tmp_path, [0, 3, 40, 79, 80, 200])  # 80 days: before the Monday
    history = chart_sessions(store.connection, TODAY, path=store.path)
    assert history.period == PERIOD
    assert [s.day for s in history.sessions] == [TODAY - timedelta(days=n) for n in (79, 40, 3, 0)]
    assert history.sessions[-1] == ChartSession(TODAY, 0, None, 5.0, True, "2")
    plan = " ".join(
        str(row[-1])
        for row in store.connection.execute(
            "EXPLAIN QUERY PLAN SELECT day FROM sessions WHERE day >= ? AND day <= ?",
            ("2026-09-07", "2026-11-25"),
        )
    )
    assert "sessions_by_day" in plan


def test_the_store_leaves_out_damaged_and_deleted_rows(tmp_path: Path) -> None:
    store = history_with(tmp_path, [0, 1, 2])
    ids = [row.id for row in store.sessions()]
    store.connection.execute("UPDATE sessions SET active_seconds = 'lots' WHERE id = ?", (ids[1],))
    assert store.delete(ids[0])
    history = chart_sessions(store.connection, TODAY, path=store.path)
    assert [s.day for s in history.sessions] == [TODAY - timedelta(days=2)]


def test_a_history_that_cannot_be_read_is_history_unavailable(tmp_path: Path) -> None:
    from tui.store.rows import HistoryUnavailable

    connection = sqlite3.connect(":memory:")
    try:
        chart_sessions(connection, TODAY, path=tmp_path / "history.db")
    except HistoryUnavailable as error:
        assert "cannot read the history" in str(error)
    else:
        raise AssertionError("no error")
