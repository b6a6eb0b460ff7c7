"""The end of a session: how it went, and where to go next."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tui.core.engine import Session
from tui.core.summary import summarize
from tui.core.timefmt import format_duration
from tui.ui import messages


class SummaryScreen(Screen[None]):
    TITLE = "Session summary"
    BINDINGS = [
        Binding("enter", "back", "Routines", priority=True),
        Binding("escape", "back", show=False),
        Binding("h", "history", "History"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary"):
            yield Static(self._render_summary(), id="summary-text")
        yield Footer()

    def _render_summary(self) -> Table:
        summary = summarize(self.session)
        heading = Text()
        if not summary.completed:
            heading.append("Session stopped early.", style="bold yellow")
        elif summary.segments_done == 0:
            heading.append("Skipped to the end: nothing was done this time.", style="bold yellow")
        elif summary.segments_skipped:
            heading.append("Well done: routine complete, with some parts skipped.", style="bold")
        else:
            heading.append("Well done: routine complete.", style="bold green")
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_row("", heading)
        table.add_row("Routine", summary.routine_name)
        table.add_row("Time spent", format_duration(summary.active_seconds))
        table.add_row("Time paused", format_duration(summary.paused_seconds))
        table.add_row(
            "Segments",
            f"{summary.segments_done} of {summary.segments_total} done"
            + (f", {summary.segments_skipped} skipped" if summary.segments_skipped else ""),
        )
        if summary.skipped_exercises:
            skipped = ", ".join(
                f"{name} ({count} phase{'s' if count != 1 else ''})"
                for name, count in summary.skipped_exercises
            )
            table.add_row("Skipped", skipped)
        elif summary.completed:
            table.add_row("Skipped", "nothing")
        return table

    def action_back(self) -> None:
        self.post_message(messages.SummaryClosed())

    def action_history(self) -> None:
        self.post_message(messages.ShowHistory())
