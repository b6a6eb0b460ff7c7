"""What each field of an exported session must be, for `history import` (importer.py).

Every check is made before anything is written: a record that fails one refuses the whole
file, with ImportRefused naming the record (by its place in the file and its id) and the field.
A field a version 1 record lacks takes the value backtone would have stored then; the checked
record comes out as the values of a sessions row, in the form the row stores them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tui.core.engine import Outcome
from tui.core.plan import Kind
from tui.core.step_identity import is_step_identity
from tui.store.readable import MAX_COUNT, MAX_SECONDS
from tui.store.rows import MAX_LEVEL, SessionStatus, clean_note

STATUSES = frozenset(status.value for status in SessionStatus)
KINDS = frozenset(kind.value for kind in Kind)
OUTCOMES = frozenset(outcome.value for outcome in Outcome)
# What SQLite's julianday() and Python's fromisoformat() both read, with a UTC offset.
_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?([+-]\d\d:\d\d|Z)")
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_STEP_INDEX = re.compile(r"[0-9]{1,9}")


class ImportRefused(Exception):
    """The file cannot be imported; the message says where and why, for a person."""


@dataclass(frozen=True)
class ImportedSession:
    """A record of the file, checked: the values of a sessions row, and its segments' rows."""

    source_id: int | None
    values: Mapping[str, object]  # column -> value, as stored
    segments: tuple[tuple[object, ...], ...]  # SEGMENT_COLUMNS' values, in order

    @property
    def identity(self) -> tuple[str, str, str]:
        """(routine id, start, host): what tells the session apart (see importer.py)."""
        return (
            str(self.values["routine_id"]),
            str(self.values["started_at"]),
            str(self.values["host"]),
        )


# -- checking a record -----------------------------------------------------------------------


def is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def wrong(
    number: int, record: Mapping[str, Any], field: str, expected: str, segment: int | None = None
) -> str:
    """ "record 3 (id 17): pain_before must be ..., not 11", or "... is missing"."""
    source_id = record.get("id")
    which = f"record {number}" + (f" (id {source_id})" if is_whole(source_id) else "")
    given: Mapping[str, Any] = record
    if segment is not None:
        which += f", segment {segment}"
        given = record["segments"][segment - 1]
    if field not in given:
        return f"{which}: {field} is missing (it must be {expected})"
    shown = json.dumps(given[field], ensure_ascii=False)
    if len(shown) > 40:
        shown = shown[:39] + "…"
    return f"{which}: {field} must be {expected}, not {shown}"


Check = Callable[[object], bool]


def _count(value: object) -> bool:
    return is_whole(value) and 0 <= value <= MAX_COUNT  # type: ignore[operator]


def _seconds(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= MAX_SECONDS
    )


def _pain(value: object) -> bool:
    return value is None or (is_whole(value) and 0 <= value <= 10)  # type: ignore[operator]


def _instant(value: object) -> bool:
    if not isinstance(value, str) or _INSTANT.fullmatch(value) is None:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:  # the 30th of February
        return False
    return True


def _optional_instant(value: object) -> bool:
    return value is None or _instant(value)


def _day(value: object) -> bool:
    if not isinstance(value, str) or _DAY.fullmatch(value) is None:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _text(value: object) -> bool:
    return isinstance(value, str)


def _one_of(choices: frozenset[str]) -> Check:
    return lambda value: isinstance(value, str) and value in choices


def _optional_text(value: object) -> bool:
    return value is None or isinstance(value, str)


def _name(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _levels(value: object) -> bool:
    if value is None:
        return True
    return isinstance(value, dict) and all(
        (is_step_identity(key) or _STEP_INDEX.fullmatch(key) is not None)
        and isinstance(level, int | float)
        and not isinstance(level, bool)
        and 0 < level <= MAX_LEVEL
        for key, level in value.items()
    )


def _steps(value: object) -> bool:
    if value is None:
        return True
    return isinstance(value, list) and all(
        (isinstance(step, str) and is_step_identity(step)) or _count(step) for step in value
    )


# field: (the check, what it must be, the default when the record has none; REQUIRED: none)
REQUIRED = object()
SESSION_FIELDS: dict[str, tuple[Check, str, object]] = {
    "routine_id": (_name, "the routine's id (text)", REQUIRED),
    "routine_name": (_text, "text", REQUIRED),
    "started_at": (_instant, "a date and time with its UTC offset", REQUIRED),
    "ended_at": (_optional_instant, "null or a date and time with its UTC offset", None),
    "status": (_one_of(STATUSES), "one of " + ", ".join(sorted(STATUSES)), REQUIRED),
    "planned_seconds": (_seconds, f"a number of seconds from 0 to {MAX_SECONDS:,}", REQUIRED),
    "active_seconds": (_seconds, f"a number of seconds from 0 to {MAX_SECONDS:,}", REQUIRED),
    "paused_seconds": (_seconds, f"a number of seconds from 0 to {MAX_SECONDS:,}", 0.0),
    "segments_done": (_count, "a whole number from 0", REQUIRED),
    "segments_total": (_count, "a whole number from 0", REQUIRED),
    "pain_before": (_pain, "null or a whole number from 0 to 10", None),
    "pain_after": (_pain, "null or a whole number from 0 to 10", None),
    "program_version": (_optional_text, "null or text", None),
    "note": (_optional_text, "null or text", None),
    "routine_digest": (_text, "text", ""),
    "day": (_day, "a date (YYYY-MM-DD)", None),
    "levels": (_levels, "null or an object of levels (a number from 0 to 3600 a step)", None),
    "full_steps": (_steps, "null or a list of steps", None),
    "current_segment": (_count, "a whole number from 0", 0),
    "routines_file": (_text, "text", ""),
    "host": (_text, "text", ""),
    "updated_at": (_optional_instant, "null or a date and time with its UTC offset", None),
}
SEGMENT_CHECKS: dict[str, tuple[Check, str]] = {
    "segment_index": (_count, "a whole number from 0"),
    "kind": (_one_of(KINDS), "one of " + ", ".join(sorted(KINDS))),
    "label": (_text, "text"),
    "exercise": (_text, "text"),
    "position": (_text, "text"),
    "outcome": (_one_of(OUTCOMES), "one of " + ", ".join(sorted(OUTCOMES))),
    "active_seconds": (_seconds, f"a number of seconds from 0 to {MAX_SECONDS:,}"),
    "ended_at": (_instant, "a date and time with its UTC offset"),
    "step_index": (lambda v: v is None or _count(v), "null or a whole number from 0"),
}


def checked_session(number: int, record: object) -> ImportedSession:
    if not isinstance(record, dict):
        raise ImportRefused(f"record {number} is not an object (a session)")
    values: dict[str, object] = {}
    for field, (check, expected, default) in SESSION_FIELDS.items():
        if field not in record and default is not REQUIRED:
            values[field] = default
            continue
        value = record.get(field)
        if field not in record or not check(value):
            raise ImportRefused(wrong(number, record, field, expected))
        values[field] = value
    source_id = record.get("id")
    if "id" in record and not (_count(source_id) and source_id):
        raise ImportRefused(wrong(number, record, "id", "a whole number from 1"))
    if values["segments_done"] > values["segments_total"]:  # type: ignore[operator]
        expected = f"at most segments_total ({values['segments_total']})"
        raise ImportRefused(wrong(number, record, "segments_done", expected))
    try:
        values["note"] = clean_note(values["note"])  # type: ignore[arg-type]
    except ValueError as error:
        raise ImportRefused(wrong(number, record, "note", f"a note: {error}")) from None
    segments = _segments(number, record)
    _fill_in(values)
    return ImportedSession(source_id if is_whole(source_id) else None, values, segments)


def _segments(number: int, record: Mapping[str, Any]) -> tuple[tuple[object, ...], ...]:
    given = record.get("segments", [])
    if not isinstance(given, list):
        raise ImportRefused(wrong(number, record, "segments", "a list of segments"))
    rows: dict[int, tuple[object, ...]] = {}
    for place, segment in enumerate(given, 1):
        if not isinstance(segment, dict):
            raise ImportRefused(f"record {number}: segment {place} is not an object")
        for field, (check, expected) in SEGMENT_CHECKS.items():
            if field == "step_index" and field not in segment:  # none before schema 3
                continue
            if field not in segment or not check(segment[field]):
                raise ImportRefused(wrong(number, record, field, expected, place))
        index = segment["segment_index"]
        if index in rows:
            raise ImportRefused(f"record {number}: two segments have the index {index}")
        rows[index] = (
            index,
            *(segment[field] for field in ("kind", "label", "exercise", "position", "outcome")),
            float(segment["active_seconds"]),
            segment["ended_at"],
            segment.get("step_index"),
        )
    return tuple(rows[index] for index in sorted(rows))


def _fill_in(values: dict[str, object]) -> None:
    """The stored form of what the record gives, and what a version 1 record lacks."""
    started = str(values["started_at"])
    if values["day"] is None:  # the day it started on, where it started: as begin() files it
        values["day"] = started[:10]
    if values["updated_at"] is None:
        values["updated_at"] = values["ended_at"] or started
    if values["status"] == SessionStatus.ACTIVE:  # as mark_interrupted keeps an orphan
        values["status"] = SessionStatus.INTERRUPTED.value
        values["ended_at"] = values["ended_at"] or values["updated_at"]
    for field in ("planned_seconds", "active_seconds", "paused_seconds"):
        values[field] = float(values[field])  # type: ignore[arg-type]
    levels = values["levels"]
    values["levels"] = json.dumps(levels, sort_keys=True) if levels else None
    steps = values["full_steps"]
    values["full_steps"] = None if steps is None else json.dumps(steps)
