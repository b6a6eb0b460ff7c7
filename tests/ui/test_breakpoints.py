"""A screen's breakpoint classes are settled as it is built, the same as Textual's."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.screen import Screen

from tui.ui.app import BacktoneApp
from tui.ui.breakpoints import settle_breakpoints

SIZES = [(40, 12), (50, 20), (69, 9), (70, 10), (80, 24), (100, 31), (120, 40), (200, 60)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_settled_classes_are_those_textual_gives_at_the_first_resize(
    size: tuple[int, int],
) -> None:
    class Breakpoints(App[None]):
        HORIZONTAL_BREAKPOINTS = BacktoneApp.HORIZONTAL_BREAKPOINTS
        VERTICAL_BREAKPOINTS = BacktoneApp.VERTICAL_BREAKPOINTS

    app = Breakpoints()
    names = {name for _, name in app.HORIZONTAL_BREAKPOINTS + app.VERTICAL_BREAKPOINTS}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        textual_gives = set(app.screen.classes) & names
        fresh = Screen[None]()
        settle_breakpoints(fresh)
        assert set(fresh.classes) & names == textual_gives
        assert len(textual_gives) == 2  # one across, one down


async def test_a_screen_of_its_own_breakpoints_uses_them() -> None:
    class Own(Screen[None]):
        HORIZONTAL_BREAKPOINTS = [(0, "-slim"), (90, "-broad")]

    async with App[None]().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = Own()
        settle_breakpoints(screen)
        assert "-broad" in screen.classes and "-slim" not in screen.classes
        assert not {"-narrow", "-wide", "-tall"} & set(screen.classes)  # none of the app's
