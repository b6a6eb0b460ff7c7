"""The calendar of the days practised, beside the History screen's chart: a column a week,
a row a weekday, the months named over the weeks they begin in, as in the report. Laid out as
rows of cells (tui/core/trend_cells.py); pure and stdlib-only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from tui.core.adherence import Period
from tui.core.trend_cells import (
    MONTHS,
    Canvas,
    ChartSession,
    Glyphs,
    Ink,
    Row,
    first_fitting,
    glyphs_for,
    in_period,
)

WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
CALENDAR_LABELS = 3  # "Mo "
CALENDAR_ROWS = 7 + 1  # a row a weekday, under the months
CALENDAR_TITLE = "Days practised"


def calendar_legends(glyphs: Glyphs) -> list[str]:
    p, m, t = glyphs.practised, glyphs.missed, glyphs.today
    return [f"{p} practised  {m} not  {t} today", f"{p} done {m} not {t} today", f"{t} today", ""]


def calendar_width(weeks: int, cell: int = 2) -> int:
    return CALENDAR_LABELS + weeks * cell


def calendar_rows(
    sessions: Iterable[ChartSession],
    period: Period,
    height: int = CALENDAR_ROWS + 2,
    ascii_only: bool = False,
    cell: int = 2,
) -> list[Row]:
    """A column a week and a row a weekday, the months named over the week they begin in, a
    mark on each day practised, a dot on each day missed, nothing after today (the period's
    last day), which is pointed at. A title above and a legend below where the height allows.
    Empty where even the seven days and their months do not fit."""
    if height < CALENDAR_ROWS or cell < 1:
        return []
    glyphs = glyphs_for(ascii_only)
    mondays = period.week_starts()
    width = calendar_width(len(mondays), cell)
    title = height >= CALENDAR_ROWS + 2
    legend = height >= CALENDAR_ROWS + 1
    canvas = Canvas(width, CALENDAR_ROWS + title + legend)
    if title:
        canvas.text(0, 0, CALENDAR_TITLE[:width], Ink.TITLE)
    months = int(title)
    days = months + 1
    per_day = Counter(s.day for s in in_period(sessions, period) if s.practised)
    for row, name in enumerate(WEEKDAYS):
        canvas.text(0, days + row, name, Ink.LABEL)
    for x, text in month_labels(mondays, period, cell):
        canvas.text(x, months, text, Ink.LABEL)
    today = period.end
    for column, monday in enumerate(mondays):
        x = CALENDAR_LABELS + column * cell
        for row in range(7):
            day = monday + timedelta(days=row)
            if not period.holds(day):
                continue
            count = per_day.get(day, 0)
            if count:
                ink = Ink.DAY_ONE if count == 1 else Ink.DAY_MANY
                canvas.text(x, days + row, glyphs.practised * max(1, cell - 1), ink)
            else:
                canvas.text(x, days + row, glyphs.missed, Ink.DAY_NONE)
            if day == today and cell >= 2:
                canvas.put(x + cell - 1, days + row, glyphs.today, Ink.TODAY)
    if legend:
        text = first_fitting(calendar_legends(glyphs), width)
        canvas.text(0, days + 7, text, Ink.LABEL)
    return canvas.rows()


def month_labels(mondays: Sequence[date], period: Period, cell: int) -> list[tuple[int, str]]:
    """A month's name over the first week whose first day in the period lies in it (as the
    report does); where two would touch, the earlier (a month's last days) gives way."""
    placed: list[tuple[int, str]] = []
    shown = 0
    for column, monday in enumerate(mondays):
        first = max(monday, period.start)
        if first.month == shown:
            continue
        shown = first.month
        x = CALENDAR_LABELS + column * cell
        text = MONTHS[first.month - 1]
        if placed and x <= placed[-1][0] + len(placed[-1][1]):
            placed.pop()
        placed.append((x, text))
    width = calendar_width(len(mondays), cell)
    return [(x, text) for x, text in placed if x + len(text) <= width]
