"""Keys in one burst at every screen change: a fast typist, a paste, a phone's SSH client or
`tmux send-keys 5 Enter q` deliver them in one read, so every Key event can be handled before
the next screen is built. Nothing may reach into a screen before it exists, and no answer may be
lost."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from apphelpers import (
    ManualClock,
    make_app,
    text_of,
    wait_for_screen,
    wait_until,
    write_routines,
)
from textual.app import ComposeResult
from textual.events import Key
from textual.screen import Screen
from textual.widgets import Label

from tui.core.engine import Status
from tui.store.sessions import HistoryStore
from tui.ui.app import BacktoneApp
from tui.ui.screens.checkin import CheckInScreen
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.player import SessionScreen
from tui.ui.screens.session_summary import SummaryScreen

ONE_EGG = """\
schema = 2

[defaults]
prepare = 3
rest = 0

[exercises.egg]
name = "Egg"
phases = [{ name = "Hug", seconds = 5, hold = true }, { name = "Let go", seconds = 2 }]

[[routines]]
id = "eggs"
name = "Eggs"
steps = [{ exercise = "egg", reps = 2 }]
"""

CHARACTERS = {
    "ctrl+q": "\x11",
    "enter": "\r",
    "space": " ",
    "escape": "\x1b",
    "right": None,
    "left": None,
}


def burst(app: BacktoneApp, *keys: str) -> None:
    """Every key in the app's queue at once, before any of them is handled."""
    for key in keys:
        app.post_message(Key(key, CHARACTERS.get(key, key)))


def stored(tmp_path: Path) -> list[tuple[str, int | None, int | None]]:
    store = HistoryStore.open(tmp_path / "data")
    try:
        return [(row.status, row.pain_before, row.pain_after) for row in store.sessions()]
    finally:
        store.close()


async def start_at_the_check_in(pilot, app: BacktoneApp) -> None:
    await pilot.press("enter")
    await wait_for_screen(pilot, CheckInScreen)


@pytest.mark.parametrize(
    ("keys", "dialog"),
    [
        (("5", "enter", "q"), True),
        (("s", "q"), True),
        (("5", "enter", "escape"), True),
        (("escape", "escape"), True),
    ],
)
async def test_a_stop_key_just_after_the_check_in_asks_to_stop(
    tmp_path: Path, keys: tuple[str, ...], dialog: bool
) -> None:
    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_EGG), checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_at_the_check_in(pilot, app)
        burst(app, *keys)
        await wait_for_screen(pilot, ConfirmScreen)
        session = next(s for s in app.screen_stack if isinstance(s, SessionScreen))
        assert session.session.paused
        await pilot.press("escape")  # keep going
        await wait_for_screen(pilot, SessionScreen)
        assert session.session.running


async def test_space_just_after_the_check_in_pauses_the_session_it_started(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_EGG), checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_at_the_check_in(pilot, app)
        burst(app, "5", "enter", "space")
        await wait_for_screen(pilot, SessionScreen)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await wait_until(pilot, lambda: screen.session.paused, "the session paused")
    assert stored(tmp_path)[0][1] == 5


async def test_right_just_after_the_check_in_skips_the_get_ready(tmp_path: Path) -> None:
    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_EGG), checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_at_the_check_in(pilot, app)
        burst(app, "5", "enter", "right")
        await wait_for_screen(pilot, SessionScreen)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await wait_until(pilot, lambda: screen.session.index == 1, "the first hold")


async def test_a_stop_confirmed_in_the_same_burst_ends_on_the_summary(tmp_path: Path) -> None:
    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_EGG), checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_at_the_check_in(pilot, app)
        burst(app, "5", "enter", "q", "y")
        await wait_until(
            pilot,
            lambda: any(isinstance(s, SummaryScreen) for s in app.screen_stack),
            "the summary",
        )
        summary = next(s for s in app.screen_stack if isinstance(s, SummaryScreen))
        assert summary.session.status is Status.STOPPED


async def play_to_the_summary(pilot, app: BacktoneApp, clock: ManualClock) -> None:
    await pilot.press("enter")
    await wait_for_screen(pilot, CheckInScreen)
    await pilot.press("4", "enter")
    await wait_for_screen(pilot, SessionScreen)
    screen = app.screen
    assert isinstance(screen, SessionScreen)
    clock.advance(screen.session.plan.timed_seconds + 1)
    screen.catch_up()
    await wait_until(pilot, lambda: isinstance(app.screen, CheckInScreen), "the check-in after")


@pytest.mark.parametrize("then", ["q", "enter", "h", "escape"])
async def test_the_answer_after_is_kept_whatever_key_follows(tmp_path: Path, then: str) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_EGG), clock=clock, checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await play_to_the_summary(pilot, app, clock)
        burst(app, "3", "enter", then)
        await wait_until(pilot, lambda: stored(tmp_path)[0][2] == 3 or not app.is_running, "")
    assert stored(tmp_path) == [("completed", 4, 3)]


async def test_a_session_not_being_recorded_ends_on_its_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A history that can be read but not written (read-only, or locked as the session
    starts): the summary's figures came before the summary was built, and ended the app."""
    import tui.store.recorder
    from tui.store.rows import HistoryUnavailable

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise HistoryUnavailable("the history is read-only")

    monkeypatch.setattr(tui.store.recorder, "start_recording", refuse)
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_EGG), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, SessionScreen)
        screen = app.screen
        assert isinstance(screen, SessionScreen) and screen.recorder is None
        clock.advance(screen.session.plan.timed_seconds + 1)
        screen.catch_up()
        await wait_for_screen(pilot, SummaryScreen)
        await pilot.pause()
        assert app.is_running
        assert "This week" in text_of(app.screen.query_one("#summary-text"))


async def test_ctrl_q_in_a_session_asks_first_and_keep_going_goes_on(tmp_path: Path) -> None:
    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_EGG))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, SessionScreen)
        session = app.screen
        assert isinstance(session, SessionScreen)
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ConfirmScreen)
        assert app.is_running and session.session.paused
        await pilot.press("escape")
        await wait_for_screen(pilot, SessionScreen)
        assert session.session.running
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("ctrl+q")  # a second Ctrl+Q means it
        await wait_until(pilot, lambda: not app.is_running, "the app quits")
    assert stored(tmp_path)[0][0] == "stopped"


async def test_ctrl_q_confirmed_records_the_session_as_stopped(tmp_path: Path) -> None:
    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_EGG))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, SessionScreen)
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: not app.is_running, "the app quits")
    assert stored(tmp_path)[0][0] == "stopped"


async def test_a_session_whose_routine_changed_says_what_changed(tmp_path: Path) -> None:
    """An interrupted session of a routine that plays something else now is not offered,
    and the offer says why in the person's terms, not 'changed or is gone'."""
    from tui.core.resumption import CHANGED
    from tui.ui.screens.resume_offer import ResumeScreen

    routines = write_routines(tmp_path, ONE_EGG)
    first = make_app(tmp_path, routines=routines)
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, SessionScreen)
        assert first.store is not None
        first.store.close()  # the process vanishes: the session is left unfinished
        first.store = None
        session = first.screen
        assert isinstance(session, SessionScreen)
        session.recorder = None
    routines.write_text(ONE_EGG.replace("seconds = 5", "seconds = 9"))
    again = make_app(tmp_path, routines=routines)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, ResumeScreen)
        offer = again.screen
        assert isinstance(offer, ResumeScreen) and not offer.resumable
        assert " ".join(text_of(offer.query_one("#resume-why")).split()) == CHANGED


async def test_what_the_app_learns_reaches_the_routines_screen_through_its_vars(
    tmp_path: Path,
) -> None:
    """The pain notice and the bell live on the app; screens watch them, built or not."""
    from tui.ui.screens.routine_list import RoutinesScreen

    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_EGG))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RoutinesScreen)
        await wait_until(pilot, lambda: app.store is not None, "the history")
        app.pain_rising = True
        await pilot.pause()
        assert app.screen.has_class("-pain-rising")
        app.pain_rising = False
        await pilot.pause()
        assert not app.screen.has_class("-pain-rising")
        await pilot.press("enter")
        await wait_for_screen(pilot, SessionScreen)
        session = app.screen
        assert isinstance(session, SessionScreen) and session.bell_on
        app.set_bell(False)  # as the palette does, with the session on screen
        await pilot.pause()
        assert not session.bell_on
        assert session.check_action("set_bell", (True,)) is True


class SlowToBuild(Screen[None]):
    """A screen that reads as still being built until the test opens its gate: a loaded
    machine takes seconds to build one. (Its widgets exist: an on_mount that blocks would
    block the app as well, and no key would arrive at all.)"""

    BINDINGS = [("x", "touch", "Touch")]

    def __init__(self, gate: asyncio.Event) -> None:
        super().__init__()
        self.gate = gate
        self.touched_before_built = 0
        self.touched = 0

    @property
    def is_mounted(self) -> bool:
        return self.gate.is_set() and super().is_mounted

    def compose(self) -> ComposeResult:
        yield Label("built", id="built")

    def action_touch(self) -> None:
        if not self.gate.is_set():
            self.touched_before_built += 1
        self.touched += 1


async def test_keys_wait_for_a_slow_screen_however_long_it_takes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past HELD_KEY_LIMIT the screen's keys still wait (given to it unbuilt, they reached
    widgets that did not exist); the app's own keys go through, so Ctrl+Q quits."""
    import tui.ui.app

    monkeypatch.setattr(tui.ui.app, "HELD_KEY_LIMIT", 0.0)
    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_EGG))
    gate = asyncio.Event()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.screen.is_mounted, "the routines screen")
        slow = SlowToBuild(gate)
        app.push_screen(slow)
        await wait_until(pilot, lambda: super(SlowToBuild, slow).is_mounted, "slow, on top")
        burst(app, "x", "x")
        await wait_until(pilot, lambda: len(app._held_keys) == 2, "both keys held")
        for _ in range(20):
            await pilot.pause(0.02)
        assert slow.touched == 0 and len(app._held_keys) == 2, "the keys wait for the screen"
        gate.set()
        await wait_until(pilot, lambda: slow.touched == 2, "both keys, once it is built")
        assert slow.touched_before_built == 0

    stuck = make_app(tmp_path / "stuck", routines=write_routines(tmp_path, ONE_EGG))
    async with stuck.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: stuck.screen.is_mounted, "the routines screen")
        never = SlowToBuild(asyncio.Event())
        stuck.push_screen(never)
        await wait_until(pilot, lambda: super(SlowToBuild, never).is_mounted, "stuck, on top")
        burst(stuck, "x", "ctrl+q")
        await wait_until(pilot, lambda: not stuck.is_running, "Ctrl+Q quits a stuck screen")
        assert never.touched == 0
