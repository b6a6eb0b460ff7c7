"""The pain check-in: "How is your back right now?" on the 0-10 numeric rating scale.

Physiotherapists use this scale to follow back pain; backtone asks it before a session and
again over the summary ("And now?"), so that the History can show whether practice helps.
Nothing is pre-selected (no answer is suggested), a stray key can be corrected before Enter,
and the screen is modal: no key meant for it reaches the screen below.

After "And now?" comes the note (NoteScreen): "Anything you noticed?", one line, skipped with
Enter or Esc. Keys typed in the same burst as the Enter of "And now?" are the note's: the app
holds them while the note is being built, and they arrive in the input in order.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.dom import NoScreen
from textual.events import Click, Key, Paste
from textual.message import Message
from textual.widgets import Button, Digits, Input, Label, Static

from tui.store.recorder import note_line
from tui.ui.screens.base import BacktoneModal
from tui.ui.widgets.ascii_digits import AsciiDigits

SCALE = range(0, 11)
LOW_LABEL = "0 no pain"
HIGH_LABEL = "10 worst imaginable"
ASK = "Type 0 to 10, or click a number."
CHOSEN = "← → to change\n⏎ confirms"
ASCII_CHOSEN = "<- -> to change\nEnter confirms"
PICK_FIRST = "Pick a number first, or s to skip."
REMIND = "Enter confirms, s skips."


class PainCell(Static):
    """One number of the scale, clickable."""

    DEFAULT_CSS = """
    PainCell {
        width: 3;
        height: 1;
        text-align: center;

        &:hover {
            background: $boost;
            text-style: underline;
        }

        &.-chosen {
            background: $accent;
            color: $text;
            text-style: bold;
        }
    }
    """

    @dataclass
    class Picked(Message):
        value: int

    def __init__(self, value: int) -> None:
        super().__init__(str(value), id=f"pain-{value}", markup=False)
        self.value = value

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Picked(self.value))


class CheckInScreen(BacktoneModal[int | None]):
    """Dismisses with the chosen pain (0-10), or None when skipped."""

    HELP_NAME = "Check-in"

    BINDINGS = [
        *(Binding(str(n), f"digit({n})", show=False, id=f"digit_{n}") for n in range(10)),
        Binding("left", "move(-1)", "Lower", show=False, id="lower"),
        Binding("right", "move(1)", "Higher", show=False, id="higher"),
        Binding("enter", "confirm", "Confirm", id="confirm"),
        Binding("s", "skip", "Skip", id="skip"),
        Binding("escape", "skip", show=False, id="skip"),
        # Keys that mean something elsewhere (quit, help) only remind what works here.
        Binding("q", "remind", show=False, id="quit"),
        Binding("question_mark", "remind", show=False, id="help"),
    ]

    def __init__(self, question: str, caption: str = "", ascii_only: bool | None = None) -> None:
        super().__init__(ascii_only=ascii_only)
        self.question = question
        self.caption = caption
        self.choice: int | None = None
        # The digit typed just before, for "1 then 0 is 10". Kept by the actions themselves:
        # in a burst of keys (a paste, a fast typist over SSH) every Key event may be handled
        # before the first binding runs, so on_key cannot tell the order.
        self._last_digit: int | None = None
        # Built here and kept: a key can be handled while the screen is still being built or
        # already taken down (a burst of keys at a screen change), and nothing is looked up.
        self._cells = [PainCell(value) for value in SCALE]
        self._big: Digits | AsciiDigits = (
            AsciiDigits("", id="checkin-big") if self.ascii_only else Digits("", id="checkin-big")
        )
        self._hint_label = Label(ASK, id="checkin-hint", markup=False)
        confirm = "Confirm (Enter)" if self.ascii_only else "Confirm ⏎"
        self._confirm = Button(confirm, variant="primary", id="checkin-confirm", compact=True)

    def compose(self) -> ComposeResult:
        with Vertical(id="checkin-box", classes="dialog"):
            yield Label(self.question, id="checkin-question", markup=False)
            if self.caption:
                yield Label(self.caption, id="checkin-caption", markup=False)
            with Horizontal(id="checkin-scale"):
                yield from self._cells
            with Horizontal(id="checkin-ends"):
                yield Label(LOW_LABEL, id="checkin-low")
                yield Label(HIGH_LABEL, id="checkin-high")
            with Horizontal(id="checkin-choice"):
                yield self._big
                yield self._hint_label
            with Horizontal(id="checkin-buttons"):
                yield self._confirm
                yield Button("Skip (s)", id="checkin-skip", compact=True)

    def on_mount(self) -> None:
        # The keys stay with the screen: a focused button would take Enter for itself.
        for button in self.query(Button):
            button.can_focus = False
        self._show()

    def _hint(self) -> str:
        if self.choice is None:
            return ASK
        return ASCII_CHOSEN if self.ascii_only else CHOSEN

    def _show(self) -> None:
        for cell in self._cells:
            cell.set_class(cell.value == self.choice, "-chosen")
        self._big.update("" if self.choice is None else str(self.choice))
        self.set_class(self.choice is None, "-unchosen")
        self._confirm.disabled = self.choice is None
        self._hint_label.update(self._hint())

    def select(self, value: int) -> None:
        self.choice = value
        self._show()

    def action_digit(self, digit: int) -> None:
        # "1 then 0" is 10 whenever 1 was the digit just before: no timing, so no surprises.
        after_one = digit == 0 and self._last_digit == 1 and self.choice == 1
        self._last_digit = None if after_one else digit
        self.select(10 if after_one else digit)

    def action_move(self, delta: int) -> None:
        self._last_digit = None
        if self.choice is None:
            self.select(SCALE[0] if delta > 0 else SCALE[-1])
        else:
            self.select(min(max(self.choice + delta, SCALE[0]), SCALE[-1]))

    def action_confirm(self) -> None:
        if self.choice is None:
            self._hint_label.update(PICK_FIRST)
            return
        self.dismiss(self.choice)

    def action_skip(self) -> None:
        self.dismiss(None)

    def action_remind(self) -> None:
        self._hint_label.update(REMIND)

    @on(PainCell.Picked)
    def _picked(self, message: PainCell.Picked) -> None:
        self._last_digit = None
        self.select(message.value)

    @on(Button.Pressed, "#checkin-confirm")
    def _confirm_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed, "#checkin-skip")
    def _skip_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_skip()


# -- the note after "And now?" ----------------------------------------------------------------

NOTE_LENGTH = 200  # characters: one line, read back on the session detail and the report
NOTE_QUESTION = "Anything you noticed?"
NOTE_CAPTION = "One line, or Enter to skip."
NOTE_PLACEHOLDER = "For example: stiff on the left, easier than last week"
NOTE_SKIPS = "Enter or Esc skips."
NOTE_SAVES = "Enter saves, Esc skips."
NOTE_FULL = f"That is the limit: {NOTE_LENGTH} characters. Enter saves it."
NOTE_COUNT_FROM = NOTE_LENGTH - 40  # from here on the hint counts the characters
NOTE_SETTLE_LIMIT = 1.0  # seconds a quit waits for keys already sent to the note


class NoteInput(Input):
    """The note's one line. Every key takes effect when it reaches the input, in the order
    typed: Textual's Input inserts a character as it arrives but runs Enter, Backspace and the
    arrows as bindings once the key has bubbled up to the app, so in a burst ("3", Enter,
    "stiff", Enter) the note would be answered with the letters after the Enter in it.

    Text is kept as typed, less what a terminal would not print (recorder.note_line), and
    never past NOTE_LENGTH: a paste is cut there, not refused whole."""

    def __init__(self, answer: Callable[[str | None], None]) -> None:
        super().__init__(
            placeholder=NOTE_PLACEHOLDER,
            max_length=NOTE_LENGTH,
            select_on_focus=False,  # a key typed as focus arrives must not replace the text
            id="note-input",
        )
        self.set_reactive(Input.cursor_blink, False)  # no redraw twice a second over SSH
        self._answer = answer
        self.answered = False

    async def _on_key(self, event: Key) -> None:
        if self.answered:
            # Answered, the dialog gone: a key typed after the Enter is for the screen below.
            event.stop()
            event.prevent_default()
            with contextlib.suppress(NoScreen):
                if self.app.screen is not self.screen:
                    self.app.post_message(Key(event.key, event.character))
            return
        if event.key in ("enter", "escape"):
            event.stop()
            event.prevent_default()
            self.answered = True
            self._answer(self.value if event.key == "enter" else None)
            return
        bindings = self._bindings.key_to_bindings.get(event.key, [])
        if bindings and not event.is_printable:
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)
        # A printable key goes on to Input's own handler, which inserts it.

    def _on_paste(self, event: Paste) -> None:
        event.stop()
        event.prevent_default()  # Input's own handler would keep the first line alone
        if not self.answered:
            self.replace(" ".join(event.text.splitlines()), *self.selection)

    def replace(self, text: str, start: int, end: int) -> None:
        text = note_line(text)
        start, end = sorted((max(0, start), min(len(self.value), end)))
        room = NOTE_LENGTH - (len(self.value) - (end - start))
        super().replace(text[: max(room, 0)], start, end)

    def restricted(self) -> None:
        """At the limit the hint says so (NOTE_FULL); no bell, which means a cue here."""


class NoteScreen(BacktoneModal[str | None]):
    """The note after "And now?" ("Anything you noticed?"): one line, or nothing. Dismisses
    with the note as it will be stored (see recorder.note_line, without the spaces around it),
    or None when skipped (Enter on an empty line, Esc, or the Skip button)."""

    HELP_NAME = "Note"

    def __init__(self, ascii_only: bool | None = None) -> None:
        super().__init__(ascii_only=ascii_only)
        self.answered = False
        self.answer: str | None = None
        # Built here and kept: a key may come while the screen is still being built, and
        # nothing is looked up.
        self._input = NoteInput(self._give)
        self._hint = Label(NOTE_SKIPS, id="note-hint", markup=False)
        save = "Save (Enter)" if self.ascii_only else "Save ⏎"
        self._save = Button(save, variant="primary", id="note-save", compact=True, disabled=True)

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="dialog"):
            yield Label(NOTE_QUESTION, id="note-question", markup=False)
            yield Label(NOTE_CAPTION, id="note-caption", markup=False)
            yield self._input
            yield self._hint
            with Horizontal(id="note-buttons"):
                yield self._save
                yield Button("Skip (Esc)", id="note-skip", compact=True)

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.can_focus = False
        # Before the screen counts as mounted: the keys the app held while it was being built
        # go to the input, in order.
        self.set_focus(self._input, scroll_visible=False)

    @property
    def note(self) -> str | None:
        """The note as typed so far, as it would be stored; None when there is none."""
        return note_line(self._input.value).strip() or None

    async def settled_note(self) -> str | None:
        """The note once every key already on its way to the input has reached it: the answer
        if one was given, else what is typed so far. For a quit in the middle of typing."""
        arrived = asyncio.Event()
        if not self.answered and self._input.call_later(arrived.set):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(arrived.wait(), NOTE_SETTLE_LIMIT)
        return self.answer if self.answered else self.note

    def _give(self, text: str | None) -> None:
        if self.answered:
            return
        self.answered = self._input.answered = True
        self.answer = None if text is None else note_line(text).strip() or None
        self.dismiss(self.answer)

    def _hint_text(self) -> str:
        length = len(self._input.value)
        if length >= NOTE_LENGTH:
            return NOTE_FULL
        if not self.note:
            return NOTE_SKIPS
        if length >= NOTE_COUNT_FROM:
            return f"{NOTE_SAVES} {length} of {NOTE_LENGTH} characters."
        return NOTE_SAVES

    @on(Input.Changed, "#note-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._hint.update(self._hint_text())
        self._save.disabled = self.note is None

    async def on_key(self, event: Key) -> None:
        # A key that reached the screen without the input focused (before focus arrived, or
        # after a click took it) is still part of the note.
        if self.answered or self.focused is self._input:
            return
        event.stop()
        event.prevent_default()
        self.set_focus(self._input, scroll_visible=False)
        self._input.post_message(Key(event.key, event.character))

    @on(Button.Pressed, "#note-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._give(self._input.value)

    @on(Button.Pressed, "#note-skip")
    def _skip_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._give(None)
