"""Offered at start-up: a session a vanished process left unfinished."""

from __future__ import annotations

from enum import StrEnum

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.core.timefmt import format_duration
from tui.store.rows import SessionRow


class ResumeAnswer(StrEnum):
    RESUME = "resume"
    KEEP = "keep"  # as interrupted
    LATER = "later"  # ask again at the next start


class ResumeScreen(ModalScreen[ResumeAnswer]):
    BINDINGS = [
        Binding("r", "answer('resume')", "Resume", show=False),
        Binding("k", "answer('keep')", "Keep as interrupted", show=False),
        Binding("escape", "answer('later')", "Later", show=False),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, row: SessionRow, *, resumable: bool) -> None:
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
                markup=False,
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
        self.action_answer(event.button.id or ResumeAnswer.LATER)

    def action_answer(self, answer: str) -> None:
        if answer == ResumeAnswer.RESUME and not self.resumable:
            return
        self.dismiss(ResumeAnswer(answer))
