"""Pilot tests of the pain check-in and the note after it: every key and click, at 80×24 and
40×12."""

from __future__ import annotations

from typing import Any

import pytest
from apphelpers import text_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.events import Key, Paste
from textual.screen import Screen
from textual.widgets import Button, Digits, Input, Label

from tui import paths
from tui.ui.screens.checkin import (
    NOTE_CAPTION,
    NOTE_COUNT_FROM,
    NOTE_FULL,
    NOTE_LENGTH,
    NOTE_QUESTION,
    NOTE_SAVES,
    NOTE_SKIPS,
    PICK_FIRST,
    CheckInScreen,
    NoteScreen,
    PainCell,
)
from tui.ui.widgets.ascii_digits import AsciiDigits

NOTHING = object()  # the screen has not been dismissed yet


class Below(Screen[None]):
    """The screen under the check-in: it records every key that reaches it."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []

    def compose(self) -> ComposeResult:
        yield Label("below")

    def on_key(self, event: Key) -> None:
        self.keys.append(event.key)


class Host(App[None]):
    CSS_PATH = str(paths.stylesheet_path())
    VERTICAL_BREAKPOINTS = [(0, "-tiny"), (10, "-short"), (20, "-compact"), (24, "-tall")]
    BINDINGS = [
        Binding("q", "quit_asked", "Quit"),
        Binding("question_mark", "help_asked", "Help"),
    ]

    def __init__(self, question: str = "How is your back right now?", **kwargs: Any) -> None:
        super().__init__()
        self.question = question
        self.kwargs = kwargs
        self.result: object = NOTHING
        self.below = Below()
        self.app_actions: list[str] = []
        self.set_class(bool(kwargs.get("ascii_only")), "-ascii")  # as BacktoneApp does

    def on_mount(self) -> None:
        self.push_screen(self.below)
        self.push_screen(CheckInScreen(self.question, **self.kwargs), self._answered)

    def _answered(self, value: int | None) -> None:
        self.result = value

    def action_quit_asked(self) -> None:
        self.app_actions.append("quit")

    def action_help_asked(self) -> None:
        self.app_actions.append("help")

    @property
    def checkin(self) -> CheckInScreen:
        screen = self.screen
        assert isinstance(screen, CheckInScreen)
        return screen


def chosen_cells(screen: CheckInScreen) -> list[int]:
    return [cell.value for cell in screen.query(PainCell) if cell.has_class("-chosen")]


def big_value(screen: CheckInScreen) -> str:
    big = screen.query_one("#checkin-big")
    assert isinstance(big, Digits | AsciiDigits)
    return big.value


SIZES = [(80, 24), (40, 12)]


@pytest.mark.parametrize("size", SIZES)
async def test_nothing_is_chosen_at_first_and_enter_alone_does_nothing(
    size: tuple[int, int],
) -> None:
    app = Host()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.checkin
        assert screen.choice is None
        assert chosen_cells(screen) == []
        assert big_value(screen) == ""
        assert screen.query_one("#checkin-confirm", Button).disabled
        await pilot.press("enter")
        assert app.screen is screen
        assert app.result is NOTHING
        assert text_of(screen.query_one("#checkin-hint")) == PICK_FIRST


@pytest.mark.parametrize("size", SIZES)
async def test_a_digit_selects_shows_large_and_enter_confirms(size: tuple[int, int]) -> None:
    app = Host()
    async with app.run_test(size=size) as pilot:
        await pilot.press("4")
        assert chosen_cells(app.checkin) == [4]
        assert big_value(app.checkin) == "4"
        assert not app.checkin.query_one("#checkin-confirm", Button).disabled
        await pilot.press("7")  # a stray key is corrected by the next one
        assert chosen_cells(app.checkin) == [7]
        await pilot.press("enter")
        assert app.result == 7
        assert app.screen is app.below
        assert app.below.keys == []


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["1", "0"], 10),
        (["1"], 1),
        (["0"], 0),
        (["1", "0", "0"], 0),  # after 10, a 0 is 0 again
        (["2", "1", "0"], 10),
        (["1", "2", "0"], 0),
        (["1", "right", "0"], 0),  # an arrow between: the 0 is 0
        (["right"], 0),
        (["left"], 10),
        (["5", "right", "right"], 7),
        (["5", "left"], 4),
        (["9", "right", "right"], 10),  # stops at the ends
        (["1", "left", "left"], 0),
    ],
)
async def test_keys_select(keys: list[str], expected: int) -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        assert app.checkin.choice == expected
        assert chosen_cells(app.checkin) == [expected]
        assert big_value(app.checkin) == str(expected)
        await pilot.press("enter")
        assert app.result == expected


@pytest.mark.parametrize("key", ["s", "escape"])
@pytest.mark.parametrize("size", SIZES)
async def test_s_and_escape_skip(key: str, size: tuple[int, int]) -> None:
    app = Host()
    async with app.run_test(size=size) as pilot:
        await pilot.press("6", key)
        assert app.result is None
        assert app.screen is app.below
        assert app.below.keys == []


async def test_no_key_falls_through_to_the_screens_below_or_the_app() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q", "question_mark", "h", "space", "n", "x", "tab", "up", "down")
        assert app.screen is app.checkin
        assert app.app_actions == []
        assert app.below.keys == []
        assert app.checkin.choice is None
        await pilot.press("3", "enter")
        assert app.result == 3
        assert app.below.keys == []


@pytest.mark.parametrize("size", SIZES)
async def test_mouse_picks_a_cell_and_confirms(size: tuple[int, int]) -> None:
    app = Host()
    async with app.run_test(size=size) as pilot:
        assert await pilot.click("#checkin-confirm")  # disabled until something is chosen
        assert app.result is NOTHING
        assert await pilot.click("#pain-8")
        assert chosen_cells(app.checkin) == [8]
        assert await pilot.click("#pain-10")
        assert big_value(app.checkin) == "10"
        assert await pilot.click("#checkin-confirm")
        await pilot.pause()
        assert app.result == 10


@pytest.mark.parametrize("size", SIZES)
async def test_mouse_skips(size: tuple[int, int]) -> None:
    app = Host()
    async with app.run_test(size=size) as pilot:
        await pilot.click("#pain-2")
        assert await pilot.click("#checkin-skip")
        await pilot.pause()
        assert app.result is None


@pytest.mark.parametrize("ascii_only", [False, True])
@pytest.mark.parametrize("size", SIZES)
async def test_everything_fits(size: tuple[int, int], ascii_only: bool) -> None:
    app = Host(caption="Before: Daily back care", ascii_only=ascii_only)
    async with app.run_test(size=size) as pilot:
        await pilot.press("1", "0")
        await pilot.pause()
        screen = app.checkin
        width, height = size
        ids = ["checkin-question", "checkin-caption", "checkin-low", "checkin-high"]
        ids += ["checkin-big", "checkin-confirm", "checkin-skip", "pain-0", "pain-10"]
        for widget_id in ids:
            region = screen.query_one(f"#{widget_id}").region
            assert region.width > 0 and region.height > 0, widget_id
            assert region.right <= width and region.bottom <= height, widget_id
        assert screen.query_one("#checkin-question").region.width >= len(app.question)
        low, high = screen.query_one("#checkin-low"), screen.query_one("#checkin-high")
        assert low.region.right <= high.region.x  # the two ends side by side, both whole
        assert text_of(high).strip() == "10 worst imaginable"


async def test_ascii_mode_draws_no_box_characters() -> None:
    app = Host(ascii_only=True)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("1", "0")
        await pilot.pause()
        assert isinstance(app.checkin.query_one("#checkin-big"), AsciiDigits)
        assert app.checkin.query_one("#checkin-box").styles.border_top[0] == "ascii"
        shown = app.export_screenshot()
        assert not any(char in shown for char in "━┃┏┓┗┛╭╮╰╯│─⏎←→–")


async def test_the_question_is_text_not_markup() -> None:
    app = Host(question="[bold]How[/] is Cat [/]?", caption="Before: [red]x")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert text_of(app.checkin.query_one("#checkin-question")) == "[bold]How[/] is Cat [/]?"
        assert text_of(app.checkin.query_one("#checkin-caption")) == "Before: [red]x"


def expected_choice(keys: list[str]) -> int | None:
    """The rule, written out plainly: a digit selects itself, except 0 straight after a 1
    that selected 1, which makes 10; arrows step from the choice (or start at an end)."""
    choice: int | None = None
    previous: str | None = None
    for key in keys:
        if key.isdigit():
            choice = 10 if key == "0" and previous == "1" and choice == 1 else int(key)
        elif choice is None:
            choice = 0 if key == "right" else 10
        else:
            choice = min(max(choice + (1 if key == "right" else -1), 0), 10)
        previous = key
    return choice


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([*"0123456789", "left", "right"]), min_size=1, max_size=8))
async def test_any_sequence_of_keys_follows_the_rule(keys: list[str]) -> None:
    app = Host()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press(*keys)
        assert app.checkin.choice == expected_choice(keys)
        await pilot.press("enter")
        assert app.result == expected_choice(keys)


# -- the note after "And now?" ----------------------------------------------------------------


class NoteHost(App[None]):
    """The note over a screen that records every key reaching it, as the summary would."""

    CSS_PATH = str(paths.stylesheet_path())
    VERTICAL_BREAKPOINTS = [(0, "-tiny"), (10, "-short"), (20, "-compact"), (24, "-tall")]
    BINDINGS = [Binding("q", "quit_asked", "Quit"), Binding("question_mark", "help_asked")]

    def __init__(self, ascii_only: bool = False) -> None:
        super().__init__()
        self.ascii_only = ascii_only
        self.result: object = NOTHING
        self.below = Below()
        self.app_actions: list[str] = []
        self.set_class(ascii_only, "-ascii")

    def on_mount(self) -> None:
        self.push_screen(self.below)
        self.push_screen(NoteScreen(ascii_only=self.ascii_only), self._answered)

    def _answered(self, value: str | None) -> None:
        self.result = value

    def action_quit_asked(self) -> None:
        self.app_actions.append("quit")

    def action_help_asked(self) -> None:
        self.app_actions.append("help")

    @property
    def note(self) -> NoteScreen:
        screen = self.screen
        assert isinstance(screen, NoteScreen)
        return screen

    def typed(self) -> str:
        return self.note.query_one("#note-input", Input).value

    def hint(self) -> str:
        return text_of(self.note.query_one("#note-hint"))


async def test_the_note_is_stored_as_typed_with_its_brackets() -> None:
    app = NoteHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert text_of(app.note.query_one("#note-question")) == NOTE_QUESTION
        assert text_of(app.note.query_one("#note-caption")) == NOTE_CAPTION
        assert app.hint() == NOTE_SKIPS
        assert app.note.query_one("#note-save", Button).disabled
        await pilot.press(*"[bold]Easier[/] ", "space")
        assert app.hint() == NOTE_SAVES
        assert not app.note.query_one("#note-save", Button).disabled
        await pilot.press("enter")
        assert app.result == "[bold]Easier[/]"  # the spaces around it go, nothing else
        assert app.screen is app.below and app.below.keys == []


@pytest.mark.parametrize("keys", [["enter"], ["space", "space", "enter"], [*"stiff", "escape"]])
async def test_enter_on_an_empty_line_or_escape_skips(keys: list[str]) -> None:
    app = NoteHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        assert app.result is None
        assert app.screen is app.below and app.below.keys == []


async def test_keys_that_mean_something_elsewhere_are_letters_here() -> None:
    app = NoteHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q", "question_mark", "h", "s", "n", "space", "b", "tab")
        assert app.typed() == "q?hsn b"
        assert app.app_actions == [] and app.below.keys == []
        await pilot.press("left", "left", "backspace", "home", "delete", "end", "x")
        assert app.typed() == "?hs bx"
        await pilot.press("enter")
        assert app.result == "?hs bx"


async def test_a_burst_is_taken_in_the_order_typed() -> None:
    """Enter and Backspace act where they were typed, not after the letters of the same
    burst (Textual's Input runs them as bindings once the key has bubbled up); a key after
    the Enter is for the screen below, not the note."""
    app = NoteHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key, character in [*((c, c) for c in "sorw"), ("backspace", "\x7f"), ("e", "e")]:
            app.post_message(Key(key, character))
        app.post_message(Key("enter", "\r"))
        app.post_message(Key("x", "x"))
        await pilot.pause()
        await pilot.pause()
        assert app.result == "sore"
        assert app.screen is app.below
        assert app.below.keys == ["x"]


@pytest.mark.parametrize("size", SIZES)
async def test_mouse_saves_and_skips(size: tuple[int, int]) -> None:
    app = NoteHost()
    async with app.run_test(size=size) as pilot:
        assert await pilot.click("#note-save")  # disabled while there is nothing to save
        assert app.result is NOTHING
        await pilot.press(*"ok")
        assert await pilot.click("#note-save")
        await pilot.pause()
        assert app.result == "ok"
    app = NoteHost()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"ok")
        assert await pilot.click("#note-skip")
        await pilot.pause()
        assert app.result is None


async def test_the_limit_is_said_and_a_paste_is_cut_there() -> None:
    app = NoteHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.note.query_one("#note-input", Input)
        field.post_message(Paste("a" * (NOTE_COUNT_FROM - 1)))
        await pilot.press("b")
        assert app.hint() == f"{NOTE_SAVES} {NOTE_COUNT_FROM} of {NOTE_LENGTH} characters."
        field.post_message(Paste("c" * NOTE_LENGTH))
        await pilot.pause()
        assert len(app.typed()) == NOTE_LENGTH
        assert app.hint() == NOTE_FULL
        await pilot.press("d")  # refused, and still said
        assert app.typed().endswith("c") and app.hint() == NOTE_FULL
        await pilot.press("backspace")
        assert app.hint().startswith(NOTE_SAVES)
        await pilot.press("enter")
        assert app.result == "a" * (NOTE_COUNT_FROM - 1) + "b" + "c" * (
            NOTE_LENGTH - NOTE_COUNT_FROM - 1
        )


async def test_a_pasted_paragraph_is_one_line_without_control_characters() -> None:
    app = NoteHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pasted = "first\r\nsecond\tthird\x1b[2J\x00 \u202efourth\u200b"
        app.note.query_one("#note-input", Input).post_message(Paste(pasted))
        await pilot.pause()
        assert app.typed() == "first second third[2J fourth"
        await pilot.press("enter")
        assert app.result == "first second third[2J fourth"


async def test_a_quit_keeps_every_key_already_on_its_way() -> None:
    app = NoteHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        note = app.note
        for char in "sore":
            app.post_message(Key(char, char))
        assert await note.settled_note() == "sore"
        assert app.result is NOTHING  # still open: the app decides what a quit does


@pytest.mark.parametrize("ascii_only", [False, True])
@pytest.mark.parametrize("size", SIZES)
async def test_the_note_fits(size: tuple[int, int], ascii_only: bool) -> None:
    app = NoteHost(ascii_only=ascii_only)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"stiff on the left side, easier than on Monday")
        await pilot.pause()
        width, height = size
        ids = ["note-question", "note-caption", "note-input", "note-hint", "note-save"]
        for widget_id in [*ids, "note-skip"]:
            region = app.note.query_one(f"#{widget_id}").region
            assert region.width > 0 and region.height > 0, widget_id
            assert region.right <= width and region.bottom <= height, widget_id
        assert app.note.query_one("#note-caption").region.width >= len(NOTE_CAPTION)
        assert app.note.query_one("#note-input").region.width >= 30
        box = app.note.query_one("#note-box")
        assert box.styles.border_top[0] == ("ascii" if ascii_only else "thick")
        if ascii_only:
            shown = app.export_screenshot()
            assert [char for char in "━┃┏┓┗┛╭╮╰╯│─⏎←→–▊▎▔▁·" if char in shown] == []
