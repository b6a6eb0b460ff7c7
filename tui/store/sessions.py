"""The history store: every session, checkpointed at each segment change, in one SQLite file.

A session row is written when it starts; each segment change is its own transaction, so a
killed process loses at most the segment in progress. A running session holds an advisory lock
on a small file beside the database: a session left `active` whose lock is free belongs to a
process that is gone, and can be resumed or kept as interrupted. Two processes never take each
other's sessions.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from tui.core.engine import (
    Event,
    PauseChanged,
    SegmentEnded,
    SegmentStarted,
    Session,
    SessionEnded,
)
from tui.core.plan import Plan
from tui.store.database import (
    NEWEST_FIRST,
    SESSION_COLUMNS,
    open_database,
    transaction,
)
from tui.store.locks import SessionLocks
from tui.store.rows import (
    Now,
    SegmentRow,
    SessionRow,
    SessionStatus,
    Stats,
    local_now,
)
from tui.store.stats import compute_stats


class HistoryStore:
    def __init__(self, connection: sqlite3.Connection, path: Path, now: Now = local_now) -> None:
        self.connection = connection
        self.path = path
        self.now = now
        self.warning: str | None = None
        self.locks = SessionLocks(path.parent / "locks")

    @classmethod
    def open(cls, data_dir: Path, now: Now = local_now) -> HistoryStore:
        """Open (or create) the store; a corrupt file is moved aside and a new one started."""
        connection, path, warning = open_database(data_dir)
        store = cls(connection, path, now)
        store.warning = warning
        return store

    def close(self) -> None:
        self.locks.release_all()
        self.connection.close()

    # -- writing -----------------------------------------------------------------------------

    def begin(self, plan: Plan, routines_file: str = "") -> int:
        """Record a new active session; returns its id (locked to this process)."""
        now = self.now()
        stamp = now.isoformat(timespec="seconds")
        digest = plan.digest()  # worked out before the write lock is taken
        session_id: int | None = None
        try:
            with transaction(self.connection):
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
                self.locks.take(session_id)
        except BaseException:
            if session_id is not None:
                self.locks.release(session_id)
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
        with transaction(self.connection):
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
            self.locks.release(session_id)

    # -- resuming ----------------------------------------------------------------------------

    def orphans(self, routine_id: str | None = None) -> list[SessionRow]:
        """Active sessions whose process is gone, newest first."""
        query = f"SELECT {SESSION_COLUMNS} FROM sessions WHERE status = 'active'"
        parameters: tuple[object, ...] = ()
        if routine_id is not None:
            query += " AND routine_id = ?"
            parameters = (routine_id,)
        query += " ORDER BY id DESC"
        rows = [SessionRow(*r) for r in self.connection.execute(query, parameters)]
        return [row for row in rows if not self.locks.holds(row.id) and self.locks.is_free(row.id)]

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
        if not self.locks.take(session_id):
            return False
        if self._status(session_id) != SessionStatus.ACTIVE:
            self.locks.release(session_id)
            return False
        return True

    def mark_interrupted(self, session_id: int) -> bool:
        """Keep an orphaned session as interrupted, ended at its last checkpoint.

        Only under its lock: a session another process is playing (it may have claimed it
        since orphans() listed it) is left alone. True if the session was marked.
        """
        if not self.locks.take(session_id):
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

    def get(self, session_id: int) -> SessionRow | None:
        row = self.connection.execute(
            f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        return SessionRow(*row) if row else None

    def count(self) -> int:
        return int(self.connection.execute("SELECT count(*) FROM sessions").fetchone()[0])

    def sessions(
        self, limit: int | None = None, offset: int = 0, since: date | None = None
    ) -> list[SessionRow]:
        """Sessions newest first, a page at a time."""
        query = f"SELECT {SESSION_COLUMNS} FROM sessions"
        parameters: list[object] = []
        if since is not None:
            query += " WHERE day >= ?"
            parameters.append(since.isoformat())
        query += f" {NEWEST_FIRST}"
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
            and not self.locks.holds(session_id)
            and not self.locks.is_free(session_id)
        )
        if live_elsewhere:
            return False
        with transaction(self.connection):
            self.connection.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        return True

    def stats(self, today: date | None = None, days: int = 28) -> Stats:
        return compute_stats(self.connection, today or self.now().date(), days)
