"""`backtone history import`: the sessions of a JSON export put back into a history.

All or nothing. The whole file is read and every record checked first (types, ranges, pain
0-10, dates and times, each segment), before the history is even opened; a bad file changes
nothing, and ImportRefused says which record and which field is wrong. Then every new session
goes in, with its segments, in one transaction.

Versions: each record carries the export's version (`export_version`, see export.py); one
without it is from an export before it (version 1: no segments, no digest, no day), and
imports with what it has. A record from a newer version than EXPORT_VERSION refuses the file,
naming both versions.

Identity: a session is already there when the history holds one of the same routine that
started at the same instant, written the same way (`started_at`, to the second, with its UTC
offset), on the same host; a host not known (a version 1 record, or a session imported from
one) matches any host. So importing a file twice adds nothing, and neither does importing an
export of the same history made later. A session in the bin counts as there: restoring it
would otherwise make two.

Ids: a session keeps its id where that is free in the history, otherwise it gets a new one
(its segments follow it). A session still playing when it was exported is imported as
interrupted, ended at its last checkpoint: no process here is playing it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.store.database import transaction
from tui.store.errors import unavailable
from tui.store.export import EXPORT_VERSION
from tui.store.import_checks import (
    ImportedSession,
    ImportRefused,
    checked_session,
    is_whole,
    wrong,
)
from tui.store.rows import HistoryReadOnly

if TYPE_CHECKING:
    from tui.store.sessions import HistoryStore

__all__ = ["ImportRefused", "ImportResult", "ImportedSession", "import_sessions", "read_export"]

DOING = "import the sessions"


@dataclass(frozen=True)
class ImportResult:
    imported: int
    already_there: int

    def sentence(self) -> str:
        noun = "session" if self.imported == 1 else "sessions"
        return f"Imported {self.imported} {noun} ({self.already_there} already there)."


# -- reading the file ------------------------------------------------------------------------


def read_export(data: bytes) -> list[ImportedSession]:
    """Every record of a JSON export, checked; ImportRefused at the first that is wrong."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(f"it is not UTF-8 text (byte {error.start + 1})") from None
    start = text.lstrip()[:1]
    if start not in ("[", "{"):
        raise ImportRefused(
            "it is not a backtone export: write one with `backtone history --format json`"
        )
    try:
        parsed = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ImportRefused(
            f"it is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except (ValueError, RecursionError) as error:
        raise ImportRefused(f"it is not valid JSON ({error})") from None
    records = _records(parsed)
    for number, record in enumerate(records, 1):
        _check_version(number, record)
    return [checked_session(number, record) for number, record in enumerate(records, 1)]


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number JSON allows")


def _records(parsed: object) -> list[object]:
    if isinstance(parsed, list):
        return parsed
    if isinstance(parsed, dict):
        for key in ("export_version", "backtone_history"):
            version = parsed.get(key)
            if isinstance(version, int) and is_whole(version) and version > EXPORT_VERSION:
                raise ImportRefused(_newer(version))
    raise ImportRefused(
        "it is not a backtone export (a list of sessions): write one with"
        " `backtone history --format json`"
    )


def _newer(version: int, where: str = "the file") -> str:
    return (
        f"{where} was written by a newer backtone (export version {version}); this backtone"
        f" reads export versions 1 to {EXPORT_VERSION}: upgrade backtone to import it"
    )


def _check_version(number: int, record: object) -> None:
    if not isinstance(record, dict) or "export_version" not in record:
        return
    version = record["export_version"]
    if not is_whole(version) or version < 1:
        raise ImportRefused(wrong(number, record, "export_version", "a whole number from 1"))
    if version > EXPORT_VERSION:
        raise ImportRefused(_newer(version, f"record {number}"))


# -- checking a record -----------------------------------------------------------------------

# -- writing ---------------------------------------------------------------------------------

COLUMNS = (
    "routine_id",
    "routine_name",
    "routine_digest",
    "routines_file",
    "started_at",
    "day",
    "ended_at",
    "status",
    "planned_seconds",
    "active_seconds",
    "paused_seconds",
    "segments_done",
    "segments_total",
    "current_segment",
    "host",
    "updated_at",
    "pain_before",
    "pain_after",
    "levels",
    "full_steps",
    "program_version",
    "note",
)
_INSERT = (
    f"INSERT INTO sessions (id, pid, {', '.join(COLUMNS)})"
    f" VALUES (?, 0, {', '.join('?' for _ in COLUMNS)})"
)
_INSERT_SEGMENT = (
    "INSERT INTO segments (session_id, segment_index, kind, label, exercise, position, outcome,"
    " active_seconds, ended_at, step_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def import_sessions(store: HistoryStore, sessions: Sequence[ImportedSession]) -> ImportResult:
    """Add the sessions the history does not hold yet, in one transaction."""
    if store.read_only:
        raise HistoryReadOnly(f"cannot {DOING}: the history at {store.path} is read-only")
    try:
        with transaction(store.connection):
            new = _not_there(store.connection, sessions)
            _insert(store.connection, new)
    except sqlite3.Error as error:
        raise unavailable(error, DOING, store.path) from error
    return ImportResult(len(new), len(sessions) - len(new))


def _not_there(
    connection: sqlite3.Connection, sessions: Iterable[ImportedSession]
) -> list[ImportedSession]:
    """The sessions neither in the history (the bin included) nor earlier in the file."""
    seen: dict[tuple[str, str], list[str]] = {}
    new = []
    for session in sessions:
        routine, started, host = session.identity
        if (routine, started) not in seen:
            seen[routine, started] = [
                str(found)
                for (found,) in connection.execute(
                    "SELECT host FROM sessions WHERE routine_id = ?"
                    " AND julianday(started_at) = julianday(?) AND started_at = ?",
                    (routine, started, started),
                )
            ]
        hosts = seen[routine, started]
        if any(other == host or not other or not host for other in hosts):
            continue
        hosts.append(host)
        new.append(session)
    return new


def _insert(connection: sqlite3.Connection, sessions: Sequence[ImportedSession]) -> None:
    """Sessions keeping their ids first, so that no new id takes one that was free."""
    claimed: set[int] = set()
    keeping: list[ImportedSession] = []
    renumbered: list[ImportedSession] = []
    for session in sessions:
        wanted = session.source_id
        free = (
            wanted is not None
            and wanted not in claimed
            and connection.execute("SELECT 1 FROM sessions WHERE id = ?", (wanted,)).fetchone()
            is None
        )
        if free:
            assert wanted is not None
            claimed.add(wanted)
            keeping.append(session)
        else:
            renumbered.append(session)
    for session in keeping:
        _insert_one(connection, session, session.source_id)
    for session in renumbered:
        _insert_one(connection, session, None)


def _insert_one(
    connection: sqlite3.Connection, session: ImportedSession, session_id: int | None
) -> None:
    cursor = connection.execute(
        _INSERT, (session_id, *(session.values[column] for column in COLUMNS))
    )
    new_id = cursor.lastrowid
    connection.executemany(_INSERT_SEGMENT, [(new_id, *segment) for segment in session.segments])
