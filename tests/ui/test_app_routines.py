"""Pilot tests: the Routines screen, help, palette, the problems screen, editing the file."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pytest
from apphelpers import SHORT_ROUTINES, make_app, text_of, wait_until, write_routines
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.core.loader import load_text
from tui.core.progression import PastSession, levels_for
from tui.ui.app import BacktoneApp
from tui.ui.screens import routine_list
from tui.ui.screens.exercise_card import ExerciseCardScreen
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.player import SessionScreen
from tui.ui.screens.problems import ProblemsScreen
from tui.ui.screens.routine_list import (
    FILTER_AT_ONCE,
    FILTER_DELAY,
    RoutinesScreen,
    StepPicker,
    next_matches,
    routine_matches,
    search_text,
)

BUNDLED = Path(__file__).resolve().parents[2] / "routines.toml"


async def test_lists_routines_and_follows_the_highlight(tmp_path: Path) -> None:
    app = make_app(tmp_path, routines=BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoutinesScreen)
        options = screen.query_one("#routine-list", OptionList)
        assert options.option_count == 3
        assert "Daily back care" in text_of(screen.query_one("#detail-text"))
        assert "Stop if the pain grows" in text_of(screen.query_one("#routine-caution"))
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
        for words in ("Start", "Filter", "History", "Edit file", "Quit", "^p", "^z"):
            assert words in help_text
        await pilot.press("escape")
        assert isinstance(app.screen, RoutinesScreen)


async def test_palette_starts_a_routine(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        assert CommandPalette.is_open(app)
        await pilot.press(*"Only eggs")
        await wait_until(
            pilot, lambda: palette_highlight(app).startswith("Start: Only eggs"), "the hit"
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.plan.routine.id == "eggs"


def palette_prompts(app: BacktoneApp) -> list[str]:
    """The hits the command palette lists now (the search runs a moment after each key)."""
    try:
        hits = app.screen.query_one(CommandList)
    except NoMatches:
        return []
    return [str(hits.get_option_at_index(n).prompt) for n in range(hits.option_count)]


def palette_highlight(app: BacktoneApp) -> str:
    """The hit Enter would run, or ""."""
    try:
        hits = app.screen.query_one(CommandList)
    except NoMatches:
        return ""
    index = hits.highlighted
    return "" if index is None else str(hits.get_option_at_index(index).prompt)


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
        assert digits.region.height >= 2  # the scaling clock takes what 12 rows leave it
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
        path.write_text("schema = 4\n")
        screen.check_file()
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        assert "unsupported schema 4" in text_of(app.screen.query_one("#problems-text"))


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


# -- the caution, levels, the pain notice, the card, text, and a large file ----------------


async def routines_screen(pilot: Pilot[None]) -> RoutinesScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RoutinesScreen)
    return screen


async def routines_screen_with_history(pilot: Pilot[None]) -> RoutinesScreen:
    """The Routines screen once the app has opened the history and given it its levels."""
    screen = await routines_screen(pilot)
    app = pilot.app
    assert isinstance(app, BacktoneApp)
    await wait_until(pilot, lambda: app.store is not None, "the history to open")
    await pilot.pause()
    return screen


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_the_caution_is_apart_and_on_screen_at_every_size(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(tmp_path, routines=BUNDLED)
    async with app.run_test(size=size) as pilot:
        screen = await routines_screen(pilot)
        caution = screen.query_one("#routine-caution")
        assert text_of(caution).startswith("⚠ Stop if the pain grows.")
        assert "Stop if the pain grows" not in text_of(screen.query_one("#detail-text"))
        region = caution.region
        assert region.height >= 1 and region.bottom <= size[1] - 1  # above the Footer
        assert caution.styles.border_left[0] == "thick"
        await pilot.press("end")  # the pregnancy-safe routine names the midwife
        assert "midwife" in text_of(screen.query_one("#routine-caution"))


async def test_the_caution_is_plain_in_ascii_mode(tmp_path: Path) -> None:
    app = make_app(tmp_path, routines=BUNDLED, ascii_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await routines_screen(pilot)
        assert text_of(screen.query_one("#routine-caution")).startswith("! Stop")


async def test_steps_show_their_progression_level(tmp_path: Path) -> None:
    app = make_app(tmp_path, routines=BUNDLED)
    async with app.run_test(size=(120, 40)) as pilot:
        # The app sets the levels from the history once it opens: wait for that first.
        screen = await routines_screen_with_history(pilot)
        assert app.book is not None
        daily = app.book.routine("daily-back")
        history = [PastSession(frozenset(range(len(daily.steps))))] * 5  # two rises, one over
        screen.show_book(app.book, {"daily-back": levels_for(daily, history)})
        await pilot.pause()
        detail = " ".join(text_of(screen.query_one("#detail-text")).split())
        assert "Egg 10 × hold 7 s (rising to 10 s: 1 more full session)" in detail
        assert "(7 s, hold)" in detail  # the phases as they will be played
        screen.show_book(app.book)  # a reload without levels keeps them
        detail = " ".join(text_of(screen.query_one("#detail-text")).split())
        assert "hold 7 s (rising" in detail


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_the_pain_notice_shows_when_the_app_says(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(tmp_path, routines=BUNDLED)
    async with app.run_test(size=size) as pilot:
        # The app gives the notice its state once the history opens: wait for that first.
        screen = await routines_screen_with_history(pilot)
        notice = screen.query_one("#pain-notice")
        assert not notice.display or notice.region.height == 0
        screen.show_pain_notice(True)
        await pilot.pause()
        assert notice.region.height >= 1
        assert "ask a physiotherapist" in text_of(notice)
        assert screen.query_one("#routine-list").region.height >= 2  # still a list to pick from
        screen.show_pain_notice(False)
        await pilot.pause()
        assert notice.region.height == 0


async def test_i_opens_the_exercise_card(tmp_path: Path) -> None:
    app = make_app(tmp_path, routines=BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await routines_screen(pilot)
        await pilot.press("end", "i")  # "Pregnancy: cat only": one exercise, its card at once
        assert isinstance(app.screen, ExerciseCardScreen)
        assert app.screen.exercise.name == "Cat"
        await pilot.press("escape")
        await pilot.press("home", "i")  # three exercises: which one?
        assert isinstance(app.screen, StepPicker)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseCardScreen)
        assert app.screen.exercise.name == "Egg"
        await pilot.press("escape")
        await pilot.press("i", "escape")
        assert isinstance(app.screen, RoutinesScreen)


MARKUP_NAMES = ["Cat [/]", "[bold]x", "Side plank [left]", "[red]stop[/red] \\[x]"]


async def test_names_are_text_never_markup(tmp_path: Path) -> None:
    text = SHORT_ROUTINES.replace('name = "Egg"', f"name = {toml_string(MARKUP_NAMES[0])}")
    text = text.replace('name = "Short test"', f"name = {toml_string(MARKUP_NAMES[1])}")
    text = text.replace('name = "Only eggs"', f"name = {toml_string(MARKUP_NAMES[2])}")
    app = make_app(tmp_path, routines=write_routines(tmp_path, text))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await routines_screen(pilot)
        options = screen.query_one("#routine-list", OptionList)
        shown = [text_of_prompt(options.get_option_at_index(n)) for n in range(2)]
        assert shown[0].startswith(MARKUP_NAMES[1]) and shown[1].startswith(MARKUP_NAMES[2])
        detail = text_of(screen.query_one("#detail-text"))
        assert MARKUP_NAMES[1] in detail and MARKUP_NAMES[0] in detail
        await pilot.press("i")
        assert isinstance(app.screen, StepPicker)
        picker = app.screen.query_one("#picker-list", OptionList)
        assert text_of_prompt(picker.get_option_at_index(0)) == f"1. {MARKUP_NAMES[0]}"
        await pilot.press("escape", "ctrl+p")
        await pilot.press(*"Side")
        hit = f"Start: {MARKUP_NAMES[2]}"
        await wait_until(pilot, lambda: any(hit in p for p in palette_prompts(app)), hit)
        assert CommandPalette.is_open(app)


@pytest.mark.parametrize("name", MARKUP_NAMES)
async def test_help_over_a_session_names_the_routine_as_text(tmp_path: Path, name: str) -> None:
    text = SHORT_ROUTINES.replace('name = "Short test"', f"name = {toml_string(name)}")
    routines = write_routines(tmp_path, text)
    app = make_app(tmp_path, routines=routines, start_routine="short")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        box = app.screen.query_one("#help-box")
        # The box's top border, as the terminal gets it (Textual draws borders only there).
        screen_lines = [strip.text for strip in app.screen._compositor.render_strips()]
        assert f" Keys: {name} " in screen_lines[box.region.y]


def toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def text_of_prompt(option: Option) -> str:
    prompt = option.prompt
    return prompt.plain if isinstance(prompt, Text) else str(prompt)


def many_routines(count: int) -> str:
    head = SHORT_ROUTINES.split("[[routines]]")[0]
    return head + "".join(
        f'[[routines]]\nid = "r{n}"\nname = "Routine {n}"\nsteps = [{{ exercise = "egg" }}]\n'
        for n in range(count)
    )


@pytest.fixture
def typing_never_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """No pause in the typing comes by itself: on a loaded machine two keys the Pilot sends one
    after the other can be further apart than FILTER_DELAY, and the list was filled between
    them. A test that wants the pause puts the delay back."""
    monkeypatch.setattr(routine_list, "FILTER_DELAY", 3600.0)


async def test_a_large_file_lists_thousands_of_matches_after_a_pause_and_few_at_once(
    tmp_path: Path, typing_never_pauses: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = FILTER_AT_ONCE * 3
    app = make_app(tmp_path, routines=write_routines(tmp_path, many_routines(count)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await routines_screen(pilot)
        assert len(screen.shown) == count
        with_1 = sum("1" in str(n) for n in range(count))
        assert with_1 > FILTER_AT_ONCE
        await pilot.press("slash", *"routine 1")  # thousands of matches: the list waits
        assert len(screen.shown) == count
        assert screen._filter_timer is not None
        await pilot.press("5")  # a few hundred: listed at once
        assert screen._filter_timer is None
        assert len(screen.shown) == sum("15" in str(n) for n in range(count))
        assert [r.id for r in screen.shown][:3] == ["r15", "r115", "r150"]
        monkeypatch.setattr(routine_list, "FILTER_DELAY", FILTER_DELAY)
        await pilot.press("backspace")  # thousands again: listed after the pause
        await wait_until(pilot, lambda: len(screen.shown) == with_1, "the pause's filter")


async def test_enter_straight_after_typing_starts_what_was_typed_for(
    tmp_path: Path, typing_never_pauses: None
) -> None:
    count = FILTER_AT_ONCE * 3
    app = make_app(tmp_path, routines=write_routines(tmp_path, many_routines(count)))
    async with app.run_test(size=(80, 24)) as pilot:
        await routines_screen(pilot)
        await pilot.press("slash", *"routine 1", "enter")  # the list was still waiting
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.plan.routine.id == "r1"


async def test_the_list_is_rebuilt_only_when_what_it_shows_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Measuring thousands of options is the dear part of the list: a filter key that finds
    the same routines, or levels that did not move, leave it as it is."""
    count = 600
    app = make_app(tmp_path, routines=write_routines(tmp_path, many_routines(count)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await routines_screen_with_history(pilot)
        built: list[int] = []
        original = OptionList.set_options

        def counted(self: OptionList, options: object) -> OptionList:
            result = original(self, options)  # type: ignore[arg-type]
            built.append(self.option_count)
            return result

        monkeypatch.setattr(OptionList, "set_options", counted)
        screen.show_levels(dict(screen.levels))  # the same levels, given again
        await pilot.press("slash")
        for key in "routine":  # every routine's name has each of these
            await pilot.press(key)
            screen._filter_now()
        assert built == []
        await pilot.press("space", "5", "9", "9")  # these narrow it: rebuilt
        screen._filter_now()
        assert built and built[-1] == 1
        assert screen.shown[0].id == "r599"
        await pilot.press("9")
        screen._filter_now()
        assert built[-1] == 0
        assert "'routine 5999'" in text_of(screen.query_one("#detail-text"))
        builds = len(built)
        await pilot.press("9")  # still nothing: the list stays, the message names the query
        screen._filter_now()
        assert len(built) == builds
        assert "'routine 59999'" in text_of(screen.query_one("#detail-text"))


async def test_levels_that_move_redraw_that_routine_only(tmp_path: Path) -> None:
    app = make_app(tmp_path, routines=BUNDLED)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await routines_screen_with_history(pilot)
        assert app.book is not None
        daily = app.book.routine("daily-back")
        others = {r.id: screen._options[r.id] for r in app.book.routines if r.id != daily.id}
        before = str(screen._options[daily.id].prompt)
        history = [PastSession(frozenset(range(len(daily.steps))))] * 5
        screen.show_levels({"daily-back": levels_for(daily, history)})
        await pilot.pause()
        assert str(screen._options[daily.id].prompt) != before  # a longer routine now
        assert all(screen._options[rid] is option for rid, option in others.items())
        listed = screen.query_one("#routine-list", OptionList)
        shown = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert str(screen._options[daily.id].prompt) in shown


@settings(max_examples=60, deadline=None)
@given(
    queries=st.lists(
        st.text(alphabet=st.sampled_from("ro 1e9ugS"), max_size=6), min_size=1, max_size=6
    )
)
def test_narrowing_the_filter_finds_what_a_fresh_search_finds(queries: list[str]) -> None:
    book = load_text(many_routines(30))
    search = {routine.id: search_text(routine) for routine in book.routines}
    last_query, last = "", list(book.routines)
    for query in queries:
        found = next_matches(book.routines, search, query, last_query, last)
        assert found == [r for r in book.routines if routine_matches(r, query)]
        last_query, last = query, found


async def test_help_over_the_routines_is_titled_with_the_screen_a_person_sees(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RoutinesScreen), "the routines")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        box = app.screen.query_one("#help-box")
        screen_lines = [strip.text for strip in app.screen._compositor.render_strips()]
        assert " Keys: Routines " in screen_lines[box.region.y]
        assert "Screen" not in screen_lines[box.region.y]
