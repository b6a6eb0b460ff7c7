"""Pilot tests of the check-ins around a session and of progression, through the whole app:
what is asked, what is stored, what the next session plays."""

from __future__ import annotations

from pathlib import Path

from apphelpers import (
    ManualClock,
    make_app,
    text_of,
    wait_for_screen,
    wait_until,
    write_routines,
)

from tui.core.loader import load_file
from tui.core.progression import step_identities
from tui.store.sessions import HistoryStore
from tui.ui.app import AFTER_QUESTION, BEFORE_QUESTION, BacktoneApp
from tui.ui.screens.checkin import CheckInScreen
from tui.ui.screens.player import SessionScreen
from tui.ui.screens.resume_offer import ResumeScreen
from tui.ui.screens.session_summary import SummaryScreen

RISING = """\
schema = 2

[defaults]
prepare = 0
rest = 0

[exercises.egg]
name = "Egg"
phases = [{ name = "Hug", seconds = 5, hold = true }]

[[routines]]
id = "eggs"
name = "Eggs"
steps = [{ exercise = "egg", reps = 1, hold = 5, progress = { hold = 7, step = 1, every = 2 } }]
"""


def the_session(app: BacktoneApp) -> SessionScreen:
    assert isinstance(app.screen, SessionScreen)
    return app.screen


async def answer(pilot, question: str, keys: tuple[str, ...]) -> None:
    await wait_for_screen(pilot, CheckInScreen)
    assert pilot.app.screen.question == question
    await pilot.press(*keys)


async def play_to_the_end(pilot, app: BacktoneApp, clock: ManualClock) -> None:
    await wait_for_screen(pilot, SessionScreen)
    screen = the_session(app)
    clock.advance(screen.session.plan.timed_seconds + 1)
    screen.catch_up()
    await wait_until(
        pilot,
        lambda: any(isinstance(s, SummaryScreen) for s in app.screen_stack),
        "the summary",
    )


def stored(tmp_path: Path) -> list[tuple[int | None, int | None]]:
    store = HistoryStore.open(tmp_path / "data")
    try:
        return [(row.pain_before, row.pain_after) for row in store.sessions()]
    finally:
        store.close()


async def test_asked_before_and_after_and_both_answers_are_stored(tmp_path: Path) -> None:
    clock = ManualClock()
    routines = write_routines(tmp_path, RISING)
    app = make_app(tmp_path, routines=routines, clock=clock, checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await answer(pilot, BEFORE_QUESTION, ("4", "enter"))
        await play_to_the_end(pilot, app, clock)
        await answer(pilot, AFTER_QUESTION, ("1", "0", "enter"))
        await wait_for_screen(pilot, SummaryScreen)
        await pilot.pause()
        summary_text = text_of(app.screen.query_one("#summary-text"))
        assert "4" in summary_text and "10" in summary_text
    assert stored(tmp_path) == [(4, 10)]


async def test_skipping_records_nothing(tmp_path: Path) -> None:
    clock = ManualClock()
    routines = write_routines(tmp_path, RISING)
    app = make_app(tmp_path, routines=routines, clock=clock, checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await answer(pilot, BEFORE_QUESTION, ("s",))
        await play_to_the_end(pilot, app, clock)
        await answer(pilot, AFTER_QUESTION, ("escape",))
        await wait_for_screen(pilot, SummaryScreen)
    assert stored(tmp_path) == [(None, None)]


async def test_no_check_in_when_it_is_off(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, RISING), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await play_to_the_end(pilot, app, clock)
        await pilot.pause()
        assert not any(isinstance(s, CheckInScreen) for s in app.screen_stack)


async def test_a_resumed_session_does_not_ask_again(tmp_path: Path) -> None:
    clock = ManualClock()
    routines = write_routines(tmp_path, RISING)
    first = make_app(tmp_path, routines=routines, clock=clock, checkin=True)
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await answer(pilot, BEFORE_QUESTION, ("3", "enter"))
        await wait_for_screen(pilot, SessionScreen)
        # The process vanishes: its store (and lock) go without the session ending.
        assert first.store is not None
        first.store.close()
        first.store = None
        the_session(first).recorder = None
    again = make_app(tmp_path, routines=routines, clock=clock, checkin=True)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, ResumeScreen)
        await pilot.press("r")
        await wait_for_screen(pilot, SessionScreen)
        assert not any(isinstance(s, CheckInScreen) for s in again.screen_stack)


async def test_the_hold_rises_after_two_full_sessions_and_the_level_is_stored(
    tmp_path: Path,
) -> None:
    clock = ManualClock()
    routines = write_routines(tmp_path, RISING)
    holds: list[float] = []
    for _ in range(3):
        app = make_app(tmp_path, routines=routines, clock=clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter")
            await wait_for_screen(pilot, SessionScreen)
            holds.append(the_session(app).session.plan.segments[0].planned)
            await play_to_the_end(pilot, app, clock)
            await pilot.pause()
    assert holds == [5, 5, 6]
    store = HistoryStore.open(tmp_path / "data")
    try:
        newest = store.sessions()[0]
    finally:
        store.close()
    (egg,) = step_identities(load_file(routines).routines[0])
    assert newest.levels == {egg: 6}
    assert load_file(routines).routines[0].steps[0].hold == 5  # never written to the file


async def test_ctrl_p_does_not_open_the_palette_over_the_check_in(tmp_path: Path) -> None:
    app = make_app(tmp_path, routines=write_routines(tmp_path, RISING), checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, CheckInScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)


async def test_pain_rising_after_two_of_the_last_three_sessions_shows_the_notice(
    tmp_path: Path,
) -> None:
    from tui.ui.screens.routine_list import RoutinesScreen

    clock = ManualClock()
    routines = write_routines(tmp_path, RISING)
    notice: list[bool] = []
    for before, after in ((2, 5), (3, 3), (1, 4)):
        app = make_app(tmp_path, routines=routines, clock=clock, checkin=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter")
            await answer(pilot, BEFORE_QUESTION, (str(before), "enter"))
            await play_to_the_end(pilot, app, clock)
            await answer(pilot, AFTER_QUESTION, (str(after), "enter"))
            await wait_for_screen(pilot, SummaryScreen)
            await pilot.press("enter")
            await wait_for_screen(pilot, RoutinesScreen)
            await pilot.pause()
            notice.append(app.screen.has_class("-pain-rising"))
    assert notice == [False, False, True]


async def test_1_then_0_is_10_even_when_the_keys_come_in_one_burst(tmp_path: Path) -> None:
    """Over SSH (or from tmux send-keys) "1", "0" and Enter can arrive in one read: every Key
    event may be handled before the first binding runs."""
    from textual.events import Key

    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, RISING), clock=clock, checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, CheckInScreen)
        for key, character in (("1", "1"), ("0", "0"), ("enter", "\r")):
            app.post_message(Key(key, character))
        await wait_for_screen(pilot, SessionScreen)
    assert stored(tmp_path) == [(10, None)]
