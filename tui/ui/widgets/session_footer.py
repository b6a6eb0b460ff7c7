"""The session's Footer, which keeps what matters on the mat when the terminal is narrow.

Textual's Footer shows every key and cuts the last ones off; on a phone's SSH client those
were Stop and Help. Below NARROW columns this one shows only Pause (or Resume, Go on), Next,
Stop and Help; below WIDE it leaves out the palette's key. Every key still works, and `?`
lists them all.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Footer's own key widget, to filter by action

NARROW = 70
WIDE = 100
ESSENTIAL = frozenset({"pause", "resume", "go_on", "next_segment", "stop", "help"})


class SessionFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._narrow: bool | None = None

    def compose(self) -> ComposeResult:
        narrow = self._is_narrow()
        for widget in super().compose():
            if narrow and isinstance(widget, FooterKey) and widget.action not in ESSENTIAL:
                continue
            yield widget

    def _is_narrow(self) -> bool:
        return self.app.size.width < NARROW

    def on_resize(self, event: Resize) -> None:
        self.show_command_palette = self.app.size.width >= WIDE
        narrow = self._is_narrow()
        if narrow != self._narrow:
            self._narrow = narrow
            self.refresh(recompose=True)
