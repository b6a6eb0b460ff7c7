"""The header every screen shows: Textual's Header, with its title kept safe through a screen
change.

Textual's Header updates its title from an async watcher that runs a moment after the title
changes and then looks up its title widget. When a screen is replaced or the app closes in that
moment (a burst of keys at a screen change: a check-in answered and the session stopped at once),
the title widget is already gone and the lookup raised NoMatches, ending the app. This one
watches the same values with a plain callback that updates the title widget only while it is
there.
"""

from __future__ import annotations

from textual.events import Mount
from textual.widgets import Header
from textual.widgets._header import HeaderTitle  # Header's own title widget


class ScreenHeader(Header):
    def _on_mount(self, event: Mount) -> None:
        # Header's own handler would add the async watchers that look the title up late.
        event.prevent_default()
        for obj in (self.app, self.screen):
            self.watch(obj, "title", self._show_title)
            self.watch(obj, "sub_title", self._show_title)

    def _show_title(self) -> None:
        for title in self.query(HeaderTitle):
            title.update(self.format_title())
