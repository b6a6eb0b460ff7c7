"""The History screen's trend: pain before and after each session over the last 12 weeks, the
sessions of each week, and the calendar of days practised beside it (tui/core/trend_chart.py
lays them out; this widget gives each kind of cell its style).

It is laid out once per change of data, size, mode or theme and cached: the History screen
never redraws it by itself. The styles are component classes (below), so a theme colours it;
under NO_COLOR or in ASCII mode the glyphs alone tell before from after and a day practised
from a day missed.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from tui.core.trend_cells import Ink, Row, plain
from tui.core.trend_chart import trend_rows
from tui.store.chart_rows import ChartHistory

INKS = [ink for ink in Ink if ink is not Ink.BLANK]


def component(ink: Ink) -> str:
    return f"trend-chart--{ink.value}"


class TrendChart(Widget):
    """Shows a ChartHistory (`show`) as large as its box allows."""

    COMPONENT_CLASSES = {component(ink) for ink in INKS}

    DEFAULT_CSS = """
    TrendChart {
        width: 1fr;
        height: 10;
    }
    TrendChart > .trend-chart--title { text-style: bold; }
    TrendChart > .trend-chart--label { color: $text-muted; }
    TrendChart > .trend-chart--axis { color: $text-muted; }
    TrendChart > .trend-chart--grid { color: $text-disabled; }
    TrendChart > .trend-chart--before { color: $text-accent; text-style: bold; }
    TrendChart > .trend-chart--after { color: $text; }
    TrendChart > .trend-chart--rise { color: $text-error; text-style: bold; }
    TrendChart > .trend-chart--median { color: $text-primary; }
    TrendChart > .trend-chart--count { color: $text; text-style: bold; }
    TrendChart > .trend-chart--zero { color: $text-warning; text-style: bold; }
    TrendChart > .trend-chart--note { color: $text-muted; text-style: italic; }
    TrendChart > .trend-chart--day-none { color: $text-disabled; }
    TrendChart > .trend-chart--day-one { color: $text-success; }
    TrendChart > .trend-chart--day-many { color: $text-success; text-style: bold; }
    TrendChart > .trend-chart--today { color: $text; text-style: bold; }
    """

    def __init__(
        self, ascii_only: bool = False, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.ascii_only = ascii_only
        self.history: ChartHistory | None = None
        self.layouts = 0  # how many times the rows were laid out: once per change
        self._key: tuple[object, ...] | None = None
        self._text = Text()

    def show(self, history: ChartHistory) -> None:
        """Show these sessions; nothing is redrawn when they are what is shown."""
        if history != self.history:
            self.history = history
            self.refresh()

    def rows(self) -> list[Row]:
        """The rows at the present size (none before any data, or where nothing fits)."""
        if self.history is None:
            return []
        width, height = self.size
        history = self.history
        return trend_rows(history.sessions, history.period, width, height, self.ascii_only)

    def plain_rows(self) -> list[str]:
        return [plain(row).rstrip() for row in self.rows()]

    def render(self) -> Text:
        key = (id(self.history), self.size, self.ascii_only, self.app.theme)
        if key != self._key:
            self._key = key
            self._text = self._draw()
        return self._text

    def notify_style_update(self) -> None:
        # The theme or the screen's classes changed the component styles: draw again.
        super().notify_style_update()
        self._key = None

    def _draw(self) -> Text:
        self.layouts += 1
        styles: dict[Ink, Style] = {
            ink: self.get_component_rich_style(component(ink), partial=True) for ink in INKS
        }
        text = Text(no_wrap=True, overflow="crop", end="")
        for n, row in enumerate(self.rows()):
            if n:
                text.append("\n")
            for run, ink in row:
                text.append(run, styles.get(ink))
        return text
