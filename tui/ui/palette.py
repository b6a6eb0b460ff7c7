"""Command palette entries for the routines in the loaded file."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.core.plan import routine_length

if TYPE_CHECKING:
    from tui.ui.app import BacktoneApp


class RoutineCommands(Provider):
    """ "Start: Daily back care" for every routine, searchable by name or id."""

    def _commands(self) -> list[tuple[str, str, object]]:
        from tui.ui.screens.routine_list import RoutinesScreen

        app: BacktoneApp = self.app  # type: ignore[assignment]
        if app.book is None or not isinstance(self.screen, RoutinesScreen):
            return []
        return [
            (
                f"Start: {routine.name}",
                f"{routine.id} · {routine_length(routine).text()}",
                partial(app.start_session, routine),
            )
            for routine in app.book.routines
        ]

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = max(matcher.match(name), matcher.match(help_text))
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)  # type: ignore[arg-type]
