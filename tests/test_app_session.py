"""Pilot tests: every key of the Session screen, the stop dialog, the summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelpers import ManualClock, make_app, text_of
from textual.widgets import Digits

from tui.core.engine import Status
from tui.ui.app import BacktoneApp
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.player import SessionScreen
from tui.ui.screens.routine_list import RoutinesScreen
from tui.ui.screens.summary import SummaryScreen


class Started:
    def __init__(self, app: BacktoneApp, clock: ManualClock, bells: list[float]) -> None:
        self.app = app
        self.clock = clock
        self.bells = bells

    @property
    def screen(self) -> SessionScreen:
        assert isinstance(self.app.screen, SessionScreen)
        return self.app.screen

    def shown(self, selector: str) -> str:
        widget = self.screen.query_one(selector)
        if isinstance(widget, Digits):
            return widget.value
        return text_of(widget).strip()

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.screen.catch_up()


@pytest.fixture
def bells(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    rung: list[float] = []
    monkeypatch.setattr(BacktoneApp, "bell", lambda self: rung.append(self.clock()))
    return rung


async def start(pilot, app: BacktoneApp, clock: ManualClock, bells: list[float]) -> Started:
    await pilot.press("enter")
    await pilot.pause()
    return Started(app, clock, bells)


async def test_session_shows_what_to_do_and_counts_down(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await start(pilot, app, clock, bells)
        assert s.shown("#exercise-name") == "Get ready: Egg"
        assert s.shown("#phase-name") == "Get ready"
        assert s.shown("#countdown") == "2"
        assert "Lie on your back" in s.shown("#guidance")
        assert s.shown("#next") == "Next: Hug knees to chest (6 s)"
        s.advance(2.0)
        await pilot.pause()
        assert s.shown("#exercise-name") == "Egg"
        assert s.shown("#phase-name") == "Hug knees to chest"
        assert s.shown("#position") == "Rep 1/2"
        assert s.shown("#countdown") == "6"
        assert s.shown("#state") == "Hold"
        assert "Keep the head down" in s.shown("#guidance")
        s.advance(1.5)
        await pilot.pause()
        assert s.shown("#countdown") == "5"
        assert "Elapsed 0:03 · Left 0:33" in s.shown("#times")  # 3.5 s done, 32.5 left


async def test_bell_rings_once_per_change_and_3_2_1(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await start(pilot, app, clock, bells)
        assert len(bells) == 1  # the first segment starts
        s.advance(2.0)  # the hold starts
        assert len(bells) == 2
        for _ in range(10):  # many wake-ups within one second: no second bell
            s.advance(0.05)
        assert len(bells) == 2
        s.advance(2.6)  # 3 s left
        s.advance(1.0)  # 2 s left
        s.advance(1.0)  # 1 s left
        assert len(bells) == 5
        await pilot.press("b")
        s.advance(1.0)  # the hold ends, bell off
        assert len(bells) == 5
        assert s.screen.query_one("#clock-box") is not None
        settings_file = tmp_path / "config" / "settings.toml"
        assert "bell = false" in settings_file.read_text()


async def test_no_bell_option_starts_silent(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock, bell=False)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await start(pilot, app, clock, bells)
        s.advance(2.0)
        assert bells == []


async def test_space_pauses_and_resumes_without_losing_time(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await start(pilot, app, clock, bells)
        s.advance(2.5)  # 0.5 s into the 6 s hold
        await pilot.press("space")
        assert s.shown("#state").startswith("PAUSED")
        assert s.screen.has_class("-paused")
        clock.advance(100)
        await pilot.press("space")
        assert s.shown("#state") == "Hold"
        assert s.screen.session.remaining() == pytest.approx(5.5)
        assert s.screen.session.paused_seconds == pytest.approx(100)


async def test_next_back_and_exercise_keys(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await start(pilot, app, clock, bells)
        await pilot.press("right")
        assert s.shown("#phase-name") == "Hug knees to chest"
        await pilot.press("n")
        assert s.shown("#phase-name") == "Release"
        await pilot.press("left")
        assert s.shown("#phase-name") == "Hug knees to chest"
        await pilot.press("p")
        assert s.shown("#phase-name") == "Get ready"
        await pilot.press("right_square_bracket")
        assert s.shown("#exercise-name") == "Get ready: Knee hug"
        await pilot.press("right", "left_square_bracket")
        assert s.shown("#exercise-name") == "Get ready: Egg"
        await pilot.press("right", "right", "r")
        assert s.shown("#phase-name") == "Get ready"


async def test_plus_and_minus_change_the_segment(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await start(pilot, app, clock, bells)
        await pilot.press("plus")
        assert s.shown("#countdown") == "7"
        await pilot.press("minus")
        assert s.shown("#countdown") == "2"
        await pilot.press("minus")  # below zero: the segment is over
        assert s.shown("#phase-name") == "Hug knees to chest"
        assert s.shown("#countdown") == "6"


async def test_untimed_phase_waits_for_space(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await start(pilot, app, clock, bells)
        await pilot.press("right_square_bracket", "right")
        assert s.shown("#phase-name") == "Get into position"
        assert s.shown("#position") == "Rep 1/1 · Left"
        assert s.shown("#state") == "Press Space when ready"
        assert s.shown("#countdown") == "--"
        clock.advance(30)
        s.screen.catch_up()
        assert s.shown("#phase-name") == "Get into position"
        await pilot.press("space")
        assert s.shown("#phase-name") == "Hug one knee"


async def test_stop_asks_and_no_keeps_going(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await start(pilot, app, clock, bells)
        session = s.screen.session
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        assert session.paused
        await pilot.press("n")
        assert isinstance(app.screen, SessionScreen)
        assert session.running
        await pilot.press("escape")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert session.status is Status.STOPPED
        summary = text_of(app.screen.query_one("#summary-text"))
        assert "stopped early" in summary
        await pilot.press("enter")
        assert isinstance(app.screen, RoutinesScreen)


async def test_playing_to_the_end_shows_the_summary(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")  # "Only eggs": prepare 2 + 6 + 2 seconds
        s = await start(pilot, app, clock, bells)
        s.advance(10.0)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = text_of(app.screen.query_one("#summary-text"))
        assert "routine complete" in summary
        assert "Only eggs" in summary
        assert "0:10" in summary
        assert "3 of 3 done" in summary


async def test_skipping_is_reported_in_the_summary(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")
        await start(pilot, app, clock, bells)
        await pilot.press("right", "right", "right")
        await pilot.pause()
        summary = text_of(app.screen.query_one("#summary-text"))
        assert "3 skipped" in summary
        assert "Egg (2 phases)" in summary
        assert "Skipped to the end: nothing was done" in summary


async def test_summary_says_when_some_parts_were_skipped(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")  # "Only eggs": get ready 2 s, hold 6 s, release 2 s
        s = await start(pilot, app, clock, bells)
        s.advance(2.0)  # the get-ready is done
        await pilot.press("right", "right")
        await pilot.pause()
        summary = text_of(app.screen.query_one("#summary-text"))
        assert "routine complete, with some parts skipped" in summary
        assert "1 of 3 done, 2 skipped" in summary


async def test_help_lists_session_keys(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, app, clock, bells)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = text_of(app.screen.query_one("Static"))
        space_rows = [line for line in shown.splitlines() if line.lstrip().startswith("space")]
        assert len(space_rows) == 1  # one row per key, its three uses together
        for words in (
            "Pause the countdown; resume the countdown; go on",
            "Skip to the next segment",
            "Back one segment",
            "Next exercise",
            "Previous exercise",
            "Restart exercise",
            "Add 5 seconds",
            "Take 5 seconds",
            "bell",
            "Stop the session",
        ):
            assert words in shown
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)


async def test_footer_says_resume_while_paused(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, app, clock, bells)
        assert app.screen.active_bindings["space"].binding.description == "Pause"
        await pilot.press("space")
        assert app.screen.active_bindings["space"].binding.description == "Resume"


async def test_run_option_starts_at_once_and_small_terminal_keeps_the_countdown(
    tmp_path: Path, bells
) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock, start_routine="short")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        for selector in ("#phase-name", "#countdown", "#state"):
            region = app.screen.query_one(selector).region
            assert region.height > 0 and region.bottom <= 11 and region.right <= 40
        assert (
            not app.screen.query_one("#bars").display
            or app.screen.query_one("#bars").region.height == 0
        )
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen.query_one("#bars").region.height == 3
        assert app.screen.session.status is Status.ACTIVE
