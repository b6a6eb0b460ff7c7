"""One past session: how it ended, the pain check-ins, the programme version it played, the
person's note, and every part with its outcome and time. The note is the person's own text and
the version the routine file's: both are shown as text, never as markup."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from tui.core.timefmt import format_duration
from tui.store.export import outcome_text, pain_text, started_text
from tui.store.rows import HistoryUnavailable, SessionRow
from tui.store.sessions import HistoryStore
from tui.ui.screens.base import BacktoneModal

# Outcome and time first after the number: they are what is looked for, and at 40 or 50
# columns the columns after them go off the right edge (the table scrolls sideways to them).
COLUMNS = ("#", "Outcome", "Time", "Exercise", "Phase", "Where")


def session_facts(row: SessionRow, ascii_only: bool = False) -> str:
    facts = [
        outcome_text(row).capitalize(),
        f"{format_duration(row.active_seconds)} of exercise",
        f"{format_duration(row.paused_seconds)} paused",
        f"{row.segments_done} of {row.segments_total} parts done",
    ]
    pain = pain_text(row.pain_before, row.pain_after, ascii_only)
    if pain:
        facts.append(f"back pain {pain}")
    if row.program_version:
        facts.append(f"programme version {visible(row.program_version)}")
    return " · ".join(facts) if not ascii_only else " - ".join(facts)


def visible(text: str) -> str:
    """Text from the database as a person can read it, and as a terminal cannot act on it:
    a character that is not printed (an escape, a direction override) is shown as its code,
    `\\x1b`. The app never stores one; a hand-edited or imported history may."""
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


def note_text(row: SessionRow) -> Text | None:
    """The person's note, as text: a note holding `[bold]` shows the brackets."""
    if not row.note:
        return None
    shown = Text("Your note: ", style="bold")
    shown.append(visible(row.note))
    return shown


class SessionDetailScreen(BacktoneModal[None]):
    HELP_NAME = "Session detail"
    BINDINGS = [
        Binding("escape", "close", "Close", id="close"),
        Binding("q", "close", show=False, id="close"),
    ]

    def __init__(
        self, store: HistoryStore, row: SessionRow, ascii_only: bool | None = None
    ) -> None:
        super().__init__(ascii_only=ascii_only)
        self.store = store
        self.row = row

    def compose(self) -> ComposeResult:
        row = self.row
        with Vertical(id="detail-box", classes="dialog") as box:
            dot = " - " if self.ascii_only else " · "
            box.border_title = Text(f"{row.routine_name}{dot}{started_text(row.started_at)}")
            box.border_subtitle = "Esc to close"
            yield Label(session_facts(row, self.ascii_only), id="detail-facts", markup=False)
            note = note_text(row)
            if note is not None:
                yield Label(note, id="detail-note", markup=False)
            yield DataTable(id="segments", cursor_type="row", zebra_stripes=True)
            yield Label("No part of this session was finished.", id="detail-empty")

    def on_mount(self) -> None:
        table = self.query_one("#segments", DataTable)
        table.add_columns(*COLUMNS)
        try:
            segments = self.store.segments(self.row.id)
        except HistoryUnavailable as error:
            self.notify(f"Could not read this session: {error}", severity="error", markup=False)
            segments = []
        for segment in segments:
            table.add_row(
                Text(str(segment.segment_index + 1)),
                Text(segment.outcome, style="green" if segment.outcome == "done" else "yellow"),
                Text(format_duration(segment.active_seconds)),
                Text(segment.exercise),
                Text(segment.label),
                Text(segment.position),
            )
        # The message on its own line: in a cell it would widen its column off the screen.
        table.display = bool(segments)
        self.query_one("#detail-empty").display = not segments
        table.focus()

    def action_close(self) -> None:
        self.dismiss()
