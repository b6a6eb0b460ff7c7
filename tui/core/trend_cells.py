"""What the History screen's trend is drawn with: a session as the chart and the calendar
read it, and cells (a text and its `Ink`, for the widget to style) on a canvas that nothing
drawn can overflow. Pure and stdlib-only, like the two drawings that use it:
tui/core/trend_chart.py and tui/core/trend_calendar.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from itertools import groupby
from operator import itemgetter

from tui.core.adherence import PAIN_RISE, Period

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Ink(Enum):
    """What a cell shows, for the widget to style."""

    BLANK = "blank"
    TITLE = "title"
    LABEL = "label"  # the scale's numbers, the dates, the weekdays and months
    AXIS = "axis"
    GRID = "grid"
    BEFORE = "before"
    AFTER = "after"
    RISE = "rise"  # an after mark 2 or more points above the same session's before
    MEDIAN = "median"
    VERSION = "version"  # where a new version of the programme was first played
    COUNT = "count"  # sessions in a week
    ZERO = "zero"  # a week without a session
    NOTE = "note"
    DAY_NONE = "day-none"
    DAY_ONE = "day-one"
    DAY_MANY = "day-many"  # two sessions or more on the day
    TODAY = "today"


Run = tuple[str, Ink]
Row = list[Run]


@dataclass(frozen=True)
class Glyphs:
    before: str
    after: str
    median: str  # the week's median, across the week
    # Where it moves to the next week's: up-down, left-down, up-right, left-up, down-right.
    steps: tuple[str, str, str, str, str]
    y_axis: str
    x_axis: str
    corner: str
    tick: str
    grid: str
    version: str
    missed: str
    practised: str
    today: str


# before, after, median, its steps; the axes, a tick, the grid, a new version; a day missed,
# a day practised, today.
UNICODE = Glyphs(
    "●", "×", "━", ("┃", "┓", "┗", "┛", "┏"), "│", "─", "└", "┬", "┈", "┊", "·", "■", "◂"
)
ASCII = Glyphs(
    "o", "x", "=", ("|", "+", "+", "+", "+"), "|", "-", "+", "+", " ", ":", ".", "#", "<"
)


def glyphs_for(ascii_only: bool) -> Glyphs:
    return ASCII if ascii_only else UNICODE


@dataclass(frozen=True)
class ChartSession:
    """One session as the chart reads it."""

    day: date
    pain_before: int | None
    pain_after: int | None
    minutes: float
    practised: bool = True  # it has a finished segment: counted in the weeks and the calendar
    version: str | None = None  # of the programme the routine file named (schema 3)

    @property
    def pain_rose(self) -> bool:
        before, after = self.pain_before, self.pain_after
        return before is not None and after is not None and after - before >= PAIN_RISE


def short_date(day: date) -> str:
    """ "3 Nov"."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def in_period(sessions: Iterable[ChartSession], period: Period) -> list[ChartSession]:
    return [session for session in sessions if period.holds(session.day)]


# -- a grid of cells ----------------------------------------------------------------------------


class Canvas:
    """`width` x `height` cells; writes outside are dropped, so nothing drawn can overflow."""

    def __init__(self, width: int, height: int) -> None:
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells: list[list[Run]] = [[(" ", Ink.BLANK)] * self.width for _ in range(self.height)]

    def put(self, x: int, y: int, char: str, ink: Ink) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            self.cells[y][x] = (char, ink)

    def text(self, x: int, y: int, text: str, ink: Ink) -> None:
        for offset, char in enumerate(text):
            self.put(x + offset, y, char, ink)

    def rows(self) -> list[Row]:
        """Each row as runs of one ink."""
        return [
            [("".join(char for char, _ in run), ink) for ink, run in groupby(cells, itemgetter(1))]
            for cells in self.cells
        ]


def plain(row: Sequence[Run]) -> str:
    return "".join(text for text, _ in row)


def first_fitting(texts: Iterable[str], room: int) -> str:
    return next((text for text in texts if len(text) <= room), "")


def crop(row: Row, width: int) -> Row:
    """The row's first `width` cells."""
    cropped: Row = []
    room = width
    for text, ink in row:
        if room <= 0:
            break
        cropped.append((text[:room], ink))
        room -= len(text)
    return cropped
