"""What the history holds, as plain frozen rows: a session, a segment, the week's figures.

Also the one exception the store's public methods raise, HistoryUnavailable, and its kinds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from tui.core.step_identity import is_step_identity

Now = Callable[[], datetime]


def local_now() -> datetime:
    return datetime.now().astimezone()


class HistoryUnavailable(Exception):
    """The store cannot be opened, read or written; the routine still plays, unrecorded.

    The message is for a person: "cannot record the session: the disk is full"; `reason` is
    its last part ("the disk is full"), to put in a sentence of one's own.
    """

    transient = False  # True: the same write may well succeed in a moment (HistoryBusy)

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


class HistoryBusy(HistoryUnavailable):
    """A write failed for a reason that may pass: a lock, a full disk, an I/O error."""

    transient = True


class NoHistory(HistoryUnavailable):
    """Opened read-only where there is no history yet: nothing recorded, nothing to show."""


class HistoryReadOnly(HistoryUnavailable):
    """A write asked of a history opened read-only."""


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
    pain_before: int | None = None  # 0-10, the check-in before the session; None: skipped
    pain_after: int | None = None
    # The progression levels the session was played at, step identity -> hold or reps (a step
    # index in rows written before identities); None when no step progresses (or the session
    # predates progression). The database holds JSON text: it is read here, so that
    # SessionRow(*row) works on any SELECT of SESSION_COLUMNS.
    levels: Mapping[int | str, float] | None = field(default=None, hash=False)
    # The routine file's programme version the session played (schema 3 files), and the
    # person's note after it; None until recorded, and in rows written before schema 4.
    program_version: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.levels, str | bytes):
            object.__setattr__(self, "levels", levels_from_json(self.levels))

    @property
    def completion(self) -> float:
        return self.segments_done / self.segments_total if self.segments_total else 0.0

    def export(self) -> dict[str, Any]:
        """What `backtone history --format` writes of the fields a row holds; the export
        (export.export_record) adds the rest (the day, the segments...), in EXPORT_FIELDS'
        order. The first thirteen, in their order, are what exports before version 2 wrote."""
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
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "program_version": self.program_version,
            "note": self.note,
            "routine_digest": self.routine_digest,
            "levels": None if self.levels is None else {str(k): v for k, v in self.levels.items()},
            "current_segment": self.current_segment,
        }


NOTE_MAX_CHARACTERS = 2000


def clean_note(text: str | None) -> str | None:
    """The note as stored: None for no note (or only spaces); ValueError for a note too long
    or holding control characters other than line breaks and tabs."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError(f"a note is text, not {type(text).__name__}")
    text = text.strip()
    if len(text) > NOTE_MAX_CHARACTERS:
        raise ValueError(f"a note is at most {NOTE_MAX_CHARACTERS} characters, not {len(text)}")
    if not text.replace("\n", "").replace("\t", "").isprintable():
        raise ValueError("a note cannot hold control characters")
    return text or None


def levels_to_json(levels: Mapping[str, float] | Mapping[int, float] | None) -> str | None:
    if not levels:
        return None
    return json.dumps({str(step): value for step, value in levels.items()}, sort_keys=True)


# A level is a hold in seconds or a count of reps, and a routine file allows neither above this.
MAX_LEVEL = 3600


def levels_from_json(text: str | bytes | None) -> dict[int | str, float] | None:
    """The stored levels; None when there are none or the text is not what backtone wrote
    (a level must be a number above 0 and at most MAX_LEVEL: '1e400' reads as inf). A key is
    a step identity, or a step index in a row written before identities."""
    if not text:
        return None
    try:
        raw = json.loads(text)
        levels = {_level_key(step): value for step, value in raw.items()}
    except (ValueError, TypeError, AttributeError, RecursionError):
        return None
    if not all(_is_level(value) for value in levels.values()):
        return None
    return levels


def _level_key(key: str) -> int | str:
    return key if is_step_identity(key) else int(key)


def _is_level(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and 0 < value <= MAX_LEVEL  # NaN fails this too
    )


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
    step_index: int | None = None  # None in rows written before schema 3


@dataclass(frozen=True)
class Stats:
    streak_days: int
    week_minutes: float
    week_sessions: int
    minutes_by_day: tuple[tuple[date, float], ...]  # oldest first, every day, zeros included


@dataclass(frozen=True)
class WeekTrend:
    """One week (Monday to Sunday) of the "Is it helping?" panel."""

    week_start: date  # a Monday
    median_pain_before: float | None  # over the week's check-ins before a session; None: none
    sessions: int  # counted as Stats counts them: at least one finished segment
    minutes: float  # active minutes of those sessions
