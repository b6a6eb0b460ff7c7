"""Snapshot tests: every screen at fixed sizes, compared with an SVG a person has looked at.

The images must not move between runs: the session runs on a fake clock, the history on a
fixed date, the bell (and its flash) is off, toasts are not shown, and the routine files
shown by path are named relative to the repository. Textual is pinned in the test extra: a
new 8.x release can move a cell. After a deliberate change of a screen, regenerate with
`pytest tests/ui/test_snapshots.py --snapshot-update` and open every changed SVG before
committing it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from apphelpers import make_app, wait_until, write_routines
from fakeclock import FakeClock
from textual.pilot import Pilot

from tui.core.engine import Session
from tui.core.loader import load_file
from tui.core.plan import build_plan
from tui.paths import bundled_routines_path
from tui.store.recorder import start_recording
from tui.store.sessions import HistoryStore
from tui.ui.app import BacktoneApp
from tui.ui.screens.player import SessionScreen

pytestmark = pytest.mark.snapshot

REPO_ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=timezone(timedelta(hours=1)))
SMALL = (40, 12)
USUAL = (80, 24)
BIG = (120, 40)

SIDED = """\
schema = 2

[defaults]
prepare = 3
rest = 5
caution = "Stop if the pain grows."

[exercises.side-lift]
name = "Side leg lift"
setup = "Lie on your side, head on your arm."
cues = ["Keep the hips stacked", "Breathe out as you lift"]
phases = [
  { name = "Get into position" },
  { name = "Lift the top leg", seconds = 6, hold = true, figure = '''
   o
  /|____
 / |    \\___
===========__>
''' },
]

[[routines]]
id = "sides"
name = "Side lifts"
steps = [{ exercise = "side-lift", reps = 2, sides = ["left", "right"] }]
"""

Setup = Callable[[Pilot[None]], Awaitable[None]]


@pytest.fixture(autouse=True)
def quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    """No toasts: their timing is not the screen's."""
    monkeypatch.setattr(BacktoneApp, "notify", lambda self, *args, **kwargs: None)


def app_for(tmp_path: Path, routines: Path, **options: Any) -> BacktoneApp:
    app = make_app(tmp_path, routines=routines, bell=False, **options)
    app.history_now = lambda: NOW
    return app


async def settled(pilot: Pilot[None]) -> None:
    """The store opens a moment after the first frame; wait for it, then for quiet."""
    app = pilot.app
    assert isinstance(app, BacktoneApp)
    await wait_until(pilot, lambda: app._history_tried, "the history to open")
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


async def start_session(pilot: Pilot[None]) -> SessionScreen:
    await settled(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SessionScreen), "a session")
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    return screen


async def advance(pilot: Pilot[None], screen: SessionScreen, seconds: float) -> None:
    clock = screen.session.clock
    assert isinstance(clock, FakeClock)
    clock.advance(seconds)
    screen.catch_up()
    await pilot.pause()


def bundled(tmp_path: Path) -> Path:
    return bundled_routines_path()


def fill_history(data_dir: Path, routines: Path, count: int = 8) -> None:
    """Sessions on fixed days before NOW, with check-ins, as if played on those days."""
    routine = load_file(routines).routines[0]
    for day in range(count):
        when = NOW - timedelta(days=day * 2, hours=1)
        store = HistoryStore.open(data_dir, now=lambda when=when: when)
        clock = FakeClock()
        session = Session(build_plan(routine), clock=clock)
        recorder = start_recording(store, session, pain_before=3 + day % 4)
        recorder.record(session, session.start())
        clock.advance(session.plan.timed_seconds + 1)
        recorder.record(session, session.update())
        store.close()


# -- the Routines screen, help and problems --------------------------------------------------


@pytest.mark.parametrize("size", [USUAL, SMALL, BIG], ids=["80x24", "40x12", "120x40"])
def test_routines(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        app_for(tmp_path, bundled(tmp_path)), terminal_size=size, run_before=settled
    )


@pytest.mark.parametrize("size", [USUAL, SMALL], ids=["80x24", "40x12"])
def test_help(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await pilot.press("question_mark")

    app = app_for(tmp_path, bundled(tmp_path))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [USUAL, SMALL], ids=["80x24", "40x12"])
def test_problems(
    snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.chdir(REPO_ROOT)  # the problems name the file by the path it was given
    app = app_for(tmp_path, Path("tests/examples/bad-values.toml"))
    assert snap_compare(app, terminal_size=size, run_before=settled)


# -- the session ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "ascii_only"),
    [(USUAL, False), (SMALL, False), (BIG, False), (USUAL, True), (BIG, True)],
    ids=["80x24", "40x12", "120x40", "80x24-ascii", "120x40-ascii"],
)
def test_session_get_ready(
    snap_compare, tmp_path: Path, size: tuple[int, int], ascii_only: bool
) -> None:
    """The first get-ready, with the caution."""
    app = app_for(tmp_path, bundled(tmp_path), ascii_only=ascii_only)
    assert snap_compare(app, terminal_size=size, run_before=start_session)


@pytest.mark.parametrize(
    ("size", "ascii_only"),
    [(USUAL, False), (SMALL, False), (BIG, False), (USUAL, True), (BIG, True)],
    ids=["80x24", "40x12", "120x40", "80x24-ascii", "120x40-ascii"],
)
def test_session_hold(
    snap_compare, tmp_path: Path, size: tuple[int, int], ascii_only: bool
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        screen = await start_session(pilot)
        await advance(pilot, screen, 5 + 2.5)  # through the get-ready, into the first hold

    app = app_for(tmp_path, bundled(tmp_path), ascii_only=ascii_only)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [USUAL, SMALL], ids=["80x24", "40x12"])
def test_session_paused(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        screen = await start_session(pilot)
        await advance(pilot, screen, 6.5)
        await pilot.press("space")

    assert snap_compare(
        app_for(tmp_path, bundled(tmp_path)), terminal_size=size, run_before=run_before
    )


@pytest.mark.parametrize("size", [USUAL, SMALL, BIG], ids=["80x24", "40x12", "120x40"])
def test_session_waiting_left_side(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """An untimed phase waits for Space; the figure as drawn, for the first side."""

    async def run_before(pilot: Pilot[None]) -> None:
        screen = await start_session(pilot)
        await advance(pilot, screen, 3)  # the get-ready, then "Get into position" waits

    app = app_for(tmp_path, write_routines(tmp_path, SIDED))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [BIG, (80, 40)], ids=["120x40", "80x40"])
def test_session_right_side_mirrors_the_figure(
    snap_compare, tmp_path: Path, size: tuple[int, int]
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        screen = await start_session(pilot)
        session = screen.session
        right = next(s.index for s in session.plan.segments if s.side == "right" and s.hold)
        while session.index < right:
            screen._apply(session.next_segment())
        await pilot.pause()

    app = app_for(tmp_path, write_routines(tmp_path, SIDED))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [USUAL, SMALL], ids=["80x24", "40x12"])
def test_stop_dialog(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await start_session(pilot)
        await pilot.press("q")

    assert snap_compare(
        app_for(tmp_path, bundled(tmp_path)), terminal_size=size, run_before=run_before
    )


@pytest.mark.parametrize("size", [USUAL, BIG], ids=["80x24", "120x40"])
def test_exercise_card(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await start_session(pilot)
        await pilot.press("i")

    assert snap_compare(
        app_for(tmp_path, bundled(tmp_path)), terminal_size=size, run_before=run_before
    )


# -- check-ins and the summary ------------------------------------------------------------------


@pytest.mark.parametrize("size", [USUAL, SMALL], ids=["80x24", "40x12"])
def test_check_in(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("4")

    app = app_for(tmp_path, bundled(tmp_path), checkin=True)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def play_to_the_summary(pilot: Pilot[None]) -> None:
    screen = await start_session(pilot)
    await advance(pilot, screen, screen.session.plan.timed_seconds + 1)
    await pilot.pause()


@pytest.mark.parametrize("size", [USUAL, SMALL], ids=["80x24", "40x12"])
def test_summary(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    routines = write_routines(tmp_path, SIDED.replace('{ name = "Get into position" },', ""))
    fill_history(tmp_path / "data", routines, count=3)
    app = app_for(tmp_path, routines)
    assert snap_compare(app, terminal_size=size, run_before=play_to_the_summary)


def test_summary_when_the_pain_rose(snap_compare, tmp_path: Path) -> None:
    routines = write_routines(tmp_path, SIDED.replace('{ name = "Get into position" },', ""))

    async def run_before(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("3", "enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        await advance(pilot, screen, screen.session.plan.timed_seconds + 1)
        await pilot.pause()
        await pilot.press("6", "enter")
        await pilot.pause()

    app = app_for(tmp_path, routines, checkin=True)
    assert snap_compare(app, terminal_size=USUAL, run_before=run_before)


# -- history --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [USUAL, SMALL, BIG], ids=["80x24", "40x12", "120x40"])
def test_history(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    fill_history(tmp_path / "data", bundled(tmp_path))

    async def run_before(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await pilot.press("h")
        await pilot.pause()

    assert snap_compare(
        app_for(tmp_path, bundled(tmp_path)), terminal_size=size, run_before=run_before
    )


@pytest.mark.parametrize("size", [USUAL, SMALL], ids=["80x24", "40x12"])
def test_session_detail(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    fill_history(tmp_path / "data", bundled(tmp_path), count=1)

    async def run_before(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(
        app_for(tmp_path, bundled(tmp_path)), terminal_size=size, run_before=run_before
    )


@pytest.mark.parametrize("size", [USUAL, SMALL], ids=["80x24", "40x12"])
def test_resume_offer(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    routines = bundled(tmp_path)
    store = HistoryStore.open(tmp_path / "data", now=lambda: NOW - timedelta(hours=2))
    clock = FakeClock()
    session = Session(build_plan(load_file(routines).routines[0]), clock=clock)
    recorder = start_recording(store, session)
    recorder.record(session, session.start())
    clock.advance(20)
    recorder.record(session, session.update())
    store.close()  # the lock goes with it: as after a kill -9

    async def run_before(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await pilot.pause()

    assert snap_compare(app_for(tmp_path, routines), terminal_size=size, run_before=run_before)
