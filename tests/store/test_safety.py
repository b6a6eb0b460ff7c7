"""History that can be read but not written, databases backtone did not make, and the one
exception the UI has to catch."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from storehelpers import MINUTE, SHORT, World, record, tz
from test_migration3 import make_version_2
from test_sessions import SCHEMA_V1, user_version

import tui.store.database as database_module
from tui import cli
from tui.store.database import APPLICATION_ID, DB_NAME, SCHEMA_VERSION, SESSION_COLUMNS
from tui.store.rows import HistoryReadOnly, HistoryUnavailable, NoHistory, SessionRow
from tui.store.sessions import HistoryStore

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def fingerprint(path: Path) -> tuple[str, int, list[str]]:
    """The file's bytes, its mode, and what lies beside it: all a refusal must leave alone."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest, stat.S_IMODE(path.stat().st_mode), sorted(p.name for p in path.parent.iterdir())


def application_id(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("PRAGMA application_id").fetchone()[0])
    finally:
        connection.close()


def foreign_database(path: Path, script: str, app_id: int = 0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    connection.executescript(script)
    if app_id:
        connection.execute(f"PRAGMA application_id = {app_id}")
    connection.commit()
    connection.close()
    path.chmod(0o644)


# -- not ours ---------------------------------------------------------------------------------


def test_a_new_history_is_stamped_as_backtone_s(world: World) -> None:
    world.open().close()
    assert application_id(world.data_dir / DB_NAME) == APPLICATION_ID == 0x426B546E


@pytest.mark.parametrize("target", ["another database", "a backtone history", "nothing"])
def test_a_symlinked_history_is_refused_and_its_target_left_alone(
    world: World, tmp_path: Path, target: str
) -> None:
    elsewhere = tmp_path / "elsewhere" / "notes.db"
    if target == "another database":
        foreign_database(elsewhere, "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES (1);")
    elif target == "a backtone history":
        HistoryStore.open(elsewhere.parent).close()
        elsewhere = elsewhere.parent / DB_NAME
        elsewhere.chmod(0o644)
    world.data_dir.mkdir()
    link = world.data_dir / DB_NAME
    link.symlink_to(elsewhere)
    before = fingerprint(elsewhere) if elsewhere.exists() else None
    for opening in (world.open, lambda: HistoryStore.open_read_only(world.data_dir)):
        with pytest.raises(HistoryUnavailable, match="symbolic link") as caught:
            opening()
        assert str(link) in str(caught.value)
    assert link.is_symlink()
    assert (fingerprint(elsewhere) if elsewhere.exists() else None) == before
    assert not elsewhere.exists() or target != "nothing"  # a dangling link is not followed


@pytest.mark.parametrize(
    "script",
    [
        "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine');",
        SCHEMA_V1 + "CREATE TABLE extra (x);",
        SCHEMA_V1 + "CREATE VIEW everything AS SELECT * FROM sessions;",
        SCHEMA_V1 + "CREATE TRIGGER t AFTER INSERT ON sessions BEGIN SELECT 1; END;",
        SCHEMA_V1.replace("PRAGMA user_version = 1;", ""),  # our tables, but at version 0
    ],
    ids=["other tables", "an extra table", "a view", "a trigger", "version 0"],
)
def test_a_database_with_tables_not_ours_is_refused_untouched(world: World, script: str) -> None:
    path = world.data_dir / DB_NAME
    foreign_database(path, script)
    before = fingerprint(path)
    for opening in (world.open, lambda: HistoryStore.open_read_only(world.data_dir)):
        with pytest.raises(HistoryUnavailable, match="not a backtone history") as caught:
            opening()
        assert str(path) in str(caught.value) and "--data-dir" in str(caught.value)
    assert fingerprint(path) == before  # not migrated, not switched to WAL, not chmod-ed
    assert not [p for p in world.data_dir.iterdir() if "damaged" in p.name]


def test_a_database_of_another_application_is_refused_untouched(world: World) -> None:
    path = world.data_dir / DB_NAME
    foreign_database(path, SCHEMA_V1, app_id=0x12345678)  # backtone's tables, another owner
    before = fingerprint(path)
    with pytest.raises(HistoryUnavailable, match=r"another program.*0x12345678"):
        world.open()
    assert fingerprint(path) == before


def test_an_unstamped_history_of_backtone_s_tables_is_taken_and_stamped(world: World) -> None:
    path = world.data_dir / DB_NAME
    foreign_database(path, SCHEMA_V1)
    assert application_id(path) == 0
    store = world.open()
    assert [r.id for r in store.sessions()] == [7]
    store.close()
    assert application_id(path) == APPLICATION_ID
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # ours: made private as before


def test_an_unstamped_history_read_only_is_read_and_left_unstamped(world: World) -> None:
    path = world.data_dir / DB_NAME
    foreign_database(path, SCHEMA_V1)
    store = HistoryStore.open_read_only(world.data_dir)
    assert [r.id for r in store.sessions()] == [7]
    store.close()
    assert application_id(path) == 0 and user_version(path) == 1


# -- read-only --------------------------------------------------------------------------------


def filled(world: World) -> list[int]:
    store = world.open()
    ids = [record(world, store, datetime(2025, 1, d, 8, 0, tzinfo=tz(1))) for d in (13, 14)]
    store.set_pain(ids[0], before=4, after=3)
    store.close()
    return ids


def deny_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a data dir of mode 0500 or a file of mode 0400 look to a user who is not root."""
    real = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        return False if mode & os.W_OK else real(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(database_module.os, "access", access)


def test_a_history_that_cannot_be_written_opens_read_only_to_be_shown(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = filled(world)
    path = world.data_dir / DB_NAME
    before = fingerprint(path)
    deny_writing(monkeypatch)
    store = world.open()
    assert store.read_only
    assert store.warning is not None and "new sessions will not be recorded" in store.warning
    assert [r.id for r in store.sessions()] == ids[::-1]
    row = store.get(ids[0])
    assert row is not None and (row.pain_before, row.pain_after) == (4, 3)
    assert store.stats(date(2025, 1, 15)).week_sessions == 2
    assert len(store.segments(ids[0])) == 1
    assert store.pain_trend(date(2025, 1, 15))[-1].median_pain_before == 4.0
    with pytest.raises(HistoryReadOnly, match="read-only"):
        store.begin(MINUTE)
    with pytest.raises(HistoryReadOnly):
        store.set_pain(ids[0], after=1)
    with pytest.raises(HistoryReadOnly):
        store.delete(ids[0])
    assert store.orphans() == [] and not store.claim(ids[0]) and not store.mark_interrupted(ids[0])
    store.close()
    assert fingerprint(path)[:2] == before[:2]


def test_a_read_only_connection_refuses_writes_itself(world: World) -> None:
    filled(world)
    store = HistoryStore.open_read_only(world.data_dir)
    with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
        store.connection.execute("DELETE FROM sessions")
    assert store.count() == 2


def test_an_unwritable_place_without_a_history_is_a_clear_error(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.data_dir.mkdir()
    deny_writing(monkeypatch)
    with pytest.raises(HistoryUnavailable, match="permission denied"):
        world.open()
    assert list(world.data_dir.iterdir()) == []


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root writes whatever the mode bits say")
@pytest.mark.parametrize("what", ["data dir 0500", "file 0400"])
def test_really_read_only_history_is_shown(world: World, what: str) -> None:
    ids = filled(world)
    target = world.data_dir if what == "data dir 0500" else world.data_dir / DB_NAME
    target.chmod(0o500 if what == "data dir 0500" else 0o400)
    try:
        store = world.open()
        assert store.read_only and [r.id for r in store.sessions()] == ids[::-1]
        store.close()
    finally:
        target.chmod(0o700 if what == "data dir 0500" else 0o600)


def test_read_only_on_no_history_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(NoHistory, match="no history yet"):
        HistoryStore.open_read_only(tmp_path / "data")
    assert not (tmp_path / "data").exists()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / DB_NAME).touch()
    with pytest.raises(NoHistory):
        HistoryStore.open_read_only(tmp_path / "data")
    assert (tmp_path / "data" / DB_NAME).stat().st_size == 0


def test_a_damaged_history_read_only_is_said_and_kept_where_it_is(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / DB_NAME).write_bytes(b"garbage" * 1000)
    with pytest.raises(HistoryUnavailable, match="damaged"):
        HistoryStore.open_read_only(data_dir)
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_NAME]


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_file_read_only_reads_without_migrating(world: World, version: int) -> None:
    path = world.data_dir / DB_NAME
    if version == 1:
        foreign_database(path, SCHEMA_V1)
    else:
        make_version_2(path)
    store = HistoryStore.open_read_only(world.data_dir)
    assert store.read_only and store.schema_version == version < SCHEMA_VERSION
    (row,) = store.sessions()
    assert (row.id, row.pain_before, row.pain_after, row.levels) == (7, None, None, None)
    assert store.get(7) == row
    assert [s.step_index for s in store.segments(7)] == [None]
    assert len(store.past_sessions("minute")) == 1
    assert store.recent_pain_rises() == 0
    assert store.pain_trend(date(2024, 6, 2))[-1].sessions == 1  # Saturday the 1st
    # What `backtone history` streams: SESSION_COLUMNS, read as SessionRow(*row).
    rows = store.connection.execute(f"SELECT {SESSION_COLUMNS} FROM sessions").fetchall()
    assert [SessionRow(*r).id for r in rows] == [7]
    store.close()
    assert user_version(path) == version
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        connection.close()


def test_a_newer_file_read_only_is_refused(world: World) -> None:
    path = world.data_dir / DB_NAME
    foreign_database(path, SCHEMA_V1 + f"PRAGMA user_version = {SCHEMA_VERSION + 1};")
    with pytest.raises(HistoryUnavailable, match="newer backtone"):
        HistoryStore.open_read_only(world.data_dir)


def test_read_only_falls_back_to_an_immutable_open(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no -shm exists and none can be made, only an immutable open reads a WAL file."""
    filled(world)
    real = database_module._raw_connect
    tried: list[str] = []

    def no_shm(target: str, busy_timeout_ms: int, *, uri: bool = False) -> sqlite3.Connection:
        tried.append(target)
        if uri and "immutable=1" not in target:
            raise sqlite3.OperationalError("unable to open database file")
        return real(target, busy_timeout_ms, uri=uri)

    monkeypatch.setattr(database_module, "_raw_connect", no_shm)
    # The app's way in, when it cannot write: `mode=ro` first, to see what others commit.
    opened = database_module.open_read_only(world.data_dir / DB_NAME)
    store = HistoryStore(opened.connection, opened.path, read_only=True)
    assert store.count() == 2 and len(tried) == 2 and tried[-1].endswith("immutable=1")
    store.close()


def test_a_command_reads_a_closed_history_as_immutable_and_leaves_nothing_beside_it(
    world: World,
) -> None:
    filled(world)  # closed: no -wal, no -shm
    before = fingerprint(world.data_dir / DB_NAME)
    store = HistoryStore.open_read_only(world.data_dir)
    assert store.count() == 2 and len(store.sessions()) == 2
    store.close()
    assert fingerprint(world.data_dir / DB_NAME) == before  # a `mode=ro` open left -wal, -shm


# -- only HistoryUnavailable ------------------------------------------------------------------

CALLS = {
    "orphans": lambda s: s.orphans(),
    "claim": lambda s: s.claim(1),
    "mark_interrupted": lambda s: s.mark_interrupted(1),
    "sessions": lambda s: s.sessions(),
    "segments": lambda s: s.segments(1),
    "get": lambda s: s.get(1),
    "count": lambda s: s.count(),
    "delete": lambda s: s.delete(1),
    "stats": lambda s: s.stats(),
    "pain_trend": lambda s: s.pain_trend(),
    "recent_pain_rises": lambda s: s.recent_pain_rises(),
    "past_sessions": lambda s: s.past_sessions("minute"),
    "set_pain": lambda s: s.set_pain(1, before=3),
    "begin": lambda s: s.begin(MINUTE),
}


@pytest.mark.parametrize("call", list(CALLS))
def test_no_sqlite_error_leaves_the_store(world: World, call: str) -> None:
    store = world.open()
    store.begin(SHORT)
    store.locks.release_all()
    store.connection.close()  # every query now fails inside SQLite's module
    with pytest.raises(HistoryUnavailable) as caught:
        CALLS[call](store)
    assert not isinstance(caught.value, sqlite3.Error)
    assert str(caught.value).startswith("cannot ")


WRITES = ["begin", "set_pain", "delete"]


@pytest.mark.parametrize("call", WRITES)
def test_a_locked_history_is_a_busy_history(world: World, call: str) -> None:
    store = HistoryStore.open(world.data_dir, busy_timeout_ms=20)
    world.stores.append(store)
    store.begin(MINUTE)
    holder = sqlite3.connect(store.path, timeout=0.1, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryUnavailable, match="holding the history locked") as caught:
            CALLS[call](store)
        assert caught.value.transient
        assert store.count() == 1  # reading goes on meanwhile
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# -- the commands that only read: nothing changes on disk ------------------------------------


def snapshot(directory: Path) -> dict[str, str]:
    """Every file beside the history, with its digest: what a read-only command must keep."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in directory.iterdir()
    }


def run_command(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("version", [1, 2, 3])
def test_history_reads_an_older_file_as_it_is(
    world: World, capsys: pytest.CaptureFixture[str], version: int
) -> None:
    # It migrated and stamped the file, although it only reads.
    path = world.data_dir / DB_NAME
    if version == 1:
        foreign_database(path, SCHEMA_V1)
    elif version == 2:
        make_version_2(path)
    else:
        make_version_2(path)
        connection = sqlite3.connect(path)
        connection.executescript(database_module.MIGRATIONS[2])
        connection.execute("PRAGMA user_version = 3")
        connection.close()
    before = snapshot(world.data_dir)
    code, out, err = run_command(
        capsys, "history", "--data-dir", str(world.data_dir), "--format", "json"
    )
    assert (code, err) == (0, "")
    assert [r["id"] for r in json.loads(out)] == [7]
    assert snapshot(world.data_dir) == before
    assert user_version(path) == version and application_id(path) == 0


def test_history_of_a_closed_history_leaves_no_wal_or_shm(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    filled(world)
    before = snapshot(world.data_dir)
    assert f"{DB_NAME}-wal" not in before
    for fmt in ("table", "json", "csv", "toml"):
        assert (
            run_command(capsys, "history", "--data-dir", str(world.data_dir), "--format", fmt)[0]
            == 0
        )
    assert snapshot(world.data_dir) == before


def damage_index(path: Path) -> None:
    """Garbage over the root page of the index sessions are listed by: the header, the schema
    and the table read fine, and the first row streamed meets the damage."""
    connection = sqlite3.connect(path)
    (root,) = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'sessions_by_instant'"
    ).fetchone()
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xa5" * page_size)


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "toml"])
def test_history_of_a_file_damaged_inside_says_so_and_changes_nothing(
    world: World, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    filled(world)
    damage_index(world.data_dir / DB_NAME)
    before = snapshot(world.data_dir)
    code, _, err = run_command(
        capsys, "history", "--data-dir", str(world.data_dir), "--format", fmt
    )
    assert code == 1
    assert err == f"backtone: cannot read {world.data_dir / DB_NAME}: the history file is damaged\n"
    assert snapshot(world.data_dir) == before


def test_the_app_still_moves_a_damaged_file_aside(world: World) -> None:
    world.data_dir.mkdir()
    (world.data_dir / DB_NAME).write_bytes(b"garbage" * 1000)
    store = world.open()
    assert store.warning is not None and "was kept as" in store.warning
    assert any(".damaged-" in p.name for p in world.data_dir.iterdir())


def test_a_new_file_has_the_programme_version_and_note_columns(world: World) -> None:
    store = world.open()
    session_id = store.begin(MINUTE)
    row = store.get(session_id)
    assert row is not None and (row.program_version, row.note) == (None, None)
    store.set_note(session_id, "  Easier than last week\nLeft knee fine  ")
    row = store.get(session_id)
    assert row is not None and row.note == "Easier than last week\nLeft knee fine"
    store.set_note(session_id, "   ")
    assert (row := store.get(session_id)) is not None and row.note is None
    store.connection.execute(
        "UPDATE sessions SET program_version = '2' WHERE id = ?", (session_id,)
    )
    assert (row := store.get(session_id)) is not None and row.program_version == "2"


@pytest.mark.parametrize(
    "note, complaint",
    [("x" * 2001, "at most 2000 characters"), ("a\x1b[2Jb", "control characters"), (7, "is text")],
)
def test_a_note_that_is_no_note_is_refused(world: World, note: object, complaint: str) -> None:
    store = world.open()
    session_id = store.begin(MINUTE)
    with pytest.raises(ValueError, match=complaint):
        store.set_note(session_id, note)  # type: ignore[arg-type]


def test_a_note_is_not_written_into_a_read_only_history(world: World) -> None:
    ids = filled(world)
    store = HistoryStore.open_read_only(world.data_dir)
    with pytest.raises(HistoryReadOnly):
        store.set_note(ids[0], "fine")


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_older_file_read_only_gives_the_new_columns_as_none(world: World, version: int) -> None:
    path = world.data_dir / DB_NAME
    if version == 1:
        foreign_database(path, SCHEMA_V1)
    else:
        make_version_2(path)
        if version == 3:
            connection = sqlite3.connect(path)
            connection.executescript(database_module.MIGRATIONS[2])
            connection.execute("PRAGMA user_version = 3")
            connection.close()
    store = HistoryStore.open_read_only(world.data_dir)
    (row,) = store.sessions()
    assert (row.program_version, row.note) == (None, None)
    store.close()
    assert user_version(path) == version


def test_migration_4_adds_the_columns_to_an_older_file(world: World) -> None:
    make_version_2(world.data_dir / DB_NAME)
    store = world.open()
    columns = {row[1] for row in store.connection.execute("PRAGMA table_info(sessions)")}
    assert {"program_version", "note"} <= columns and store.schema_version == SCHEMA_VERSION >= 4
    store.set_note(7, "old session, new note")
    assert (row := store.get(7)) is not None and row.note == "old session, new note"
