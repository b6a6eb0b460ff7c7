"""Offered at start-up: a session a vanished process left unfinished."""

from __future__ import annotations

from enum import StrEnum

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tui.core.plan import Plan
from tui.core.timefmt import format_duration
from tui.store.export import started_text
from tui.store.rows import SessionRow
from tui.ui.screens.base import BacktoneModal


def where_it_stopped(row: SessionRow, plan: Plan | None) -> str:
    """ "Six lifts, started 2026-11-25 07:00, stopped at Lift, Rep 3/6, after 0:07 of
    exercise": what the person was doing, not a segment number."""
    at = ""
    if plan is not None and 0 <= row.current_segment < len(plan.segments):
        segment = plan.segments[row.current_segment]
        at = f" at {segment.exercise.name}, {segment.position},"
    return (
        f"{row.routine_name}, started {started_text(row.started_at)}, stopped{at} after "
        f"{format_duration(row.active_seconds)} of exercise."
    )


class ResumeAnswer(StrEnum):
    RESUME = "resume"
    KEEP = "keep"  # as interrupted
    LATER = "later"  # ask again at the next start


class ResumeScreen(BacktoneModal[ResumeAnswer]):
    HELP_NAME = "Resume"
    BINDINGS = [
        Binding("r", "answer('resume')", "Resume", show=False, id="resume"),
        Binding("k", "answer('keep')", "Keep as interrupted", show=False, id="keep"),
        Binding("escape", "answer('later')", "Later", show=False, id="later"),
        Binding("l", "answer('later')", show=False, id="later"),  # without Esc, on a phone
        Binding("left", "app.focus_previous", show=False, id="focus_previous"),
        Binding("right", "app.focus_next", show=False, id="focus_next"),
    ]

    def __init__(self, row: SessionRow, plan: Plan | None, why_not: str = "") -> None:
        super().__init__()
        self.row = row
        self.plan = plan  # None: it cannot be resumed, for the reason `why_not` gives
        self.resumable = plan is not None
        self.why_not = (
            why_not or "The routine has changed or is gone since, so it cannot be resumed."
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            yield Static("An unfinished session", id="confirm-question")
            yield Static(where_it_stopped(self.row, self.plan), id="confirm-detail", markup=False)
            if not self.resumable:
                yield Static(self.why_not, id="resume-why", markup=False)
            with Horizontal(id="confirm-buttons"):
                keep = Button("Keep as interrupted (k)", id="keep", compact=True)
                self._first = keep
                if self.resumable:
                    self._first = Button("Resume (r)", variant="primary", id="resume", compact=True)
                    yield self._first
                yield keep
                yield Button("Later (Esc)", id="later", compact=True)

    def on_mount(self) -> None:
        # Kept as it was built, not looked up: a key can close the dialog (its children
        # gone) before this runs, as the app starts or quits.
        self._first.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id or ResumeAnswer.LATER)

    def action_answer(self, answer: str) -> None:
        if answer == ResumeAnswer.RESUME and not self.resumable:
            return
        self.dismiss(ResumeAnswer(answer))
