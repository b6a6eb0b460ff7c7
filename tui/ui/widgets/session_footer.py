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

from tui.ui.breakpoints import BROAD_COLUMNS, WIDE_COLUMNS
from tui.ui.widgets.keys_footer import KeysFooter

NARROW = WIDE_COLUMNS
WIDE = BROAD_COLUMNS
ESSENTIAL = frozenset({"pause", "resume", "go_on", "next_segment", "stop", "help"})


class SessionFooter(KeysFooter):
    def __init__(self) -> None:
        super().__init__()
        self._shape: tuple[bool, bool] | None = None  # (narrow, palette key shown)
        # Textual's Footer shows no keys until its screen first publishes its bindings, after
        # the first frame; the session's keys are known as it is built, so they are in it.
        self.set_reactive(Footer._bindings_ready, True)

    def compose(self) -> ComposeResult:
        # Settled here, so the first Resize does not compose the keys a second time.
        self._shape = narrow, palette = self._shape_now()
        self.set_reactive(Footer.show_command_palette, palette)
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                if narrow and widget.action not in ESSENTIAL:
                    continue
                if not widget.has_class("-command-palette"):
                    # A key starts compact, then is bound to the Footer's (not compact): it
                    # was restyled twice on the way to the first frame. The palette's key is
                    # not bound, and stays compact.
                    widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def _shape_now(self) -> tuple[bool, bool]:
        width = self.app.size.width
        return width < NARROW, width >= WIDE

    def on_resize(self, event: Resize) -> None:
        # The keys are composed again when a resize crosses either width, so a terminal
        # widened past WIDE gets the palette's key (it did only if it started that wide).
        if self._shape_now() != self._shape:
            self.refresh(recompose=True)
