"""Pilot tests: every key of the Session screen, the stop dialog, the summary, the cues."""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelpers import ManualClock, make_app, text_of, wait_until
from textual.pilot import Pilot

from tui.core.engine import Status
from tui.ui import cues
from tui.ui.app import BacktoneApp
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.player import SessionScreen
from tui.ui.screens.routine_list import RoutinesScreen
from tui.ui.screens.session_summary import SummaryScreen
from tui.ui.widgets.big_clock import BigClock


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
        if isinstance(widget, BigClock):
            return widget.value
        return text_of(widget).strip()

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.screen.catch_up()


@pytest.fixture
def bells(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    rung: list[float] = []
    monkeypatch.setattr(BacktoneApp, "bell", lambda self: rung.append(self.clock()))
    # The bells of one cue ring 0.3 s apart on the app's timers; here a moment apart.
    monkeypatch.setattr(cues, "BELL_GAP", 0.001)
    return rung


async def rung(pilot: Pilot[None], bells: list[float], expected: int) -> int:
    """Wait for `expected` bells in all, then a little longer: no more may come."""
    await wait_until(pilot, lambda: len(bells) >= expected, f"{expected} bells, not {bells}")
    await pilot.pause(0.05)
    return len(bells)


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


async def test_bells_tell_a_pause_from_a_phase_from_the_end(tmp_path: Path, bells) -> None:
    """Two bells on a get-ready or a rest between exercises, one on any other phase change,
    one at each of 3-2-1, three at the end and no phase bell with them."""
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await start(pilot, app, clock, bells)
        assert await rung(pilot, bells, 2) == 2  # the get-ready
        s.advance(2.0)  # the hold starts
        assert await rung(pilot, bells, 3) == 3
        for _ in range(10):  # many wake-ups within one second: no other bell
            s.advance(0.05)
        assert await rung(pilot, bells, 3) == 3
        s.advance(2.6)  # 3 s left
        s.advance(1.0)  # 2 s left
        s.advance(1.0)  # 1 s left
        assert await rung(pilot, bells, 6) == 6
        s.advance(1.0)  # the hold ends: release
        assert await rung(pilot, bells, 7) == 7
        s.advance(2.0 + 6.0 + 2.0)  # rep 2 (one late wake-up: the last change counts)
        assert s.shown("#exercise-name") == "Rest, then Knee hug"
        assert await rung(pilot, bells, 9) == 9  # a rest between exercises: two
        await pilot.press("b")
        s.advance(3.0)  # the next get-ready, bell off
        assert await rung(pilot, bells, 9) == 9
        assert s.screen.query_one("#clock-box") is not None
        settings_file = tmp_path / "config" / "settings.toml"
        assert "bell = false" in settings_file.read_text()


async def test_the_end_rings_three_bells_over_the_summary(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")  # "Only eggs": prepare 2 + 6 + 2 seconds
        s = await start(pilot, app, clock, bells)
        s.advance(9.5)
        await pilot.pause()
        before = len(bells)
        s.advance(0.5)  # the release ends, and with it the routine
        assert await rung(pilot, bells, before + 3) == before + 3
        assert isinstance(app.screen, SummaryScreen)


async def test_notifications_at_a_new_exercise_a_rest_and_the_end(
    tmp_path: Path, bells, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.ui.screens import player

    written: list[str] = []
    monkeypatch.setattr(player, "write_to_terminal", lambda _app, data: written.append(data))
    monkeypatch.delenv("TMUX", raising=False)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.toml").write_text('notify = "osc9"\nfuture = 1\n')
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await start(pilot, app, clock, bells)
        assert written == []  # the get-ready: bells only
        s.advance(2.0)
        assert written == ["\x1b]9;Egg. Hug knees to chest. Hold 6 seconds.\x1b\\"]
        s.advance(6.0 + 2.0 + 6.0 + 2.0)  # rep 2 says nothing; then the rest
        assert written[1:] == ["\x1b]9;Rest 3 seconds, then Knee hug.\x1b\\"]
        await pilot.press("right_square_bracket")  # the knee hug's get-ready: bells only
        assert len(written) == 2
        await pilot.press("right_square_bracket")  # skip to the end
        await pilot.pause()
        assert len(written) == 3
        assert written[-1].startswith("\x1b]9;Done: Short test, ")
        assert all(w.endswith("\x1b\\") and "\x07" not in w for w in written)
        app.theme = "nord"  # saving the theme keeps the other settings
        await pilot.pause()
    saved = (tmp_path / "config" / "settings.toml").read_text()
    assert 'notify = "osc9"' in saved and "future = 1" in saved and 'theme = "nord"' in saved


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
        assert "Stopped: 0 of 4 reps done." in summary
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
        assert "1 exercise, 1 rep" in summary


async def test_skipping_is_reported_in_the_summary(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")
        await start(pilot, app, clock, bells)
        await pilot.press("right", "right", "right")
        await pilot.pause()
        summary = text_of(app.screen.query_one("#summary-text"))
        assert "0 of 1 exercise in full, 0 of 1 rep" in summary
        assert "Egg (1 rep)" in summary
        assert "Skipped to the end: nothing was done" in summary


async def test_summary_says_when_some_parts_were_skipped(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await start(pilot, app, clock, bells)  # "Short test"
        s.advance(2.0 + 6.0 + 2.0)  # the get-ready and the first rep are done
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        summary = text_of(app.screen.query_one("#summary-text"))
        assert "Ended early, with skips: 1 of 4 reps done." in summary
        assert "0 of 2 exercises in full, 1 of 4 reps" in summary
        assert "Egg (1 rep), Knee hug (2 reps)" in summary


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
        for selector in ("#phase-name", "#countdown"):
            region = app.screen.query_one(selector).region
            assert region.height > 0 and region.bottom <= 11 and region.right <= 40
        await pilot.press("space")  # a get-ready has no state line; paused, it has
        region = app.screen.query_one("#state").region
        assert region.height > 0 and region.bottom <= 11 and region.right <= 40
        await pilot.press("space")
        assert (
            not app.screen.query_one("#bars").display
            or app.screen.query_one("#bars").region.height == 0
        )
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        # Under 32 rows the caution of the first get-ready takes the empty bars' rows...
        assert app.screen.query_one("#bars").region.height == 0
        assert app.screen.query_one("#countdown").region.height >= 5
        await pilot.press("right")  # ...and they are back once it has gone
        await pilot.pause()
        assert app.screen.query_one("#bars").region.height == 3
        assert app.screen.query_one("#countdown").region.height >= 5
        assert app.screen.session.status is Status.ACTIVE


async def test_bars_without_room_wait_and_are_drawn_when_they_get_it(
    tmp_path: Path, bells, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under 32 rows the first get-ready's caution takes the bars' rows: they are not
    updated unseen (that rebuilt Textual's map of the screen at every tick), and show the
    session's progress as soon as they have room again."""
    from tui.ui.widgets.bar import QuietProgressBar

    updates: list[str] = []
    original = QuietProgressBar.update

    def counted(self: QuietProgressBar, **values: object) -> None:
        updates.append(str(self.id))
        original(self, **values)  # type: ignore[arg-type]

    monkeypatch.setattr(QuietProgressBar, "update", counted)
    clock = ManualClock()
    bundled = Path(__file__).resolve().parents[2] / "routines.toml"
    app = make_app(tmp_path, routines=bundled, clock=clock, start_routine="daily-back")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        s = Started(app, clock, bells)
        bars = s.screen.query_one("#bars")
        assert bars.region.height == 0 and s.shown("#caution")
        updates.clear()  # the ProgressBar's own, as it is built
        for _ in range(3):
            s.advance(1.0)
            await pilot.pause()
        assert updates == []
        s.advance(2.5)  # the get-ready ends, the caution with it
        await wait_until(pilot, lambda: bars.region.height == 3, "the bars' rows back")
        await pilot.pause()
        view = s.screen._view
        assert view is not None
        shown = {field: bar.progress for field, bar in s.screen._bars.items()}
        assert shown == {field: getattr(view, field) for field in shown}
        assert shown["session_bar"] > 0


# -- the caution, the figure and the exercise card ------------------------------------------------

FIGURE = """\
      __
     /  \\
  O_/____\\____
 ==============\
"""
SIDED_ROUTINES = f"""\
schema = 2

[defaults]
prepare = 2
caution = "Stop if it hurts [bold]more[/bold]."

[exercises.knee]
name = "Knee hug [left/right]"
setup = "Lie on your back."
cues = ["Pull one knee in"]
notes = "Both sides."
phases = [
  {{ name = "Hug one knee", seconds = 6, hold = true, figure = '''
{FIGURE}''' }},
  {{ name = "Lower", seconds = 2 }},
]

[[routines]]
id = "knee"
name = "Knee hugs"
steps = [{{ exercise = "knee", sides = ["left", "right"] }}]
"""


def sided_app(tmp_path: Path, clock: ManualClock) -> BacktoneApp:
    from apphelpers import write_routines

    routines = write_routines(tmp_path, SIDED_ROUTINES)
    return make_app(tmp_path, routines=routines, clock=clock, start_routine="knee")


def figure_shown(screen: SessionScreen) -> dict[str, str]:
    from tui.ui.widgets.figure_view import FigureView

    return {
        str(view.id): view.figure
        for view in screen.query(FigureView)
        if view.display and view.region.height > 0
    }


async def test_caution_shows_at_the_first_get_ready_as_plain_text(tmp_path: Path, bells) -> None:
    clock = ManualClock()
    app = sided_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        s = Started(app, clock, bells)
        caution = s.screen.query_one("#caution")
        assert caution.display and caution.region.height > 0
        assert s.shown("#caution") == "Stop if it hurts [bold]more[/bold]."
        assert s.shown("#exercise-name") == "Get ready: Knee hug [left/right]"
        s.advance(2.0)
        await pilot.pause()
        assert not caution.display
        assert "Stop if" not in s.shown("#guidance")


async def test_caution_shows_again_when_a_session_is_resumed(tmp_path: Path, bells) -> None:
    from tui.core.engine import Session
    from tui.core.model import DEFAULT_CAUTION
    from tui.core.plan import build_plan

    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.book is not None
        plan = build_plan(app.book.routine("short"))
        session = Session.restore(
            plan, index=2, outcomes={}, active_seconds=10.0, paused_seconds=0.0, clock=clock
        )
        app._play(session, None)
        await pilot.pause()
        s = Started(app, clock, bells)
        assert s.shown("#phase-name") == "Release"
        assert s.shown("#caution") == DEFAULT_CAUTION  # a schema 1 file: the built-in one
        s.advance(2.0)
        await pilot.pause()
        assert not s.screen.query_one("#caution").display


async def test_figure_beside_the_clock_when_wide_and_mirrored_on_the_right(
    tmp_path: Path, bells
) -> None:
    from tui.core.figure import mirror, normalize

    clock = ManualClock()
    app = sided_app(tmp_path, clock)
    drawn = normalize(FIGURE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        s = Started(app, clock, bells)
        # The get-ready shows the position to get into: the first phase's figure.
        assert figure_shown(s.screen) == {"figure-beside": drawn}
        s.advance(2.0)
        await pilot.pause()
        assert figure_shown(s.screen) == {"figure-beside": drawn}
        beside = s.screen.query_one("#figure-beside").region
        clock_box = s.screen.query_one("#clock-box").region
        assert beside.x >= clock_box.right and beside.y < clock_box.bottom
        s.advance(6.0)  # "Lower" has no figure: none shown
        await pilot.pause()
        assert figure_shown(s.screen) == {}
        s.advance(2.0 + 5.0)  # the switch to the right side, then its hold
        await pilot.pause()
        assert s.shown("#position") == "Rep 1/1 · Right"
        assert figure_shown(s.screen) == {"figure-beside": mirror(drawn)}


@pytest.mark.parametrize(
    "size, where",
    [
        ((60, 24), None),  # narrow and short: the clock keeps the room
        ((60, 40), "figure-under"),
        ((80, 24), "figure-beside"),
        ((100, 24), "figure-beside"),
    ],
)
async def test_figure_placement_by_size(
    tmp_path: Path, bells, size: tuple[int, int], where: str | None
) -> None:
    clock = ManualClock()
    app = sided_app(tmp_path, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        s = Started(app, clock, bells)
        s.advance(2.0)
        await pilot.pause()
        shown = figure_shown(s.screen)
        assert list(shown) == ([where] if where else [])
        if where == "figure-under":
            phase = s.screen.query_one("#phase-name").region
            assert s.screen.query_one("#figure-under").region.y > phase.y
        big = s.screen.query_one("#countdown", BigClock)
        assert big.region.height >= 5


async def test_a_resize_moves_the_figure_and_keeps_the_texts(tmp_path: Path, bells) -> None:
    """A resize redraws only what depends on the size: where the figure goes, the bars."""
    clock = ManualClock()
    app = sided_app(tmp_path, clock)
    drawn_at = {}
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        s = Started(app, clock, bells)
        s.advance(2.0)
        await pilot.pause()
        assert figure_shown(s.screen) == {}
        phase = s.shown("#phase-name")
        for size, where in (((120, 40), "figure-beside"), ((60, 40), "figure-under")):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert list(figure_shown(s.screen)) == [where]
            assert s.shown("#phase-name") == phase
            drawn_at[size] = s.screen.query_one("#phase-bar").query_one("Bar").region.width
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        assert figure_shown(s.screen) == {}
    assert drawn_at[(120, 40)] > drawn_at[(60, 40)]


async def test_the_session_screen_is_built_with_its_keys_and_breakpoints(
    tmp_path: Path, bells
) -> None:
    """What the first frame shows is settled as the screen is built, not one frame later:
    the Footer's keys (Textual's Footer waits for the screen's first bindings) and the
    screen's breakpoint classes (Textual sets them at its first Resize)."""
    from textual.widgets._footer import FooterKey

    seen: dict[str, object] = {}

    class Watched(SessionScreen):
        def on_mount(self) -> None:
            seen["keys"] = [key.action for key in self.query(FooterKey)]
            seen["classes"] = set(self.classes)
            super().on_mount()

    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        routine = app.book.routines[0]
        from tui.core.engine import Session
        from tui.core.plan import build_plan

        app.push_screen(Watched(Session(build_plan(routine), clock=clock)))
        await pilot.pause()
    assert "pause" in seen["keys"] and "stop" in seen["keys"]
    assert {"-wide", "-tall"} <= seen["classes"]  # type: ignore[operator]


async def test_i_opens_the_card_which_pauses_and_esc_closes_it(tmp_path: Path, bells) -> None:
    from tui.ui.screens.exercise_card import ExerciseCardScreen

    clock = ManualClock()
    app = sided_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        s = Started(app, clock, bells)
        session = s.screen.session
        s.advance(2.5)
        await pilot.press("i")
        assert isinstance(app.screen, ExerciseCardScreen)
        assert app.screen.exercise.name == "Knee hug [left/right]"
        assert session.paused
        clock.advance(30)
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)
        assert session.paused and session.remaining() == pytest.approx(5.5)
        assert s.shown("#state") == "PAUSED · Space resumes"
        await pilot.press("space")
        assert session.running
