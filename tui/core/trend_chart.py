"""The History screen's trend, laid out as rows of cells: pain before and after each session
over the last weeks with the week's median, the sessions of each week under it, and beside it a
calendar of the days practised (a column a week, a row a weekday, as in the report).

Pure and stdlib-only: the store reads the sessions (tui/store/chart_rows.py), the calendar is
drawn by tui/core/trend_calendar.py, both with the cells of tui/core/trend_cells.py, and the
widget (tui/ui/widgets/trend_chart.py) gives each kind of cell its style. A row is a list of runs,
each a text and its `Ink`; every row of a layout is exactly the width asked for, and there are
never more rows than the height asked for, whatever the data. Everything reads in ASCII and
without colour: before and after differ by their shape (`●` and `×`, or `o` and `x`), a day
practised from a day missed by its glyph (`■` and `·`, or `#` and `.`).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tui.core.adherence import Period
from tui.core.trend_calendar import CALENDAR_ROWS, calendar_rows, calendar_width
from tui.core.trend_cells import (
    Canvas,
    ChartSession,
    Glyphs,
    Ink,
    Row,
    crop,
    first_fitting,
    glyphs_for,
    in_period,
    plain,
    short_date,
)

PAIN_TOP = 10
EXACT_ROWS = PAIN_TOP + 1  # a row for each point of the scale: more rows would add nothing
MIN_PLOT_ROWS = 5  # 10, 5 and 0, and a row between each: fewer would say nothing
FRAME_ROWS = 4  # the legend above the plot; the axis, its dates and the sessions under it
Y_LABELS = 3  # "10" and the axis
MAX_BAND = 8  # columns a week: one a day and a gap
GAP = 2  # columns between the chart and the calendar
LABEL_GAP = 2  # spaces between two dates under the axis: "2 Nov 23 Nov" would read as one
SESSIONS_LABELS = (" sessions a week", " sessions", "")


@dataclass(frozen=True)
class ChartWeek:
    monday: date
    sessions: int  # practised
    minutes: float
    median_before: float | None  # over every check-in before a session of the week


def version_changes(sessions: Iterable[ChartSession]) -> list[tuple[date, str]]:
    """The days a version of the programme was played after another, with the new version."""
    changes = []
    last: str | None = None
    for session in sorted(sessions, key=lambda s: s.day):
        if session.version is None or session.version == last:
            continue
        if last is not None:
            changes.append((session.day, session.version))
        last = session.version
    return changes


def version_label(version: str) -> str:
    text = version if version[:1] in "vV" else f"v{version}"
    return text[:8]


def chart_weeks(sessions: Iterable[ChartSession], period: Period) -> list[ChartWeek]:
    """Every week the period touches, oldest first, counted as the History screen counts."""
    mondays = period.week_starts()
    index = {monday: n for n, monday in enumerate(mondays)}
    counts = [0] * len(mondays)
    minutes = [0.0] * len(mondays)
    pains: list[list[int]] = [[] for _ in mondays]
    for session in in_period(sessions, period):
        n = index[session.day - timedelta(days=session.day.weekday())]
        if session.practised:
            counts[n] += 1
            minutes[n] += session.minutes
        if session.pain_before is not None:
            pains[n].append(session.pain_before)
    return [
        ChartWeek(
            monday,
            counts[n],
            minutes[n],
            float(statistics.median(pains[n])) if pains[n] else None,
        )
        for n, monday in enumerate(mondays)
    ]


# -- the chart ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartGeometry:
    weeks: int
    band: int  # columns a week: the days' columns and a gap
    plot_rows: int
    sessions_label: str

    @property
    def day_columns(self) -> int:
        return max(1, self.band - 1)

    @property
    def plot_width(self) -> int:
        return self.weeks * self.band

    def week_x(self, week: int) -> int:
        return Y_LABELS + week * self.band

    def day_x(self, week: int, weekday: int) -> int:
        return self.week_x(week) + weekday * self.day_columns // 7

    def pain_y(self, pain: float) -> int:
        """The plot row (0 at the top) of a pain; the scale's labels use the same rounding, so
        a point is always on the row of its label."""
        return int((PAIN_TOP - pain) * (self.plot_rows - 1) / PAIN_TOP + 0.5)


def chart_geometry(weeks: int, width: int, height: int) -> ChartGeometry | None:
    """The largest chart of `weeks` weeks in width x height, or None where none fits (a week
    needs two columns, the plot five rows). The widest weeks that leave room to name the
    sessions row, or three columns a week without its name."""
    plot_rows = min(EXACT_ROWS, height - FRAME_ROWS)
    if weeks < 1 or plot_rows < MIN_PLOT_ROWS:
        return None
    widest = min(MAX_BAND, (width - Y_LABELS) // weeks)
    for band in range(widest, 1, -1):
        label = first_fitting(SESSIONS_LABELS, width - Y_LABELS - weeks * band)
        if label or band <= 3:
            return ChartGeometry(weeks, band, plot_rows, label)
    return None


def legend_texts(glyphs: Glyphs) -> list[str]:
    b, a, m = glyphs.before, glyphs.after, glyphs.median
    return [
        f"Back pain: {b} before  {a} after a session  {m} median of the week  (0 best, 10 worst)",
        f"Back pain: {b} before  {a} after  {m} week's median  (0 best, 10 worst)",
        f"Pain {b} before {a} after {m} median (0 best, 10 worst)",
        f"Pain {b} before {a} after (0 best, 10 worst)",
        f"Pain {b} before {a} after (0-10)",
        f"Pain {b} before {a} after",
    ]


def tick_labels(
    mondays: Sequence[date], geometry: ChartGeometry, width: int
) -> list[tuple[int, str]]:
    """The weeks whose date is written under the axis, as (column, text), left to right: every
    week where they fit, else every second, third... counted back from this week, each
    LABEL_GAP spaces or more from the next and inside the width."""
    count = len(mondays)
    for step in range(1, count + 1):
        placed: list[tuple[int, str]] = []
        for week in sorted(range(count - 1, -1, -step)):
            text = short_date(mondays[week])
            x = min(geometry.week_x(week), width - len(text))
            if x < 0 or (placed and x < placed[-1][0] + len(placed[-1][1]) + LABEL_GAP):
                break
            placed.append((x, text))
        else:
            return placed
    return []


def chart_rows(
    sessions: Iterable[ChartSession],
    period: Period,
    width: int,
    height: int,
    ascii_only: bool = False,
) -> list[Row]:
    """The chart in at most width x height cells (no rows where it does not fit)."""
    mondays = period.week_starts()
    geometry = chart_geometry(len(mondays), width, height)
    if geometry is None:
        return []
    glyphs = glyphs_for(ascii_only)
    shown = in_period(sessions, period)
    weeks = chart_weeks(shown, period)
    rows = FRAME_ROWS + geometry.plot_rows
    canvas = Canvas(width, rows)
    canvas.text(0, 0, first_fitting(legend_texts(glyphs), width), Ink.TITLE)
    top = 1
    right = Y_LABELS + geometry.plot_width
    # The scale: 10, 5 and 0 on the rows their points are drawn on, a faint line at 5.
    for value in (PAIN_TOP, PAIN_TOP // 2, 0):
        y = top + geometry.pain_y(value)
        canvas.text(0, y, f"{value:>2}", Ink.LABEL)
        if 0 < value < PAIN_TOP:
            for x in range(Y_LABELS, right):
                canvas.put(x, y, glyphs.grid, Ink.GRID)
    for y in range(top, top + geometry.plot_rows):
        canvas.put(Y_LABELS - 1, y, glyphs.y_axis, Ink.AXIS)
    changes = version_changes(shown)
    for day, _ in changes:
        x = geometry.day_x((day - mondays[0]).days // 7, day.weekday())
        for y in range(top, top + geometry.plot_rows):
            canvas.put(x, y, glyphs.version, Ink.VERSION)
    draw_medians(canvas, weeks, geometry, top, glyphs)
    first = mondays[0]
    points = [s for s in shown if s.pain_before is not None or s.pain_after is not None]
    for session in points:  # the after marks first: a before on the same cell covers it
        if session.pain_after is not None:
            x = geometry.day_x((session.day - first).days // 7, session.day.weekday())
            ink = Ink.RISE if session.pain_rose else Ink.AFTER
            canvas.put(x, top + geometry.pain_y(session.pain_after), glyphs.after, ink)
    for session in points:
        if session.pain_before is not None:
            x = geometry.day_x((session.day - first).days // 7, session.day.weekday())
            canvas.put(x, top + geometry.pain_y(session.pain_before), glyphs.before, Ink.BEFORE)
    for day, version in changes:  # over the points: the top row is rarely one's
        x = geometry.day_x((day - mondays[0]).days // 7, day.weekday())
        label = version_label(version)
        if x + 1 + len(label) <= right:
            canvas.text(x + 1, top, label, Ink.VERSION)
    if not points:
        note = first_fitting(
            [
                "No check-ins in these weeks: answer “How is your back?” before a session",
                "No check-ins in these weeks",
                "No check-ins",
            ],
            geometry.plot_width,
        )
        if ascii_only:
            note = note.replace("“", '"').replace("”", '"')
        middle = top + geometry.plot_rows // 2
        canvas.text(Y_LABELS + (geometry.plot_width - len(note)) // 2, middle, note, Ink.NOTE)
    axis = top + geometry.plot_rows
    canvas.put(Y_LABELS - 1, axis, glyphs.corner, Ink.AXIS)
    for x in range(Y_LABELS, right):
        canvas.put(x, axis, glyphs.x_axis, Ink.AXIS)
    for n in range(len(mondays)):
        canvas.put(geometry.week_x(n), axis, glyphs.tick, Ink.AXIS)
    for x, text in tick_labels(mondays, geometry, width):
        canvas.text(x, axis + 1, text, Ink.LABEL)
    counts = axis + 2
    for n, week in enumerate(weeks):
        text = str(min(week.sessions, 10**geometry.day_columns - 1))
        x = geometry.week_x(n) + max(0, (geometry.day_columns - len(text)) // 2)
        canvas.text(x, counts, text, Ink.COUNT if week.sessions else Ink.ZERO)
    canvas.text(right, counts, geometry.sessions_label, Ink.LABEL)
    return canvas.rows()


def draw_medians(
    canvas: Canvas, weeks: Sequence[ChartWeek], geometry: ChartGeometry, top: int, glyphs: Glyphs
) -> None:
    """The week's median under the points: a line across each week with one, stepping up or
    down in the gap to the next week's."""
    vertical, left_down, up_right, left_up, down_right = glyphs.steps
    rows = [
        None if week.median_before is None else top + geometry.pain_y(week.median_before)
        for week in weeks
    ]
    for n, y in enumerate(rows):
        if y is None:
            continue
        start = geometry.week_x(n)
        for x in range(start, start + geometry.day_columns):
            canvas.put(x, y, glyphs.median, Ink.MEDIAN)
        following = rows[n + 1] if n + 1 < len(rows) else None
        if following is None or geometry.band < 2:
            continue
        gap = start + geometry.band - 1
        if following == y:
            canvas.put(gap, y, glyphs.median, Ink.MEDIAN)
            continue
        low, high = sorted((y, following))
        for between in range(low + 1, high):
            canvas.put(gap, between, vertical, Ink.MEDIAN)
        if following > y:  # down the screen: the pain falls
            canvas.put(gap, y, left_down, Ink.MEDIAN)
            canvas.put(gap, following, up_right, Ink.MEDIAN)
        else:
            canvas.put(gap, y, left_up, Ink.MEDIAN)
            canvas.put(gap, following, down_right, Ink.MEDIAN)


# -- both ---------------------------------------------------------------------------------------


def trend_rows(
    sessions: Sequence[ChartSession],
    period: Period,
    width: int,
    height: int,
    ascii_only: bool = False,
) -> list[Row]:
    """The chart, with the calendar beside it where both fit (the chart keeping three columns
    a week or more, and the name of its sessions row); empty where not even the chart fits
    (the screen shows a sentence then)."""
    weeks = len(period.week_starts())
    chart_height = min(height, FRAME_ROWS + EXACT_ROWS)
    for cell in (3, 2):
        beside = width - GAP - calendar_width(weeks, cell)
        geometry = chart_geometry(weeks, beside, chart_height)
        wanted = 6 if cell == 3 else 3
        if (
            geometry is None
            or geometry.band < wanted
            or not geometry.sessions_label  # the counts would not say what they count
            or height < CALENDAR_ROWS
        ):
            continue
        chart = chart_rows(sessions, period, beside, chart_height, ascii_only)
        calendar = calendar_rows(sessions, period, chart_height, ascii_only, cell)
        # The calendar right after the chart, not at the far edge of a wide terminal.
        used = max(len(plain(row).rstrip()) for row in chart)
        return side_by_side([crop(row, used) for row in chart], used, calendar, width)
    return chart_rows(sessions, period, width, chart_height, ascii_only)


def side_by_side(left: list[Row], left_width: int, right: list[Row], width: int) -> list[Row]:
    """Two blocks of rows, GAP columns apart, each row padded to `width`."""
    rows = []
    for n in range(max(len(left), len(right))):
        row: Row = list(left[n]) if n < len(left) else [(" " * left_width, Ink.BLANK)]
        extra = right[n] if n < len(right) else []
        row.append((" " * GAP, Ink.BLANK))
        row += extra
        used = sum(len(text) for text, _ in row)
        row.append((" " * max(0, width - used), Ink.BLANK))
        rows.append([run for run in row if run[0]])
    return rows
