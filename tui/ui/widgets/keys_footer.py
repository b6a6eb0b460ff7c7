"""Textual's Footer, composed again only when the keys it shows change.

Textual's Footer recomposes at every change of its screen's bindings, and focus moving counts
as one. A window or browser tab that regains focus moves focus back to where it was, so the
Footer's keys were replaced at the moment of the click that focused it: a click on a Footer
key then reached a key widget that was being removed, and was lost (the first tap on Start in
a browser tab opened in the background did nothing). Composed only when what it shows differs,
the keys under the pointer stay where they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen

KeysShown = tuple[tuple[object, ...], ...]


class KeysFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._shown: KeysShown | None = None  # what the last compose showed

    def compose(self) -> ComposeResult:
        self._shown = self._keys_shown() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        unchanged = (
            self._shown is not None
            and screen.app.app_focus
            and self.is_attached
            and screen is self.screen
            and self._keys_shown() == self._shown
        )
        if not unchanged:
            super().bindings_changed(screen)

    def _keys_shown(self) -> KeysShown:
        app = self.app
        # Every binding, shown or not: the palette's key is not shown, and the Footer draws
        # it only while the palette's binding is active (it is not under a dialog).
        keys = []
        for key, (_, binding, enabled, tip) in self.screen.active_bindings.items():
            shown = app.get_key_display(binding), binding.description, binding.show
            keys.append((key, binding.action, *shown, enabled, tip))
        return (*keys, ("palette", "", "", "", self.show_command_palette, ""))
