"""`?`: every key of the screen underneath, with what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.ui.screens.base import BacktoneModal


def screen_name(screen: Screen[object]) -> str:
    """What a person calls the screen: its title (a session's is the routine's name), else
    the name the screen gives itself, never its class name."""
    return screen.title or getattr(screen, "HELP_NAME", None) or "this screen"


class HelpScreen(BacktoneModal[None]):
    HELP_NAME = "Help"
    BINDINGS = [
        Binding("escape", "close", "Close", id="close"),
        Binding("question_mark", "close", "Close", show=False, id="help"),
        Binding("q", "close", "Close", show=False, id="close"),
    ]

    def __init__(self, beneath: Screen[object]) -> None:
        super().__init__()
        self.beneath = beneath

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, text in self._rows():
            table.add_row(keys, text)
        with VerticalScroll(id="help-box", classes="dialog") as box:
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
        """One row per action, from the keys live on the screen beneath (the keymap of
        [keys] applied): a key with several meanings (Space: pause, resume, go on) has them on
        one line, and every key of an action (→ / n) is on its row. The screen's own keys
        first, then the app's that work on it, in the order they are declared."""
        beneath = self.beneath
        keys: dict[str, list[str]] = {}
        texts: dict[str, list[str]] = {}
        for node, bindings in beneath._modal_binding_chain:  # what active_bindings reads
            if node is not beneath and node is not self.app:
                continue  # a focused widget's own keys (the table's arrows) are not listed
            for _key, binding in bindings:
                if binding.id is None:
                    continue  # Textual's own (Tab, Ctrl+C, the Ctrl+Q beneath ours)
                shown = self.app.get_key_display(binding)
                if shown not in keys.setdefault(binding.id, []):
                    keys[binding.id].append(shown)
                text = binding.tooltip or binding.description
                said = texts.setdefault(binding.id, [])
                # The app's Ctrl+Q says less than the screen's q about the same action.
                if text and text not in said and (node is beneath or not said):
                    said.append(text)
        declared = [b.id for b in Binding.make_bindings([*beneath.BINDINGS, *self.app.BINDINGS])]
        return [
            (
                " / ".join(keys[group]),
                "; ".join([said[0], *(t[:1].lower() + t[1:] for t in said[1:])]),
            )
            for group, said in sorted(texts.items(), key=lambda item: declared.index(item[0]))
            if said
        ]

    def action_close(self) -> None:
        self.dismiss()
