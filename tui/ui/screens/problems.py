"""Shown when the routine file cannot be used: every problem, and how to fix it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.core.model import RoutineError
from tui.ui import messages
from tui.ui.screens.base import BacktoneScreen
from tui.ui.widgets.keys_footer import KeysFooter
from tui.ui.widgets.screen_header import ScreenHeader


class ProblemsScreen(BacktoneScreen[None]):
    HELP_NAME = "Routine file problems"
    TITLE = "Routine file problems"
    BINDINGS = [
        Binding(
            "e",
            "edit",
            "Edit file",
            tooltip="Open the routine file in $EDITOR, then reload",
            id="edit",
        ),
        Binding("r", "reload", "Reload", tooltip="Read the routine file again", id="reload"),
        Binding(
            "escape", "back", "Back", tooltip="Back to the last routines that loaded", id="back"
        ),
        Binding("b", "back", show=False, id="back"),  # a phone's keyboard may have no Esc
        Binding(
            "q",
            "app.quit",
            "Quit",
            tooltip="Quit (exit code 1: the file has problems)",
            id="quit",
        ),
    ]

    def __init__(self, error: RoutineError, *, can_go_back: bool) -> None:
        super().__init__()
        self.error = error
        self.can_go_back = can_go_back

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        with VerticalScroll(id="problems"):
            yield Static(id="problems-text")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.show(self.error, can_go_back=self.can_go_back)

    def show(self, error: RoutineError, *, can_go_back: bool) -> None:
        self.error = error
        self.can_go_back = can_go_back
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
        if can_go_back:
            text.append("Esc goes back to the routines that last loaded.\n", style="dim")
        self.query_one("#problems-text", Static).update(text)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.can_go_back
        return True

    def action_edit(self) -> None:
        self.post_message(messages.EditRoutines())

    def action_reload(self) -> None:
        self.post_message(messages.ReloadRoutines())

    def action_back(self) -> None:
        if self.can_go_back:
            self.dismiss()
