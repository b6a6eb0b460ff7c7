"""Command palette entries for the routines in the loaded file."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from tui.core.model import Routine
from tui.core.plan import routine_length
from tui.ui.messages import StartRoutine


class RoutineCommands(Provider):
    """ "Start: Daily back care" for every routine on the Routines screen, by name or id."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        from tui.ui.screens.routine_list import RoutinesScreen

        screen = self.screen
        if not isinstance(screen, RoutinesScreen) or screen.book is None:
            return []
        return [
            (
                f"Start: {routine.name}",
                f"{routine.id} · {routine_length(routine).text()}",
                partial(self._start, routine),
            )
            for routine in screen.book.routines
        ]

    def _start(self, routine: Routine) -> None:
        self.app.post_message(StartRoutine(routine))

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            # Text, not str: a routine's name is shown as written, never read as markup.
            yield DiscoveryHit(Text(name), callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = max(matcher.match(name), matcher.match(help_text))
            if score > 0:
                yield Hit(score, highlight(matcher, name), callback, help=help_text)


def highlight(matcher: Matcher, name: str) -> Content:
    """The matched letters highlighted, the name kept as text: Matcher.highlight would read
    a name such as "Cat [/]" as markup."""
    content = Content(name)
    score, offsets = matcher.fuzzy_search.match(matcher.query, name)
    if score:
        for offset in offsets:
            if not name[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
