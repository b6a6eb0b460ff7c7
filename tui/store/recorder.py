"""Recording a live session, and picking an interrupted one up again."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from tui.core.engine import Event, Outcome, Session
from tui.core.plan import Plan
from tui.store.rows import SessionRow
from tui.store.sessions import HistoryStore


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
