"""The SQLite file: connection and pragmas, migrations, transactions, and opening it safely.

backtone writes only into a database it made: `history.db` must not be a symlink, and its
`PRAGMA application_id` is APPLICATION_ID (stamped when the file is made). Files written before
the stamp existed carry 0: such a file is taken only if its tables are exactly backtone's, and
is stamped on the spot when it can be written. Anything else is refused with HistoryUnavailable,
and left exactly as it was (not migrated, not switched to WAL, not chmod-ed).

A history that can be read but not written (a data dir of mode 0500, a file of mode 0400) is
opened read-only, through a `mode=ro` URI: no migration, no journal change, and a file of an
older schema reads through temporary views that give the newer columns as NULL. The commands
that only read (`history`, `status`, `report`) open it so, whatever they could write, and
change nothing on disk: not even a -wal or -shm file is left beside a history no backtone has
open (it is read as immutable then), and a damaged file is said to be damaged, not moved.

Before anything is opened, the path is looked at (history_file.inspect): a FIFO, a directory,
a socket or a device named history.db is refused by name, never opened (a FIFO would block for
ever), and so is a data dir that cannot be entered.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tui.store import history_file
from tui.store.errors import reason
from tui.store.readable import SESSION_COLUMNS as SESSION_COLUMNS  # where it was, re-exported
from tui.store.readable import add_missing_columns, lenient_text
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
    # 4: which version of the routine file's [program] a session played, for the report, and
    # the person's own note after it. NULL until recorded, and in every older row.
    """
    ALTER TABLE sessions ADD COLUMN program_version TEXT;
    ALTER TABLE sessions ADD COLUMN note TEXT;
    """,
    # 5: the bin. A session deleted on the History screen is kept, out of every reader, with
    # the instant it was deleted, to be restored; it is erased for good 30 days later. Few
    # rows are ever binned: a partial index finds them without reading the rest.
    """
    ALTER TABLE sessions ADD COLUMN deleted_at TEXT;
    CREATE INDEX sessions_binned ON sessions (deleted_at) WHERE deleted_at IS NOT NULL;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
# The order of sessions() and of the History screen's pages: sessions_by_instant serves it.
NEWEST_FIRST = "ORDER BY julianday(started_at) DESC, id DESC"


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
    connection.text_factory = lenient_text
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


def _refuse_unusable(path: Path) -> bool:
    """Whether a history file is there; HistoryUnavailable, naming the path, if what is there
    is not a regular file (a symlink, a FIFO, a directory, a device) or cannot be reached."""
    present, problem = history_file.inspect(str(path))
    if problem is not None:
        raise HistoryUnavailable(problem)
    return present


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
        return open_read_only(path, leave_no_trace=True)
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        message = f"cannot create the data dir {data_dir}: {error.strerror or error}"
        # Not merely a folder it cannot write in: one on the way it cannot even enter.
        if isinstance(error, PermissionError) and history_file.first_closed(str(data_dir)):
            message = history_file.permission_problem(str(data_dir))
        raise HistoryUnavailable(message) from None
    _refuse_unusable(path)
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


def open_read_only(path: Path, *, leave_no_trace: bool = False) -> OpenedDatabase:
    """Open the history only to read it: nothing created, migrated or changed in the file.

    `leave_no_trace`, for a command that reads and exits: a history no backtone has open (no
    -wal or -journal beside it) is read as immutable, since a `mode=ro` open of a WAL file
    makes a -wal and a -shm and leaves them behind. An app that stays open reads `mode=ro`,
    which sees what another process commits.
    """
    if not _refuse_unusable(path):
        raise NoHistory(f"no history yet at {path}")
    if not os.access(path, os.R_OK):
        raise HistoryUnavailable(f"cannot read {path}: permission denied")
    try:
        check_header(path)
    except sqlite3.DatabaseError:
        raise HistoryUnavailable(f"cannot read {path}: the history file is damaged") from None
    base = path.absolute().as_uri() + "?mode=ro"
    immutable = base + "&immutable=1"
    # A WAL file needs its -shm beside it; where none exists and none can be made (a data dir
    # of mode 0500), only an immutable open reads it.
    uris = (base, immutable)
    if leave_no_trace and not any(
        path.with_name(path.name + side).exists() for side in ("-wal", "-journal")
    ):
        uris = (immutable, base)
    for uri in uris:
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
        add_missing_columns(connection)
        connection.execute("PRAGMA query_only = ON")
        connection.execute("SELECT count(*) FROM sessions WHERE id = 0").fetchone()
    except BaseException:
        connection.close()
        raise
    return OpenedDatabase(connection, path, None, True, version)
