"""A phase's figure: a small ASCII side view of the position, shown as it was drawn.

The drawing is text from the routine file, so it is never read as markup, and it is never
wrapped: a wrapped line would break the picture. Where it does not fit, it is cut off."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class FigureView(Static):
    DEFAULT_CSS = """
    FigureView {
        width: auto;
        height: auto;
        color: $accent;
    }
    """

    def __init__(self, figure: str = "", *, id: str | None = None, classes: str = "") -> None:
        super().__init__(_as_text(figure), id=id, classes=classes)
        self.figure = figure

    def show(self, figure: str) -> None:
        if figure != self.figure:
            self.figure = figure
            self.update(_as_text(figure))


def _as_text(figure: str) -> Text:
    return Text(figure, no_wrap=True, overflow="crop", end="")
