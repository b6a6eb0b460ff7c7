"""The routine's caution is a safety text: shown whole before the first exercise at every
size, waiting for Space where it does not fit beside the clock, and never cut silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelpers import make_app, text_of, wait_until, write_routines

from tui.core.checks import CAUTION_COLUMNS, CAUTION_ROWS, wrapped_line_count
from tui.ui.screens.player import SessionScreen
from tui.ui.session_view import caution_fits

# Five lines at 35 columns: the longest a routine file may give.
LONGEST = (
    "Stop if the pain grows or anything feels wrong. Ask your midwife, doctor or "
    "physiotherapist about back pain that persists, and before you start."
)
ROUTINE = f"""\
schema = 2

[defaults]
prepare = 5
caution = "{LONGEST}"

[exercises.egg]
name = "Egg"
phases = [{{ name = "Hug", seconds = 5, hold = true }}]

[[routines]]
id = "eggs"
name = "Eggs"
steps = [{{ exercise = "egg", reps = 2 }}]
"""


def test_the_longest_caution_check_allows_is_the_one_tested() -> None:
    assert CAUTION_ROWS - 1 < wrapped_line_count(LONGEST, CAUTION_COLUMNS) <= CAUTION_ROWS


@pytest.mark.parametrize(
    ("size", "fits"),
    [((40, 12), True), ((50, 20), True), ((80, 24), True), ((200, 60), True), ((40, 9), False)],
)
def test_where_the_longest_caution_fits(size: tuple[int, int], fits: bool) -> None:
    assert caution_fits(LONGEST, *size) is fits


async def session_at(tmp_path: Path, size: tuple[int, int]):
    app = make_app(tmp_path, routines=write_routines(tmp_path, ROUTINE), start_routine="eggs")
    return app, app.run_test(size=size)


@pytest.mark.parametrize("size", [(40, 12), (50, 20), (80, 24), (120, 40)])
async def test_the_caution_is_whole_at_the_first_get_ready(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app, running = await session_at(tmp_path, size)
    async with running as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        caution = screen.query_one("#caution")
        assert caution.region.height >= wrapped_line_count(LONGEST, caution.content_size.width)
        assert caution.region.height > 0
        assert screen.session.running  # it fits: the get-ready counts down as usual
        assert " ".join(text_of(caution).split()) == LONGEST


async def test_where_it_does_not_fit_the_session_waits_for_space(tmp_path: Path) -> None:
    app, running = await session_at(tmp_path, (40, 9))
    async with running as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.session.paused
        assert screen.has_class("-caution-first")
        caution = screen.query_one("#caution")
        assert caution.region.height > 0 and screen.query_one("#caution-hint").region.height
        assert (
            not screen.query_one("#clock-row").display
            or not screen.query_one("#clock-row").region.height
        )
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.session.running, "the session goes on")
        await pilot.pause()
        assert not screen.has_class("-caution-first")
        assert screen.query_one("#clock-row").region.height > 0


@pytest.mark.parametrize("size", [(40, 12), (50, 20), (80, 24)])
async def test_the_routines_screen_shows_the_whole_caution(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    from tui.ui.screens.routine_list import RoutinesScreen

    app = make_app(tmp_path, routines=write_routines(tmp_path, ROUTINE))
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RoutinesScreen), "the routines")
        await pilot.pause()
        caution = app.screen.query_one("#routine-caution")
        lines = wrapped_line_count(LONGEST, caution.content_size.width)
        assert caution.content_size.height >= lines
