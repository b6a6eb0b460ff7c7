"""Pilot tests: the Routines screen, help, palette, the problems screen, editing the file."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pytest
from apphelpers import make_app, text_of, write_routines
from textual.command import CommandPalette
from textual.widgets import Input, OptionList

from tui.ui.screens.help import HelpScreen
from tui.ui.screens.player import SessionScreen
from tui.ui.screens.problems import ProblemsScreen
from tui.ui.screens.routine_list import RoutinesScreen

BUNDLED = Path(__file__).resolve().parents[1] / "routines.toml"


async def test_lists_routines_and_follows_the_highlight(tmp_path: Path) -> None:
    app = make_app(tmp_path, routines=BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoutinesScreen)
        options = screen.query_one("#routine-list", OptionList)
        assert options.option_count == 3
        assert "Daily back care" in text_of(screen.query_one("#detail-text"))
        assert "Caution" in text_of(screen.query_one("#detail-text"))
        await pilot.press("down")
        detail = text_of(screen.query_one("#detail-text"))
        assert "Short and gentle" in detail
        assert "Chair" in detail


async def test_filter_narrows_and_escape_clears(tmp_path: Path) -> None:
    app = make_app(tmp_path, routines=BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("slash", *"preg")
        assert isinstance(app.focused, Input)
        assert [r.id for r in screen.shown] == ["pregnancy-cat"]
        await pilot.press("escape")
        assert len(screen.shown) == 3
        assert isinstance(app.focused, OptionList)
        await pilot.press("slash", *"zzz")
        assert screen.shown == []
        assert "No routine matches 'zzz'" in text_of(screen.query_one("#detail-text"))


async def test_filter_then_enter_starts_the_match(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"only", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.plan.routine.id == "eggs"


async def test_help_lists_every_key_and_closes(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_text = text_of(app.screen.query_one("Static"))
        for words in ("Start", "Filter", "History", "Edit file", "Quit", "ctrl+p"):
            assert words in help_text
        await pilot.press("escape")
        assert isinstance(app.screen, RoutinesScreen)


async def test_palette_starts_a_routine(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        assert CommandPalette.is_open(app)
        await pilot.press(*"Only eggs")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.plan.routine.id == "eggs"


async def test_q_quits(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_fits_at_40x12(tmp_path: Path) -> None:
    app = make_app(tmp_path, routines=BUNDLED)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#routine-list", OptionList)
        assert options.region.height > 0
        assert options.region.right <= 40
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        digits = app.screen.query_one("#countdown")
        assert digits.region.height == 3
        assert digits.region.bottom <= 11


async def test_broken_file_opens_on_the_problems_screen(tmp_path: Path) -> None:
    path = write_routines(tmp_path, "schema = 1\n[exercises.egg]\nname = 3\n")
    app = make_app(tmp_path, routines=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        shown = text_of(app.screen.query_one("#problems-text"))
        assert "exercises.egg.name: must be a string" in shown
        assert "exercises.egg.phases: is required" in shown
        assert "routines: is required" in shown
        assert f"backtone check {path}" in shown
        # Esc does nothing: there are no good routines to go back to.
        await pilot.press("escape")
        assert isinstance(app.screen, ProblemsScreen)
        write_routines(tmp_path)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RoutinesScreen)
        assert len(app.screen.shown) == 2


@pytest.fixture
def no_suspend(monkeypatch: pytest.MonkeyPatch) -> None:
    """Headless apps cannot suspend; the editor runs as if the terminal were handed over."""
    from tui.ui.app import BacktoneApp

    monkeypatch.setattr(BacktoneApp, "suspend", lambda self: contextlib.nullcontext())


def fake_editor(tmp_path: Path, python_code: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\npath = pathlib.Path(sys.argv[1])\n" + python_code, encoding="utf-8"
    )
    return f"{sys.executable} {script}"


async def test_edit_reloads_the_new_routines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_suspend: None
) -> None:
    code = "path.write_text(path.read_text().replace('Only eggs', 'Just eggs'))\n"
    monkeypatch.setenv("VISUAL", fake_editor(tmp_path, code))
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, RoutinesScreen)
        assert [r.name for r in app.screen.shown] == ["Short test", "Just eggs"]


async def test_edit_that_breaks_the_file_shows_problems_and_keeps_the_old_routines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_suspend: None
) -> None:
    code = "path.write_text(path.read_text().replace('reps = 2', 'reps = 0'))\n"
    monkeypatch.setenv("VISUAL", fake_editor(tmp_path, code))
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        assert "reps: 0 is out of range" in text_of(app.screen.query_one("#problems-text"))
        await pilot.press("escape")
        assert isinstance(app.screen, RoutinesScreen)
        assert len(app.screen.shown) == 2
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


async def test_edit_without_an_editor_says_how_to_set_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("set $VISUAL or $EDITOR" in m for m in messages)


async def test_a_file_changed_on_disk_is_reloaded(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        path = app.routines_path
        path.write_text(path.read_text().replace("Only eggs", "Eggs, renamed") + "\n")
        screen.check_file()
        await pilot.pause()
        assert [r.name for r in screen.shown] == ["Short test", "Eggs, renamed"]
        path.write_text("schema = 2\n")
        screen.check_file()
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        assert "unsupported schema 2" in text_of(app.screen.query_one("#problems-text"))


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_help_box_is_big_enough_to_read(tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        box = app.screen.query_one("#help-box")
        assert box.region.width >= min(60, size[0] - 4)
        assert box.region.height >= min(10, size[1] - 2)
        await pilot.press("escape")
        assert isinstance(app.screen, RoutinesScreen)


def test_the_header_names_the_routine_file_briefly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.paths import bundled_routines_path
    from tui.ui.screens.routine_list import source_label

    monkeypatch.setenv("HOME", str(tmp_path))
    assert source_label(bundled_routines_path()) == "bundled routines"
    assert source_label(tmp_path / ".config" / "r.toml") == "~/.config/r.toml"
    assert source_label(Path("/srv/routines.toml")) == "/srv/routines.toml"
