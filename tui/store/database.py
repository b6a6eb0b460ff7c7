"""The SQLite file: connection and pragmas, migrations, transactions, and opening it safely.

backtone writes only into a database it made: `history.db` must not be a symlink, and its
`PRAGMA application_id` is APPLICATION_ID (stamped when the file is made). Files written before
the stamp existed carry 0: such a file is taken only if its tables are exactly backtone's, and
is stamped on the spot when it can be written. Anything else is refused with HistoryUnavailable,
and left exactly as it was (not migrated, not switched to WAL, not chmod-ed).

A history that can be read but not written (a data dir of mode 0500, a file of mode 0400) is
opened read-only, through a `mode=ro` URI: no migration, no journal change, and a file of an
older schema reads through temporary views that give the newer columns as NULL.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tui.store.errors import reason
from tui.store.recovery import check_header, looks_corrupt, move_aside
from tui.store.rows import HistoryUnavailable, NoHistory

DB_NAME = "history.db"
BUSY_TIMEOUT_MS = 5000
APPLICATION_ID = int.from_bytes(b"BkTn", "big")  # 0x426B546E, in the file's header
BACKTONE_TABLES = frozenset({"sessions", "segments"})
READ_ONLY_WARNING = (
    "The history at {path} can be read but not written: new sessions will not be recorded."
)

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
    # 3: pain check-ins (0-10, NULL when skipped) and progression. `levels` is the JSON of the
    # levels played (step index -> hold or reps); `full_steps` the JSON list of the steps whose
    # every work segment ended done, kept current at each checkpoint so that progression reads
    # one row a session. A segment's step_index is NULL in rows written before.
    """
    ALTER TABLE sessions ADD COLUMN pain_before INTEGER
        CHECK (pain_before IS NULL OR (typeof(pain_before) = 'integer'
               AND pain_before BETWEEN 0 AND 10));
    ALTER TABLE sessions ADD COLUMN pain_after INTEGER
        CHECK (pain_after IS NULL OR (typeof(pain_after) = 'integer'
               AND pain_after BETWEEN 0 AND 10));
    ALTER TABLE sessions ADD COLUMN levels TEXT;
    ALTER TABLE sessions ADD COLUMN full_steps TEXT;
    ALTER TABLE segments ADD COLUMN step_index INTEGER;
    CREATE INDEX sessions_by_routine ON sessions (routine_id, julianday(started_at), id);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
# The order of sessions() and of the History screen's pages: sessions_by_instant serves it.
NEWEST_FIRST = "ORDER BY julianday(started_at) DESC, id DESC"

# SessionRow's fields, in order: SessionRow(*row) reads a row of this.
SESSION_COLUMNS = (
    "id, routine_id, routine_name, routine_digest, started_at, ended_at, status, "
    "planned_seconds, active_seconds, paused_seconds, segments_done, segments_total, "
    "current_segment, pain_before, pain_after, levels"
)
# What a read-only file of an older schema lacks, given as NULL by a temporary view.
ADDED_COLUMNS = {
    3: {
        "sessions": ("pain_before", "pain_after", "levels", "full_steps"),
        "segments": ("step_index",),
    },
}


def connect(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A connection to a history file already known to be backtone's (see open_database)."""
    connection = _raw_connect(str(path), busy_timeout_ms)
    try:
        _use_wal(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def _raw_connect(target: str, busy_timeout_ms: int, *, uri: bool = False) -> sqlite3.Connection:
    """Pragmas that write nothing into the file: safe before the file is known to be ours."""
    connection = sqlite3.connect(
        target, timeout=busy_timeout_ms / 1000, isolation_level=None, uri=uri
    )
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        connection.close()
        raise
    return connection


def _use_wal(connection: sqlite3.Connection) -> None:
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal":  # pragma: no cover - filesystems without shared memory
        connection.execute("PRAGMA journal_mode = DELETE")


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
    _refuse_newer(version)


def _refuse_newer(version: int) -> None:
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


# -- is it ours? ------------------------------------------------------------------------------


def check_identity(connection: sqlite3.Connection, path: Path) -> bool:
    """Refuse a database backtone did not make; True if it is ours but not yet stamped.

    Reads only: nothing is written into a file before it passes.
    """
    application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
    if application_id == APPLICATION_ID:
        return False
    if application_id != 0:
        raise HistoryUnavailable(
            f"{path} belongs to another program (application_id {application_id:#x}), so"
            " backtone will not use it: move it away, or choose another --data-dir"
        )
    objects = connection.execute(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    tables = {name for kind, name in objects if kind == "table"}
    foreign = sorted(name for kind, name in objects if kind in ("view", "trigger"))
    foreign += sorted(tables - BACKTONE_TABLES)
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    ours = not foreign and (
        (not tables and version == 0)
        or (tables == BACKTONE_TABLES and version >= 1)
        or version > SCHEMA_VERSION  # refused all the same, as written by a newer backtone
    )
    if not ours:
        held = ", ".join(foreign or sorted(tables)) or "nothing"
        raise HistoryUnavailable(
            f"{path} is not a backtone history (it holds {held}), so backtone will not use"
            " it: move it away, or choose another --data-dir"
        )
    return True


def stamp(connection: sqlite3.Connection) -> None:
    with transaction(connection):
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _refuse_symlink(path: Path) -> None:
    if path.is_symlink():
        raise HistoryUnavailable(
            f"{path} is a symbolic link; backtone keeps its history only in a file of its own:"
            " remove the link, or choose another --data-dir"
        )


# -- opening ----------------------------------------------------------------------------------


@dataclass
class OpenedDatabase:
    connection: sqlite3.Connection
    path: Path
    warning: str | None  # a damaged file moved aside, or a history that is read-only
    read_only: bool
    schema_version: int


class _CannotWrite(HistoryUnavailable):
    pass


def open_database(
    data_dir: Path, *, read_only: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS
) -> OpenedDatabase:
    """Open (or create) the history file. A damaged file is moved aside and a new one started;
    a file that can be read but not written is opened read-only, with a warning saying so."""
    path = data_dir / DB_NAME
    if read_only:
        return open_read_only(path)
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise HistoryUnavailable(
            f"cannot create the data dir {data_dir}: {error.strerror or error}"
        ) from None
    _refuse_symlink(path)
    try:
        return _open_writable(path, busy_timeout_ms)
    except _CannotWrite:
        if not path.is_file() or path.stat().st_size == 0:
            raise
    opened = open_read_only(path)
    opened.warning = READ_ONLY_WARNING.format(path=path)
    return opened


def _open_writable(path: Path, busy_timeout_ms: int) -> OpenedDatabase:
    warning = None
    try:
        connection = _open_path(path, busy_timeout_ms)
    except sqlite3.DatabaseError as error:
        if not path.exists() or not looks_corrupt(error):
            raise HistoryUnavailable(f"cannot open {path}: {error}") from None
        kept = move_aside(path)
        warning = f"The history file was damaged; it was kept as {kept} and a new one started."
        try:
            connection = _open_path(path, busy_timeout_ms)
        except sqlite3.DatabaseError as again:
            raise HistoryUnavailable(f"cannot open {path}: {again}") from None
    return OpenedDatabase(connection, path, warning, False, SCHEMA_VERSION)


def _open_path(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise _CannotWrite(f"cannot write the history at {path}: permission denied")
    if not path.exists():
        try:
            path.touch(mode=0o600)
        except OSError as error:
            raise HistoryUnavailable(
                f"cannot write in {path.parent}: {error.strerror or error}"
            ) from None
    check_header(path)
    connection = _raw_connect(str(path), busy_timeout_ms)
    try:
        unstamped = check_identity(connection, path)
        # Before anything is written (WAL, a migration): a newer file is left as it is.
        _refuse_newer(int(connection.execute("PRAGMA user_version").fetchone()[0]))
        _use_wal(connection)
        migrate(connection)
        if unstamped:
            stamp(connection)
        connection.execute("SELECT count(*) FROM sessions WHERE id = 0").fetchone()
    except BaseException as error:
        connection.close()
        text = str(error)
        if isinstance(error, sqlite3.OperationalError) and (
            "readonly" in text or "unable to open" in text
        ):
            raise _CannotWrite(f"cannot write {path}: {reason(error, path)}") from None
        raise
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    return connection


def open_read_only(path: Path) -> OpenedDatabase:
    """Open the history only to read it: nothing created, migrated or changed in the file."""
    _refuse_symlink(path)
    if not path.is_file():
        raise NoHistory(f"no history yet at {path}")
    try:
        check_header(path)
    except sqlite3.DatabaseError:
        raise HistoryUnavailable(f"cannot read {path}: the history file is damaged") from None
    base = path.absolute().as_uri() + "?mode=ro"
    # A WAL file needs its -shm beside it; where none exists and none can be made (a data dir
    # of mode 0500), only an immutable open reads it.
    for uri in (base, base + "&immutable=1"):
        try:
            return _read_only_at(uri, path)
        except sqlite3.OperationalError as error:
            failure: sqlite3.Error = error
        except sqlite3.DatabaseError as error:
            raise HistoryUnavailable(f"cannot read {path}: {reason(error, path)}") from None
    raise HistoryUnavailable(f"cannot read {path}: {reason(failure, path)}")


def _read_only_at(uri: str, path: Path) -> OpenedDatabase:
    connection = _raw_connect(uri, BUSY_TIMEOUT_MS, uri=True)
    try:
        check_identity(connection, path)
        version = user_version(connection)
        _refuse_newer(version)
        if version == 0:
            raise NoHistory(f"no history yet at {path}")
        _add_missing_columns(connection, version)
        connection.execute("PRAGMA query_only = ON")
        connection.execute("SELECT count(*) FROM sessions WHERE id = 0").fetchone()
    except BaseException:
        connection.close()
        raise
    return OpenedDatabase(connection, path, None, True, version)


def _add_missing_columns(connection: sqlite3.Connection, version: int) -> None:
    """Temporary views over an older file, named as its tables (unqualified names find the temp
    schema first), that add the columns later migrations brought, as NULL."""
    missing: dict[str, list[str]] = {}
    for added_in, tables in ADDED_COLUMNS.items():
        if version < added_in:
            for table, columns in tables.items():
                missing.setdefault(table, []).extend(columns)
    for table, names in missing.items():
        extra = ", ".join(f"NULL AS {name}" for name in names)
        connection.execute(f"CREATE TEMP VIEW {table} AS SELECT *, {extra} FROM main.{table}")
