"""Pilot tests of the check-ins around a session and of progression, through the whole app:
what is asked, what is stored, what the next session plays."""

from __future__ import annotations

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

from tui.core.loader import load_file
from tui.core.progression import step_identities
from tui.store.sessions import HistoryStore
from tui.ui.app import AFTER_QUESTION, BEFORE_QUESTION, BacktoneApp
from tui.ui.screens.checkin import CheckInScreen, NoteScreen
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


def stored_notes(tmp_path: Path) -> list[str | None]:
    store = HistoryStore.open(tmp_path / "data")
    try:
        return [row.note for row in store.sessions()]
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
        await wait_for_screen(pilot, NoteScreen)
        await pilot.press(*"Easier", "space", *"[today]", "enter")
        await wait_for_screen(pilot, SummaryScreen)
        await pilot.pause()
        summary_text = text_of(app.screen.query_one("#summary-text"))
        assert "4" in summary_text and "10" in summary_text
        assert "Easier [today]" in summary_text
        await wait_until(pilot, lambda: not app._pending_writes, "the note written")
    assert stored(tmp_path) == [(4, 10)]
    assert stored_notes(tmp_path) == ["Easier [today]"]


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
        await pilot.pause()
        assert not any(isinstance(s, NoteScreen) for s in app.screen_stack)  # no note asked
    assert stored(tmp_path) == [(None, None)]
    assert stored_notes(tmp_path) == [None]


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
            await wait_for_screen(pilot, NoteScreen)
            await pilot.press("enter")  # no note
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


# -- the note after "And now?" ---------------------------------------------------------------

CHARACTERS = {"enter": "\r", "escape": "\x1b", "space": " ", "backspace": "\x7f", "ctrl+q": None}


def burst(app: BacktoneApp, *keys: str) -> None:
    """Every key in the app's queue at once, before any of them is handled (a phone's SSH
    client, `tmux send-keys 3 Enter stiff Enter`)."""
    from textual.events import Key

    for key in keys:
        app.post_message(Key(key, CHARACTERS.get(key, key)))


async def to_and_now(pilot, app: BacktoneApp, clock: ManualClock) -> None:
    """Through "How is your back?" (4) and the session, to "And now?"."""
    await pilot.press("enter")
    await answer(pilot, BEFORE_QUESTION, ("4", "enter"))
    await play_to_the_end(pilot, app, clock)
    await wait_for_screen(pilot, CheckInScreen)
    assert app.screen.question == AFTER_QUESTION  # type: ignore[attr-defined]


def the_note(app: BacktoneApp) -> NoteScreen:
    note = next((s for s in app.screen_stack if isinstance(s, NoteScreen)), None)
    assert note is not None, app.screen_stack
    return note


def typed(app: BacktoneApp) -> str | None:
    """What the note's input holds; None before the note is built."""
    from textual.css.query import NoMatches
    from textual.widgets import Input

    note = next((s for s in app.screen_stack if isinstance(s, NoteScreen)), None)
    try:
        return None if note is None else note.query_one("#note-input", Input).value
    except NoMatches:
        return None


async def written(pilot, app: BacktoneApp) -> None:
    await wait_until(pilot, lambda: not app._pending_writes, "every write done")


@pytest.mark.parametrize("skip", ["enter", "escape"])
async def test_enter_or_escape_skips_the_note(tmp_path: Path, skip: str) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, RISING), clock=clock, checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_and_now(pilot, app, clock)
        await pilot.press("2", "enter")
        await wait_for_screen(pilot, NoteScreen)
        if skip == "escape":
            await pilot.press(*"never mind")  # Esc drops what was typed: it means "skip"
        await pilot.press(skip)
        await wait_for_screen(pilot, SummaryScreen)
        await written(pilot, app)
        assert "never" not in text_of(app.screen.query_one("#summary-text"))
    assert stored(tmp_path) == [(4, 2)]
    assert stored_notes(tmp_path) == [None]


async def test_s_on_and_now_skips_the_note_too(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, RISING), clock=clock, checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_and_now(pilot, app, clock)
        await pilot.press("s")
        await wait_for_screen(pilot, SummaryScreen)
        await pilot.pause()
        assert not any(isinstance(s, NoteScreen) for s in app.screen_stack)
    assert stored(tmp_path) == [(4, None)]


async def test_a_burst_of_the_answer_the_note_and_enter_keeps_both(tmp_path: Path) -> None:
    """`3 Enter stiff left Enter` in one read: the letters after the first Enter wait for the
    note to be built, and the second Enter answers it with all of them, not fewer or more."""
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, RISING), clock=clock, checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_and_now(pilot, app, clock)
        burst(app, "3", "enter", *"stiff", "space", *"lefy", "backspace", "t", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen), "the summary")
        await written(pilot, app)
    assert stored(tmp_path) == [(4, 3)]
    assert stored_notes(tmp_path) == ["stiff left"]


async def test_a_q_just_after_and_now_is_typed_into_the_note(tmp_path: Path) -> None:
    """`3 Enter q` used to quit from the summary; now the note comes first, and the q lands
    in it as text: shown, nothing lost, the app still running. Esc drops it."""
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, RISING), clock=clock, checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_and_now(pilot, app, clock)
        burst(app, "3", "enter", "q")
        await wait_until(pilot, lambda: typed(app) == "q", "the q in the note")
        assert app.is_running and isinstance(app.screen, NoteScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, SummaryScreen)
        await written(pilot, app)
    assert stored(tmp_path) == [(4, 3)]
    assert stored_notes(tmp_path) == [None]


async def test_enter_then_q_skips_the_note_and_quits_from_the_summary(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, RISING), clock=clock, checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_and_now(pilot, app, clock)
        burst(app, "3", "enter", "enter", "q")
        await wait_until(pilot, lambda: not app.is_running, "the app quits")
    assert stored(tmp_path) == [(4, 3)]
    assert stored_notes(tmp_path) == [None]


@pytest.mark.parametrize("in_a_burst", [False, True])
async def test_ctrl_q_in_the_note_quits_and_keeps_what_was_typed(
    tmp_path: Path, in_a_burst: bool
) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, RISING), clock=clock, checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_and_now(pilot, app, clock)
        await pilot.press("5", "enter")
        await wait_for_screen(pilot, NoteScreen)
        if in_a_burst:  # the letters still on their way to the input as Ctrl+Q quits
            burst(app, *"sore", "ctrl+q")
        else:
            await pilot.press(*"sore")
            await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running, "the app quits")
    assert stored(tmp_path) == [(4, 5)]
    assert stored_notes(tmp_path) == ["sore"]


async def test_a_long_note_is_cut_at_the_limit_and_says_so(tmp_path: Path) -> None:
    from textual.events import Paste

    from tui.ui.screens.checkin import NOTE_FULL, NOTE_LENGTH

    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, RISING), clock=clock, checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_and_now(pilot, app, clock)
        await pilot.press("3", "enter")
        await wait_for_screen(pilot, NoteScreen)
        the_note(app).query_one("#note-input").post_message(Paste("x" * (NOTE_LENGTH + 50)))
        await wait_until(pilot, lambda: len(typed(app)) == NOTE_LENGTH, "the paste, cut")
        await pilot.press("y")  # one more: refused, said
        await pilot.pause()
        assert typed(app) == "x" * NOTE_LENGTH
        assert text_of(the_note(app).query_one("#note-hint")) == NOTE_FULL
        await pilot.press("enter")
        await wait_for_screen(pilot, SummaryScreen)
        await written(pilot, app)
    assert stored_notes(tmp_path) == ["x" * NOTE_LENGTH]


async def test_control_characters_are_taken_out_of_the_note(tmp_path: Path) -> None:
    from textual.events import Paste

    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, RISING), clock=clock, checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_and_now(pilot, app, clock)
        await pilot.press("3", "enter")
        await wait_for_screen(pilot, NoteScreen)
        pasted = "tight\thips\x1b[31m red\x07\u202e\nsecond line"
        the_note(app).query_one("#note-input").post_message(Paste(pasted))
        await wait_until(pilot, lambda: typed(app) != "", "the paste")
        await pilot.press("enter")
        await wait_for_screen(pilot, SummaryScreen)
        await written(pilot, app)
    assert stored_notes(tmp_path) == ["tight hips[31m red second line"]


async def test_the_note_fits_at_40x12_in_ascii(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(
        tmp_path,
        routines=write_routines(tmp_path, RISING),
        clock=clock,
        checkin=True,
        ascii_only=True,
    )
    async with app.run_test(size=(40, 12)) as pilot:
        await to_and_now(pilot, app, clock)
        await pilot.press("3", "enter")
        await wait_for_screen(pilot, NoteScreen)
        await pilot.press(*"ok")
        await pilot.pause()
        note = the_note(app)
        for widget_id in ("note-question", "note-caption", "note-input", "note-hint"):
            region = note.query_one(f"#{widget_id}").region
            assert region.width > 0 and region.height > 0, widget_id
            assert region.right <= 40 and region.bottom <= 12, widget_id
        box = note.query_one("#note-box").region
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        shown = "\n".join(line[box.x : box.right] for line in lines[box.y : box.bottom])
        assert "Anything you noticed?" in shown and "Save (Enter)" in shown
        assert [char for char in "━┃┏┓┗┛╭╮╰╯│─⏎←→–▊▎▔▁·" if char in shown] == []
        await pilot.press("enter")
        await wait_for_screen(pilot, SummaryScreen)
        await written(pilot, app)
    assert stored_notes(tmp_path) == ["ok"]


async def test_ctrl_p_does_not_open_the_palette_over_the_note(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, RISING), clock=clock, checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_and_now(pilot, app, clock)
        await pilot.press("3", "enter")
        await wait_for_screen(pilot, NoteScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)


# -- a history that cannot take the note -----------------------------------------------------


def notices(app: BacktoneApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, *a, **k: said.append(str(message)))
    return said


async def test_a_read_only_history_asks_no_note_and_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A history opened read-only records nothing: the session says so as it starts, the
    check-in after is still asked (the summary shows it), and no note is asked for, as it
    could be kept nowhere."""
    import os

    import tui.store.database as database_module

    routines = write_routines(tmp_path, RISING)
    first = make_app(tmp_path, routines=routines)  # a history with one session in it
    async with first.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: first.store is not None, "the history")
    real = os.access
    monkeypatch.setattr(
        database_module.os,
        "access",
        lambda path, mode, **kw: False if mode & os.W_OK else real(path, mode),
    )
    clock = ManualClock()
    app = make_app(tmp_path, routines=routines, clock=clock, checkin=True)
    said = notices(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_and_now(pilot, app, clock)
        await pilot.press("3", "enter")
        await wait_for_screen(pilot, SummaryScreen)
        await written(pilot, app)
        assert app.is_running
        assert not any(isinstance(s, NoteScreen) for s in app.screen_stack)
        assert "3" in text_of(app.screen.query_one("#summary-text"))
    assert sum("not recorded" in line for line in said) == 1, said


async def test_a_history_that_fails_under_the_session_says_why_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recording works during the session, then every write on a connection of the
    recorder's own (the end, the check-in, the note: all from worker threads) is refused, as
    if the file turned read-only: the reason is named once, the check-in and the note each
    say they were not recorded, and nothing ends in a traceback."""
    import sqlite3

    import tui.store.recorder as recorder_module

    def refuse(*_args: object, **_kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, RISING), clock=clock, checkin=True)
    said = notices(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await answer(pilot, BEFORE_QUESTION, ("4", "enter"))
        await wait_for_screen(pilot, SessionScreen)
        monkeypatch.setattr(recorder_module, "connect", refuse)
        await play_to_the_end(pilot, app, clock)
        await answer(pilot, AFTER_QUESTION, ("3", "enter"))
        await wait_for_screen(pilot, NoteScreen)
        await pilot.press(*"fine", "enter")
        await wait_for_screen(pilot, SummaryScreen)
        await written(pilot, app)
        assert app.is_running
    warnings = [line for line in said if "record" in line]
    assert sum("read-only" in line for line in warnings) == 1, warnings
    assert any(line.startswith("How your back feels now was not recorded") for line in warnings)
    assert "Your note was not recorded either." in warnings


# -- the programme version ----------------------------------------------------------------------

PROGRAMME = RISING.replace(
    "schema = 2\n", 'schema = 3\n\n[program]\ntitle = "After the visit"\nversion = "2"\n'
)


def stored_versions(tmp_path: Path) -> list[str | None]:
    store = HistoryStore.open(tmp_path / "data")
    try:
        return [row.program_version for row in store.sessions()]
    finally:
        store.close()


@pytest.mark.parametrize(("text", "version"), [(PROGRAMME, "2"), (RISING, None)])
async def test_each_session_records_the_programme_version(
    tmp_path: Path, text: str, version: str | None
) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, routines=write_routines(tmp_path, text), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await play_to_the_end(pilot, app, clock)
        await written(pilot, app)
    assert stored_versions(tmp_path) == [version]


async def test_a_resumed_session_keeps_the_version_it_began_with(tmp_path: Path) -> None:
    clock = ManualClock()
    routines = write_routines(tmp_path, PROGRAMME)
    first = make_app(tmp_path, routines=routines, clock=clock)
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, SessionScreen)
        assert first.store is not None
        first.store.close()  # the process vanishes, the session unfinished
        first.store = None
        the_session(first).recorder = None
    routines.write_text(PROGRAMME.replace('version = "2"', 'version = "3"'))
    again = make_app(tmp_path, routines=routines, clock=clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, ResumeScreen)
        await pilot.press("r")
        await play_to_the_end(pilot, again, clock)
        await written(pilot, again)
    assert stored_versions(tmp_path) == ["2"]
