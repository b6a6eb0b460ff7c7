"""Pilot tests: the History screen, session details, delete with confirm, resume at start."""

from __future__ import annotations

from pathlib import Path

from apphelpers import ManualClock, make_app, text_of, wait_for_screen, wait_until
from textual.widgets import DataTable

from tui.core.engine import Session
from tui.core.loader import load_file
from tui.core.plan import build_plan
from tui.store.recorder import start_recording
from tui.store.sessions import HistoryStore
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.history_view import HistoryScreen, SessionDetailScreen
from tui.ui.screens.player import SessionScreen
from tui.ui.screens.resume_offer import ResumeScreen
from tui.ui.screens.routine_list import RoutinesScreen


async def play_eggs_to_the_end(pilot, app, clock: ManualClock) -> None:
    await pilot.press("end", "enter")  # "Only eggs", the last routine
    await pilot.pause()
    assert isinstance(app.screen, SessionScreen)
    clock.advance(10.0)
    app.screen.catch_up()
    await pilot.pause()


async def test_empty_history_says_so(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.has_class("-empty")
        assert "Streak 0 days" in text_of(app.screen.query_one("#stats"))
        await pilot.press("enter", "d")  # nothing to show or delete: no error
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, RoutinesScreen)


async def test_a_finished_session_is_in_the_table_with_details(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await play_eggs_to_the_end(pilot, app, clock)
        await pilot.press("h")  # from the summary
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 1
        row = table.get_row_at(0)
        assert str(row[1]) == "Only eggs"
        assert row[2] == "0:10"
        assert row[3] == "100%"
        assert str(row[4]) == "completed"
        assert "Streak 1 day" in text_of(app.screen.query_one("#stats"))
        await pilot.press("enter")
        assert isinstance(app.screen, SessionDetailScreen)
        segments = app.screen.query_one("#segments", DataTable)
        assert segments.row_count == 3
        assert str(segments.get_row_at(1)[2]) == "Hug knees to chest"
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)


async def test_delete_asks_first(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await play_eggs_to_the_end(pilot, app, clock)
        await pilot.press("enter")  # back to the routines
        await play_eggs_to_the_end(pilot, app, clock)
        await pilot.press("h")
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 2
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert table.row_count == 2
        await pilot.press("d", "y")
        await pilot.pause()
        assert table.row_count == 1
        assert app.store is not None and app.store.count() == 1


async def test_quitting_mid_session_records_it_as_stopped(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        clock.advance(3)
        await pilot.press("ctrl+q")
    store = HistoryStore.open(tmp_path / "data")
    [row] = store.sessions()
    assert row.status == "stopped"
    assert row.active_seconds == 3


async def test_an_orphaned_session_is_offered_and_resumes(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    book = load_file(app.routines_path)
    plan = build_plan(book.routine("short"))
    store = HistoryStore.open(tmp_path / "data")
    session = Session(plan, clock)
    recorder = start_recording(store, session)
    recorder.record(session, session.start())
    for _ in range(4):  # prepare, hold, release, then into rep 2
        clock.advance(plan.segments[session.index].planned)
        recorder.record(session, session.update())
    store.close()  # the process is gone
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, ResumeScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.index == 4
        assert text_of(app.screen.query_one("#position")).strip() == "Rep 2/2"


async def test_keep_as_interrupted(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    plan = build_plan(load_file(app.routines_path).routine("eggs"))
    store = HistoryStore.open(tmp_path / "data")
    session = Session(plan, clock)
    start_recording(store, session).record(session, session.start())
    store.close()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, ResumeScreen)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, RoutinesScreen)
    store = HistoryStore.open(tmp_path / "data")
    assert [row.status for row in store.sessions()] == ["interrupted"]


async def test_unwritable_data_dir_warns_and_still_plays(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock, data_dir=blocker / "data")
    async with app.run_test(size=(80, 24)) as pilot:

        def messages() -> str:
            return " ".join(n.message for n in app._notifications)

        await wait_until(pilot, lambda: "History is off" in messages(), "the history warning")
        assert "still play" in messages()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("right")
        await pilot.press("h")  # not bound on the session screen: nothing happens
        assert isinstance(app.screen, SessionScreen)


async def test_a_session_started_before_the_store_opened_is_recorded(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # likely before the store's own opening, just after start-up
        assert isinstance(app.screen, SessionScreen)
        assert app.store is not None and app.store.count() == 1
        await pilot.pause(0.3)  # the delayed opening comes and goes: still one store, one row
        assert app.store.count() == 1
