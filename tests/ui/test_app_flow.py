"""Pilot tests of how the screens hand over: overlays at the moment a routine ends, overlays
pausing a session, the editor checked before the terminal is handed over, the exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelpers import ManualClock, make_app, text_of, wait_for_screen, wait_until, write_routines
from textual.command import CommandPalette

from tui.core.loader import load_file
from tui.core.plan import build_plan
from tui.store.recorder import start_recording
from tui.store.sessions import HistoryStore
from tui.ui.app import BacktoneApp
from tui.ui.editor import EditorProblem, find_editor
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.player import SessionScreen
from tui.ui.screens.resume_offer import ResumeScreen
from tui.ui.screens.routine_list import RoutinesScreen
from tui.ui.screens.session_summary import SummaryScreen

ONE_HOLD = """\
schema = 1

[defaults]
prepare = 0
rest = 0

[exercises.egg]
name = "Egg [left] [/]"
cues = ["[bold]Keep[/bold] the head down"]
phases = [{ name = "Hug [b]knees[/b]", seconds = 4, hold = true }]

[[routines]]
id = "one"
name = "One [red]hold[/]"
steps = [{ exercise = "egg", reps = 1 }]
"""


def session_screen(app: BacktoneApp) -> SessionScreen:
    screen = next(s for s in app.screen_stack if isinstance(s, SessionScreen))
    return screen


async def open_overlay(pilot, kind: str) -> None:
    if kind == "help":
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
    elif kind == "palette":
        await pilot.press("ctrl+p")
        await wait_for_screen(pilot, CommandPalette)
    else:
        await pilot.press("q")  # the stop dialog
    await pilot.pause()


@pytest.mark.parametrize("overlay", ["help", "palette", "stop dialog"])
async def test_a_routine_ending_under_an_overlay_replaces_the_session_with_the_summary(
    tmp_path: Path, overlay: str
) -> None:
    """The end must replace the session screen whatever is above it; Enter then leads back to
    the routines, never to a finished session that only Ctrl+Q leaves."""
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_HOLD), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, SessionScreen)
        await open_overlay(pilot, overlay)
        # The overlay paused the session; skip to the end as a deadline passing would.
        screen = session_screen(app)
        screen._apply(screen.session.next_segment())
        await wait_for_screen(pilot, SummaryScreen)
        assert not any(isinstance(s, SessionScreen) for s in app.screen_stack)
        await pilot.press("enter")
        await wait_for_screen(pilot, RoutinesScreen)
        assert len(app.screen_stack) == 2  # the default screen and the routines


@pytest.mark.parametrize("overlay", ["help", "palette"])
async def test_an_overlay_pauses_the_session_and_closing_it_leaves_it_paused(
    tmp_path: Path, overlay: str
) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_HOLD), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, SessionScreen)
        screen = session_screen(app)
        assert screen.session.running
        await open_overlay(pilot, overlay)
        assert screen.session.paused
        clock.advance(30)  # the countdown does not run on unseen
        await pilot.press("escape")
        await wait_for_screen(pilot, SessionScreen)
        assert screen.session.paused
        assert screen.session.remaining() == pytest.approx(4)
        assert "Space resumes" in text_of(screen.query_one("#state"))
        await pilot.press("space")
        assert screen.session.running


async def test_keep_going_in_the_stop_dialog_resumes(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_HOLD), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, SessionScreen)
        screen = session_screen(app)
        await pilot.press("q")
        assert screen.session.paused
        await pilot.press("n")
        assert screen.session.running


async def test_names_with_brackets_are_shown_as_written(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_HOLD), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, SessionScreen)
        screen = session_screen(app)
        assert text_of(screen.query_one("#exercise-name")).strip() == "Egg [left] [/]"
        assert text_of(screen.query_one("#phase-name")).strip() == "Hug [b]knees[/b]"
        assert "[bold]Keep[/bold] the head down" in text_of(screen.query_one("#guidance"))
        assert screen.title == "One [red]hold[/]"


async def test_a_resume_offer_shows_a_bracketed_name_as_text(tmp_path: Path) -> None:
    """A name such as `Cat [/]` in the history crashed every later start in this dialog."""
    routines = write_routines(tmp_path, ONE_HOLD)
    store = HistoryStore.open(tmp_path / "data")
    plan = build_plan(load_file(routines).routines[0])
    from tui.core.engine import Session

    session = Session(plan, clock=ManualClock())
    start_recording(store, session)
    store.close()  # its lock goes with it: an orphan, as after a kill -9
    app = make_app(tmp_path, routines=routines)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, ResumeScreen)
        assert "One [red]hold[/]" in text_of(app.screen.query_one("#confirm-detail"))
        await pilot.press("r")
        await wait_for_screen(pilot, SessionScreen)


async def test_quitting_from_the_problems_screen_exits_1(tmp_path: Path) -> None:
    broken = write_routines(tmp_path, "schema = 1\n[[routines]]\nid = 'x'\n")
    app = make_app(tmp_path, routines=broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
    assert app.return_code == 1


async def test_quitting_the_routines_screen_exits_0(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
    assert app.return_code == 0


@pytest.mark.parametrize(
    ("editor", "said"),
    [
        ("subl", "'subl', is not installed"),
        ('vim "x', "is not a valid command"),
    ],
)
async def test_a_missing_or_badly_quoted_editor_is_a_notice_and_the_app_stays_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, editor: str, said: str
) -> None:
    monkeypatch.setenv("EDITOR", editor)
    monkeypatch.delenv("VISUAL", raising=False)
    suspended: list[bool] = []
    monkeypatch.setattr(BacktoneApp, "suspend", lambda self: suspended.append(True))
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert not suspended, "the terminal was handed over to an editor that cannot start"
        notices = [n.message for n in app._notifications]
        assert any(said in message for message in notices), notices
        await pilot.press("enter")  # still usable: a session starts
        await wait_for_screen(pilot, SessionScreen)


def test_find_editor_prefers_visual_and_checks_the_program(tmp_path: Path) -> None:
    program = tmp_path / "myedit"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    env = {"PATH": str(tmp_path), "VISUAL": "myedit --wait", "EDITOR": "nope"}
    assert find_editor(env) == ["myedit", "--wait"]
    with pytest.raises(EditorProblem, match="EDITOR"):
        find_editor({"PATH": str(tmp_path), "EDITOR": "nope"})
    with pytest.raises(EditorProblem, match="No editor found"):
        find_editor({"PATH": str(tmp_path / "empty")})


async def test_the_palette_shows_a_bracketed_name_as_written_and_starts_it(tmp_path: Path) -> None:
    from textual.widgets import OptionList

    app = make_app(tmp_path, routines=write_routines(tmp_path, ONE_HOLD))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for_screen(pilot, CommandPalette)
        await pilot.press(*"hold")
        await wait_until_hits(pilot)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Start: One [red]hold[/]" in prompt for prompt in prompts), prompts
        await pilot.press("enter")
        await wait_for_screen(pilot, SessionScreen)


async def wait_until_hits(pilot) -> None:
    from apphelpers import wait_until
    from textual.css.query import NoMatches
    from textual.widgets import OptionList

    def has_hits() -> bool:
        try:
            return pilot.app.screen.query_one(OptionList).option_count > 0
        except NoMatches:
            return False

    await wait_until(pilot, has_hits, "the palette's hits")


@pytest.mark.parametrize(("key", "what"), [("e", "Editing"), ("ctrl+z", "Suspending")])
async def test_in_the_browser_editing_and_suspending_say_they_are_not_available(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, what: str
) -> None:
    monkeypatch.setenv("BACKTONE_WEB", "1")
    monkeypatch.setenv("EDITOR", "true")
    suspended: list[bool] = []
    monkeypatch.setattr(BacktoneApp, "suspend", lambda self: suspended.append(True))
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert not suspended
        notices = [n.message for n in app._notifications]
        assert any(what in m and "not available in the browser" in m for m in notices), notices


@pytest.mark.parametrize(
    ("width", "shown"),
    [
        (50, ["Pause", "Next", "Stop", "Help"]),
        (80, ["Pause", "Next", "Back", "+5s", "-5s", "Mute bell", "Stop", "Help"]),
    ],
)
async def test_a_narrow_session_footer_keeps_pause_next_stop_and_help(
    tmp_path: Path, width: int, shown: list[str]
) -> None:
    from textual.widgets import Footer

    app = make_app(tmp_path)
    async with app.run_test(size=(width, 20)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, SessionScreen)
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        keys = [key.description for key in footer.query("FooterKey")]
        assert keys == shown
        assert footer.region.right <= width
        screen = session_screen(app)
        await pilot.press("right", "left")  # a key the Footer leaves out still works
        assert screen.session.index == 0


async def test_the_session_footer_follows_the_terminal_across_both_widths(
    tmp_path: Path,
) -> None:
    """Widened past 100 columns the palette's key comes; narrowed under 70 only Pause,
    Next, Stop and Help stay; and back."""
    from textual.widgets import Footer

    def keys() -> list[str]:
        footer = app.screen.query_one(Footer)
        return [key.description for key in footer.query("FooterKey")]

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, SessionScreen)
        await pilot.pause()
        assert "palette" not in keys() and "Back" in keys()
        for width, height in ((120, 40), (60, 20), (120, 40)):
            await pilot.resize_terminal(width, height)
            # The Footer composes its keys again after the resize reaches it: waited for.
            if width < 70:
                await wait_until(
                    pilot, lambda: keys() == ["Pause", "Next", "Stop", "Help"], "the few keys"
                )
            else:
                await wait_until(
                    pilot, lambda: "Back" in keys() and "palette" in keys(), "every key"
                )
