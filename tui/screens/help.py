"""`?`: every key of the screen underneath, with what it does."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

EXTRA_KEYS = [
    ("ctrl+p", "Command palette: start a routine, change the theme, bell on/off"),
    ("ctrl+z", "Suspend to the shell (a session pauses); `fg` brings it back"),
    ("ctrl+q", "Quit at once"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, beneath: Screen[object]) -> None:
        super().__init__()
        self.beneath = beneath

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        seen: set[str] = set()
        for binding in self.beneath.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            keys = self.app.get_key_display(binding)
            if binding.description in seen:
                continue
            seen.add(binding.description)
            also = [
                self.app.get_key_display(other)
                for other in self.beneath.BINDINGS
                if isinstance(other, Binding)
                and other is not binding
                and other.action == binding.action
                and not other.description
            ]
            table.add_row(" / ".join([keys, *also]), binding.tooltip or binding.description)
        for key, text in EXTRA_KEYS:
            table.add_row(key, text)
        with VerticalScroll(id="help-box") as box:
            box.border_title = f"Keys: {self.beneath.title or self.beneath.__class__.__name__}"
            box.border_subtitle = "Esc to close"
            yield Static(table)

    def action_close(self) -> None:
        self.dismiss()
