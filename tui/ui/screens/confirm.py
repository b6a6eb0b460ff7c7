"""A yes/no question over the current screen; the answer comes back through dismiss()."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tui.ui.screens.base import BacktoneModal


class ConfirmScreen(BacktoneModal[bool]):
    HELP_NAME = "Question"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", show=False, id="yes"),
        Binding("n", "answer(False)", "No", show=False, id="no"),
        Binding("escape", "answer(False)", "No", show=False, id="no"),
        Binding("left", "app.focus_previous", show=False, id="focus_previous"),
        Binding("right", "app.focus_next", show=False, id="focus_next"),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            yield Static(self.question, id="confirm-question", markup=False)
            if self.detail:
                yield Static(self.detail, id="confirm-detail", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="yes", compact=True)
                yield Button(f"{self.no} (n)", variant="primary", id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
