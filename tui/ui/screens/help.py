"""`?`: every key of the screen underneath, with what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.ui.breakpoints import settle_breakpoints

EXTRA_KEYS = [
    ("ctrl+p", "Command palette: start a routine, change the theme, bell on/off"),
    ("ctrl+z", "Suspend to the shell (a session pauses); `fg` brings it back"),
    ("ctrl+q", "Quit at once"),
]


def screen_name(screen: Screen[object]) -> str:
    """What a person calls the screen: its title (a session's is the routine's name), else
    the name the screen gives itself, never its class name."""
    return screen.title or getattr(screen, "HELP_NAME", None) or "this screen"


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    #help-speech {
        margin-top: 1;
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, beneath: Screen[object]) -> None:
        super().__init__()
        self.beneath = beneath

    def compose(self) -> ComposeResult:
        settle_breakpoints(self)
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, text in self._rows():
            table.add_row(keys, text)
        for key, text in EXTRA_KEYS:
            table.add_row(key, text)
        with VerticalScroll(id="help-box") as box:
            # The session's title is the routine's name: text, never markup.
            box.border_title = Text(f"Keys: {screen_name(self.beneath)}")
            box.border_subtitle = "Esc to close"
            yield Static(table)
            yield Static(Text(self._speech_line()), id="help-speech")

    def _speech_line(self) -> str:
        """Whether cues are spoken here, and how to get them where they are not."""
        from tui.speech import speech_status

        app = self.app
        mode = getattr(app, "speech", "off")
        command = getattr(app, "speech_command", None)
        status = speech_status(mode, command, headless=app.is_headless)
        return status[:1].upper() + status[1:] + "."

    def _rows(self) -> list[tuple[str, str]]:
        """One row per key: a key bound to several actions (Space: pause, resume, go on) has
        them on one line; keys without a description join the row of their action."""
        bindings = [b for b in self.beneath.BINDINGS if isinstance(b, Binding)]
        rows: dict[str, list[str]] = {}
        for binding in bindings:
            if not binding.description:
                continue
            also = [
                self.app.get_key_display(other)
                for other in bindings
                if other.action == binding.action and not other.description
            ]
            keys = " / ".join([self.app.get_key_display(binding), *also])
            text = binding.tooltip or binding.description
            if text not in rows.setdefault(keys, []):
                rows[keys].append(text)
        return [
            (keys, "; ".join([texts[0], *(t[:1].lower() + t[1:] for t in texts[1:])]))
            for keys, texts in rows.items()
        ]

    def action_close(self) -> None:
        self.dismiss()
