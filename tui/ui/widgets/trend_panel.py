"""The History screen's "Is it helping?" panel: week by week over the last 12 weeks, the
median pain before sessions above the number of sessions and the minutes.

Drawn as rows of bar cells, one cell a week, so that the three can be compared at a glance
(pain going down while sessions hold steady), in block characters or, in ASCII mode, in plain
characters of rising weight. Its text twin is one sentence, shown with it and used where there
is no room for the bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.store.rows import WeekTrend

BLOCKS = "▁▂▃▄▅▆▇█"
ASCII_LEVELS = "_.-=+*#@"  # eight steps of weight, readable in any locale
PAIN_TOP = 10
LABEL_WIDTH = 8  # "Sessions"
LEGEND_WIDTH = 17  # "0 best, 10 worst"
NEEDS = (
    "Is it helping? Answer the check-in before your sessions in two different weeks, "
    "and your back pain shows here beside your practice."
)


def bar(value: float | None, top: float, ascii_only: bool = False, cell: int = 3) -> str:
    """One week's cell, `cell` columns with a gap: blank for no value, else a bar of one of
    eight heights (the lowest for 0, so that a pain of 0 still shows as an answer)."""
    if value is None:
        return " " * cell
    levels = ASCII_LEVELS if ascii_only else BLOCKS
    step = 0 if top <= 0 else round(min(value, top) / top * (len(levels) - 1))
    return levels[step] * (cell - 1) + " "


def short_date(day: date) -> str:
    return f"{day.day} {day:%b}"


def number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def pain_weeks(weeks: Sequence[WeekTrend]) -> list[WeekTrend]:
    return [week for week in weeks if week.median_pain_before is not None]


def sessions_a_week(weeks: Sequence[WeekTrend]) -> float:
    """Sessions a week since the first week with one (a new user's empty weeks before they
    began are not counted against them)."""
    active = [n for n, week in enumerate(weeks) if week.sessions]
    if not active:
        return 0.0
    counted = weeks[active[0] :]
    return sum(week.sessions for week in counted) / len(counted)


def trend_sentence(weeks: Sequence[WeekTrend]) -> str:
    """The panel in one sentence: "Pain before sessions: median 5 in the week of 2 Nov,
    3 this week; 4 sessions a week." """
    answered = pain_weeks(weeks)
    if len(answered) < 2:
        return NEEDS
    first, last = answered[0], answered[-1]
    assert first.median_pain_before is not None and last.median_pain_before is not None
    now = (
        "this week"
        if weeks and last.week_start == weeks[-1].week_start
        else f"in the week of {short_date(last.week_start)}"
    )
    rate = round(sessions_a_week(weeks))
    return (
        f"Pain before sessions: median {number(first.median_pain_before)} in the week of "
        f"{short_date(first.week_start)}, {number(last.median_pain_before)} {now}; "
        f"{rate} session{'' if rate == 1 else 's'} a week."
    )


def trend_bars(weeks: Sequence[WeekTrend], ascii_only: bool = False, width: int = 80) -> Table:
    """Pain, sessions and minutes as rows of weekly bars, their scale beside them where the
    width allows, and a line naming the first week and this one. Bars are two columns wide
    and a gap, or one and a gap where `width` is short of that."""
    cell = 3 if width >= LABEL_WIDTH + 1 + 3 * len(weeks) else 2
    legend = width >= LABEL_WIDTH + 1 + cell * len(weeks) + LEGEND_WIDTH
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True, width=LABEL_WIDTH)
    grid.add_column(no_wrap=True, width=len(weeks) * cell)
    if legend:
        grid.add_column(style="dim", no_wrap=True)
    rows: list[tuple[str, list[float | None], float, str]] = []
    if len(pain_weeks(weeks)) >= 2:
        pains = [week.median_pain_before for week in weeks]
        rows.append(("Pain", pains, PAIN_TOP, "0 best, 10 worst"))
    sessions = [float(week.sessions) or None for week in weeks]
    most = max((value or 0.0 for value in sessions), default=0.0)
    rows.append(("Sessions", sessions, most, f"most {most:g}"))
    minutes = [week.minutes or None for week in weeks]
    longest = max((value or 0.0 for value in minutes), default=0.0)
    rows.append(("Minutes", minutes, longest, f"most {longest:.0f}"))
    for label, values, top, scale in rows:
        drawn = "".join(bar(value, top, ascii_only, cell) for value in values).rstrip()
        grid.add_row(label, drawn, *([scale] if legend else []))
    if weeks:
        start, end = short_date(weeks[0].week_start), "this week" if cell == 3 else "now"
        axis = start.ljust(len(weeks) * cell - len(end) - 1) + end
        grid.add_row("", Text(axis, style="dim"), *([""] if legend else []))
    return grid


class TrendPanel(Vertical):
    """ "Is it helping?": the sentence, and the bars below it where there is room."""

    DEFAULT_CSS = """
    TrendPanel { height: auto; }
    TrendPanel > Static { height: auto; }
    TrendPanel.-no-sessions #trend-bars { display: none; }
    """

    def __init__(self, ascii_only: bool = False, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only
        self.weeks: list[WeekTrend] = []

    def compose(self) -> ComposeResult:
        yield Static(id="trend-sentence", markup=False)
        yield Static(id="trend-bars")

    def show(self, weeks: Sequence[WeekTrend]) -> None:
        self.weeks = list(weeks)
        sentence = Text("Is it helping? ", style="bold")
        sentence.append(trend_sentence(weeks).removeprefix("Is it helping? "))
        self.query_one("#trend-sentence", Static).update(sentence)
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        # A class, not `display`: an inline style would override the stylesheet's rule that
        # hides the bars on short terminals.
        has_sessions = any(week.sessions for week in self.weeks)
        self.set_class(not has_sessions, "-no-sessions")
        if has_sessions:
            width = self.size.width or self.app.size.width
            bars = trend_bars(self.weeks, self.ascii_only, width)
            self.query_one("#trend-bars", Static).update(bars)
