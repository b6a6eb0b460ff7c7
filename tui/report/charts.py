"""The report's charts, as inline SVG: pain before and after each session with the weekly
medians, sessions and minutes a week under it on the same time axis, and a calendar of the
days practised.

Shapes and dashes tell the series apart as well as colour does, so a black-and-white print
reads the same. Every text inside comes from `fill` (dates, numbers, and routine names in the
tooltips), so it is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from tui.core.adherence import Period, ReportFigures, ReportSession, WeekFigures
from tui.report.markup import Markup, fill, join

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

WIDTH = 1000
LEFT = 64  # room for the scale's numbers and the bars' labels
RIGHT = 992
BEFORE_COLOUR = "#4a6fa5"
AFTER_COLOUR = "#1b1b1b"
RISE_COLOUR = "#c0392b"
GRID_COLOUR = "#d0d0d0"
LABEL_WIDTH = 48  # a date such as "28 Sep" on the axis, in the charts' units


def short_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def long_date(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _TimeAxis:
    """Days of the period across the plot, left to right."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self.scale = (RIGHT - LEFT) / period.days

    def day(self, day: date) -> float:
        return LEFT + (day - self.period.start).days * self.scale

    def instant(self, moment: datetime, day: date) -> float:
        hours = moment.hour + moment.minute / 60
        return self.day(day) + hours / 24 * self.scale

    def week_span(self, monday: date) -> tuple[float, float]:
        start = max(monday, self.period.start)
        end = min(monday + timedelta(days=7), self.period.end + timedelta(days=1))
        return self.day(start), self.day(end)


def _week_lines(axis: _TimeAxis, top: float, bottom: float, labels_at: float | None) -> Markup:
    parts = []
    for monday in axis.period.week_starts():
        x = axis.day(max(monday, axis.period.start))
        parts.append(
            fill(
                '<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{grey}"'
                ' stroke-width="1"/>',
                x=f"{x:.1f}",
                top=top,
                bottom=bottom,
                grey=GRID_COLOUR,
            )
        )
        if labels_at is not None:
            # A short last week at the right edge: its date ends at the edge instead.
            overflows = x + LABEL_WIDTH > WIDTH
            parts.append(
                fill(
                    '<text x="{x}" y="{y}" class="axis" text-anchor="{anchor}">{label}</text>',
                    x=f"{WIDTH - 2 if overflows else x + 3:.1f}",
                    y=labels_at,
                    anchor="end" if overflows else "start",
                    label=short_date(max(monday, axis.period.start)),
                )
            )
    return join(parts)


# -- pain -------------------------------------------------------------------------------------

PAIN_TOP = 12
PAIN_BOTTOM = 272
PAIN_HEIGHT = 292


def _pain_y(pain: float) -> float:
    return PAIN_BOTTOM - pain / 10 * (PAIN_BOTTOM - PAIN_TOP)


def pain_chart(figures: ReportFigures) -> Markup:
    """Each session's pain before (open circle) and after (filled dot), joined by a line; a
    rise of 2 or more drawn as a red triangle; weekly medians as steps across each week."""
    axis = _TimeAxis(figures.period)
    parts = [_week_lines(axis, PAIN_TOP, PAIN_BOTTOM, PAIN_BOTTOM + 16)]
    for pain in range(0, 11, 2):
        y = _pain_y(pain)
        parts.append(
            fill(
                '<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{grey}"'
                ' stroke-width="1"/><text x="{label_x}" y="{label_y}" class="scale">{pain}</text>',
                left=LEFT,
                right=RIGHT,
                y=f"{y:.1f}",
                grey=GRID_COLOUR,
                label_x=LEFT - 8,
                label_y=f"{y + 5:.1f}",
                pain=pain,
            )
        )
    parts.extend(_median_steps(axis, figures.weeks))
    for session in figures.sessions:
        parts.append(_session_marks(axis, session))
    return fill(
        '<svg class="chart pain" viewBox="0 0 {width} {height}" role="img"'
        ' aria-label="Pain before and after each session, 0 to 10">{body}</svg>',
        width=WIDTH,
        height=PAIN_HEIGHT,
        body=join(parts),
    )


def _median_steps(axis: _TimeAxis, weeks: Sequence[WeekFigures]) -> list[Markup]:
    parts = []
    for week in weeks:
        left, right = axis.week_span(week.week_start)
        for median, colour, dash, what in (
            (week.median_before, BEFORE_COLOUR, "10 5", "before"),
            (week.median_after, AFTER_COLOUR, "none", "after"),
        ):
            if median is None:
                continue
            y = _pain_y(median)
            parts.append(
                fill(
                    '<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{colour}"'
                    ' stroke-width="3" stroke-dasharray="{dash}" opacity="0.75">'
                    "<title>Week of {week}: median pain {what} {median}</title></line>",
                    left=f"{left + 2:.1f}",
                    right=f"{right - 2:.1f}",
                    y=f"{y:.1f}",
                    colour=colour,
                    dash=dash,
                    week=short_date(week.week_start),
                    what=what,
                    median=_number(median),
                )
            )
    return parts


def _session_marks(axis: _TimeAxis, session: ReportSession) -> Markup:
    before, after = session.pain_before, session.pain_after
    if before is None and after is None:
        return Markup()
    x = axis.instant(session.started_at, session.day)
    rose = session.pain_rose
    title = fill(
        "<title>{day} {time}, {routine}: pain {before} → {after}</title>",
        day=long_date(session.day),
        time=session.started_at.strftime("%H:%M"),
        routine=session.routine_name,
        before="?" if before is None else before,
        after="?" if after is None else after,
    )
    parts = [title]
    if before is not None and after is not None:
        parts.append(
            fill(
                '<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{colour}"'
                ' stroke-width="{width}"/>',
                x=f"{x:.1f}",
                y1=f"{_pain_y(before):.1f}",
                y2=f"{_pain_y(after):.1f}",
                colour=RISE_COLOUR if rose else "#888888",
                width=2.5 if rose else 1.2,
            )
        )
    if before is not None:
        parts.append(
            fill(
                '<circle cx="{x}" cy="{y}" r="4.5" fill="#ffffff" stroke="{colour}"'
                ' stroke-width="1.8"/>',
                x=f"{x:.1f}",
                y=f"{_pain_y(before):.1f}",
                colour=BEFORE_COLOUR,
            )
        )
    if after is not None:
        y = _pain_y(after)
        if rose:
            parts.append(
                fill(
                    '<path d="M{x} {top} L{right} {base} L{left} {base} Z" fill="{colour}"'
                    ' class="rise"/>',
                    x=f"{x:.1f}",
                    top=f"{y - 7:.1f}",
                    base=f"{y + 5:.1f}",
                    left=f"{x - 6:.1f}",
                    right=f"{x + 6:.1f}",
                    colour=RISE_COLOUR,
                )
            )
        else:
            parts.append(
                fill(
                    '<circle cx="{x}" cy="{y}" r="3.5" fill="{colour}"/>',
                    x=f"{x:.1f}",
                    y=f"{y:.1f}",
                    colour=AFTER_COLOUR,
                )
            )
    return fill('<g class="session">{body}</g>', body=join(parts))


# -- sessions and minutes a week --------------------------------------------------------------

BARS_TOP = 18
BARS_BOTTOM = 92
BARS_HEIGHT = 126


def week_bars(figures: ReportFigures, per_week: int | None) -> Markup:
    """A bar a week of the sessions practised, its count above it and its minutes under it;
    the prescribed dose as a dashed line where one routine sets it (the heading names it)."""
    axis = _TimeAxis(figures.period)
    tallest = max([per_week or 0, *(week.sessions for week in figures.weeks), 1])
    scale = (BARS_BOTTOM - BARS_TOP) / tallest
    parts = [
        fill(
            '<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="#888888"/>'
            '<text x="{label_x}" y="{count_y}" class="scale">sessions</text>'
            '<text x="{label_x}" y="{minutes_y}" class="scale">min</text>',
            left=LEFT,
            right=RIGHT,
            y=BARS_BOTTOM,
            label_x=LEFT - 4,
            count_y=BARS_BOTTOM - 4,
            minutes_y=BARS_BOTTOM + 18,
        )
    ]
    for week in figures.weeks:
        left, right = axis.week_span(week.week_start)
        height = week.sessions * scale
        middle = (left + right) / 2
        parts.append(
            fill(
                '<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="#9fb4d3"'
                ' stroke="#4a6fa5"><title>Week of {week}: {sessions} sessions, {minutes} min'
                '</title></rect><text x="{middle}" y="{count_y}" class="count">{sessions}</text>'
                '<text x="{middle}" y="{minutes_y}" class="count">{minutes}</text>',
                x=f"{left + 4:.1f}",
                y=f"{BARS_BOTTOM - height:.1f}",
                width=f"{max(right - left - 8, 1):.1f}",
                height=f"{height:.1f}",
                week=short_date(week.week_start),
                sessions=week.sessions,
                minutes=round(week.minutes),
                middle=f"{middle:.1f}",
                count_y=f"{BARS_BOTTOM - height - 4:.1f}",
                minutes_y=BARS_BOTTOM + 18,
            )
        )
    if per_week:
        y = BARS_BOTTOM - per_week * scale
        parts.append(
            fill(
                '<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{colour}"'
                ' stroke-width="2" stroke-dasharray="8 5"><title>{per_week} a week prescribed'
                "</title></line>",
                left=LEFT,
                right=RIGHT,
                y=f"{y:.1f}",
                colour=RISE_COLOUR,
                per_week=per_week,
            )
        )
    parts.append(_week_lines(axis, BARS_BOTTOM + 24, BARS_BOTTOM + 30, None))
    return fill(
        '<svg class="chart bars" viewBox="0 0 {width} {height}" role="img"'
        ' aria-label="Sessions and minutes a week">{body}</svg>',
        width=WIDTH,
        height=BARS_HEIGHT,
        body=join(parts),
    )


# -- the calendar -----------------------------------------------------------------------------

CELL_W = 30
CELL_H = 17
CAL_LEFT = 34
CAL_TOP = 16


def calendar(figures: ReportFigures) -> Markup:
    """A column a week, a row a weekday: a filled square for a day practised (darker for two
    sessions or more, with the count), a red edge for a day whose pain rose by 2 or more."""
    period = figures.period
    rise_days = {session.day for session in figures.pain_rises}
    mondays = period.week_starts()
    parts = []
    for row, name in enumerate(WEEKDAYS):
        parts.append(
            fill(
                '<text x="0" y="{y}" class="axis">{name}</text>',
                y=CAL_TOP + row * CELL_H + 12,
                name=name,
            )
        )
    month_shown = 0
    for column, monday in enumerate(mondays):
        x = CAL_LEFT + column * CELL_W
        first = max(monday, period.start)
        if first.month != month_shown:
            month_shown = first.month
            parts.append(
                fill(
                    '<text x="{x}" y="11" class="axis">{month}</text>',
                    x=x,
                    month=MONTHS[first.month - 1],
                )
            )
        for row in range(7):
            day = monday + timedelta(days=row)
            if not period.holds(day):
                continue
            parts.append(_day_cell(x, CAL_TOP + row * CELL_H, day, figures, rise_days))
    width = CAL_LEFT + len(mondays) * CELL_W
    height = CAL_TOP + 7 * CELL_H + 2
    return fill(
        '<svg class="calendar" viewBox="0 0 {width} {height}" width="{width}"'
        ' height="{height}" role="img" aria-label="Days practised">{body}</svg>',
        width=width,
        height=height,
        body=join(parts),
    )


def _day_cell(x: int, y: int, day: date, figures: ReportFigures, rise_days: set[date]) -> Markup:
    count = figures.sessions_by_day.get(day, 0)
    fill_colour = "#ffffff" if not count else ("#9fb4d3" if count == 1 else "#4a6fa5")
    rose = day in rise_days
    return fill(
        '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}" stroke="{edge}"'
        ' stroke-width="{edge_width}"><title>{day}: {count} sessions</title></rect>'
        '<text x="{text_x}" y="{text_y}" class="{text_class}">{label}</text>',
        x=x + 1,
        y=y + 1,
        w=CELL_W - 3,
        h=CELL_H - 3,
        colour=fill_colour,
        edge=RISE_COLOUR if rose else "#b0b0b0",
        edge_width=2 if rose else 1,
        day=long_date(day),
        count=count,
        text_x=x + CELL_W // 2,
        text_y=y + 12,
        text_class="day on" if count > 1 else "day",
        label=day.day,
    )
