"""Your sessions: the streak and this week; whether it is helping (pain before and after each
session over 12 weeks, the sessions of each week, the days practised); every session, newest
first. `r` writes the report for the physiotherapist; `d` deletes a session into the bin and
`u` brings it back while the screen is open."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Static

from tui.core.model import RoutineBook
from tui.store.chart_rows import chart_sessions
from tui.store.export import HISTORY_COLUMNS, history_cells, printable, started_text
from tui.store.rows import HistoryUnavailable, SessionRow
from tui.store.sessions import HistoryStore
from tui.ui.screens.base import BacktoneScreen
from tui.ui.screens.session_detail import SessionDetailScreen
from tui.ui.widgets.keys_footer import KeysFooter
from tui.ui.widgets.screen_header import ScreenHeader
from tui.ui.widgets.trend_chart import TrendChart
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


class HistoryScreen(BacktoneScreen[None]):
    HELP_NAME = "History"
    TITLE = "History"
    BINDINGS = [
        # Priority: the DataTable's own Enter would otherwise hide "⏎ Details" in the Footer.
        Binding("enter", "details", "Details", priority=True, id="details"),
        Binding("d", "delete", "Delete", id="delete"),
        Binding("u", "undo", "Undo", tooltip="Bring back the session deleted last", id="undo"),
        Binding("escape", "back", "Back", id="back"),
        Binding(
            "r",
            "report",
            "Report",
            tooltip="Write the report for your physiotherapist",
            id="report",
        ),
        Binding("q", "back", show=False, id="back"),
    ]

    def __init__(self, store: HistoryStore, ascii_only: bool | None = None) -> None:
        super().__init__(ascii_only=ascii_only)
        self.store = store
        self.rows: list[SessionRow] = []
        self.total = 0
        self.deleted: list[int] = []  # deleted while the screen is open, the last one last

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        with Vertical(id="history-top"):
            yield Static(id="stats")
            yield TrendChart(self.ascii_only, id="trend-chart")
            yield TrendPanel(id="trend-sentence")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Label("No sessions yet: start a routine and it will appear here.", id="empty")
        yield KeysFooter()

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
            chart = chart_sessions(
                self.store.connection, self.store.now().date(), path=self.store.path
            )
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
        self.query_one(TrendChart).show(chart)
        self.query_one(TrendPanel).show(weeks)
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
        if action == "undo":
            return bool(self.deleted)  # in the Footer only while there is one to bring back
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
                f"{row.routine_name}, {started}. You can undo it with u while this screen is"
                " open; deleted sessions are kept 30 days.",
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
        self.deleted.append(row.id)
        self.refresh_bindings()
        self.reload()
        if self.rows:
            table.move_cursor(row=min(cursor, len(self.rows) - 1))
        self.notify("Session deleted: u brings it back.")

    def action_undo(self) -> None:
        """Bring back the session deleted last, the cursor on it."""
        if not self.deleted:
            return
        session_id = self.deleted[-1]
        try:
            restored = self.store.restore(session_id)
        except HistoryUnavailable as error:
            self.notify(f"Could not bring it back: {error}", severity="error", markup=False)
            return
        self.deleted.pop()
        self.refresh_bindings()
        if not restored:
            self.notify(
                "That session is no longer in the bin: it cannot be brought back.",
                severity="warning",
            )
            return
        self.reload()
        self._move_to(session_id)
        self.notify("Session brought back.")

    def _move_to(self, session_id: int) -> None:
        """Put the cursor on a session, loading pages until its row is there."""
        while True:
            index = next((n for n, row in enumerate(self.rows) if row.id == session_id), None)
            if index is not None:
                self.query_one("#sessions", DataTable).move_cursor(row=index)
                return
            if len(self.rows) >= self.total:
                return
            loaded = len(self.rows)
            try:
                self._load_page()
            except HistoryUnavailable:
                return
            if len(self.rows) == loaded:
                return

    # -- the report --------------------------------------------------------------------------

    def action_report(self) -> None:
        self._write_report()

    # Not exclusive: a second `r` must not cancel the first after its file is written, leaving
    # it unannounced (each gets a name of its own: -2.html, ...).
    @work(group="report")
    async def _write_report(self) -> None:
        """The report of the last 12 weeks, built off the UI thread on a read-only connection
        of its own: into the current directory, as `backtone report` writes it, or to the
        browser when the app is served."""
        # Imported here: the report's page and charts are not needed to show the screen.
        from tui.report import report_file_name
        from tui.report.command import report_html, write_report_file

        now = self.store.now()
        today = now.date()
        book = getattr(self.app, "book", None)
        if not isinstance(book, RoutineBook):
            book = None
        try:
            html = await asyncio.to_thread(report_html, self.store.path, book, now=now)
        except HistoryUnavailable as error:
            self.notify(f"Could not write the report: {error}", severity="error", markup=False)
            return
        left_out = "" if book is not None else " (the routine file cannot be read: no programme)"
        name = report_file_name(today)
        if self.app.is_web:
            self.app.deliver_text(io.StringIO(html), save_filename=name, mime_type="text/html")
            self.notify(f"Report sent to your browser{left_out}", markup=False)
            return
        try:
            written = await asyncio.to_thread(write_report_file, html, None, today)
        except OSError as error:
            try:
                folder = printable(str(Path.cwd()))
            except OSError:
                folder = "the current folder"
            self.notify(
                f"Could not write the report {name} into {folder}: {error.strerror or error}."
                " Start backtone in a folder you can write to, or run `backtone report -o FILE`.",
                severity="error",
                timeout=12,
                markup=False,
            )
            return
        self.notify(f"Report written to {printable(str(written))}{left_out}", markup=False)

    def action_back(self) -> None:
        self.dismiss()
