"""Your sessions: the streak, this week, minutes per day, whether it is helping (pain before
sessions by week), and every session, newest first."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Sparkline, Static

from tui.store.export import HISTORY_COLUMNS, history_cells, started_text
from tui.store.rows import HistoryUnavailable, SessionRow
from tui.store.sessions import HistoryStore
from tui.ui.breakpoints import settle_breakpoints
from tui.ui.screens.session_detail import SessionDetailScreen
from tui.ui.widgets.screen_header import ScreenHeader
from tui.ui.widgets.trend_panel import TrendPanel

PAGE = 100
# The CLI's columns, with the routine's name moved last: it is the one column of no fixed
# width, so that at 50 columns everything else ("Ended" included) stays on screen and only
# long names are cut.
SCREEN_ORDER = ("Started", "Time", "Done", "Ended", "Pain", "Routine")
CELL_INDEX = [[column.title for column in HISTORY_COLUMNS].index(t) for t in SCREEN_ORDER]


def ended_text(status: str) -> Text:
    styles = {
        "in full": "green",
        "with skips": "yellow",
        "stopped": "yellow",
        "interrupted": "red",
        "playing": "cyan",
    }
    return Text(status, style=styles.get(status, ""))


def screen_cells(row: SessionRow, ascii_only: bool = False) -> list[Text]:
    """A session's row in SCREEN_ORDER. Text, never str: a DataTable reads a str cell as
    markup, and routine names come from a hand-edited file."""
    cells = history_cells(row, ascii_only)
    shown = [Text(cells[index]) for index in CELL_INDEX]
    ended = SCREEN_ORDER.index("Ended")
    shown[ended] = ended_text(cells[CELL_INDEX[ended]])
    return shown


class HistoryScreen(Screen[None]):
    TITLE = "History"
    BINDINGS = [
        # Priority: the DataTable's own Enter would otherwise hide "⏎ Details" in the Footer.
        Binding("enter", "details", "Details", priority=True),
        Binding("d", "delete", "Delete"),
        Binding("escape", "back", "Back"),
        Binding("q", "back", show=False),
    ]

    def __init__(self, store: HistoryStore, ascii_only: bool = False) -> None:
        super().__init__()
        self.store = store
        self.ascii_only = ascii_only
        self.rows: list[SessionRow] = []
        self.total = 0

    def compose(self) -> ComposeResult:
        settle_breakpoints(self)
        yield ScreenHeader()
        with Vertical(id="history-top"):
            yield Static(id="stats")
            with Horizontal(id="chart-row"):
                yield Label("Minutes, last 4 weeks ", id="chart-label")
                yield Sparkline([], id="chart")
            yield TrendPanel(self.ascii_only, id="trend")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Label("No sessions yet: start a routine and it will appear here.", id="empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        for title in SCREEN_ORDER:
            table.add_column(title, key=title.lower())
        self.reload()
        table.focus()

    def reload(self) -> None:
        try:
            stats = self.store.stats()
            weeks = self.store.pain_trend()
            self.total = self.store.count()
            unreadable = self.store.unreadable()
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
        if unreadable:
            # Hand-edited or damaged rows are left out, never lost without a word.
            count = "1 session" if unreadable == 1 else f"{unreadable} sessions"
            text.append(f"  ·  {count} could not be read", style="bold yellow")
        self.query_one("#stats", Static).update(text)
        self.query_one("#chart", Sparkline).data = [minutes for _, minutes in stats.minutes_by_day]
        self.query_one("#trend", TrendPanel).show(weeks)
        self.set_class(self.total == 0, "-empty")

    def _load_page(self) -> None:
        """Add the next page of rows: years of history never load all at once."""
        page = self.store.sessions(limit=PAGE, offset=len(self.rows))
        table = self.query_one("#sessions", DataTable)
        for row in page:
            table.add_row(*screen_cells(row, self.ascii_only), key=str(row.id))
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
            self.app.push_screen(SessionDetailScreen(self.store, row, self.ascii_only))

    def action_delete(self) -> None:
        from tui.ui.screens.confirm import ConfirmScreen

        row = self.current
        if row is None:
            return
        started = started_text(row.started_at)
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
