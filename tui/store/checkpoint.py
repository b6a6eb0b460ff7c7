"""One checkpoint: what a playing session's events changed, written in one transaction.

A checkpoint is idempotent: segments are keyed by (session, index) and the session row's
totals are read from the session itself, so a write that failed is simply made again, with the
events still waiting, at the next call. That is how a lock or a full disk is ridden out.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.engine import (
    Event,
    Outcome,
    PauseChanged,
    SegmentEnded,
    SegmentStarted,
    Session,
    SessionEnded,
)
from tui.core.plan import Kind
from tui.core.progression import step_identities
from tui.store.database import transaction
from tui.store.rows import SessionStatus

WRITTEN_EVENTS = (SegmentEnded, SegmentStarted, SessionEnded, PauseChanged)


@dataclass(frozen=True)
class Stamped:
    """An event and the wall time it happened at, kept until it is written."""

    event: Event
    stamp: str


def worth_writing(events: Sequence[Event]) -> list[Event]:
    """The events a checkpoint writes: countdown ticks change nothing stored."""
    return [event for event in events if isinstance(event, WRITTEN_EVENTS)]


def full_steps(session: Session) -> list[str]:
    """Steps whose every work segment ended done, as progression counts them: by identity,
    so that a level stays with its exercise when the routine's steps are moved later."""
    full: dict[int, bool] = {}
    outcomes = session.outcomes
    for segment in session.plan.segments:
        if segment.kind is Kind.WORK:
            done = outcomes.get(segment.index) is Outcome.DONE
            full[segment.step_index] = full.get(segment.step_index, True) and done
    identities = step_identities(session.plan.routine)
    return sorted(identities[step] for step, done in full.items() if done)


def write_checkpoint(
    connection: sqlite3.Connection,
    session_id: int,
    session: Session,
    events: Sequence[Stamped],
    now_stamp: str,
    base: tuple[float, float] = (0.0, 0.0),
) -> bool:
    """Write the events (oldest first) and the session's current totals. True if the events
    ended the session. `base` is (active, paused) seconds spent before this process took it."""
    progress = session.progress()
    ended = next((s for s in events if isinstance(s.event, SessionEnded)), None)
    with transaction(connection):
        for stamped in events:
            _write_event(connection, session_id, stamped)
        status = SessionStatus.ACTIVE
        if ended is not None:
            assert isinstance(ended.event, SessionEnded)
            status = SessionStatus.COMPLETED if ended.event.completed else SessionStatus.STOPPED
        connection.execute(
            "UPDATE sessions SET status = ?, ended_at = ?, active_seconds = ?,"
            " paused_seconds = ?, current_segment = ?, updated_at = ?, full_steps = ?,"
            " segments_done = (SELECT count(*) FROM segments"
            "   WHERE session_id = sessions.id AND outcome = 'done')"
            " WHERE id = ?",
            (
                status.value,
                ended.stamp if ended is not None else None,
                base[0] + progress.active_seconds,
                base[1] + progress.paused_seconds,
                session.index,
                now_stamp,
                json.dumps(full_steps(session)),
                session_id,
            ),
        )
    return ended is not None


def _write_event(connection: sqlite3.Connection, session_id: int, stamped: Stamped) -> None:
    event = stamped.event
    if isinstance(event, SegmentEnded):
        segment = event.segment
        connection.execute(
            "INSERT OR REPLACE INTO segments (session_id, segment_index, kind, label, exercise,"
            " position, outcome, active_seconds, ended_at, step_index)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session_id,
                segment.index,
                segment.kind.value,
                segment.label,
                segment.exercise.name,
                segment.position,
                event.outcome.value,
                round(event.active_seconds, 3),
                stamped.stamp,
                segment.step_index,
            ),
        )
    elif isinstance(event, SegmentStarted):
        # Going back replays segments: they are no longer done until they end again.
        connection.execute(
            "DELETE FROM segments WHERE session_id = ? AND segment_index >= ?",
            (session_id, event.segment.index),
        )
