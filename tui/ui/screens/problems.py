"""Shown when the routine file cannot be used: every problem, and how to fix it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tui.core.model import RoutineError

if TYPE_CHECKING:
    from tui.ui.app import BacktoneApp


class ProblemsScreen(Screen[None]):
    TITLE = "Routine file problems"
    BINDINGS = [
        Binding("e", "edit", "Edit file", tooltip="Open the routine file in $EDITOR, then reload"),
        Binding("r", "reload", "Reload", tooltip="Read the routine file again"),
        Binding("escape", "back", "Back", tooltip="Back to the last routines that loaded"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, error: RoutineError) -> None:
        super().__init__()
        self.error = error

    @property
    def backtone(self) -> BacktoneApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="problems"):
            yield Static(id="problems-text")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.error)

    def show(self, error: RoutineError) -> None:
        self.error = error
        count = len(error.problems)
        text = Text()
        text.append(
            f"The routine file has {count} problem{'s' if count != 1 else ''}:\n\n", style="bold"
        )
        for problem in error.problems:
            text.append("• ", style="bold red")
            text.append(f"{problem}\n")
        text.append("\nFix the file (press e to edit it), then press r to reload.\n")
        text.append(f"From a shell: backtone check {error.source}\n", style="dim")
        if self.backtone.book is not None:
            text.append("Esc goes back to the routines that last loaded.\n", style="dim")
        self.query_one("#problems-text", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.backtone.book is not None
        return True

    def action_edit(self) -> None:
        self.backtone.edit_routines()
        self._leave_if_fixed()

    def action_reload(self) -> None:
        if self.backtone.reload_routines():
            self.notify("The routine file loads now.")
        self._leave_if_fixed()

    def _leave_if_fixed(self) -> None:
        if self.backtone.problem is None and self.is_current:
            self.dismiss()

    def action_back(self) -> None:
        if self.backtone.book is not None:
            self.dismiss()

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_quit(self) -> None:
        self.app.exit()
