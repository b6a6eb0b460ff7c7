"""The Footer keeps its keys when focus comes back to the window: a click on a Footer key is
what brings it back, and it must land on the key it was aimed at."""

from __future__ import annotations

from pathlib import Path

from apphelpers import make_app, wait_for_screen, wait_until
from textual import events
from textual.widgets._footer import FooterKey

from tui.ui.app import BacktoneApp
from tui.ui.screens.player import SessionScreen
from tui.ui.screens.routine_list import RoutinesScreen


def footer_keys(app: BacktoneApp) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


async def test_focus_coming_back_leaves_the_footer_keys_in_place(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(115, 29)) as pilot:
        await wait_for_screen(pilot, RoutinesScreen)
        await wait_until(pilot, lambda: bool(footer_keys(app)), "the Footer's keys")
        await pilot.pause()
        before = footer_keys(app)
        app.post_message(events.AppBlur())
        await wait_until(pilot, lambda: not app.app_focus, "the window left")
        app.post_message(events.AppFocus())
        await wait_until(pilot, lambda: app.app_focus, "the window back")
        for _ in range(5):
            await pilot.pause()
        assert footer_keys(app) == before, "the Footer composed its keys again"
        start = next(key for key in before if key.action == "start")
        await pilot.click(start)
        await wait_for_screen(pilot, SessionScreen)


async def test_keys_that_change_are_shown(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(115, 29)) as pilot:
        await wait_for_screen(pilot, RoutinesScreen)
        await wait_until(pilot, lambda: bool(footer_keys(app)), "the Footer's keys")
        app.set_keymap({"start": "s"})
        app.screen.refresh_bindings()

        def start_on_s() -> bool:
            return any(key.action == "start" and key.key == "s" for key in footer_keys(app))

        await wait_until(pilot, start_on_s, "Start shown on s")
