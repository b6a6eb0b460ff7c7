"""Sessions written out for `backtone history`: streamed as JSON, CSV, TOML or a text table.

Every format writes each session as it is read from SQLite, so the first line goes out at once
and memory stays flat however long the history is. The table's columns are defined here once,
for the command line and the History screen alike.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from tui.core.timefmt import format_duration
from tui.store.database import NEWEST_FIRST
from tui.store.readable import READABLE, SESSION_COLUMNS
from tui.store.rows import SessionRow

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


# -- JSON, CSV, TOML --------------------------------------------------------------------------


def export(rows: Iterable[SessionRow], fmt: str, out: IO[str]) -> None:
    """Write the sessions as JSON (a list of objects), CSV (a header, then a line each) or TOML.

    A write a session: each row's dict is built once and its text written before the next
    row is read. The bytes are those of dumping the whole list at once.
    """
    writers: dict[str, Callable[[Iterator[dict[str, Any]], IO[str]], None]] = {
        "json": _write_json,
        "csv": _write_csv,
        "toml": _write_toml,
    }
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}")
    writers[fmt]((row.export() for row in rows), out)


def _write_json(records: Iterator[dict[str, Any]], out: IO[str]) -> None:
    # json.dumps(list, indent=2), one element at a time: an element's own lines indented by
    # two more spaces (JSON strings hold no raw newline, so every "\n" starts a line).
    separator = "[\n  "
    for record in records:
        out.write(separator + json.dumps(record, indent=2).replace("\n", "\n  "))
        separator = ",\n  "
    out.write("[]\n" if separator.startswith("[") else "\n]\n")


def _write_csv(records: Iterator[dict[str, Any]], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    # The csv module quotes a field holding the line terminator, "\n", but not a lone "\r",
    # which every reader takes for the end of a line: a row holding one is quoted throughout.
    quoting = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(EXPORT_FIELDS)
    for record in records:
        cells = [record.get(key) for key in EXPORT_FIELDS]
        has_return = any(isinstance(cell, str) and "\r" in cell for cell in cells)
        (quoting if has_return else writer).writerow(cells)


def _write_toml(records: Iterator[dict[str, Any]], out: IO[str]) -> None:
    import tomli_w

    # A session never fits tomli_w's 100-column inline table, so the whole list is always an
    # array of tables: "[[sessions]]" and the row's keys, a blank line between sessions.
    # TOML has no null: a missing value is left out.
    separator = "[[sessions]]\n"
    for record in records:
        cleaned = {key: value for key, value in record.items() if value is not None}
        out.write(separator + tomli_w.dumps(cleaned))
        separator = "\n[[sessions]]\n"
    if separator == "[[sessions]]\n":
        out.write("sessions = []\n")


def export_text(rows: Iterable[SessionRow], fmt: str) -> str:
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
