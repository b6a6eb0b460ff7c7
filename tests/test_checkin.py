"""Pilot tests of the pain check-in: every key and click, at 80×24 and 40×12."""

from __future__ import annotations

from typing import Any

import pytest
from apphelpers import text_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.events import Key
from textual.screen import Screen
from textual.widgets import Button, Digits, Label

from tui import paths
from tui.ui.screens.checkin import PICK_FIRST, CheckInScreen, PainCell
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
