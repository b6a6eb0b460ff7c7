"""The history store: every session, checkpointed at each segment change, in one SQLite file.

A session row is written when it starts; each segment change is its own transaction, so a
killed process loses at most the segment in progress. A running session holds an advisory lock
on a small file beside the database: a session left `active` whose lock is free belongs to a
process that is gone, and can be resumed or kept as interrupted. Two processes never take each
other's sessions.

Deleting is binning: delete() keeps the session, out of every reader, with the instant it was
deleted; restore() brings it back, binned() lists the bin, and a session binned more than
BIN_DAYS ago is erased for good (with its segments) when a writable store opens.

Errors: every public method the UI calls (begin, set_pain, set_note, checkpoint, orphans,
claim, mark_interrupted, get, count, unreadable, sessions, segments, delete, restore, binned,
stats, pain_trend, recent_pain_rises, past_sessions) raises only HistoryUnavailable, with a
message for a person: HistoryBusy (a subclass) when the failure may pass (a lock, a full disk,
an I/O error), HistoryReadOnly for a write asked of a history opened read-only. No
sqlite3.Error escapes them.
ValueError is kept for a caller's own mistake (a pain of 11).

Damaged rows: a row edited by hand past reading (a day of '2026-01-xx', text in the seconds) is
left out of every reader, the same rows by each (readable.py); unreadable() counts them.

Read-only: a history that can be read but not written opens read-only (`read_only` is True,
`warning` says new sessions will not be recorded). It is shown and exported; begin, set_pain,
delete and restore raise HistoryReadOnly; orphans() is empty and claim, mark_interrupted say
False. A read-only open never empties the bin.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path

from tui.core.engine import Event, Session
from tui.core.plan import Plan
from tui.core.progression import PastSession, levels_by_identity
from tui.store import trend
from tui.store.checkpoint import Stamped, worth_writing, write_checkpoint
from tui.store.database import (
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    open_database,
    transaction,
)
from tui.store.errors import guarded
from tui.store.export import stream_sessions
from tui.store.locks import SessionLocks
from tui.store.readable import (
    BINNED,
    KEPT,
    READABLE,
    READABLE_BINNED,
    READABLE_SEGMENT,
    SEGMENT_COLUMNS,
    SESSION_COLUMNS,
    unreadable_sessions,
)
from tui.store.rows import (
    HistoryReadOnly,
    HistoryUnavailable,
    Now,
    SegmentRow,
    SessionRow,
    SessionStatus,
    Stats,
    WeekTrend,
    clean_note,
    levels_to_json,
    local_now,
)
from tui.store.stats import compute_stats

PAIN_SCALE = range(0, 11)
BIN_DAYS = 30  # a deleted session can be restored for this long, then it is erased


def check_pain(value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value not in PAIN_SCALE:
        raise ValueError(f"pain is a whole number from 0 to 10, not {value!r}")


class HistoryStore:
    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        now: Now = local_now,
        *,
        read_only: bool = False,
        schema_version: int = SCHEMA_VERSION,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> None:
        self.connection = connection
        self.path = path
        self.now = now
        self.read_only = read_only
        self.schema_version = schema_version  # of the file: older only when read-only
        self.busy_timeout_ms = busy_timeout_ms
        self.warning: str | None = None
        self.locks = SessionLocks(path.parent / "locks")

    @classmethod
    def open(
        cls,
        data_dir: Path,
        now: Now = local_now,
        *,
        read_only: bool = False,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> HistoryStore:
        """Open (or create) the store; a corrupt file is moved aside and a new one started, and
        one that can be read but not written is opened read-only, with a warning."""
        opened = open_database(data_dir, read_only=read_only, busy_timeout_ms=busy_timeout_ms)
        store = cls(
            opened.connection,
            opened.path,
            now,
            read_only=opened.read_only,
            schema_version=opened.schema_version,
            busy_timeout_ms=busy_timeout_ms,
        )
        store.warning = opened.warning
        if not store.read_only:
            store._empty_bin()
        return store

    @classmethod
    def open_read_only(cls, data_dir: Path, now: Now = local_now) -> HistoryStore:
        """Open only to read: nothing is created, migrated or written. NoHistory if none."""
        return cls.open(data_dir, now, read_only=True)

    def close(self) -> None:
        self.locks.release_all()
        self.connection.close()

    def _refuse_if_read_only(self, doing: str) -> None:
        if self.read_only:
            raise HistoryReadOnly(f"cannot {doing}: the history at {self.path} is read-only")

    # -- writing -----------------------------------------------------------------------------

    @guarded("record the session")
    def begin(
        self,
        plan: Plan,
        routines_file: str = "",
        pain_before: int | None = None,
        levels: Mapping[int, float] | None = None,
        program_version: str | None = None,
    ) -> int:
        """Record a new active session; returns its id (locked to this process).

        `program_version` is the routine file's [program] version it plays (None: none)."""
        check_pain(pain_before)
        self._refuse_if_read_only("record the session")
        now = self.now()
        stamp = now.isoformat(timespec="seconds")
        digest = plan.digest()  # worked out before the write lock is taken
        # By step identity: a resume after the file's steps were moved finds each level's step.
        stored_levels = levels_to_json(levels_by_identity(plan.routine, levels or {}))
        session_id: int | None = None
        try:
            with transaction(self.connection):
                cursor = self.connection.execute(
                    "INSERT INTO sessions (routine_id, routine_name, routine_digest, routines_file,"
                    " started_at, day, status, planned_seconds, segments_total, host, pid,"
                    " updated_at, pain_before, levels, full_steps, program_version)"
                    " VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, '[]', ?)",
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
                        pain_before,
                        stored_levels,
                        program_version,
                    ),
                )
                session_id = cursor.lastrowid
                assert session_id is not None
                # Locked before the row is committed: another process never sees a session
                # that is active and unlocked, which it would take for an orphan.
                self.locks.take(session_id)
        except BaseException:
            if session_id is not None:
                self.locks.release(session_id)
            raise
        return session_id

    @guarded("record the pain check-in")
    def set_pain(
        self, session_id: int, *, before: int | None = None, after: int | None = None
    ) -> None:
        """Record a check-in (0-10) given before or after a session; None leaves it as it is."""
        check_pain(before)
        check_pain(after)
        given = (("pain_before", before), ("pain_after", after))
        changes = {name: value for name, value in given if value is not None}
        if not changes:
            return
        self._refuse_if_read_only("record the pain check-in")
        assignments = ", ".join(f"{name} = ?" for name in changes)
        with transaction(self.connection):
            self.connection.execute(
                f"UPDATE sessions SET {assignments} WHERE id = ?", (*changes.values(), session_id)
            )

    @guarded("record the session")
    def checkpoint(
        self,
        session_id: int,
        session: Session,
        events: Sequence[Event],
        base_active: float = 0.0,
        base_paused: float = 0.0,
    ) -> None:
        """Write what these events changed, in one transaction."""
        events = worth_writing(events)
        if not events:
            return
        stamp = self.now().isoformat(timespec="seconds")
        self._write(
            [Stamped(e, stamp) for e in events], session_id, session, base_active, base_paused
        )

    def write_pending(
        self,
        session_id: int,
        session: Session,
        pending: Sequence[Stamped],
        base: tuple[float, float],
        busy_timeout_ms: int,
    ) -> None:
        """The Recorder's checkpoint: every event not yet written, waiting at most
        `busy_timeout_ms` for a lock (the countdown must not wait). HistoryUnavailable
        (HistoryBusy when it may pass) if it fails; nothing is then written."""
        with self._busy_timeout(busy_timeout_ms):
            self._write(pending, session_id, session, *base)

    @guarded("record the session")
    def _write(
        self,
        pending: Sequence[Stamped],
        session_id: int,
        session: Session,
        base_active: float,
        base_paused: float,
    ) -> None:
        self._refuse_if_read_only("record the session")
        stamp = self.now().isoformat(timespec="seconds")
        base = (base_active, base_paused)
        if write_checkpoint(self.connection, session_id, session, pending, stamp, base):
            self.locks.release(session_id)

    @contextlib.contextmanager
    def _busy_timeout(self, milliseconds: int) -> Iterator[None]:
        with contextlib.suppress(sqlite3.Error):  # a closed connection fails in the write
            self.connection.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")

    @guarded("record the note")
    def set_note(self, session_id: int, text: str | None) -> None:
        """Keep the person's note about a session (None or blank: no note)."""
        note = clean_note(text)
        self._refuse_if_read_only("record the note")
        with transaction(self.connection):
            self.connection.execute("UPDATE sessions SET note = ? WHERE id = ?", (note, session_id))

    # -- resuming ----------------------------------------------------------------------------

    @guarded("read the history")
    def orphans(self, routine_id: str | None = None) -> list[SessionRow]:
        """Active sessions whose process is gone, newest first.

        None from a read-only history (a resume could not be recorded). A session whose
        recording had failed for good is not offered: it is kept as interrupted, here and now.
        """
        if self.read_only:
            return []
        query = f"SELECT {SESSION_COLUMNS} FROM sessions WHERE status = 'active' AND {READABLE}"
        parameters: tuple[object, ...] = ()
        if routine_id is not None:
            query += " AND routine_id = ?"
            parameters = (routine_id,)
        query += " ORDER BY id DESC"
        rows = [SessionRow(*r) for r in self.connection.execute(query, parameters)]
        gone = [r for r in rows if not self.locks.holds(r.id) and self.locks.is_free(r.id)]
        unrecorded = {r.id for r in gone if self.locks.unrecorded(r.id)}
        for session_id in unrecorded:
            with contextlib.suppress(HistoryUnavailable):  # not now: kept back, marked later
                if self.mark_interrupted(session_id):
                    self.locks.clear_unrecorded(session_id)
        return [row for row in gone if row.id not in unrecorded]

    def _status(self, session_id: int) -> str | None:
        """The session's stored status; None if there is none, or it is in the bin."""
        row = self.connection.execute(
            f"SELECT status FROM sessions WHERE id = ? AND {KEPT}", (session_id,)
        ).fetchone()
        return str(row[0]) if row else None

    @guarded("read the history")
    def claim(self, session_id: int) -> bool:
        """Take an orphaned session to resume it.

        False if another process has it, or if it is no longer active: the row read by
        orphans() may be stale, as another process may have resumed and ended it, or kept it
        as interrupted, since. Only a status read under the lock can be trusted.
        """
        if self.read_only or not self.locks.take(session_id):
            return False
        try:
            active = self._status(session_id) == SessionStatus.ACTIVE
        except BaseException:
            self.locks.release(session_id)
            raise
        if not active:
            self.locks.release(session_id)
        return active

    @guarded("keep the session as interrupted")
    def mark_interrupted(self, session_id: int) -> bool:
        """Keep an orphaned session as interrupted, ended at its last checkpoint.

        Only under its lock: a session another process is playing (it may have claimed it
        since orphans() listed it) is left alone. True if the session was marked.
        """
        if self.read_only or not self.locks.take(session_id):
            return False
        try:
            with transaction(self.connection):
                cursor = self.connection.execute(
                    "UPDATE sessions SET status = 'interrupted',"
                    " ended_at = coalesce(ended_at, updated_at)"
                    " WHERE id = ? AND status = 'active'",
                    (session_id,),
                )
        finally:
            self.locks.release(session_id)
        return cursor.rowcount > 0

    # -- reading -----------------------------------------------------------------------------

    @guarded("read the history")
    def get(self, session_id: int) -> SessionRow | None:
        row = self.connection.execute(
            f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ? AND {READABLE}", (session_id,)
        ).fetchone()
        return SessionRow(*row) if row else None

    @guarded("read the history")
    def count(self) -> int:
        """The sessions that can be read: what sessions() pages through."""
        query = f"SELECT count(*) FROM sessions WHERE {READABLE}"
        return int(self.connection.execute(query).fetchone()[0])

    @guarded("read the history")
    def unreadable(self) -> int:
        """Sessions left out of every reader: rows damaged or edited past reading."""
        return unreadable_sessions(self.connection)

    @guarded("read the history")
    def sessions(
        self, limit: int | None = None, offset: int = 0, since: date | None = None
    ) -> list[SessionRow]:
        """Sessions newest first, a page at a time."""
        return list(stream_sessions(self.connection, since, limit, offset))

    @guarded("read the history")
    def segments(self, session_id: int) -> list[SegmentRow]:
        rows = self.connection.execute(
            f"SELECT {SEGMENT_COLUMNS} FROM segments WHERE session_id = ? AND {READABLE_SEGMENT}"
            " ORDER BY segment_index",
            (session_id,),
        )
        return [SegmentRow(*row) for row in rows]

    # -- the bin -----------------------------------------------------------------------------

    @guarded("delete the session")
    def delete(self, session_id: int) -> bool:
        """Move a session, with its segments, into the bin: out of every reader, restorable
        for BIN_DAYS. False, binning nothing, while another process is playing it: its
        checkpoints would go on filling a session the person was told is gone."""
        self._refuse_if_read_only("delete the session")
        live_elsewhere = (
            self._status(session_id) == SessionStatus.ACTIVE
            and not self.locks.holds(session_id)
            and not self.locks.is_free(session_id)
        )
        if live_elsewhere:
            return False
        stamp = self.now().isoformat(timespec="seconds")
        with transaction(self.connection):
            self.connection.execute(
                f"UPDATE sessions SET deleted_at = ? WHERE id = ? AND {KEPT}", (stamp, session_id)
            )
        return True

    @guarded("restore the session")
    def restore(self, session_id: int) -> bool:
        """Bring a session back from the bin, as it was; False if it is not in the bin."""
        self._refuse_if_read_only("restore the session")
        with transaction(self.connection):
            cursor = self.connection.execute(
                f"UPDATE sessions SET deleted_at = NULL WHERE id = ? AND {BINNED}", (session_id,)
            )
        return cursor.rowcount > 0

    @guarded("read the bin")
    def binned(self) -> list[SessionRow]:
        """The sessions in the bin, the last deleted first."""
        rows = self.connection.execute(
            f"SELECT {SESSION_COLUMNS} FROM sessions WHERE {READABLE_BINNED}"
            " ORDER BY julianday(deleted_at) DESC, id DESC"
        )
        return [SessionRow(*row) for row in rows]

    def _empty_bin(self) -> None:
        """Erase the sessions binned more than BIN_DAYS ago. Only looked for at first (the
        partial index holds the bin alone), so that an open writes nothing when there are
        none; a failure (a lock) leaves them for the next open."""
        cutoff = (self.now() - timedelta(days=BIN_DAYS)).isoformat(timespec="seconds")
        expired = f"{BINNED} AND julianday(deleted_at) < julianday(?)"
        with contextlib.suppress(sqlite3.Error):
            found = self.connection.execute(
                f"SELECT EXISTS (SELECT 1 FROM sessions WHERE {expired})", (cutoff,)
            ).fetchone()[0]
            if found:
                with transaction(self.connection):
                    self.connection.execute(f"DELETE FROM sessions WHERE {expired}", (cutoff,))

    @guarded("read the history")
    def stats(self, today: date | None = None, days: int = 28) -> Stats:
        return compute_stats(self.connection, today or self.now().date(), days)

    @guarded("read the history")
    def pain_trend(self, today: date | None = None, weeks: int = 12) -> list[WeekTrend]:
        """The "Is it helping?" panel: every week of the last `weeks`, oldest first."""
        return trend.pain_trend(self.connection, today or self.now().date(), weeks)

    @guarded("read the history")
    def recent_pain_rises(self, last: int = 3) -> int:
        """How many of the last `last` sessions with both check-ins ended 2+ points up."""
        return trend.recent_pain_rises(self.connection, last)

    @guarded("read the history")
    def past_sessions(self, routine_id: str) -> list[PastSession]:
        """The routine's ended sessions, oldest first, as progression reads them."""
        return trend.past_sessions(self.connection, routine_id)
