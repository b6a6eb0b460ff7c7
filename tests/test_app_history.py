"""Pilot tests: the History screen, session details, delete with confirm, resume at start."""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
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
from hypothesis import given
from hypothesis import strategies as st
from textual.app import App
from textual.content import Content
from textual.widgets import DataTable

from tui import paths
from tui.core.engine import Session
from tui.core.loader import load_file
from tui.core.plan import build_plan
from tui.store.recorder import start_recording
from tui.store.rows import WeekTrend
from tui.store.sessions import HistoryStore
from tui.ui.app import BacktoneApp
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.history_view import HistoryScreen, SessionDetailScreen
from tui.ui.screens.player import SessionScreen
from tui.ui.screens.resume_offer import ResumeScreen
from tui.ui.screens.routine_list import RoutinesScreen
from tui.ui.widgets.trend_panel import ASCII_LEVELS, BLOCKS, NEEDS, bar, trend_sentence


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
        row = [str(cell) for cell in table.get_row_at(0)]  # Started Time Done Ended Pain Routine
        assert row[1:] == ["0:10", "100%", "in full", "", "Only eggs"]
        assert "Streak 1 day" in text_of(app.screen.query_one("#stats"))
        await pilot.press("enter")
        assert isinstance(app.screen, SessionDetailScreen)
        segments = app.screen.query_one("#segments", DataTable)
        assert segments.row_count == 3
        assert [str(cell) for cell in segments.get_row_at(1)[1:5]] == [
            "done",
            "0:06",
            "Egg",
            "Hug knees to chest",
        ]
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
        await pilot.press("ctrl+q")  # asks first, as q does
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: not app.is_running, "the app quits")
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


# -- the History screen on its own: trend, Footer, narrow terminals, text ------------------

TODAY = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # a Wednesday


class HistoryHost(App[None]):
    CSS_PATH = str(paths.stylesheet_path())
    HORIZONTAL_BREAKPOINTS = BacktoneApp.HORIZONTAL_BREAKPOINTS
    VERTICAL_BREAKPOINTS = BacktoneApp.VERTICAL_BREAKPOINTS

    def __init__(self, store: HistoryStore, ascii_only: bool = False) -> None:
        super().__init__()
        self.store = store
        self.ascii_only = ascii_only
        self.set_class(ascii_only, "-ascii")

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self.store, ascii_only=self.ascii_only))


def fill(
    store: HistoryStore,
    days_ago: list[int],
    pain: tuple[int | None, int | None] = (None, None),
    name: str = "Only eggs",
    pains: Mapping[int, tuple[int | None, int | None]] | None = None,
) -> None:
    """Ended sessions of 8 minutes, one on each day given (days before TODAY)."""
    routine = load_file(write_routines(store.path.parent.parent)).routine("eggs")
    plan = build_plan(replace(routine, name=name))
    for ago in days_ago:
        store.now = partial(operator.sub, TODAY, timedelta(days=ago))
        before, after = (pains or {}).get(ago, pain)
        session_id = store.begin(plan, pain_before=before)
        store.set_pain(session_id, after=after)
        store.connection.execute(
            "UPDATE sessions SET status = 'completed', segments_done = segments_total,"
            " active_seconds = 480, ended_at = started_at WHERE id = ?",
            (session_id,),
        )
        store.connection.executemany(
            "INSERT INTO segments (session_id, segment_index, kind, label, exercise, position,"
            " outcome, active_seconds, ended_at) VALUES (?, ?, ?, ?, ?, ?, 'done', ?, '')",
            [
                (session_id, s.index, s.kind, s.label, s.exercise.name, s.position, s.planned)
                for s in plan.segments
            ],
        )
        store.locks.release(session_id)
    store.connection.commit()
    store.now = lambda: TODAY


def new_store(tmp_path: Path) -> HistoryStore:
    return HistoryStore.open(tmp_path / "data", now=lambda: TODAY)


async def test_the_trend_reads_week_by_week(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    pains = {21: (6, 5), 20: (5, 5), 14: (5, 4), 7: (4, 4), 1: (3, 3), 0: (3, None)}
    fill(store, [21, 20, 14, 7, 1, 0], pains=pains)
    app = HistoryHost(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sentence = text_of(app.screen.query_one("#trend-sentence"))
        assert sentence.startswith("Is it helping? Pain before sessions: median 5.5 in the week")
        assert "of 2 Nov, 3 this week; 2 sessions a week." in sentence
        bars = text_of(app.screen.query_one("#trend-bars")).splitlines()
        assert bars[0].startswith("Pain ")
        pain_cells = bars[0][9:45]
        assert pain_cells.split() == ["▅▅", "▅▅", "▄▄", "▃▃"]  # 5.5, 5, 4, 3 out of 10
        assert bars[1].startswith("Sessions") and bars[2].startswith("Minutes")
        assert bars[3].strip().endswith("this week")


async def test_the_trend_in_ascii(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    fill(store, [8, 0], pains={8: (7, 6), 0: (2, 2)})
    app = HistoryHost(store, ascii_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bars = text_of(app.screen.query_one("#trend-bars"))
        assert bars.isascii()
        assert bars.splitlines()[0][9:45].split() == ["**", ".."]  # 7 then 2 out of 10
        assert "in the week of 16 Nov, 2 this week" in text_of(
            app.screen.query_one("#trend-sentence")
        )


async def test_with_one_week_of_check_ins_the_trend_says_what_it_needs(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    fill(store, [9, 1, 0], pains={1: (4, 3), 0: (3, 3)})  # 9 days ago: no check-in
    app = HistoryHost(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sentence = text_of(app.screen.query_one("#trend-sentence"))
        assert "two different weeks" in sentence
        bars = text_of(app.screen.query_one("#trend-bars"))
        assert not bars.startswith("Pain")
        assert "Sessions" in bars  # the practice shows meanwhile


async def test_the_footer_offers_details_when_there_are_rows(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    app = HistoryHost(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        enter = app.screen.active_bindings.get("enter")
        assert enter is None or not enter.enabled or enter.binding.action != "details"
        fill(store, [0])
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        screen.reload()
        await pilot.pause()
        enter = app.screen.active_bindings["enter"]
        assert enter.binding.action == "details" and enter.enabled
        assert "Details" in app.export_screenshot()
        await pilot.press("enter")
        assert isinstance(app.screen, SessionDetailScreen)


def visible_columns(table: DataTable[object]) -> list[str]:
    """Titles of the columns wholly inside the table's visible width."""
    room = table.scrollable_content_region.width
    shown, used = [], 0
    for column in table.ordered_columns:
        used += column.get_render_width(table)
        if used > room:
            break
        shown.append(str(column.label))
    return shown


@pytest.mark.parametrize("width", [40, 50])
async def test_narrow_terminals_keep_ended_and_outcome_and_time(tmp_path: Path, width: int) -> None:
    store = new_store(tmp_path)
    fill(store, [2, 1], name="A routine with a long name indeed", pain=(4, 3))
    app = HistoryHost(store)
    async with app.run_test(size=(width, 20)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        if width == 50:
            assert "Ended" in visible_columns(table)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionDetailScreen)
        segments = app.screen.query_one("#segments", DataTable)
        assert visible_columns(segments)[:3] == ["#", "Outcome", "Time"]
        facts = text_of(app.screen.query_one("#detail-facts"))
        assert "back pain 4→3" in " ".join(facts.split())


async def test_names_from_the_file_are_text_in_history_and_detail(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    fill(store, [0], name="Cat [/] [bold]x")
    app = HistoryHost(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        assert str(table.get_row_at(0)[-1]) == "Cat [/] [bold]x"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionDetailScreen)
        title = app.screen.query_one("#detail-box").border_title  # kept as escaped markup
        assert Content.from_markup(str(title)).plain.startswith("Cat [/] [bold]x · ")


@given(
    values=st.lists(st.floats(0, 10, allow_nan=False), min_size=2, max_size=12),
    ascii_only=st.booleans(),
    cell=st.sampled_from([2, 3]),
)
def test_bars_keep_their_width_and_rise_with_the_value(
    values: list[float], ascii_only: bool, cell: int
) -> None:
    levels = ASCII_LEVELS if ascii_only else BLOCKS
    drawn = [bar(value, 10, ascii_only, cell) for value in sorted(values)]
    assert all(len(cell_text) == cell and cell_text[-1] == " " for cell_text in drawn)
    heights = [levels.index(cell_text[0]) for cell_text in drawn]
    assert heights == sorted(heights)
    assert bar(None, 10, ascii_only, cell) == " " * cell
    assert all(text.isascii() for text in drawn) or not ascii_only


def test_the_sentence_names_the_first_and_latest_weeks_with_check_ins() -> None:
    monday = date(2026, 11, 23)
    weeks = [
        WeekTrend(monday - timedelta(weeks=3), 5.0, 4, 36.0),
        WeekTrend(monday - timedelta(weeks=2), None, 0, 0.0),
        WeekTrend(monday - timedelta(weeks=1), 4.5, 4, 30.0),
        WeekTrend(monday, None, 3, 20.0),
    ]
    assert trend_sentence(weeks) == (
        "Pain before sessions: median 5 in the week of 2 Nov, "
        "4.5 in the week of 16 Nov; 3 sessions a week."
    )
    assert trend_sentence(weeks[:2]) == NEEDS
