"""Your sessions: the streak, this week, minutes per day, and every session, newest first."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Sparkline, Static

from tui.core.timefmt import format_duration
from tui.store.rows import HistoryUnavailable, SessionRow
from tui.store.sessions import HistoryStore
from tui.ui.screens.session_detail import SessionDetailScreen

PAGE = 100


def ended_text(status: str) -> Text:
    styles = {"completed": "green", "stopped": "yellow", "interrupted": "red", "active": "cyan"}
    return Text(status, style=styles.get(status, ""))


class HistoryScreen(Screen[None]):
    TITLE = "History"
    BINDINGS = [
        Binding("enter", "details", "Details"),
        Binding("d", "delete", "Delete"),
        Binding("escape", "back", "Back"),
        Binding("q", "back", show=False),
    ]

    def __init__(self, store: HistoryStore) -> None:
        super().__init__()
        self.store = store
        self.rows: list[SessionRow] = []
        self.total = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="history-top"):
            yield Static(id="stats")
            with Horizontal(id="chart-row"):
                yield Label("Minutes, last 4 weeks ", id="chart-label")
                yield Sparkline([], id="chart")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Label("No sessions yet: start a routine and it will appear here.", id="empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_column("Started", key="started")
        table.add_column("Routine", key="routine")
        table.add_column("Time", key="time")
        table.add_column("Done", key="done")
        table.add_column("Ended", key="ended")
        self.reload()
        table.focus()

    def reload(self) -> None:
        try:
            stats = self.store.stats()
            self.total = self.store.count()
            self.rows = []
            table = self.query_one("#sessions", DataTable)
            table.clear()
            self._load_page()
        except HistoryUnavailable as error:
            self.notify(f"Could not read the history: {error}", severity="error", markup=False)
            return
        days = "day" if stats.streak_days == 1 else "days"
        text = Text()
        text.append(f"Streak {stats.streak_days} {days}", style="bold")
        text.append("  ·  ")
        text.append(f"This week {stats.week_minutes:.0f} min", style="bold")
        text.append(f" in {stats.week_sessions} session{'s' if stats.week_sessions != 1 else ''}")
        text.append(f"  ·  {self.total} in all", style="dim")
        self.query_one("#stats", Static).update(text)
        self.query_one("#chart", Sparkline).data = [minutes for _, minutes in stats.minutes_by_day]
        self.set_class(self.total == 0, "-empty")

    def _load_page(self) -> None:
        """Add the next page of rows: years of history never load all at once."""
        page = self.store.sessions(limit=PAGE, offset=len(self.rows))
        table = self.query_one("#sessions", DataTable)
        for row in page:
            table.add_row(
                row.started_at.replace("T", " ")[:16],
                Text(row.routine_name),
                format_duration(row.active_seconds),
                f"{row.completion:.0%}",
                ended_text(row.status),
                key=str(row.id),
            )
        self.rows += page

    @on(DataTable.RowHighlighted, "#sessions")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self.rows) - 10 and len(self.rows) < self.total:
            self._load_page()

    @property
    def current(self) -> SessionRow | None:
        table = self.query_one("#sessions", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("details", "delete"):
            return self.current is not None or None
        return True

    @on(DataTable.RowSelected, "#sessions")
    def _selected(self) -> None:
        self.action_details()

    def action_details(self) -> None:
        row = self.current
        if row is not None:
            self.app.push_screen(SessionDetailScreen(self.store, row))

    def action_delete(self) -> None:
        from tui.ui.screens.confirm import ConfirmScreen

        row = self.current
        if row is None:
            return
        started = row.started_at.replace("T", " ")[:16]
        self.app.push_screen(
            ConfirmScreen(
                "Delete this session?",
                f"{row.routine_name}, {started}. This cannot be undone.",
                yes="Delete",
                no="Keep",
            ),
            lambda yes: self._delete(row, bool(yes)),
        )

    def _delete(self, row: SessionRow, yes: bool) -> None:
        if not yes:
            return
        try:
            deleted = self.store.delete(row.id)
        except HistoryUnavailable as error:
            self.notify(f"Could not delete: {error}", severity="error", markup=False)
            return
        if not deleted:
            self.notify(
                "That session is being played in another backtone right now; "
                "delete it once it has ended.",
                severity="warning",
            )
            return
        table = self.query_one("#sessions", DataTable)
        cursor = table.cursor_row
        self.reload()
        if self.rows:
            table.move_cursor(row=min(cursor, len(self.rows) - 1))
        self.notify("Session deleted.")

    def action_back(self) -> None:
        self.dismiss()
