"""Sessions written out for `backtone history`: streamed as JSON, CSV, TOML or a text table.

Every format writes each session as it is read from SQLite, so the first line goes out at once
and memory stays flat however long the history is. The table's columns are defined here once,
for the command line and the History screen alike.

An export holds what `backtone history import` needs to rebuild each session as it was: the
plan's digest, the day, the levels played, the steps done in full, the routine file, the note,
the programme's version and every segment (so the History detail, the report's "what was
skipped" and progression come back too). EXPORT_FIELDS lists them; the thirteen the first
release wrote come first, in the same order, so a script reading a CSV by column still works.

The format's version is on each record (`"export_version": 2`), not in a wrapper around the
list: the JSON stays a list of objects, as it has always been, so `jq '.[]'` and every script
reading it go on working; and a record keeps its version wherever it goes (a file filtered or
joined with jq still imports, each record as the version that wrote it). A record without the
field is from an export before it (version 1: the thirteen first fields, no segments).
"""

from __future__ import annotations

import csv
import json
import math
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from tui.core.timefmt import format_duration
from tui.store.database import NEWEST_FIRST
from tui.store.readable import READABLE, READABLE_SEGMENT, SEGMENT_COLUMNS, SESSION_COLUMNS
from tui.store.rows import SegmentRow, SessionRow
from tui.store.trend import steps_from_json

EXPORT_VERSION = 2  # what this backtone writes, and the newest `history import` reads
EXPORT_FIELDS = [
    "id",
    "routine_id",
    "routine_name",
    "started_at",
    "ended_at",
    "status",
    "planned_seconds",
    "active_seconds",
    "paused_seconds",
    "segments_done",
    "segments_total",
    "pain_before",
    "pain_after",
    # Since export version 2:
    "program_version",
    "note",
    "routine_digest",
    "day",
    "levels",
    "full_steps",
    "current_segment",
    "routines_file",
    "host",
    "updated_at",
    "segments",
    "export_version",
]

EXPORT_FORMATS = ("json", "csv", "toml")
SQLITE_MAX_INTEGER = 2**63 - 1


# -- reading ----------------------------------------------------------------------------------


def stream_sessions(
    connection: sqlite3.Connection,
    since: date | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[SessionRow]:
    """Sessions newest first, one at a time off the cursor (never the whole list); the
    History screen reads them a page at a time through HistoryStore.sessions. Rows that
    cannot be read are left out (readable.py), so an offset counts readable rows only."""
    query = f"SELECT {SESSION_COLUMNS} FROM sessions WHERE {READABLE}"
    parameters: list[object] = []
    if since is not None:
        query += " AND day >= ?"
        parameters.append(since.isoformat())
    query += f" {NEWEST_FIRST}"
    if limit is not None:
        query += " LIMIT ? OFFSET ?"
        # SQLite's integers stop at 2**63 - 1; a larger limit means "all of them" all the same.
        parameters += [min(limit, SQLITE_MAX_INTEGER), min(offset, SQLITE_MAX_INTEGER)]
    for row in connection.execute(query, parameters):
        yield SessionRow(*row)


@dataclass(frozen=True)
class ExportedSession:
    """A session as an export writes it: its row, the columns only an import needs, and its
    segments, in order."""

    row: SessionRow
    day: str
    full_steps: str | None = None
    routines_file: str = ""
    host: str = ""
    updated_at: str | None = None
    segments: tuple[SegmentRow, ...] = ()


def stream_export(
    connection: sqlite3.Connection, since: date | None = None, limit: int | None = None
) -> Iterator[ExportedSession]:
    """The sessions of stream_sessions, newest first, each with its segments (one look-up by
    the segments' key a session): one session in memory at a time."""
    query = (
        f"SELECT {SESSION_COLUMNS}, day, full_steps, routines_file, host, updated_at"
        f" FROM sessions WHERE {READABLE}"
    )
    parameters: list[object] = []
    if since is not None:
        query += " AND day >= ?"
        parameters.append(since.isoformat())
    query += f" {NEWEST_FIRST}"
    if limit is not None:
        query += " LIMIT ?"
        parameters.append(min(limit, SQLITE_MAX_INTEGER))
    segments_query = (
        f"SELECT {SEGMENT_COLUMNS} FROM segments WHERE session_id = ? AND {READABLE_SEGMENT}"
        " ORDER BY segment_index"
    )
    width = SESSION_COLUMNS.count(",") + 1
    for found in connection.execute(query, parameters):
        row = SessionRow(*found[:width])
        day, full_steps, routines_file, host, updated_at = found[width:]
        segments = connection.execute(segments_query, (row.id,)).fetchall()
        yield ExportedSession(
            row,
            day,
            full_steps if isinstance(full_steps, str) else None,
            _text(routines_file),  # columns no rule checks: a hand edit may put anything there
            _text(host),
            updated_at if isinstance(updated_at, str) else None,
            # From a list, of a known length: a tuple built from a generator is grown by
            # resizing, so it never takes one from CPython's free list of tuples of its size,
            # while each one freed goes back there: that list filled up to 2,000 tuples.
            tuple([SegmentRow(*segment) for segment in segments]),
        )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def export_record(session: SessionRow | ExportedSession) -> dict[str, Any]:
    """A session's record: EXPORT_FIELDS, in order. A bare SessionRow (the History screen's
    rows) has no segments and the day its start was in."""
    if isinstance(session, SessionRow):
        session = ExportedSession(session, session.started_at[:10])
    fields = session.row.export()
    fields.update(
        day=session.day,
        full_steps=_steps(session.full_steps),
        routines_file=session.routines_file,
        host=session.host,
        updated_at=session.updated_at,
        segments=[_segment_record(segment) for segment in session.segments],
        export_version=EXPORT_VERSION,
    )
    return {key: fields[key] for key in EXPORT_FIELDS}


def _steps(text: str | None) -> list[str | int] | None:
    """The steps done in full, as a list (None when none were recorded or cannot be read)."""
    if text is None:
        return None
    steps = steps_from_json(text)
    if not steps and text.strip() != "[]":
        return None
    return sorted(steps, key=lambda step: (isinstance(step, str), step))


def _segment_record(segment: SegmentRow) -> dict[str, Any]:
    return {
        "segment_index": segment.segment_index,
        "kind": segment.kind,
        "label": segment.label,
        "exercise": segment.exercise,
        "position": segment.position,
        "outcome": segment.outcome,
        "active_seconds": round(segment.active_seconds, 3),
        "ended_at": segment.ended_at,
        "step_index": segment.step_index,
    }


# -- JSON, CSV, TOML --------------------------------------------------------------------------


def export(rows: Iterable[SessionRow | ExportedSession], fmt: str, out: IO[str]) -> None:
    """Write the sessions as JSON (a list of objects), CSV (a header, then a line each) or TOML.

    A write a session: each row's dict is built once and its text written before the next
    row is read. The bytes are those of dumping the whole list at once. CSV, being flat,
    holds the levels, the steps and the segments as JSON text in their cells.
    """
    writers: dict[str, Callable[[Iterator[dict[str, Any]], IO[str]], None]] = {
        "json": _write_json,
        "csv": _write_csv,
        "toml": _write_toml,
    }
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}")
    writers[fmt]((export_record(row) for row in rows), out)


def _write_json(records: Iterator[dict[str, Any]], out: IO[str]) -> None:
    # json.dumps(list, indent=2), one element at a time, each one level in.
    separator = "[\n  "
    for record in records:
        out.write(separator + _indented(record, 1))
        separator = ",\n  "
    out.write("[]\n" if separator.startswith("[") else "\n]\n")


def _indented(value: object, level: int) -> str:
    """json.dumps(value, indent=2), `level` levels in. Not json.dumps itself: with an indent it
    builds its encoder of closures anew at each call, garbage the collector finds only late,
    which made memory grow with the length of the history (and it is slower)."""
    if isinstance(value, dict | list) and value:
        inner = "\n" + "  " * (level + 1)
        if isinstance(value, dict):
            items = [f"{_quoted(str(k))}: {_indented(v, level + 1)}" for k, v in value.items()]
            opening, closing = "{", "}"
        else:
            items = [_indented(v, level + 1) for v in value]
            opening, closing = "[", "]"
        return opening + inner + ("," + inner).join(items) + "\n" + "  " * level + closing
    if isinstance(value, str):
        return _quoted(value)
    if value is None or isinstance(value, bool):
        return _CONSTANTS[value]
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float) and math.isfinite(value):
        return float.__repr__(value)
    return json.dumps(value)  # an empty list or dict, NaN, infinity: as json writes them


_quoted: Callable[[str], str] = json.encoder.encode_basestring_ascii
_CONSTANTS = {None: "null", True: "true", False: "false"}


def _write_csv(records: Iterator[dict[str, Any]], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    # The csv module quotes a field holding the line terminator, "\n", but not a lone "\r",
    # which every reader takes for the end of a line: a row holding one is quoted throughout.
    quoting = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(EXPORT_FIELDS)
    for record in records:
        cells = [_cell(record.get(key)) for key in EXPORT_FIELDS]
        has_return = any(isinstance(cell, str) and "\r" in cell for cell in cells)
        (quoting if has_return else writer).writerow(cells)


def _cell(value: object) -> object:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write_toml(records: Iterator[dict[str, Any]], out: IO[str]) -> None:
    import tomli_w

    # A session never fits tomli_w's 100-column inline table, so the whole list is always an
    # array of tables: "[[sessions]]" and the row's keys (its levels a "[sessions.levels]"
    # table), a blank line between sessions. TOML has no null: a missing value is left out.
    separator = ""
    for record in records:
        out.write(separator + tomli_w.dumps({"sessions": [_without_nulls(record)]}))
        separator = "\n"
    if not separator:
        out.write("sessions = []\n")


def _without_nulls(record: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: value for key, value in record.items() if value is not None}
    if "segments" in cleaned:
        cleaned["segments"] = [_without_nulls(segment) for segment in cleaned["segments"]]
    return cleaned


def export_text(rows: Iterable[SessionRow | ExportedSession], fmt: str) -> str:
    import io

    buffer = io.StringIO()
    export(rows, fmt, buffer)
    return buffer.getvalue()


# -- the table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # in terminal cells
    right: bool = False  # numbers line up on the right


HISTORY_COLUMNS = (
    Column("Started", 16),
    Column("Routine", 24),
    Column("Time", 7, right=True),
    Column("Done", 4, right=True),
    Column("Pain", 6),
    Column("Ended", 11),
)
COLUMN_GAP = "  "


def started_text(stamp: str) -> str:
    """A stored time ("2025-01-01T07:00:00+01:00") as read in a table: "2025-01-01 07:00",
    in the zone it was recorded in (the person's local time then)."""
    return stamp.replace("T", " ")[:16]


def pain_text(before: int | None, after: int | None, ascii_only: bool = False) -> str:
    """ "4→3", "4→" or "→3"; empty when neither check-in was answered."""
    if before is None and after is None:
        return ""
    arrow = "->" if ascii_only else "→"
    return f"{'' if before is None else before}{arrow}{'' if after is None else after}"


OUTCOMES = {"stopped": "stopped", "interrupted": "interrupted", "active": "playing"}


def outcome_text(row: SessionRow) -> str:
    """How a session ended, as a person tells it: every part done, the end reached by skipping
    ("completed" said that of 2 reps done of 14), stopped, or cut off. The exports' `status`
    field keeps the stored word."""
    if row.status == "completed":
        return "in full" if row.segments_done >= row.segments_total else "with skips"
    return OUTCOMES.get(row.status, printable(row.status))


def history_cells(row: SessionRow, ascii_only: bool = False) -> tuple[str, ...]:
    """One session's cells for HISTORY_COLUMNS, as plain printable text."""
    return (
        started_text(row.started_at),
        printable(row.routine_name),
        format_duration(row.active_seconds),
        f"{row.completion:.0%}",
        pain_text(row.pain_before, row.pain_after, ascii_only),
        outcome_text(row),
    )


def table_line(
    cells: Iterable[str], ascii_only: bool = False, columns: Sequence[Column] = HISTORY_COLUMNS
) -> str:
    """A line of a text table: each cell cut or padded to its column, no trailing spaces."""
    parts = []
    for column, cell in zip(columns, cells, strict=True):
        text = fit(cell, column.width, ascii_only)
        padding = " " * (column.width - cell_width(text))
        parts.append(padding + text if column.right else text + padding)
    return COLUMN_GAP.join(parts).rstrip() + "\n"


def write_table(
    rows: Iterable[SessionRow], out: IO[str], title: str, ascii_only: bool = False
) -> None:
    """The title, a header and a rule, then a line per session, written as each is read."""
    out.write(printable(title) + "\n")
    out.write(table_line((column.title for column in HISTORY_COLUMNS), ascii_only))
    rule = "-" if ascii_only else "─"
    out.write(table_line((rule * column.width for column in HISTORY_COLUMNS), ascii_only))
    out.flush()  # the head of the table shows at once, even into a pipe
    for row in rows:
        out.write(table_line(history_cells(row, ascii_only), ascii_only))


# -- text that is only text -------------------------------------------------------------------

# Control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional
# overrides that can make a line read differently from its bytes: shown as escapes, never
# sent to the terminal.
_VISIBLE = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)]}
_VISIBLE |= {ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r"}
_VISIBLE |= {code: f"\\u{code:04x}" for code in [0x2028, 0x2029, *range(0x202A, 0x202F)]}
_VISIBLE |= {code: f"\\u{code:04x}" for code in [0x200E, 0x200F, *range(0x2066, 0x206A)]}


def printable(text: str) -> str:
    """The text with every control character made visible (ESC as "\\x1b"), nothing else
    changed."""
    return text if text.isprintable() else text.translate(_VISIBLE)


def cell_width(text: str) -> int:
    """Terminal cells the text takes: wide (East Asian) characters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int, ascii_only: bool = False) -> str:
    """The text, cut to `width` cells with an ellipsis if it is longer."""
    if cell_width(text) <= width:
        return text
    ellipsis = "..." if ascii_only else "…"
    room = width - len(ellipsis)
    kept = []
    for char in text:
        room -= _char_width(char)
        if room < 0:
            break
        kept.append(char)
    return "".join(kept) + ellipsis
