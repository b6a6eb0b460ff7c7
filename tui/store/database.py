"""The SQLite file: connection and pragmas, migrations, transactions, and opening it safely."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from tui.store.recovery import check_header, looks_corrupt, move_aside
from tui.store.rows import HistoryUnavailable

DB_NAME = "history.db"
BUSY_TIMEOUT_MS = 5000

# -- schema -----------------------------------------------------------------------------------

MIGRATIONS: list[str] = [
    # 1: the first release
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        routine_id TEXT NOT NULL,
        routine_name TEXT NOT NULL,
        routine_digest TEXT NOT NULL,
        routines_file TEXT NOT NULL DEFAULT '',
        started_at TEXT NOT NULL,
        day TEXT NOT NULL,
        ended_at TEXT,
        status TEXT NOT NULL,
        planned_seconds REAL NOT NULL,
        active_seconds REAL NOT NULL DEFAULT 0,
        paused_seconds REAL NOT NULL DEFAULT 0,
        segments_done INTEGER NOT NULL DEFAULT 0,
        segments_total INTEGER NOT NULL,
        current_segment INTEGER NOT NULL DEFAULT 0,
        host TEXT NOT NULL DEFAULT '',
        pid INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX sessions_by_start ON sessions (started_at DESC, id DESC);
    CREATE INDEX sessions_by_day ON sessions (day);
    CREATE INDEX sessions_by_status ON sessions (status);
    CREATE TABLE segments (
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        segment_index INTEGER NOT NULL,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        exercise TEXT NOT NULL,
        position TEXT NOT NULL,
        outcome TEXT NOT NULL,
        active_seconds REAL NOT NULL,
        ended_at TEXT NOT NULL,
        PRIMARY KEY (session_id, segment_index)
    ) WITHOUT ROWID;
    """,
    # 2: newest first by the instant a session started, not by the text of its local time
    # (which sorts wrong across a change of UTC offset); julianday() reads the offset.
    """
    DROP INDEX IF EXISTS sessions_by_start;
    CREATE INDEX sessions_by_instant ON sessions (julianday(started_at) DESC, id DESC);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
# The order of sessions() and of the History screen's pages: sessions_by_instant serves it.
NEWEST_FIRST = "ORDER BY julianday(started_at) DESC, id DESC"

SESSION_COLUMNS = (
    "id, routine_id, routine_name, routine_digest, started_at, ended_at, status, "
    "planned_seconds, active_seconds, paused_seconds, segments_done, segments_total, "
    "current_segment"
)


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal":  # pragma: no cover - filesystems without shared memory
        connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def user_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection) -> None:
    version = user_version(connection)
    while version < SCHEMA_VERSION:
        with transaction(connection):
            # Read again under the write lock: two processes opening an old file at once must
            # not both run the same migration.
            version = user_version(connection)
            if version < SCHEMA_VERSION:
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        connection.execute(statement)
                version += 1
                connection.execute(f"PRAGMA user_version = {version}")
    if version > SCHEMA_VERSION:
        raise HistoryUnavailable(
            f"the history was written by a newer backtone (schema {version}); upgrade backtone"
        )


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[None]:
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:  # a failed COMMIT can leave it open
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
        raise


def open_database(data_dir: Path) -> tuple[sqlite3.Connection, Path, str | None]:
    """Open (or create) the history file: the connection, its path, and a warning if a damaged
    file had to be moved aside and a new one started."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise HistoryUnavailable(
            f"cannot create the data dir {data_dir}: {error.strerror or error}"
        ) from None
    path = data_dir / DB_NAME
    warning = None
    try:
        connection = _open_path(path)
    except sqlite3.DatabaseError as error:
        if not path.exists() or not looks_corrupt(error):
            raise HistoryUnavailable(f"cannot open {path}: {error}") from None
        kept = move_aside(path)
        warning = f"The history file was damaged; it was kept as {kept} and a new one started."
        try:
            connection = _open_path(path)
        except sqlite3.DatabaseError as again:
            raise HistoryUnavailable(f"cannot open {path}: {again}") from None
    return connection, path, warning


def _open_path(path: Path) -> sqlite3.Connection:
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise HistoryUnavailable(f"cannot write the history at {path}: permission denied")
    if not path.exists():
        try:
            path.touch(mode=0o600)
        except OSError as error:
            raise HistoryUnavailable(
                f"cannot write in {path.parent}: {error.strerror or error}"
            ) from None
    check_header(path)
    try:
        connection = connect(path)
        migrate(connection)
        connection.execute("SELECT count(*) FROM sessions WHERE id = 0").fetchone()
    except sqlite3.OperationalError as error:
        if "readonly" in str(error) or "unable to open" in str(error):
            raise HistoryUnavailable(f"cannot write {path}: {error}") from None
        raise
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    return connection
