"""The history store: every session, checkpointed at each segment change, in one SQLite file.

A session row is written when it starts; each segment change is its own transaction, so a
killed process loses at most the segment in progress. A running session holds an advisory lock
on a small file beside the database: a session left `active` whose lock is free belongs to a
process that is gone, and can be resumed or kept as interrupted. Two processes never take each
other's sessions.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import socket
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from tui.plan import Plan
from tui.session import (
    Event,
    Outcome,
    PauseChanged,
    SegmentEnded,
    SegmentStarted,
    Session,
    SessionEnded,
)

DB_NAME = "history.db"
BUSY_TIMEOUT_MS = 5000
Now = Callable[[], datetime]


def local_now() -> datetime:
    return datetime.now().astimezone()


class HistoryUnavailable(Exception):
    """The store cannot be opened or written; the routine still plays, unrecorded."""


class SessionStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    STOPPED = "stopped"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class SessionRow:
    id: int
    routine_id: str
    routine_name: str
    routine_digest: str
    started_at: str
    ended_at: str | None
    status: str
    planned_seconds: float
    active_seconds: float
    paused_seconds: float
    segments_done: int
    segments_total: int
    current_segment: int

    @property
    def completion(self) -> float:
        return self.segments_done / self.segments_total if self.segments_total else 0.0

    def export(self) -> dict[str, Any]:
        """What `backtone history --format` writes of this session: EXPORT_FIELDS, in order."""
        return {
            "id": self.id,
            "routine_id": self.routine_id,
            "routine_name": self.routine_name,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "status": self.status,
            "planned_seconds": self.planned_seconds,
            "active_seconds": round(self.active_seconds, 1),
            "paused_seconds": round(self.paused_seconds, 1),
            "segments_done": self.segments_done,
            "segments_total": self.segments_total,
        }


@dataclass(frozen=True)
class SegmentRow:
    segment_index: int
    kind: str
    label: str
    exercise: str
    position: str
    outcome: str
    active_seconds: float
    ended_at: str


@dataclass(frozen=True)
class Stats:
    streak_days: int
    week_minutes: float
    week_sessions: int
    minutes_by_day: tuple[tuple[date, float], ...]  # oldest first, every day, zeros included


# -- schema -----------------------------------------------------------------------------------

_MIGRATIONS: list[str] = [
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
SCHEMA_VERSION = len(_MIGRATIONS)
# The order of sessions() and of the History screen's pages: sessions_by_instant serves it.
_NEWEST_FIRST = "ORDER BY julianday(started_at) DESC, id DESC"

_SESSION_COLUMNS = (
    "id, routine_id, routine_name, routine_digest, started_at, ended_at, status, "
    "planned_seconds, active_seconds, paused_seconds, segments_done, segments_total, "
    "current_segment"
)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal":  # pragma: no cover - filesystems without shared memory
        connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def _user_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def _migrate(connection: sqlite3.Connection) -> None:
    version = _user_version(connection)
    while version < SCHEMA_VERSION:
        with _transaction(connection):
            # Read again under the write lock: two processes opening an old file at once must
            # not both run the same migration.
            version = _user_version(connection)
            if version < SCHEMA_VERSION:
                for statement in _MIGRATIONS[version].split(";"):
                    if statement.strip():
                        connection.execute(statement)
                version += 1
                connection.execute(f"PRAGMA user_version = {version}")
    if version > SCHEMA_VERSION:
        raise HistoryUnavailable(
            f"the history was written by a newer backtone (schema {version}); upgrade backtone"
        )


@contextlib.contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:  # a failed COMMIT can leave it open
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
        raise


class HistoryStore:
    def __init__(self, connection: sqlite3.Connection, path: Path, now: Now = local_now) -> None:
        self.connection = connection
        self.path = path
        self.now = now
        self.warning: str | None = None
        self._locks: dict[int, IO[bytes]] = {}

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path, now: Now = local_now) -> HistoryStore:
        """Open (or create) the store; a corrupt file is moved aside and a new one started."""
        try:
            data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise HistoryUnavailable(
                f"cannot create the data dir {data_dir}: {error.strerror or error}"
            ) from None
        path = data_dir / DB_NAME
        warning = None
        try:
            connection = cls._open_path(path)
        except sqlite3.DatabaseError as error:
            if not path.exists() or not _looks_corrupt(error):
                raise HistoryUnavailable(f"cannot open {path}: {error}") from None
            kept = _move_aside(path)
            warning = f"The history file was damaged; it was kept as {kept} and a new one started."
            try:
                connection = cls._open_path(path)
            except sqlite3.DatabaseError as again:
                raise HistoryUnavailable(f"cannot open {path}: {again}") from None
        store = cls(connection, path, now)
        store.warning = warning
        return store

    @staticmethod
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
        _check_header(path)
        try:
            connection = _connect(path)
            _migrate(connection)
            connection.execute("SELECT count(*) FROM sessions WHERE id = 0").fetchone()
        except sqlite3.OperationalError as error:
            if "readonly" in str(error) or "unable to open" in str(error):
                raise HistoryUnavailable(f"cannot write {path}: {error}") from None
            raise
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
        return connection

    def close(self) -> None:
        for handle in self._locks.values():
            handle.close()
        self._locks.clear()
        self.connection.close()

    # -- locks: which sessions belong to a live process ---------------------------------------

    def _lock_path(self, session_id: int) -> Path:
        return self.path.parent / "locks" / f"session-{session_id}.lock"

    def _lock(self, session_id: int) -> bool:
        if session_id in self._locks:
            return True
        path = self._lock_path(session_id)
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
            handle = open(path, "a+b")  # noqa: SIM115 - held for the session's life
        except OSError:
            return False
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                return False
        self._locks[session_id] = handle
        return True

    def _unlock(self, session_id: int) -> None:
        handle = self._locks.pop(session_id, None)
        if handle is not None:
            handle.close()
            with contextlib.suppress(OSError):
                self._lock_path(session_id).unlink()

    # -- writing -----------------------------------------------------------------------------

    def begin(self, plan: Plan, routines_file: str = "") -> int:
        """Record a new active session; returns its id (locked to this process)."""
        now = self.now()
        stamp = now.isoformat(timespec="seconds")
        digest = plan.digest()  # worked out before the write lock is taken
        session_id: int | None = None
        try:
            with _transaction(self.connection):
                cursor = self.connection.execute(
                    "INSERT INTO sessions (routine_id, routine_name, routine_digest, routines_file,"
                    " started_at, day, status, planned_seconds, segments_total, host, pid,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?)",
                    (
                        plan.routine.id,
                        plan.routine.name,
                        digest,
                        routines_file,
                        stamp,
                        now.date().isoformat(),
                        plan.timed_seconds,
                        len(plan.segments),
                        socket.gethostname(),
                        os.getpid(),
                        stamp,
                    ),
                )
                session_id = cursor.lastrowid
                assert session_id is not None
                # Locked before the row is committed: another process never sees a session
                # that is active and unlocked, which it would take for an orphan.
                self._lock(session_id)
        except BaseException:
            if session_id is not None:
                self._unlock(session_id)
            raise
        return session_id

    def checkpoint(
        self,
        session_id: int,
        session: Session,
        events: Sequence[Event],
        base_active: float = 0.0,
        base_paused: float = 0.0,
    ) -> None:
        """Write what these events changed, in one transaction."""
        if not any(
            isinstance(e, SegmentEnded | SegmentStarted | SessionEnded | PauseChanged)
            for e in events
        ):
            return
        stamp = self.now().isoformat(timespec="seconds")
        progress = session.progress()
        ended = next((e for e in events if isinstance(e, SessionEnded)), None)
        with _transaction(self.connection):
            for event in events:
                if isinstance(event, SegmentEnded):
                    segment = event.segment
                    self.connection.execute(
                        "INSERT OR REPLACE INTO segments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            session_id,
                            segment.index,
                            segment.kind.value,
                            segment.label,
                            segment.exercise.name,
                            segment.position,
                            event.outcome.value,
                            round(event.active_seconds, 3),
                            stamp,
                        ),
                    )
                elif isinstance(event, SegmentStarted):
                    # Going back replays segments: they are no longer done until they end again.
                    self.connection.execute(
                        "DELETE FROM segments WHERE session_id = ? AND segment_index >= ?",
                        (session_id, event.segment.index),
                    )
            status = SessionStatus.ACTIVE
            if ended is not None:
                status = SessionStatus.COMPLETED if ended.completed else SessionStatus.STOPPED
            self.connection.execute(
                "UPDATE sessions SET status = ?, ended_at = ?, active_seconds = ?,"
                " paused_seconds = ?, current_segment = ?, updated_at = ?,"
                " segments_done = (SELECT count(*) FROM segments"
                "   WHERE session_id = sessions.id AND outcome = 'done')"
                " WHERE id = ?",
                (
                    status.value,
                    stamp if ended is not None else None,
                    base_active + progress.active_seconds,
                    base_paused + progress.paused_seconds,
                    session.index,
                    stamp,
                    session_id,
                ),
            )
        if ended is not None:
            self._unlock(session_id)

    # -- resuming ----------------------------------------------------------------------------

    def orphans(self, routine_id: str | None = None) -> list[SessionRow]:
        """Active sessions whose process is gone, newest first."""
        query = f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE status = 'active'"
        parameters: tuple[object, ...] = ()
        if routine_id is not None:
            query += " AND routine_id = ?"
            parameters = (routine_id,)
        query += " ORDER BY id DESC"
        rows = [SessionRow(*r) for r in self.connection.execute(query, parameters)]
        return [row for row in rows if row.id not in self._locks and self._is_free(row.id)]

    def _is_free(self, session_id: int) -> bool:
        if self._lock(session_id):
            self._unlock_keep_file(session_id)
            return True
        return False

    def _unlock_keep_file(self, session_id: int) -> None:
        handle = self._locks.pop(session_id, None)
        if handle is not None:
            handle.close()

    def _status(self, session_id: int) -> str | None:
        row = self.connection.execute(
            "SELECT status FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def claim(self, session_id: int) -> bool:
        """Take an orphaned session to resume it.

        False if another process has it, or if it is no longer active: the row read by
        orphans() may be stale, as another process may have resumed and ended it, or kept it
        as interrupted, since. Only a status read under the lock can be trusted.
        """
        if not self._lock(session_id):
            return False
        if self._status(session_id) != SessionStatus.ACTIVE:
            self._unlock(session_id)
            return False
        return True

    def mark_interrupted(self, session_id: int) -> bool:
        """Keep an orphaned session as interrupted, ended at its last checkpoint.

        Only under its lock: a session another process is playing (it may have claimed it
        since orphans() listed it) is left alone. True if the session was marked.
        """
        if not self._lock(session_id):
            return False
        try:
            with _transaction(self.connection):
                cursor = self.connection.execute(
                    "UPDATE sessions SET status = 'interrupted',"
                    " ended_at = coalesce(ended_at, updated_at)"
                    " WHERE id = ? AND status = 'active'",
                    (session_id,),
                )
        finally:
            self._unlock(session_id)
        return cursor.rowcount > 0

    # -- reading -----------------------------------------------------------------------------

    def get(self, session_id: int) -> SessionRow | None:
        row = self.connection.execute(
            f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        return SessionRow(*row) if row else None

    def count(self) -> int:
        return int(self.connection.execute("SELECT count(*) FROM sessions").fetchone()[0])

    def sessions(
        self, limit: int | None = None, offset: int = 0, since: date | None = None
    ) -> list[SessionRow]:
        """Sessions newest first, a page at a time."""
        query = f"SELECT {_SESSION_COLUMNS} FROM sessions"
        parameters: list[object] = []
        if since is not None:
            query += " WHERE day >= ?"
            parameters.append(since.isoformat())
        query += f" {_NEWEST_FIRST}"
        if limit is not None:
            query += " LIMIT ? OFFSET ?"
            parameters += [limit, offset]
        return [SessionRow(*row) for row in self.connection.execute(query, parameters)]

    def segments(self, session_id: int) -> list[SegmentRow]:
        rows = self.connection.execute(
            "SELECT segment_index, kind, label, exercise, position, outcome, active_seconds,"
            " ended_at FROM segments WHERE session_id = ? ORDER BY segment_index",
            (session_id,),
        )
        return [SegmentRow(*row) for row in rows]

    def delete(self, session_id: int) -> bool:
        """Delete a session and its segments. False, deleting nothing, while another process
        is playing it: that process would go on writing checkpoints to a row that is gone."""
        live_elsewhere = (
            self._status(session_id) == SessionStatus.ACTIVE
            and session_id not in self._locks
            and not self._is_free(session_id)
        )
        if live_elsewhere:
            return False
        with _transaction(self.connection):
            self.connection.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        return True

    def stats(self, today: date | None = None, days: int = 28) -> Stats:
        today = today or self.now().date()
        practised = [
            date.fromisoformat(day)
            for (day,) in self.connection.execute(
                "SELECT DISTINCT day FROM sessions WHERE segments_done > 0 AND day <= ?"
                " ORDER BY day DESC",
                (today.isoformat(),),
            )
        ]
        streak = 0
        expected = today if practised and practised[0] == today else today - timedelta(days=1)
        for day in practised:
            if day == expected:
                streak += 1
                expected -= timedelta(days=1)
            elif day < expected:
                break
        monday = today - timedelta(days=today.weekday())
        week_seconds, week_sessions = self.connection.execute(
            "SELECT coalesce(sum(active_seconds), 0), count(*) FROM sessions"
            " WHERE day >= ? AND day <= ? AND segments_done > 0",
            (monday.isoformat(), today.isoformat()),
        ).fetchone()
        first = today - timedelta(days=days - 1)
        seconds_by_day = dict(
            self.connection.execute(
                "SELECT day, sum(active_seconds) FROM sessions"
                " WHERE day >= ? AND day <= ? AND segments_done > 0 GROUP BY day",
                (first.isoformat(), today.isoformat()),
            ).fetchall()
        )
        minutes = tuple(
            (day, seconds_by_day.get(day.isoformat(), 0.0) / 60)
            for day in (first + timedelta(days=n) for n in range(days))
        )
        return Stats(streak, week_seconds / 60, week_sessions, minutes)


# -- recording a live session ---------------------------------------------------------------


class Recorder:
    """Writes one playing session to the store; turns itself off, with a warning, on failure."""

    def __init__(
        self,
        store: HistoryStore,
        session_id: int,
        base_active: float = 0.0,
        base_paused: float = 0.0,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.base_active = base_active
        self.base_paused = base_paused
        self.failure: str | None = None

    def record(self, session: Session, events: Sequence[Event]) -> str | None:
        """Checkpoint; returns a warning the first time writing fails."""
        if self.failure is not None:
            return None
        try:
            self.store.checkpoint(
                self.session_id, session, events, self.base_active, self.base_paused
            )
        except sqlite3.Error as error:
            self.failure = f"History stopped recording this session: {error}"
            return self.failure
        return None


def start_recording(store: HistoryStore, session: Session, routines_file: str = "") -> Recorder:
    return Recorder(store, store.begin(session.plan, routines_file))


def resume_session(
    store: HistoryStore, row: SessionRow, plan: Plan, clock: Callable[[], float]
) -> tuple[Session, Recorder]:
    """Pick an interrupted session up at the segment that was playing when it stopped."""
    session = Session(plan, clock=clock, start_index=row.current_segment)
    session.active_seconds = row.active_seconds
    session.paused_seconds = row.paused_seconds
    for segment in store.segments(row.id):
        if segment.segment_index < row.current_segment:
            session.outcomes[segment.segment_index] = Outcome(segment.outcome)
    return session, Recorder(store, row.id)


# -- export -----------------------------------------------------------------------------------

EXPORT_FIELDS = [
    "id",
    "routine_id",
    "routine_name",
    "started_at",
    "ended_at",
    "status",
    "planned_seconds",
    "active_seconds",
    "paused_seconds",
    "segments_done",
    "segments_total",
]


EXPORT_FORMATS = ("json", "csv", "toml")


def export(rows: Sequence[SessionRow], fmt: str, out: IO[str]) -> None:
    """Write the sessions as JSON (a list of objects), CSV (a header, then a line each) or TOML.

    Each row's dict is built once, and the text goes out in one write (a line each for CSV):
    10,000 sessions take a few tens of milliseconds.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    records = [row.export() for row in rows]
    if fmt == "json":
        out.write(json.dumps(records, indent=2) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(EXPORT_FIELDS)
        writer.writerows([record[key] for key in EXPORT_FIELDS] for record in records)
    else:
        import tomli_w

        cleaned = [{k: v for k, v in record.items() if v is not None} for record in records]
        out.write(tomli_w.dumps({"sessions": cleaned}))


def export_text(rows: Sequence[SessionRow], fmt: str) -> str:
    buffer = io.StringIO()
    export(rows, fmt, buffer)
    return buffer.getvalue()


# -- damage -----------------------------------------------------------------------------------

_SQLITE_HEADER = b"SQLite format 3\x00"


def _check_header(path: Path) -> None:
    """Refuse a file that is neither empty nor begins as every SQLite database does.

    SQLite itself takes a file shorter than a page (a 1-byte file, say) for an empty database
    and writes over it; such a file must be moved aside and kept like any other damaged one.
    Only the header is read: a full `PRAGMA quick_check` costs ~80 ms at 10,000 sessions.
    """
    try:
        with path.open("rb") as file:
            head = file.read(len(_SQLITE_HEADER))
    except OSError:
        return  # not readable, or not a file: SQLite says what is wrong when it opens it
    if head and head != _SQLITE_HEADER:
        raise sqlite3.DatabaseError("file is not a database (no SQLite header)")


def _looks_corrupt(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def _move_aside(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
        counter += 1
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            sidecar.rename(target.with_name(target.name + suffix))
    return target
