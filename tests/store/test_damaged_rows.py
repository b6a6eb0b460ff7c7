"""Rows edited by hand or damaged: every reader of the history (statistics, the trend, pain
rises, progression, pages, exports in each format, `history`, `status`) leaves out a row it
cannot read, counts it, and never raises.

The file's NOT NULL and CHECK constraints are lifted for these tests, as a hand edit with
`PRAGMA writable_schema` or `ignore_check_constraints` (or a damaged page) lifts them.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import sqlite3
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from apphelpers import make_app, text_of, wait_until
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import DataTable

from tui import cli
from tui.status import run_status
from tui.store.database import DB_NAME
from tui.store.export import export_text, history_cells, write_table
from tui.store.readable import MAX_COUNT, MAX_SECONDS, SEGMENT_RULES, SESSION_RULES
from tui.store.rows import SegmentRow, SessionRow
from tui.store.sessions import HistoryStore
from tui.ui.screens.history_view import HistoryScreen

CET = timezone(timedelta(hours=1))
NOW = datetime(2025, 1, 15, 20, 0, tzinfo=CET)
TODAY = NOW.date()

GOOD_SESSION: dict[str, object] = {
    "routine_id": "minute",
    "routine_name": "One minute",
    "routine_digest": "abc",
    "routines_file": "",
    "started_at": "2025-01-15T07:00:00+01:00",
    "day": "2025-01-15",
    "ended_at": "2025-01-15T07:01:00+01:00",
    "status": "completed",
    "planned_seconds": 60.0,
    "active_seconds": 60.0,
    "paused_seconds": 0.0,
    "segments_done": 1,
    "segments_total": 1,
    "current_segment": 0,
    "host": "",
    "pid": 0,
    "updated_at": "2025-01-15T07:01:00+01:00",
    "pain_before": 5,
    "pain_after": 2,
    "levels": '{"0": 7}',
    "full_steps": "[0]",
    "program_version": "2",
    "note": "Easier today",
}
GOOD_SEGMENT: dict[str, object] = {
    "segment_index": 0,
    "kind": "work",
    "label": "Hold the plank",
    "exercise": "Plank",
    "position": "Rep 1/1",
    "outcome": "done",
    "active_seconds": 60.0,
    "ended_at": "2025-01-15T07:01:00+01:00",
    "step_index": 0,
}


class BadUtf8(bytes):
    """Bytes stored as TEXT: a hand edit can leave text that is not UTF-8."""


SQLITE_VALUES = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.binary(max_size=12),
    st.binary(min_size=1, max_size=6).map(BadUtf8),
    st.sampled_from(
        [
            "2026-01-xx", "2025-02-30", "0000-01-01", "2025-01-14", "20250115", "lots", "",
            "[1e400]", '{"0": 1e400}', '{"0": -1}', "[true]", "[[[[", '["egg/1"]', "NaN",
            "2025-01-15T07:00:00+01:00", 10**18, 2**63 - 1, 1e300, -0.0, 3.5, 7, 11, -1,
        ]
    ),
)  # fmt: skip


def is_null_in_sqlite(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


DAMAGEABLE = [column for column in SESSION_RULES if column != "id"]  # an INTEGER PRIMARY KEY


def insert(connection: sqlite3.Connection, table: str, values: Mapping[str, object]) -> None:
    marks = ", ".join("CAST(? AS TEXT)" if isinstance(v, BadUtf8) else "?" for v in values.values())
    connection.execute(
        f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks})",
        [bytes(v) if isinstance(v, BadUtf8) else v for v in values.values()],
    )


@dataclass
class Damaged:
    """A history whose constraints are lifted, and a connection that writes anything into it."""

    data_dir: Path
    writer: sqlite3.Connection

    def fill(
        self,
        session: Mapping[str, object] | None = None,
        segment: Mapping[str, object] | None = None,
    ) -> None:
        """Session 1, as backtone writes it, and session 2, damaged as given."""
        self.writer.execute("DELETE FROM segments")
        self.writer.execute("DELETE FROM sessions")
        insert(self.writer, "sessions", {"id": 1, **GOOD_SESSION})
        insert(self.writer, "sessions", {"id": 2, **GOOD_SESSION, **(session or {})})
        insert(self.writer, "segments", {"session_id": 1, **GOOD_SEGMENT})
        insert(self.writer, "segments", {"session_id": 2, **GOOD_SEGMENT, **(segment or {})})


def lift_constraints(path: Path) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    version = connection.execute("PRAGMA schema_version").fetchone()[0]
    connection.execute("PRAGMA writable_schema = ON")
    connection.execute(
        "UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL', '') WHERE type = 'table'"
    )
    connection.execute(f"PRAGMA schema_version = {version + 1}")
    connection.close()


@pytest.fixture
def damaged(tmp_path: Path) -> Iterator[Damaged]:
    data_dir = tmp_path / "data"
    HistoryStore.open(data_dir).close()
    lift_constraints(data_dir / DB_NAME)
    writer = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    writer.execute("PRAGMA ignore_check_constraints = ON")
    yield Damaged(data_dir, writer)
    writer.close()


# -- what a readable row must be, as Python sees it -------------------------------------------


def is_number(value: object, top: float) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= top
    )


def is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def well_typed(row: SessionRow) -> bool:
    texts = (row.routine_id, row.routine_name, row.routine_digest, row.started_at, row.status)
    return (
        all(isinstance(text, str) for text in texts)
        and all(v is None or isinstance(v, str) for v in (row.ended_at, row.program_version))
        and (row.note is None or isinstance(row.note, str))
        and all(
            is_number(v, MAX_SECONDS)
            for v in (row.planned_seconds, row.active_seconds, row.paused_seconds)
        )
        and all(is_count(v) for v in (row.segments_done, row.segments_total, row.current_segment))
        and all(p is None or (is_count(p) and p <= 10) for p in (row.pain_before, row.pain_after))
        and (row.levels is None or all(is_number(v, 3600) for v in row.levels.values()))
    )


def segment_well_typed(segment: SegmentRow) -> bool:
    texts = (segment.kind, segment.label, segment.exercise, segment.position, segment.outcome)
    return (
        is_count(segment.segment_index)
        and all(isinstance(text, str) for text in (*texts, segment.ended_at))
        and is_number(segment.active_seconds, MAX_SECONDS)
        and (segment.step_index is None or is_count(segment.step_index))
    )


# -- every reader ------------------------------------------------------------------------------


def read_everything(store: HistoryStore) -> tuple[list[int], int]:
    """Every reader the app, `history` and `status` use; (the ids read, the count left out)."""
    rows = store.sessions()
    assert all(well_typed(row) for row in rows)
    assert store.count() == len(rows)
    for row in rows:
        assert store.get(row.id) == row
        history_cells(row)
        history_cells(row, ascii_only=True)
        assert all(segment_well_typed(segment) for segment in store.segments(row.id))
    for fmt in ("json", "csv", "toml"):
        export_text(rows, fmt)
    write_table(rows, io.StringIO(), "Sessions")
    stats = store.stats(TODAY)
    assert stats.week_sessions <= len(rows) and stats.streak_days <= len(
        rows
    )  # a valid day moved is a day more
    assert all(math.isfinite(minutes) for _, minutes in stats.minutes_by_day)
    weeks = store.pain_trend(TODAY)
    assert all(
        week.median_pain_before is None or 0 <= week.median_pain_before <= 10 for week in weeks
    )
    assert 0 <= store.recent_pain_rises() <= 2
    past = store.past_sessions("minute")
    assert len(past) <= len(rows)
    assert all(p.pain_before is None or 0 <= p.pain_before <= 10 for p in past)
    assert all(orphan.id in {row.id for row in rows} for orphan in store.orphans())
    left_out = store.unreadable()
    assert left_out + len(rows) == 2
    return [row.id for row in rows], left_out


def run_command(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def parsed(fmt: str, out: str) -> list[int]:
    if fmt == "json":
        return [record["id"] for record in json.loads(out)]
    if fmt == "csv":
        return [int(record["id"]) for record in csv.DictReader(io.StringIO(out, newline=""))]
    return [record["id"] for record in tomllib.loads(out).get("sessions", [])]


def check_every_reader(damaged: Damaged) -> None:
    """The app's store, the read-only store of the commands, `history` in every format and
    `status` all survive, read the same rows, and count the same rows left out."""
    store = HistoryStore.open(damaged.data_dir, now=lambda: NOW)
    try:
        ids, left_out = read_everything(store)
    finally:
        store.close()
    assert 1 in ids  # the good row is never lost with the bad one
    reader = HistoryStore.open_read_only(damaged.data_dir, now=lambda: NOW)
    try:
        assert read_everything(reader) == (ids, left_out)
    finally:
        reader.close()
    for fmt in ("json", "csv", "toml", "table"):
        code, out, err = run_command(
            ["history", "--data-dir", str(damaged.data_dir), "--format", fmt]
        )
        assert code == (1 if left_out else 0), err
        assert ("1 session could not be read" in err) == bool(left_out), err
        assert "Traceback" not in err
        if fmt != "table":
            assert parsed(fmt, out) == ids
    status = io.StringIO()
    with contextlib.redirect_stdout(status):
        code = run_status(str(damaged.data_dir), "json", now=lambda: NOW)
    facts = json.loads(status.getvalue())
    assert code in (0, 1) and facts["unreadable_sessions"] == left_out
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        assert run_status(str(damaged.data_dir), quiet=True, now=lambda: NOW) == code
    assert quiet.getvalue() == ""


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    session=st.dictionaries(st.sampled_from(DAMAGEABLE), SQLITE_VALUES, min_size=1, max_size=3),
    segment=st.dictionaries(st.sampled_from(list(SEGMENT_RULES)), SQLITE_VALUES, max_size=2)
    # Part of the segments' primary key: SQLite itself refuses a NULL there, and it stores
    # a NaN as NULL.
    .filter(lambda values: not is_null_in_sqlite(values.get("segment_index", 0))),
)
def test_any_value_in_any_column_is_read_or_left_out_and_counted(
    damaged: Damaged, session: dict[str, object], segment: dict[str, object]
) -> None:
    damaged.fill(session, segment)
    check_every_reader(damaged)


# -- the cases a tester met -------------------------------------------------------------------

UNREADABLE_CASES = {
    "a day that is no date": {"day": "2026-01-xx"},
    "text in the seconds": {"active_seconds": "lots"},
    "a blob for a name": {"routine_name": b"\x00\xff"},
    "text in a pain column": {"pain_before": "bad"},
    "a pain off the scale": {"pain_after": 11},
    "an infinite time": {"paused_seconds": math.inf},
    "an integer too large to sum": {"active_seconds": 2**63 - 1},
    "a start that is no time": {"started_at": "yesterday-ish"},
    "no status": {"status": None},
    "a real day of year 0": {"day": "0000-01-01"},
}


@pytest.mark.parametrize("damage", list(UNREADABLE_CASES.values()), ids=list(UNREADABLE_CASES))
def test_each_damage_a_tester_met_is_left_out_and_counted(
    damaged: Damaged, damage: dict[str, object]
) -> None:
    damaged.fill(damage)
    check_every_reader(damaged)
    store = HistoryStore.open_read_only(damaged.data_dir)
    try:
        assert [row.id for row in store.sessions()] == [1] and store.unreadable() == 1
        assert store.get(2) is None
    finally:
        store.close()


def test_json_not_as_backtone_wrote_it_reads_as_nothing_and_keeps_the_row(damaged: Damaged) -> None:
    damaged.fill({"full_steps": "[1e400]", "levels": '{"0": 1e400}'})
    check_every_reader(damaged)
    store = HistoryStore.open_read_only(damaged.data_dir)
    try:
        row = store.get(2)
        assert row is not None and row.levels is None
        assert [p.full_steps for p in store.past_sessions("minute")] == [
            frozenset({0}),
            frozenset(),
        ]
    finally:
        store.close()


def test_text_that_is_not_utf8_reads_with_replacement_characters(damaged: Damaged) -> None:
    damaged.fill({"routine_name": BadUtf8(b"Cat \xff")})
    check_every_reader(damaged)
    store = HistoryStore.open_read_only(damaged.data_dir)
    try:
        row = store.get(2)
        assert row is not None and row.routine_name == "Cat \ufffd"
    finally:
        store.close()


def test_a_damaged_segment_is_left_out_of_its_session(damaged: Damaged) -> None:
    damaged.fill(segment={"active_seconds": "long", "segment_index": 1})
    store = HistoryStore.open_read_only(damaged.data_dir)
    try:
        assert store.segments(2) == [] and len(store.segments(1)) == 1
        assert store.unreadable() == 0  # the session itself reads
    finally:
        store.close()


def test_a_damaged_active_session_is_not_offered_for_a_resume(damaged: Damaged) -> None:
    damaged.fill({"status": "active", "segments_done": "x"})
    store = HistoryStore.open(damaged.data_dir)
    try:
        assert store.orphans() == []
    finally:
        store.close()


# -- pages ---------------------------------------------------------------------------------------


def test_pages_leave_out_the_same_rows_as_the_count(damaged: Damaged) -> None:
    # The History screen asks for the page at offset len(rows so far): an offset that counted
    # the rows left out would show a row twice (a DataTable refuses a duplicate key).
    damaged.writer.execute("DELETE FROM sessions")
    for n in range(1, 251):
        stamp = (datetime(2024, 1, 1, 7, tzinfo=CET) + timedelta(days=n)).isoformat()
        bad = {"day": "2026-01-xx"} if n % 7 == 0 else {}
        insert(damaged.writer, "sessions", {**GOOD_SESSION, "started_at": stamp, "id": n, **bad})
    store = HistoryStore.open_read_only(damaged.data_dir)
    try:
        shown: list[int] = []
        while len(shown) < store.count():
            page = store.sessions(limit=100, offset=len(shown))
            assert page
            shown += [row.id for row in page]
        assert shown == [n for n in range(250, 0, -1) if n % 7]
        assert store.unreadable() == 250 // 7
    finally:
        store.close()


def test_stats_count_only_rows_that_read(damaged: Damaged) -> None:
    damaged.fill({"active_seconds": "lots"})
    store = HistoryStore.open_read_only(damaged.data_dir)
    try:
        stats = store.stats(TODAY)
        assert (stats.week_sessions, stats.week_minutes, stats.streak_days) == (1, 1.0, 1)
        assert dict(stats.minutes_by_day)[date(2025, 1, 15)] == 1.0
        (week,) = store.pain_trend(TODAY, weeks=1)
        assert (week.sessions, week.median_pain_before) == (1, 5.0)
    finally:
        store.close()


def test_status_counts_what_it_left_out_on_its_line(
    damaged: Damaged, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged.fill({"day": "2026-01-xx"})
    assert run_status(str(damaged.data_dir), now=lambda: NOW, ascii_only=False) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == (
        "backtone: done today (One minute, 1 min) · streak 1 day · 1 min this week · pain 5→2"
        " · 1 session could not be read\n"
    )
    assert run_status(str(damaged.data_dir), quiet=True, now=lambda: NOW) == 0
    assert capsys.readouterr() == ("", "")


async def test_the_app_starts_and_shows_the_history_around_damaged_rows(
    tmp_path: Path, damaged: Damaged
) -> None:
    damaged.fill({"day": "2026-01-xx", "active_seconds": "lots", "pain_before": "bad"})
    app = make_app(tmp_path, data_dir=damaged.data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.store is not None, "the history opened")
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History")
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 1 and app.store is not None and app.store.unreadable() == 1
        await pilot.pause()
        assert "1 session could not be read" in text_of(app.screen.query_one("#stats"))
