"""A progress bar that costs few bytes and can be read from across the room.

Textual's ProgressBar wakes once a second to update its ETA and redraws its bar each time,
even when nothing moved; and its thin line of `━` costs three bytes a cell. This one draws
only when its value moves by half a cell, as a solid block of coloured spaces: thicker to
the eye, a third of the bytes, and plain ASCII in reverse video when colour is off.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from textual.events import Mount
from textual.renderables.bar import Bar as ThinBar
from textual.widgets import ProgressBar

HALF_BLOCK = "▌"


class BlockBar(ThinBar):
    """The renderable: `filled` cells of reverse-video spaces, a half block, the track."""

    half_cells = True  # False where the terminal can't show HALF_BLOCK

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = self.width or options.max_width
        fill = console.get_style(self.highlight_style)
        track = console.get_style(self.background_style)
        end = min(max(self.highlight_range[1], 0.0), float(width))
        whole = int(end)
        half = self.half_cells and end - whole >= 0.5 and whole < width
        if whole:
            yield Segment(" " * whole, Style(color=fill.color, reverse=True))
        if half:
            yield Segment(HALF_BLOCK, Style(color=fill.color, bgcolor=track.color))
        rest = width - whole - (1 if half else 0)
        if rest > 0:
            yield Segment(" " * rest, Style(bgcolor=track.color))


class AsciiBlockBar(BlockBar):
    half_cells = False


class QuietProgressBar(ProgressBar):
    """A ProgressBar without the once-a-second ETA wake-up: it redraws only on `update`."""

    BAR_RENDERABLE = BlockBar
    DEFAULT_CSS = """
    QuietProgressBar Bar > .bar--bar, QuietProgressBar Bar > .bar--complete {
        background: $panel;
    }
    """

    def __init__(
        self, *, total: float | None = None, ascii_only: bool = False, id: str | None = None
    ) -> None:
        super().__init__(total=total, show_eta=False, show_percentage=False, id=id)
        if ascii_only:
            self.BAR_RENDERABLE = AsciiBlockBar

    def _on_mount(self, event: Mount) -> None:
        # ProgressBar.on_mount starts `set_interval(1, self.update)`; ours must never run it.
        event.prevent_default()
        self.update()
