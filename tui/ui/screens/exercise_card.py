"""`i`: an exercise's card, everything the routine file says about it on one page: the setup,
the cues, the notes and a figure of every phase, side by side where they fit.

Opened over a session it pauses it, as every screen on top does. Everything on it comes from
the routine file, so it is built from `rich.text.Text` and never read as markup."""

from __future__ import annotations

from rich.columns import Columns
from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.core.model import Exercise, Phase
from tui.core.poses import pose_rows
from tui.ui.screens.base import BacktoneModal

# A pose on the card is drawn in the box a hand-drawn figure may take (check's limit): the
# card shows every phase side by side, the session one big.
CARD_POSE_COLUMNS = 28
CARD_POSE_ROWS = 8


def card_sections(
    exercise: Exercise, caution: str = "", ascii_only: bool = False
) -> list[tuple[str, RenderableType]]:
    """(heading, body) of each part the exercise has; parts it leaves out are not shown. The
    routine's caution comes first: a safety text belongs on the card as on the session."""
    sections: list[tuple[str, RenderableType]] = []
    if caution:
        sections.append(("Caution", Text(caution, style="bold yellow")))
    if exercise.setup:
        sections.append(("Setup", Text(exercise.setup)))
    if exercise.cues:
        sections.append(("Cues", Text("\n".join(f"• {cue}" for cue in exercise.cues))))
    if exercise.notes:
        sections.append(("Notes", Text(exercise.notes)))
    figures = [phase_figure(phase.name, picture(phase, ascii_only)) for phase in exercise.phases]
    if any(phase.figure or phase.pose for phase in exercise.phases):
        # Columns wraps the figures onto more rows where the card is narrow.
        sections.append(("Phases", Columns(figures, padding=(1, 3))))
    else:
        phases = Text("\n".join(f"• {phase.name}" for phase in exercise.phases))
        sections.append(("Phases", phases))
    return sections


def picture(phase: Phase, ascii_only: bool = False) -> str:
    """The phase's figure as text: drawn by hand, or the library's pose, as the session shows
    it (the first side), standing on the last row so that the phases' mats line up."""
    if phase.pose:
        rows = [
            row.rstrip()
            for row in pose_rows(
                phase.pose, CARD_POSE_COLUMNS, CARD_POSE_ROWS, ascii_only=ascii_only
            )
        ]
        while rows and not rows[-1]:
            rows.insert(0, rows.pop())
        return "\n".join(rows)
    return phase.figure or ""


def phase_figure(name: str, figure: str) -> RenderableType:
    """One phase: its name over its drawing (the drawing never wraps: it would break)."""
    title = Text(name, style="bold")
    if not figure:
        return Group(title, Text("(no figure)", style="dim"))
    return Group(title, Text(figure, no_wrap=True, overflow="crop", end=""))


class ExerciseCardScreen(BacktoneModal[None]):
    HELP_NAME = "Exercise card"
    BINDINGS = [
        Binding("escape", "close", "Close", id="close"),
        Binding("i", "close", "Close", show=False, id="card"),
        Binding("q", "close", "Close", show=False, id="close"),
    ]

    def __init__(
        self, exercise: Exercise, caution: str = "", ascii_only: bool | None = None
    ) -> None:
        super().__init__(ascii_only=ascii_only)
        self.exercise = exercise
        self.caution = caution

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card-box", classes="dialog") as box:
            box.border_title = Text(self.exercise.name)
            box.border_subtitle = "Esc to close"
            for heading, body in card_sections(self.exercise, self.caution, self.ascii_only):
                yield Static(Text(heading), classes="card-heading")
                yield Static(body)

    def on_mount(self) -> None:
        self.query_one("#card-box").focus()

    def action_close(self) -> None:
        self.dismiss()
