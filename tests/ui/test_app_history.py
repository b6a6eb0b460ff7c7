"""Pilot tests: the History screen (its trend chart and calendar, the report, delete and undo),
session details, resume at start."""

from __future__ import annotations

import operator
import random
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
from tui.ui.widgets.trend_chart import TrendChart
from tui.ui.widgets.trend_panel import NEEDS, trend_sentence


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


def months_of_history(store: HistoryStore, today: datetime, weeks: int = 20) -> None:
    """Months of sessions ending today, as a person keeps them: most days, none in the weeks
    five and six back, the pain before falling from about 7 to 3, after which it rose by 3
    now and then, a check-in skipped here and there, a note now and then, and version 2 of
    the programme from 30 days back."""
    routine = load_file(write_routines(store.path.parent.parent)).routine("eggs")
    plan = build_plan(replace(routine, name="Daily back care"))
    rng = random.Random(20)
    notes = ["Stiff after the drive", "Knee sore, went gently", "Felt good after the walk"]
    for ago in range(weeks * 7, -1, -1):
        rise = ago in (9, 23, 51)  # sessions after which the pain rose
        if ago > 1 and not rise and (ago // 7 in (5, 6) or rng.random() < 0.35):
            continue
        progress = 1 - ago / (weeks * 7)
        before: int | None = max(0, min(10, round(7 - 4 * progress + rng.uniform(-1.2, 1.2))))
        if rng.random() < 0.1:
            before = None
        after = None
        if before is not None and rng.random() < 0.8:
            after = max(0, min(10, before + rng.choice([-2, -1, -1, 0, 0, 1, 3])))
        if rise:
            before = before if before is not None else 4
            after = min(10, before + 3)
        store.now = partial(operator.sub, today, timedelta(days=ago, hours=1))
        session_id = store.begin(plan, pain_before=before)
        if after is not None:
            store.set_pain(session_id, after=after)
        store.connection.execute(
            "UPDATE sessions SET status = 'completed', segments_done = segments_total,"
            " active_seconds = 480, ended_at = started_at, program_version = ? WHERE id = ?",
            ("1" if ago > 30 else "2", session_id),
        )
        if rng.random() < 0.1:
            store.set_note(session_id, rng.choice(notes))
        store.locks.release(session_id)
    store.connection.commit()
    store.now = lambda: today


def chart_of(app: App[None]) -> TrendChart:
    return app.screen.query_one(TrendChart)


def sentence_of(app: App[None]) -> str:
    return " ".join(text_of(app.screen.query_one("#trend-sentence")).split())


async def test_the_chart_and_calendar_at_80x24_beside_the_table(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    pains = {21: (6, 5), 20: (5, 5), 14: (5, 4), 7: (4, 4), 1: (3, 3), 0: (3, None)}
    fill(store, [21, 20, 14, 7, 1, 0], pains=pains)
    app = HistoryHost(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chart = chart_of(app)
        assert chart.display and chart.size == (78, 11)
        assert not app.screen.query_one("#trend-sentence").display
        lines = chart.plain_rows()
        assert len(lines) == 11
        assert lines[0].startswith("Pain ● before × after ━ median (0 best, 10 worst)")
        assert lines[0].endswith("Days practised")
        assert [line[:3] for line in lines[1:8:3]] == ["10│", " 5│", " 0│"]
        assert lines[8].startswith("  └┬──┬")
        counts = lines[-1][:48].split()
        assert counts == ["0"] * 8 + ["2", "1", "1", "2", "sessions"]
        assert "23 Nov" in lines[-2]  # this week is named under the axis
        assert any("We" in line and line.rstrip().endswith("■◂") for line in lines)
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 6 and table.size.height >= 6  # the table keeps 5 rows and more
        assert chart.layouts == 1
        for _ in range(3):
            await pilot.pause()
        assert chart.layouts == 1  # drawn once per change, not per frame


async def test_the_chart_at_120x40_has_a_row_for_each_point(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    months_of_history(store, TODAY)
    app = HistoryHost(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        chart = chart_of(app)
        lines = chart.plain_rows()
        assert len(lines) == 15
        assert lines[0].startswith("Back pain: ● before  × after a session  ━ median of the week")
        scale = [line[:2] for line in lines[1:12]]
        assert scale == ["10", "  ", "  ", "  ", "  ", " 5", "  ", "  ", "  ", "  ", " 0"]
        assert "v2" in lines[1]  # the new programme, where it began
        assert "Days practised" in lines[0] and lines[1].split()[-3:] == ["Sep", "Oct", "Nov"]
        assert lines[-1].rstrip().endswith("sessions")
        layouts = chart.layouts
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        # Laid out again for the new size (and once more as the screen's height class
        # changes with it), never on every frame.
        assert layouts < chart.layouts <= layouts + 2 and len(chart.plain_rows()) == 11
        assert all(len(line) <= 98 for line in chart.plain_rows())


async def test_twelve_weeks_with_gaps_show_the_missed_weeks(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    months_of_history(store, TODAY)
    app = HistoryHost(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = chart_of(app).plain_rows()
        counts = lines[-1][:40].split()
        assert len(counts) == 12 and "0" in counts
        missed = counts.index("0")
        column = lines[0].index("Days practised") + 3 + missed * 2  # after "Mo "
        assert {line[column] for line in lines[2:9]} == {"·"}  # a column of days missed
        assert {lines[n][column - 2] for n in range(2, 9)} != {"·"}  # the week before


async def test_the_chart_in_ascii(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    months_of_history(store, TODAY)
    app = HistoryHost(store, ascii_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = chart_of(app).plain_rows()
        assert lines and all(line.isascii() for line in lines)
        assert lines[0].startswith("Pain o before x after = median (0 best, 10 worst)")
        plot = "".join(lines[1:8])
        assert "o" in plot and "x" in plot and "=" in plot
        assert lines[-2].endswith("# practised  . not  < today")


async def test_at_40x12_the_sentence_stands_for_the_chart(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    pains = {21: (6, 5), 20: (5, 5), 14: (5, 4), 7: (4, 4), 1: (3, 3), 0: (3, None)}
    fill(store, [21, 20, 14, 7, 1, 0], pains=pains)
    app = HistoryHost(store)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert not chart_of(app).display
        sentence = sentence_of(app)
        assert sentence.startswith("Is it helping? Pain before sessions: median 5.5 in the week")
        assert "of 2 Nov, 3 this week; 2 sessions a week." in sentence
        assert app.screen.query_one("#sessions", DataTable).size.height >= 3


async def test_an_empty_history_says_what_will_show(tmp_path: Path) -> None:
    app = HistoryHost(new_store(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-empty")
        assert not chart_of(app).display
        assert sentence_of(app) == NEEDS
        assert app.screen.query_one("#empty").display


async def test_one_session_is_one_point_one_day_and_one_session(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    fill(store, [0], pain=(4, 6))
    app = HistoryHost(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = chart_of(app).plain_rows()
        plot = lines[1:8]
        assert sum(line[:48].count("●") for line in plot) == 1
        assert sum(line[:48].count("×") for line in plot) == 1  # 4 then 6: a rise, above
        assert lines[-1][:48].split() == ["0"] * 11 + ["1", "sessions"]
        assert sum(line.count("■") for line in lines[2:9]) == 1
        # One week of check-ins: the sentence (hidden here) says what it needs.
        assert "two different weeks" in sentence_of(app)


async def test_sessions_without_check_ins_still_chart_the_practice(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    fill(store, [9, 1, 0])
    app = HistoryHost(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = chart_of(app).plain_rows()
        assert any("No check-ins in these weeks" in line for line in lines)
        assert lines[-1][:48].split()[-3:] == ["1", "2", "sessions"]


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


# -- `r`: the report ------------------------------------------------------------------------


def messages(app: App[None]) -> list[str]:
    return [notification.message for notification in app._notifications]


def report_app(tmp_path: Path) -> BacktoneApp:
    store = new_store(tmp_path)
    fill(store, [7, 1, 0], pain=(5, 4))
    store.close()
    app = make_app(tmp_path)
    app.history_now = lambda: TODAY
    return app


async def open_history(pilot, app: BacktoneApp) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: app.store is not None, "the history to open")
    await pilot.press("h")
    await wait_for_screen(pilot, HistoryScreen)


async def test_r_writes_the_report_here_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    app = report_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot, app)
        assert "report" in footer_keys(app)
        await pilot.press("r")
        await wait_until(pilot, lambda: any("Report" in m for m in messages(app)), "a notice")
        written = here / "backtone-report-2026-11-25.html"
        assert f"Report written to {written}" in messages(app)
        html = written.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") and "Only eggs" in html
        assert written.stat().st_mode & 0o777 == 0o600
        await pilot.press("r")  # a second one the same day is never written over the first
        second = here / "backtone-report-2026-11-25-2.html"
        await wait_until(pilot, lambda: second.exists() and len(messages(app)) >= 2, "another")
        assert f"Report written to {second}" in messages(app)
        assert isinstance(app.screen, HistoryScreen)


async def test_r_says_plainly_when_the_report_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    def full_disk(html: str, output: str | None, today: date) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tui.report.command.write_report_file", full_disk)
    app = report_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot, app)
        await pilot.press("r")
        await wait_until(pilot, lambda: bool(messages(app)), "a notice")
        [said] = messages(app)
        assert said.startswith("Could not write the report backtone-report-2026-11-25.html")
        assert f"into {tmp_path}: No space left on device." in said
        assert said.endswith("or run `backtone report -o FILE`.")
        assert not list(tmp_path.glob("*.html"))


async def test_r_in_a_browser_tab_sends_the_report_to_the_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(BacktoneApp, "is_web", property(lambda self: True))
    delivered: list[tuple[str, dict[str, object]]] = []

    def deliver_text(file, **options):  # type: ignore[no-untyped-def]
        delivered.append((file.read(), options))
        return "key"

    app = report_app(tmp_path)
    monkeypatch.setattr(app, "deliver_text", deliver_text)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot, app)
        await pilot.press("r")
        await wait_until(pilot, lambda: bool(messages(app)), "a notice")
        assert messages(app) == ["Report sent to your browser"]
    [(html, options)] = delivered
    assert html.startswith("<!DOCTYPE html>")
    assert options == {
        "save_filename": "backtone-report-2026-11-25.html",
        "mime_type": "text/html",
    }
    assert not list(tmp_path.glob("*.html"))  # nothing left on the server's disk


# -- `u`: undo a delete ---------------------------------------------------------------------


def footer_keys(app: App[None]) -> set[str]:
    return {binding.binding.action for binding in app.screen.active_bindings.values()}


async def test_u_brings_back_the_session_deleted_last(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    fill(store, [3, 2, 1, 0], pain=(5, 4))
    app = HistoryHost(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        assert "undo" not in footer_keys(app)
        await pilot.press("down", "d")
        assert isinstance(app.screen, ConfirmScreen)
        detail = text_of(app.screen.query_one("#confirm-detail"))
        assert "cannot be undone" not in detail
        assert "You can undo it with u while this screen is open" in " ".join(detail.split())
        assert "deleted sessions are kept 30 days" in " ".join(detail.split())
        await pilot.press("y")
        await wait_until(pilot, lambda: table.row_count == 3, "the row to go")
        deleted = store.sessions()
        assert len(deleted) == 3 and "Session deleted: u brings it back." in messages(app)
        assert "undo" in footer_keys(app) and "Undo" in app.export_screenshot()
        sessions_shown = chart_of(app).plain_rows()[-1][:48].split()
        assert sessions_shown[-2:] == ["2", "sessions"]  # this week's, without it
        await pilot.press("up")
        await pilot.press("u")
        await wait_until(pilot, lambda: table.row_count == 4, "the row to come back")
        assert table.cursor_row == 1  # on the session brought back (1 day ago)
        assert app.screen.rows[1].started_at.startswith("2026-11-24")
        assert "Session brought back." in messages(app)
        assert "undo" not in footer_keys(app)
        assert chart_of(app).plain_rows()[-1][:48].split()[-2:] == ["3", "sessions"]


async def test_u_with_nothing_to_undo_does_nothing(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    fill(store, [1, 0])
    app = HistoryHost(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "undo" not in footer_keys(app) and "Undo" not in app.export_screenshot()
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one("#sessions", DataTable).row_count == 2
        assert messages(app) == []


async def test_u_undoes_each_delete_in_turn_and_reports_one_gone_from_the_bin(
    tmp_path: Path,
) -> None:
    store = new_store(tmp_path)
    fill(store, [2, 1, 0])
    app = HistoryHost(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        await pilot.press("d", "y")
        await wait_until(pilot, lambda: table.row_count == 2, "one deleted")
        await pilot.press("d", "y")
        await wait_until(pilot, lambda: table.row_count == 1, "two deleted")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        first, second = screen.deleted
        store.connection.execute("DELETE FROM sessions WHERE id = ?", (second,))  # emptied
        await pilot.press("u")
        await wait_until(pilot, lambda: len(screen.deleted) == 1, "the last one tried")
        assert table.row_count == 1
        assert any("no longer in the bin" in m for m in messages(app))
        await pilot.press("u")
        await wait_until(pilot, lambda: table.row_count == 2, "the first one back")
        assert screen.rows[table.cursor_row].id == first
        assert "undo" not in footer_keys(app)


async def test_the_chart_takes_the_theme(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    fill(store, [1, 0], pain=(5, 3))
    app = HistoryHost(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chart = chart_of(app)

        def before_colour() -> object:
            text = chart.render()
            [span] = [s for s in text.spans if text.plain[s.start : s.end] == "●"]
            return span.style.color  # type: ignore[union-attr]

        dark, layouts = before_colour(), chart.layouts
        app.theme = "textual-light"
        await wait_until(pilot, lambda: chart.layouts > layouts, "the chart drawn again")
        assert before_colour() != dark


async def test_without_colour_the_shapes_tell_the_series_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    store = new_store(tmp_path)
    fill(store, [8, 1, 0], pain=(6, 3))
    app = HistoryHost(store)
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = app.export_screenshot()
        for glyph in ("●", "×", "━", "■", "·", "◂", "worst", "practised"):
            assert glyph in shown
