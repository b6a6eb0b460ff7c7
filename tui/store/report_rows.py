"""What `backtone report` reads of the history: the sessions of a period, streamed oldest first,
and the few facts it needs from before the period (the plan each routine was last played at,
the day each programme version was first played).

Rows come off the cursor one at a time, each with the exercises skipped in it (one indexed
look-up into its own segments), so what the report keeps is the period's rows and nothing of
the rest of the history. Files of an older schema, opened read-only, lack the newer columns
(`program_version`, `note`): they read as NULL. Sessions in the bin (deleted on the History
screen, restorable for 30 days) are left out of every query: they are no longer history (a file
without the column has no bin).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from tui.core.adherence import PlayedAs, ReportSession

OPTIONAL_COLUMNS = ("program_version", "note")

# The work segments skipped in one session, by exercise, in the order they were first skipped.
_SKIPPED = """(
    SELECT json_group_array(json_array(exercise, skipped)) FROM (
        SELECT exercise, count(*) AS skipped, min(segment_index) AS first
        FROM segments
        WHERE session_id = s.id AND outcome = 'skipped' AND kind = 'work'
        GROUP BY exercise ORDER BY first
    )
)"""


def session_columns(connection: sqlite3.Connection) -> frozenset[str]:
    """The sessions table's columns (through any read-only view that stands in for it)."""
    cursor = connection.execute("SELECT * FROM sessions LIMIT 0")
    names = frozenset(column[0] for column in cursor.description)
    cursor.close()
    return names


def _optional(columns: frozenset[str], prefix: str = "") -> str:
    return ", ".join(f"{prefix}{name}" if name in columns else "NULL" for name in OPTIONAL_COLUMNS)


def _kept(connection: sqlite3.Connection, prefix: str = "") -> str:
    """The condition that leaves the bin out (readable.KEPT), where the file has one."""
    return f"{prefix}deleted_at IS NULL" if "deleted_at" in session_columns(connection) else "1"


def stream_report_sessions(
    connection: sqlite3.Connection, first: date, last: date
) -> Iterator[ReportSession]:
    """Every session whose day is from `first` to `last`, oldest first."""
    optional = _optional(session_columns(connection), "s.")
    kept = _kept(connection, "s.")
    query = (
        "SELECT s.id, s.routine_id, s.routine_name, s.routine_digest, s.started_at, s.day,"
        " s.status, s.active_seconds, s.segments_done, s.segments_total, s.pain_before,"
        f" s.pain_after, s.levels, {optional}, {_SKIPPED}"
        f" FROM sessions AS s WHERE s.day >= ? AND s.day <= ? AND {kept}"
        " ORDER BY julianday(s.started_at), s.id"
    )
    cursor = connection.execute(query, (first.isoformat(), last.isoformat()))
    try:
        for row in cursor:
            yield _session(row)
    finally:
        cursor.close()


def _session(row: Sequence[Any]) -> ReportSession:
    (
        session_id,
        routine_id,
        routine_name,
        digest,
        started_at,
        day,
        status,
        active,
        done,
        total,
        before,
        after,
        levels,
        version,
        note,
        skipped,
    ) = row
    return ReportSession(
        id=int(session_id),
        routine_id=str(routine_id),
        routine_name=str(routine_name),
        routine_digest=str(digest),
        started_at=_instant(str(started_at), str(day)),
        day=date.fromisoformat(str(day)),
        status=str(status),
        active_seconds=float(active),
        segments_done=int(done),
        segments_total=int(total),
        pain_before=None if before is None else int(before),
        pain_after=None if after is None else int(after),
        levels=None if levels is None else str(levels),
        program_version=_text_or_none(version),
        note=str(note) if note else None,
        skipped=_skipped(skipped),
    )


def _instant(text: str, day: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:  # not what backtone wrote: the day it is filed under, at midnight
        return datetime.fromisoformat(day)


def _skipped(text: object) -> tuple[tuple[str, int], ...]:
    if not isinstance(text, str):
        return ()
    try:
        pairs = json.loads(text)
        return tuple((str(exercise), int(count)) for exercise, count in pairs)
    except (ValueError, TypeError):
        return ()


def played_before(connection: sqlite3.Connection, first: date, last: date) -> dict[str, PlayedAs]:
    """For each routine played from `first` to `last`: its plan, levels and programme version
    at its last session before `first`. One indexed look-up a routine, walked back from its
    newest session: the history before it is never read."""
    version = "program_version" if "program_version" in session_columns(connection) else "NULL"
    kept = _kept(connection)
    routines = [
        str(routine)
        for (routine,) in connection.execute(
            f"SELECT DISTINCT routine_id FROM sessions WHERE day >= ? AND day <= ? AND {kept}",
            (first.isoformat(), last.isoformat()),
        )
    ]
    played = {}
    for routine in routines:
        row = connection.execute(
            f"SELECT routine_digest, levels, {version} FROM sessions"
            f" WHERE routine_id = ? AND day < ? AND {kept}"
            " ORDER BY julianday(started_at) DESC, id DESC"
            " LIMIT 1",
            (routine, first.isoformat()),
        ).fetchone()
        if row is not None:
            digest, levels, played_version = row
            played[routine] = PlayedAs(
                str(digest), None if levels is None else str(levels), _text_or_none(played_version)
            )
    return played


def versions_first_played(
    connection: sqlite3.Connection, first: date, last: date
) -> dict[str, date]:
    """The day each programme version played from `first` to `last` was first played.

    The only read of the history before the period, and a scan of it (no index holds the
    versions), but one that keeps nothing: a few milliseconds per 10,000 sessions."""
    if "program_version" not in session_columns(connection):
        return {}
    kept = _kept(connection)
    versions = [
        str(version)
        for (version,) in connection.execute(
            "SELECT DISTINCT program_version FROM sessions WHERE day >= ? AND day <= ?"
            f" AND program_version IS NOT NULL AND program_version != '' AND {kept}",
            (first.isoformat(), last.isoformat()),
        )
    ]
    if not versions:
        return {}
    marks = ", ".join("?" for _ in versions)
    rows = connection.execute(
        f"SELECT program_version, min(day) FROM sessions WHERE program_version IN ({marks})"
        f" AND day <= ? AND {kept} GROUP BY program_version",
        (*versions, last.isoformat()),
    )
    return {str(version): date.fromisoformat(str(day)) for version, day in rows}


def first_day(connection: sqlite3.Connection) -> date | None:
    """The day of the first session ever recorded, or None."""
    kept = _kept(connection)
    (day,) = connection.execute(f"SELECT min(day) FROM sessions WHERE {kept}").fetchone()
    return None if day is None else date.fromisoformat(str(day))


def _text_or_none(value: object) -> str | None:
    """A version as stored; an empty one (a file whose [program] gives none) is no version."""
    return None if value is None or value == "" else str(value)
