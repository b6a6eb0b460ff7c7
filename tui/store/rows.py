"""What the history holds, as plain frozen rows: a session, a segment, the week's figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

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
