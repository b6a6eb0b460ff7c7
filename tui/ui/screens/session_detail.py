"""One past session: how it ended, and every segment with its outcome and time."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from tui.core.timefmt import format_duration
from tui.store.rows import HistoryUnavailable, SessionRow
from tui.store.sessions import HistoryStore


class SessionDetailScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", "Close"), Binding("q", "close", show=False)]

    def __init__(self, store: HistoryStore, row: SessionRow) -> None:
        super().__init__()
        self.store = store
        self.row = row

    def compose(self) -> ComposeResult:
        row = self.row
        with Vertical(id="detail-box") as box:
            box.border_title = Text(f"{row.routine_name} · {row.started_at.replace('T', ' ')[:16]}")
            box.border_subtitle = "Esc to close"
            yield Label(
                f"{row.status.capitalize()} · {format_duration(row.active_seconds)} of exercise, "
                f"{format_duration(row.paused_seconds)} paused · "
                f"{row.segments_done} of {row.segments_total} segments done",
                markup=False,
            )
            yield DataTable(id="segments", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#segments", DataTable)
        # Outcome and time before the position: they are what is looked for, and the
        # position is the column that goes off the edge of a narrow terminal.
        table.add_columns("#", "Exercise", "Segment", "Outcome", "Time", "Where")
        try:
            segments = self.store.segments(self.row.id)
        except HistoryUnavailable as error:
            self.notify(f"Could not read this session: {error}", severity="error", markup=False)
            segments = []
        for segment in segments:
            table.add_row(
                str(segment.segment_index + 1),
                Text(segment.exercise),
                Text(segment.label),
                Text(segment.outcome, style="green" if segment.outcome == "done" else "yellow"),
                format_duration(segment.active_seconds),
                Text(segment.position),
            )
        if not segments:
            table.add_row("", "No segment was finished in this session.", "", "", "", "")
        table.focus()

    def action_close(self) -> None:
        self.dismiss()
