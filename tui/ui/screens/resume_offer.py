"""Offered at start-up: a session a vanished process left unfinished."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.core.timefmt import format_duration
from tui.store.rows import SessionRow


class ResumeScreen(ModalScreen[str | None]):
    """Dismisses with "resume", "keep" (as interrupted) or None (ask again next time)."""

    BINDINGS = [
        Binding("r", "answer('resume')", "Resume", show=False),
        Binding("k", "answer('keep')", "Keep as interrupted", show=False),
        Binding("escape", "answer(None)", "Later", show=False),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, row: SessionRow, resumable: bool) -> None:
        super().__init__()
        self.row = row
        self.resumable = resumable

    def compose(self) -> ComposeResult:
        row = self.row
        started = row.started_at.replace("T", " ")[:16]
        with Vertical(id="confirm-box"):
            yield Static("An unfinished session", id="confirm-question")
            yield Static(
                f"{row.routine_name}, started {started}, stopped at segment "
                f"{row.current_segment + 1} of {row.segments_total} after "
                f"{format_duration(row.active_seconds)} of exercise.",
                id="confirm-detail",
            )
            if not self.resumable:
                yield Static(
                    "The routine has changed or is gone since, so it cannot be resumed.",
                    id="resume-why",
                )
            with Horizontal(id="confirm-buttons"):
                if self.resumable:
                    yield Button("Resume (r)", variant="primary", id="resume", compact=True)
                yield Button("Keep as interrupted (k)", id="keep", compact=True)
                yield Button("Later (Esc)", id="later", compact=True)

    def on_mount(self) -> None:
        self.query_one("#resume" if self.resumable else "#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(None if event.button.id == "later" else event.button.id)

    def action_answer(self, answer: str | None) -> None:
        if answer == "resume" and not self.resumable:
            return
        self.dismiss(answer)
