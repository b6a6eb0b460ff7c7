"""The pain check-in: "How is your back right now?" on the 0-10 numeric rating scale.

Physiotherapists use this scale to follow back pain; backtone asks it before a session and
again over the summary ("And now?"), so that the History can show whether practice helps.
Nothing is pre-selected (no answer is suggested), a stray key can be corrected before Enter,
and the screen is modal: no key meant for it reaches the screen below.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Click
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Digits, Label, Static

from tui.ui.breakpoints import settle_breakpoints
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

    @dataclass
    class Picked(Message):
        value: int

    def __init__(self, value: int) -> None:
        super().__init__(str(value), id=f"pain-{value}", classes="pain-cell", markup=False)
        self.value = value

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Picked(self.value))


class CheckInScreen(ModalScreen[int | None]):
    """Dismisses with the chosen pain (0-10), or None when skipped."""

    BINDINGS = [
        *(Binding(str(n), f"digit({n})", show=False) for n in range(10)),
        Binding("left", "move(-1)", "Lower", show=False),
        Binding("right", "move(1)", "Higher", show=False),
        Binding("enter", "confirm", "Confirm"),
        Binding("s", "skip", "Skip"),
        Binding("escape", "skip", show=False),
        # Keys that mean something elsewhere (quit, help) only remind what works here.
        Binding("q", "remind", show=False),
        Binding("question_mark", "remind", show=False),
    ]

    def __init__(self, question: str, caption: str = "", ascii_only: bool = False) -> None:
        super().__init__()
        self.question = question
        self.caption = caption
        self.ascii_only = ascii_only
        self.choice: int | None = None
        # The digit typed just before, for "1 then 0 is 10". Kept by the actions themselves:
        # in a burst of keys (a paste, a fast typist over SSH) every Key event may be handled
        # before the first binding runs, so on_key cannot tell the order.
        self._last_digit: int | None = None
        # Built here and kept: a key can be handled while the screen is still being built or
        # already taken down (a burst of keys at a screen change), and nothing is looked up.
        self._cells = [PainCell(value) for value in SCALE]
        self._big: Digits | AsciiDigits = (
            AsciiDigits("", id="checkin-big") if ascii_only else Digits("", id="checkin-big")
        )
        self._hint_label = Label(ASK, id="checkin-hint", markup=False)
        confirm = "Confirm (Enter)" if ascii_only else "Confirm ⏎"
        self._confirm = Button(confirm, variant="primary", id="checkin-confirm", compact=True)

    def compose(self) -> ComposeResult:
        settle_breakpoints(self)
        with Vertical(id="checkin-box"):
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
