"""Which rows of the history can be read: one rule a column, checked by SQLite in every query.

A file edited by hand or damaged may hold anything in any column: a `day` of '2026-01-xx',
text where seconds belong, a BLOB name, an integer too large for Python's floats to sum. A row
is readable when every column it is read for holds the type backtone writes there, within
bounds; any other row is left out of every reader (pages, counts, sums, streaks, exports,
progression, `status`) and counted instead. The rules are SQL, not Python, so that a page's
OFFSET, a count and a sum all leave out the same rows, and no value that could not be read ever
reaches Python. The JSON columns (`levels`, `full_steps`) need only be text: their content is
read leniently (see rows.levels_from_json and trend.steps_from_json).

A session in the bin (`deleted_at` set: deleted on the History screen, kept 30 days to be
restored) is no longer history: READABLE leaves it out of every reader as well, and it is not
counted as unreadable either. KEPT is that rule alone (report_rows.py, which checks no
types, keeps to it where the file has the column).

Stdlib only, and nothing slow to import: `backtone status` uses it at every login.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

# Bounds far beyond any real session (a routine is at most 24 h and 20,000 segments), and well
# inside what SQLite can sum without "integer overflow".
MAX_SECONDS = 10**9
MAX_COUNT = 10**9


def _integer(column: str) -> str:
    return f"typeof({column}) = 'integer'"


def _text(column: str) -> str:
    return f"typeof({column}) = 'text'"


def _optional_text(column: str) -> str:
    return f"({column} IS NULL OR typeof({column}) = 'text')"


def _count(column: str) -> str:
    return f"(typeof({column}) = 'integer' AND {column} BETWEEN 0 AND {MAX_COUNT})"


def _optional_count(column: str) -> str:
    return f"({column} IS NULL OR {_count(column)})"


def _seconds(column: str) -> str:
    # SQLite orders every number before any text or blob, so a range of numbers is a type check
    # too; inf lies beyond it, NaN is stored as NULL (and NULL makes the rule NULL: unreadable).
    return f"{column} BETWEEN 0 AND {MAX_SECONDS}"


def _pain(column: str) -> str:
    return f"({column} IS NULL OR (typeof({column}) = 'integer' AND {column} BETWEEN 0 AND 10))"


def _day(column: str) -> str:
    # date() gives back exactly the text only for a real date written as YYYY-MM-DD; Python's
    # date has no year 0, which SQLite's has. The unary + keeps the query planner from taking
    # that bound for a range on sessions_by_day, which would lose the index pages are read in.
    # (A number never IS the text date() gives back.)
    return f"(date({column}) IS {column} AND +{column} >= '0001-01-01')"


def _instant(column: str) -> str:
    return f"(typeof({column}) = 'text' AND julianday({column}) IS NOT NULL)"


Rule = Callable[[str], str]

SESSION_RULES: dict[str, Rule] = {
    "id": _integer,
    "routine_id": _text,
    "routine_name": _text,
    "routine_digest": _text,
    "started_at": _instant,
    "ended_at": _optional_text,
    "status": _text,
    "planned_seconds": _seconds,
    "active_seconds": _seconds,
    "paused_seconds": _seconds,
    "segments_done": _count,
    "segments_total": _count,
    "current_segment": _count,
    "pain_before": _pain,
    "pain_after": _pain,
    "levels": _optional_text,
    "program_version": _optional_text,
    "note": _optional_text,
    "day": _day,
    "full_steps": _optional_text,
}
SEGMENT_RULES: dict[str, Rule] = {
    "segment_index": _count,
    "kind": _text,
    "label": _text,
    "exercise": _text,
    "position": _text,
    "outcome": _text,
    "active_seconds": _seconds,
    "ended_at": _text,
    "step_index": _optional_count,
}

# SessionRow's fields, in order: SessionRow(*row) reads a row of this.
SESSION_COLUMNS = (
    "id, routine_id, routine_name, routine_digest, started_at, ended_at, status, "
    "planned_seconds, active_seconds, paused_seconds, segments_done, segments_total, "
    "current_segment, pain_before, pain_after, levels, program_version, note"
)
SEGMENT_COLUMNS = (
    "segment_index, kind, label, exercise, position, outcome, active_seconds, ended_at, step_index"
)


def _all(rules: dict[str, Rule]) -> str:
    return "(" + " AND ".join(rule(column) for column, rule in rules.items()) + ")"


# Not in the bin. (Sessions binned are found through the partial index sessions_binned.)
KEPT = "deleted_at IS NULL"
BINNED = "deleted_at IS NOT NULL"

# A rule may give NULL (a NULL in a range) as well as 0: both leave the row out. (CASE, not
# IS NOT 1, which SQLite evaluates at twice the cost.)
WELL_FORMED = _all(SESSION_RULES)
READABLE = f"({KEPT} AND {WELL_FORMED})"
UNREADABLE = f"CASE WHEN {BINNED} OR {WELL_FORMED} THEN 0 ELSE 1 END"
# In the bin and readable, with a deletion time that can be read: what the bin lists.
READABLE_BINNED = f"({BINNED} AND {_instant('deleted_at')} AND {WELL_FORMED})"
READABLE_SEGMENT = _all(SEGMENT_RULES)

# Columns migrations 3, 4 and 5 added: a file of an older schema, read where it is not to be
# migrated, gives them as NULL.
ADDED_COLUMNS = {
    "sessions": (
        "pain_before",
        "pain_after",
        "levels",
        "full_steps",
        "program_version",
        "note",
        "deleted_at",
    ),
    "segments": ("step_index",),
}


def add_missing_columns(connection: sqlite3.Connection) -> None:
    """Temporary views over a file of an older schema, named as its tables (unqualified names
    find the temp schema first), that give the columns later migrations added as NULL.
    Nothing is written into the file: the temp schema lives in memory."""
    for table, added in ADDED_COLUMNS.items():
        present = {row[1] for row in connection.execute(f"PRAGMA main.table_info({table})")}
        missing = [column for column in added if column not in present]
        if present and missing:
            extra = ", ".join(f"NULL AS {column}" for column in missing)
            connection.execute(f"CREATE TEMP VIEW {table} AS SELECT *, {extra} FROM main.{table}")


def unreadable_sessions(connection: sqlite3.Connection) -> int:
    """How many session rows every reader leaves out."""
    return int(
        connection.execute(f"SELECT count(*) FROM sessions WHERE {UNREADABLE}").fetchone()[0]
    )


def lenient_text(value: bytes) -> str:
    """A connection's text_factory: text that is not UTF-8 (a hand edit can store any bytes as
    TEXT) reads with U+FFFD where it breaks, instead of failing the whole query."""
    return str(value, "utf-8", "replace")


def sessions_text(count: int) -> str:
    """ "1 session could not be read", for a message."""
    return f"{count} session{'s' if count != 1 else ''} could not be read"
