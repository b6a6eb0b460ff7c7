"""The bin: a deleted session is kept 30 days, out of every reader, and can be restored.

Every reader leaves a binned session out: pages, counts, get, stats and the streak, the pain
trend, progression, orphans, the export, `status`, the report's rows, the count of unreadable
rows. A writable open erases what was binned more than 30 days ago; a read-only open never
does. A file of schema 4 migrates keeping every row, and reads as it is where it cannot be
written.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from storehelpers import MINUTE, SHORT, World, record, step, tz

import tui.store.database as database_module
from tui.core.adherence import Period
from tui.status import run_status
from tui.store.database import APPLICATION_ID, DB_NAME, MIGRATIONS, SCHEMA_VERSION
from tui.store.export import export_text, stream_export
from tui.store.report_rows import (
    first_day,
    played_before,
    stream_report_sessions,
    versions_first_played,
)
from tui.store.rows import HistoryReadOnly
from tui.store.sessions import BIN_DAYS, HistoryStore

CET = tz(1)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2025, 1, day, hour, 0, tzinfo=CET)


def ids(rows: object) -> list[int]:
    return [row.id for row in rows]  # type: ignore[attr-defined]


# -- delete, restore, the bin -------------------------------------------------------------------


def test_a_deleted_session_goes_to_the_bin_and_comes_back_whole(world: World) -> None:
    store = world.open()
    kept = record(world, store, at(1), SHORT)
    gone = record(world, store, at(2), SHORT)
    before = store.get(gone)
    segments = store.segments(gone)
    world.now.set(at(3))
    assert store.delete(gone) is True
    assert store.get(gone) is None
    assert ids(store.sessions()) == [kept] and store.count() == 1
    assert ids(store.binned()) == [gone]
    assert store.binned() == [before]
    assert store.restore(gone) is True
    assert store.get(gone) == before
    assert store.segments(gone) == segments
    assert ids(store.sessions()) == [gone, kept] and store.binned() == []


def test_restore_says_false_for_what_is_not_in_the_bin(world: World) -> None:
    store = world.open()
    session_id = record(world, store, at(1))
    assert store.restore(session_id) is False  # never deleted
    assert store.restore(session_id + 100) is False  # no such session
    assert store.delete(session_id) and store.restore(session_id)
    assert store.restore(session_id) is False  # restored already
    assert ids(store.sessions()) == [session_id]


def test_the_bin_lists_the_last_deleted_first(world: World) -> None:
    store = world.open()
    first, second, third = (record(world, store, at(day)) for day in (1, 2, 3))
    for session_id, day in ((second, 4), (third, 5), (first, 6)):
        world.now.set(at(day))
        store.delete(session_id)
    assert ids(store.binned()) == [first, third, second]


def test_deleting_twice_keeps_the_first_deletion_time(world: World) -> None:
    store = world.open()
    first, second = record(world, store, at(1)), record(world, store, at(2))
    world.now.set(at(3))
    store.delete(first)
    world.now.set(at(4))
    store.delete(second)
    world.now.set(at(5))
    assert store.delete(first) is True  # already there: nothing changes
    assert ids(store.binned()) == [second, first]


def test_a_binned_session_is_left_out_of_every_reader(world: World) -> None:
    store = world.open()
    world.now.set(at(6, 7))
    kept = store.begin(MINUTE, pain_before=2)
    play_minute(world, store, kept)
    store.set_pain(kept, after=3)
    world.now.set(at(6, 8))
    gone = store.begin(MINUTE, pain_before=7)
    play_minute(world, store, gone)
    store.set_pain(gone, after=9)
    everything = readers(store)
    world.now.set(at(6, 10))
    store.delete(kept)
    store.restore(kept)
    assert readers(store) == everything  # deleted and restored: as it was
    store.delete(gone)
    left = readers(store)
    assert left["sessions"] == [kept] and left["count"] == 1
    assert left["stats"].week_sessions == 1  # type: ignore[attr-defined]
    assert left["stats"].streak_days == 1  # type: ignore[attr-defined]
    assert left["rises"] == 0  # gone rose 2 points; kept only 1
    assert len(left["past"]) == 1  # type: ignore[arg-type]
    assert [r["id"] for r in left["export"]] == [kept]  # type: ignore[index]
    assert left["unreadable"] == 0
    assert left["trend"][-1].median_pain_before == 2.0  # type: ignore[index]
    assert everything["trend"][-1].median_pain_before == 4.5  # type: ignore[index]


def play_minute(world: World, store: HistoryStore, session_id: int) -> None:
    session = world.session(MINUTE)
    step(store, session_id, session, session.start())
    world.tick(60.0)
    step(store, session_id, session, session.update())


def readers(store: HistoryStore) -> dict[str, object]:
    today = date(2025, 1, 6)
    return {
        "sessions": ids(store.sessions()),
        "count": store.count(),
        "stats": store.stats(today),
        "trend": store.pain_trend(today),
        "rises": store.recent_pain_rises(),
        "past": store.past_sessions("minute"),
        "export": json.loads(export_text(stream_export(store.connection), "json")),
        "unreadable": store.unreadable(),
    }


def test_a_binned_session_is_no_orphan_until_it_is_restored(world: World) -> None:
    store = world.open()
    session = world.session()
    session_id = store.begin(SHORT)
    step(store, session_id, session, session.start())
    store.close()  # the process is gone, the session left active
    again = world.open()
    assert ids(again.orphans()) == [session_id]
    assert again.delete(session_id) is True
    assert again.orphans() == [] and again.claim(session_id) is False
    assert again.restore(session_id) is True
    assert ids(again.orphans()) == [session_id]


def test_a_binned_damaged_row_is_not_counted_as_unreadable(world: World) -> None:
    store = world.open()
    session_id = record(world, store, at(1))
    store.connection.execute("UPDATE sessions SET day = '2025-01-xx' WHERE id = ?", (session_id,))
    assert store.unreadable() == 1
    store.delete(session_id)
    assert store.unreadable() == 0 and store.binned() == []  # it cannot be listed either
    store.restore(session_id)
    assert store.unreadable() == 1


def test_a_read_only_history_neither_deletes_nor_restores(world: World) -> None:
    store = world.open()
    session_id = record(world, store, at(1))
    store.delete(session_id)
    store.close()
    reader = HistoryStore.open_read_only(world.data_dir, world.now)
    try:
        with pytest.raises(HistoryReadOnly, match="read-only"):
            reader.restore(session_id)
        with pytest.raises(HistoryReadOnly, match="read-only"):
            reader.delete(session_id)
        assert ids(reader.binned()) == [session_id]
    finally:
        reader.close()


# -- 30 days ------------------------------------------------------------------------------------


def segment_rows(store: HistoryStore, session_id: int) -> int:
    query = "SELECT count(*) FROM segments WHERE session_id = ?"
    return int(store.connection.execute(query, (session_id,)).fetchone()[0])


def test_what_was_binned_30_days_ago_is_erased_when_a_store_opens(world: World) -> None:
    store = world.open()
    old, recent, kept = (record(world, store, at(day), SHORT) for day in (1, 2, 3))
    world.now.set(at(5, 12))
    store.delete(old)
    world.now.set(at(6, 12))
    store.delete(recent)
    store.close()
    world.now.set(at(5, 12) + timedelta(days=BIN_DAYS, seconds=1))
    store = world.open()
    assert ids(store.binned()) == [recent]  # a day younger: 29 days and a bit
    row = store.connection.execute("SELECT count(*) FROM sessions WHERE id = ?", (old,))
    assert row.fetchone()[0] == 0 and segment_rows(store, old) == 0  # its segments with it
    assert ids(store.sessions()) == [kept]
    assert segment_rows(store, recent) == 12
    store.close()
    world.now.set(at(6, 12) + timedelta(days=BIN_DAYS, seconds=1))
    assert world.open().binned() == []


def deny_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a data dir of mode 0500 looks to a user who is not root (tests may run as root)."""
    real = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        return False if mode & os.W_OK else real(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(database_module.os, "access", access)


def test_a_read_only_open_never_empties_the_bin(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = world.open()
    session_id = record(world, store, at(1))
    store.delete(session_id)
    store.close()
    world.now.set(at(1) + timedelta(days=BIN_DAYS + 10))
    HistoryStore.open_read_only(world.data_dir, world.now).close()
    with monkeypatch.context() as patch:
        deny_writing(patch)
        opened = HistoryStore.open(world.data_dir, world.now)  # can be read, not written
        assert opened.read_only and ids(opened.binned()) == [session_id]
        opened.close()
    assert ids(world.open().binned()) == []  # written to at last: emptied


def test_an_open_while_another_holds_the_lock_leaves_the_bin_for_later(world: World) -> None:
    store = world.open()
    session_id = record(world, store, at(1))
    store.delete(session_id)
    store.close()
    world.now.set(at(1) + timedelta(days=BIN_DAYS + 1))
    other = sqlite3.connect(world.data_dir / DB_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        busy = HistoryStore.open(world.data_dir, world.now, busy_timeout_ms=10)
        assert not busy.read_only and ids(busy.binned()) == [session_id]
        busy.close()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert world.open().binned() == []


def test_an_open_with_nothing_to_erase_writes_nothing(world: World) -> None:
    store = world.open()
    record(world, store, at(1))
    store.close()
    statements: list[str] = []
    opened = HistoryStore.open(world.data_dir, world.now)
    opened.connection.set_trace_callback(statements.append)
    opened._empty_bin()
    assert not any(s.lstrip().upper().startswith(("DELETE", "BEGIN")) for s in statements)
    (query,) = statements
    plan = opened.connection.execute(
        f"EXPLAIN QUERY PLAN {query}", ()
    ).fetchall()  # the bin alone is read, through its index
    assert "sessions_binned" in " ".join(str(row[-1]) for row in plan)
    opened.close()


# -- status and the report ------------------------------------------------------------------------


def test_status_leaves_a_binned_session_out(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    store = world.open()
    session_id = record(world, store, at(6))
    store.close()

    def line() -> tuple[int, str]:
        code = run_status(str(world.data_dir), now=lambda: at(6, 20), ascii_only=True)
        return code, capsys.readouterr().out

    assert line()[0] == 0
    world.open().delete(session_id)
    assert line() == (1, "backtone: no sessions yet\n")


def test_the_report_rows_leave_the_bin_out(world: World) -> None:
    store = world.open()
    before = record(world, store, at(1))
    in_period = record(world, store, at(10))
    store.connection.execute("UPDATE sessions SET program_version = '2'")
    period = Period(date(2025, 1, 5), date(2025, 1, 20))

    def read() -> tuple[object, ...]:
        connection = store.connection
        rows = [row.id for row in stream_report_sessions(connection, period.start, period.end)]
        return (
            rows,
            set(played_before(connection, period.start, period.end)),
            versions_first_played(connection, period.start, period.end),
            first_day(connection),
        )

    assert read() == ([in_period], {"minute"}, {"2": date(2025, 1, 1)}, date(2025, 1, 1))
    store.delete(before)
    assert read() == ([in_period], set(), {"2": date(2025, 1, 10)}, date(2025, 1, 10))
    store.delete(in_period)
    assert read() == ([], set(), {}, None)


# -- schema 4 -------------------------------------------------------------------------------------

V4_ROWS = """
INSERT INTO sessions (id, routine_id, routine_name, routine_digest, started_at, day, ended_at,
    status, planned_seconds, active_seconds, paused_seconds, segments_done, segments_total,
    current_segment, updated_at, pain_before, pain_after, levels, full_steps, program_version,
    note)
VALUES (7, 'minute', 'One minute', 'abc', '2025-01-06T07:00:00+01:00', '2025-01-06',
    '2025-01-06T07:01:00+01:00', 'completed', 60, 60, 0, 1, 1, 0, '2025-01-06T07:01:00+01:00',
    4, 3, NULL, '[]', '2', 'fine'),
    (8, 'minute', 'One minute', 'abc', '2025-01-05T07:00:00+01:00', '2025-01-05',
    '2025-01-05T07:01:00+01:00', 'completed', 60, 60, 0, 1, 1, 0, '2025-01-05T07:01:00+01:00',
    NULL, NULL, NULL, '[]', NULL, NULL);
INSERT INTO segments VALUES (7, 0, 'work', 'Hold the plank', 'Plank', 'Rep 1/1', 'done', 60.0,
    '2025-01-06T07:01:00+01:00', 0);
"""


def make_version_4(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    for script in MIGRATIONS[:4]:
        connection.executescript(script)
    connection.executescript(V4_ROWS)
    connection.execute("PRAGMA user_version = 4")
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.commit()
    connection.close()


def dump(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    try:
        sessions = connection.execute("SELECT * FROM sessions ORDER BY id").fetchall()
        segments = connection.execute("SELECT * FROM segments ORDER BY session_id").fetchall()
    finally:
        connection.close()
    return sessions, segments


def test_a_version_4_database_migrates_keeping_every_row(world: World) -> None:
    path = world.data_dir / DB_NAME
    make_version_4(path)
    sessions, segments = dump(path)
    store = world.open()
    assert store.warning is None and SCHEMA_VERSION == 5
    assert store.connection.execute("PRAGMA user_version").fetchone()[0] == 5
    indexes = {name for (name,) in store.connection.execute("SELECT name FROM sqlite_master")}
    assert "sessions_binned" in indexes
    assert ids(store.sessions()) == [7, 8] and store.binned() == []
    store.close()
    migrated_sessions, migrated_segments = dump(path)
    assert migrated_sessions == [(*row, None) for row in sessions]  # deleted_at: NULL
    assert migrated_segments == segments
    again = world.open()
    assert again.delete(8) and ids(again.binned()) == [8]


def test_a_version_4_database_read_where_it_cannot_be_migrated(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    path = world.data_dir / DB_NAME
    make_version_4(path)
    before = path.read_bytes()
    reader = HistoryStore.open_read_only(world.data_dir, world.now)
    try:
        assert reader.schema_version == 4
        assert ids(reader.sessions()) == [7, 8] and reader.binned() == []
        assert reader.count() == 2 and reader.unreadable() == 0
        assert reader.stats(date(2025, 1, 6)).streak_days == 2
        records = json.loads(export_text(stream_export(reader.connection), "json"))
        assert [r["note"] for r in records] == ["fine", None]
    finally:
        reader.close()
    code = run_status(str(world.data_dir), now=lambda: at(6, 20), ascii_only=True)
    assert (code, capsys.readouterr().out.split(" - ")[0]) == (
        0,
        "backtone: done today (One minute, 1 min)",
    )
    assert path.read_bytes() == before
