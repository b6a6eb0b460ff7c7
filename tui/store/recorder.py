"""Recording a live session, and picking an interrupted one up again.

Recording never blocks the countdown. Checkpoints run on the UI thread, so each waits at most
RECORDING_BUSY_TIMEOUT_MS for a lock. A write that fails for a reason that may pass (a lock, a
full disk, an I/O error) is kept and made again, whole, at the next segment change: checkpoints
are idempotent. Recording stops only when the failure persists: at least GIVE_UP_AFTER_FAILURES
checkpoints in a row over at least GIVE_UP_AFTER_SECONDS (both, so neither a burst of short
reps nor one long hold gives up on a lock that lasts a few seconds), or at once for a failure
that cannot pass (the history closed, say). Then the session's lock file is joined by an
"unrecorded" marker, so that its row, left `active` at some early segment, is kept as
interrupted at the next start instead of being offered for a resume "after 0:00".

The final write, when the session ends, belongs in a worker thread: `finish()` opens its own
connection (sqlite3 connections serve only the thread that made them) and waits the normal
5 s for a lock. It writes every event still waiting, so even after recording stopped, the
session's record is whole again if the disk has room by then.

The check-in after the session and the note after it are written the same way, each from a
worker thread on a connection of its own. A history that cannot take them says so once: the
reason is named the first time, and a later write that fails for the same reason only says
what was not recorded.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from typing import Literal

from tui.core.engine import Event, Outcome, Session, SessionEnded
from tui.core.plan import Plan
from tui.store.checkpoint import Stamped, worth_writing, write_checkpoint
from tui.store.database import connect, transaction
from tui.store.errors import unavailable
from tui.store.rows import HistoryUnavailable, SessionRow, clean_note
from tui.store.sessions import HistoryStore, check_pain

RECORDING_BUSY_TIMEOUT_MS = 50
GIVE_UP_AFTER_FAILURES = 3
GIVE_UP_AFTER_SECONDS = 30.0

KEPT = "What you have done so far is kept in your history."


class Recorder:
    """Writes one playing session to the store, riding out locks and a full disk."""

    def __init__(
        self,
        store: HistoryStore,
        session_id: int,
        base_active: float = 0.0,
        base_paused: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.base = (base_active, base_paused)
        self.clock = clock
        self.pending: list[Stamped] = []  # events not yet written, oldest first
        self.failure: str | None = None  # recording stopped for good: why, for the person
        self.problem: str | None = None  # why the last write failed, while it is retried
        self._failures = 0
        self._failing_since: float | None = None
        self._told: set[str] = set()  # the reasons a warning has named already

    @property
    def failed(self) -> bool:
        return self.failure is not None

    def status_text(self) -> str:
        """What the stop dialog (or summary) can truly say about this session's record."""
        if self.failure is not None:
            return "Recording failed, so this session may be missing from your history."
        if self.pending:
            return (
                f"The history could not be written just now ({self.problem}); backtone will"
                " try again, and when the session ends."
            )
        return KEPT

    def record(self, session: Session, events: Sequence[Event]) -> str | None:
        """Checkpoint a segment change, on the UI thread. Returns a warning to show: the first
        time a write fails, and when recording stops."""
        written = worth_writing(events)
        if not written:
            return None
        self._keep(written)
        if self.failure is not None:
            return None  # stopped: finish() tries once more, with everything kept
        try:
            self.store.write_pending(
                self.session_id, session, self.pending, self.base, RECORDING_BUSY_TIMEOUT_MS
            )
        except HistoryUnavailable as error:
            ended = any(isinstance(e, SessionEnded) for e in written)
            return self._failed(error, ended)
        self._written()
        return None

    def finish(self, session: Session, events: Sequence[Event] = ()) -> str | None:
        """The final write, from a worker thread, on a connection of its own: every event still
        waiting, with the session's end. Returns a warning if it could not be written."""
        self._keep(worth_writing(events))
        if not self.pending:
            return self.failure
        stamp = self.store.now().isoformat(timespec="seconds")
        try:
            connection = connect(self.store.path)
            try:
                ended = write_checkpoint(
                    connection, self.session_id, session, self.pending, stamp, self.base
                )
            finally:
                connection.close()
        except sqlite3.Error as error:
            return self._give_up(unavailable(error, "record the session", self.store.path))
        self._written()
        self.failure = None  # every event is in: the record is whole after all
        self._told.clear()  # a failure after this one is news again
        self.store.locks.clear_unrecorded(self.session_id)
        if ended:
            self.store.locks.release(self.session_id)
        return None

    def set_pain_after(self, pain: int) -> str | None:
        """Record the "And now?" check-in, from a worker thread like finish(). Returns a
        warning if it could not be written."""
        check_pain(pain)
        return self._update("pain_after", pain, "How your back feels now", "record the check-in")

    def set_note(self, text: str | None) -> str | None:
        """Record the person's note after the session (None or blank: no note), from a worker
        thread like set_pain_after. Control characters are taken out (a line break or a tab
        becomes a space), so what was typed or pasted is never refused for them; a note over
        NOTE_MAX_CHARACTERS is a caller's mistake (ValueError), like a pain of 11. Returns a
        warning if it could not be written."""
        note = clean_note(None if text is None else note_line(text))
        return self._update("note", note, "Your note", "record the note")

    # -- inside ------------------------------------------------------------------------------

    def _update(
        self, column: Literal["pain_after", "note"], value: object, what: str, doing: str
    ) -> str | None:
        """One column of this session's row, on a connection of this thread's own."""
        try:
            connection = connect(self.store.path)
            try:
                with transaction(connection):
                    connection.execute(
                        f"UPDATE sessions SET {column} = ? WHERE id = ?", (value, self.session_id)
                    )
            finally:
                connection.close()
        except sqlite3.Error as error:
            reason = unavailable(error, doing, self.store.path).reason
            if reason in self._told:
                return f"{what} was not recorded either."
            self._told.add(reason)
            return f"{what} was not recorded: {reason}."
        self._told.clear()
        return None

    def _keep(self, events: Sequence[Event]) -> None:
        stamp = self.store.now().isoformat(timespec="seconds")
        self.pending += [Stamped(event, stamp) for event in events]

    def _written(self) -> None:
        self.pending.clear()
        self.problem = None
        self._failures = 0
        self._failing_since = None

    def _failed(self, error: HistoryUnavailable, ended: bool) -> str | None:
        now = self.clock()
        first = self._failing_since is None
        if self._failing_since is None:
            self._failing_since = now
        self._failures += 1
        self.problem = error.reason
        persists = (
            self._failures >= GIVE_UP_AFTER_FAILURES
            and now - self._failing_since >= GIVE_UP_AFTER_SECONDS
        )
        if error.transient and not persists and not ended:
            if first:
                return (
                    f"History could not record this just now ({error.reason});"
                    " it will try again at the next step."
                )
            return None
        return self._give_up(error)

    def _give_up(self, error: HistoryUnavailable) -> str:
        self.problem = error.reason
        self._told.add(error.reason)
        self.failure = f"History stopped recording this session: {error.reason}."
        self.store.locks.mark_unrecorded(self.session_id)
        return self.failure


def start_recording(
    store: HistoryStore,
    session: Session,
    routines_file: str = "",
    pain_before: int | None = None,
    levels: dict[int, float] | None = None,
    program_version: str | None = None,
) -> Recorder:
    """Record a new session; `program_version` is the routine file's [program] version (None
    for a file without one). A resumed session keeps the version it began with: see
    resume_session."""
    session_id = store.begin(
        session.plan, routines_file, pain_before, levels, program_version=program_version
    )
    return Recorder(store, session_id)


def note_line(text: str) -> str:
    """A note as one line of plain text: what a person typed or pasted, with every character
    a terminal would not print taken out (control characters, direction overrides, zero-width
    marks), except that a tab, a line break or an unusual space becomes a plain space."""
    return "".join(char if char.isprintable() else " " if char.isspace() else "" for char in text)


def resume_session(
    store: HistoryStore, row: SessionRow, plan: Plan, clock: Callable[[], float]
) -> tuple[Session, Recorder]:
    """Pick an interrupted session up at the segment that was playing when it stopped."""
    outcomes = {
        segment.segment_index: Outcome(segment.outcome)
        for segment in store.segments(row.id)
        if segment.segment_index < row.current_segment
    }
    session = Session.restore(
        plan,
        clock=clock,
        index=row.current_segment,
        outcomes=outcomes,
        active_seconds=row.active_seconds,
        paused_seconds=row.paused_seconds,
    )
    return session, Recorder(store, row.id)
