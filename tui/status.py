"""`backtone status`: one line for a login message or a shell prompt, and an exit code.

    backtone: done today (Daily back care, 9 min) · streak 5 days · 42 min this week · pain 4→3
    backtone: not yet today · streak 4 days
    backtone: no sessions yet

Exit 0 when a session with a finished segment was done today (what the streak counts), 1 when
not or when the history cannot be read (damaged, a FIFO, a data dir that cannot be entered: the
message on stderr says which path and why), 2 on a usage error. `--quiet` prints nothing at
all, not even that: the exit code says it. Rows that cannot be read are left out and counted
on the line ("1 session could not be read"); sessions in the bin (deleted on the History
screen, restorable for 30 days) are left out too, and not counted: every query here filters
on readable.READABLE, which leaves out both.

It runs at every login, so it imports neither Textual nor Rich nor the rest of the CLI, and it
only reads: the database is opened read-only, never migrated or created, and a file from an
older backtone (without the pain columns) reads as well as today's.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from datetime import date, datetime

from tui.core.timefmt import format_length
from tui.data_dir import DB_NAME, data_dir_problem, resolve_data_dir, source_of
from tui.exit_codes import EXIT_USAGE
from tui.store import history_file
from tui.store.readable import (
    READABLE,
    add_missing_columns,
    lenient_text,
    sessions_text,
    unreadable_sessions,
)

EXIT_DONE = 0  # practised today
EXIT_NOT_YET = 1
EXIT_UNREADABLE = 1  # the history cannot be read: not "done today" either


def local_now() -> datetime:
    """tui.store.rows.local_now, without importing the rows (and dataclasses, enum, typing)."""
    return datetime.now().astimezone()


class Status:
    """Today's facts. A plain class: the dataclasses module alone costs a login line 5 ms."""

    __slots__ = (
        "done_today",
        "has_history",
        "pain_after",
        "pain_before",
        "routine_today",
        "seconds_today",
        "sessions_today",
        "streak_days",
        "today",
        "unreadable",
        "week_minutes",
        "week_sessions",
    )

    def __init__(
        self,
        today: date,
        *,
        has_history: bool = False,  # any session recorded at all
        done_today: bool = False,  # a session today with a finished segment, as streaks count
        sessions_today: int = 0,  # such sessions
        routine_today: str | None = None,  # the latest one's routine
        seconds_today: float = 0.0,  # active time in them
        streak_days: int = 0,
        week_minutes: float = 0.0,
        week_sessions: int = 0,
        pain_before: int | None = None,  # the latest check-ins today, where answered
        pain_after: int | None = None,
        unreadable: int = 0,  # sessions left out: rows damaged or edited past reading
    ) -> None:
        self.today = today
        self.has_history = has_history
        self.done_today = done_today
        self.sessions_today = sessions_today
        self.routine_today = routine_today
        self.seconds_today = seconds_today
        self.streak_days = streak_days
        self.week_minutes = week_minutes
        self.week_sessions = week_sessions
        self.pain_before = pain_before
        self.pain_after = pain_after
        self.unreadable = unreadable

    def as_json(self) -> str:
        import json

        return json.dumps(
            {
                "today": self.today.isoformat(),
                "has_history": self.has_history,
                "done_today": self.done_today,
                "sessions_today": self.sessions_today,
                "routine_today": self.routine_today,
                "minutes_today": round(self.seconds_today / 60, 1),
                "streak_days": self.streak_days,
                "week_minutes": round(self.week_minutes, 1),
                "week_sessions": self.week_sessions,
                "pain_before": self.pain_before,
                "pain_after": self.pain_after,
                "unreadable_sessions": self.unreadable,
            }
        )


def read_status(connection: sqlite3.Connection, today: date) -> Status:
    """Today's facts from the history; the streak and week as the History screen counts them.
    The connection gives every column of today's schema (add_missing_columns on older files)."""
    from tui.store.stats import streak_days, week_totals

    unreadable = unreadable_sessions(connection)
    (any_session,) = connection.execute(
        f"SELECT EXISTS (SELECT 1 FROM sessions WHERE {READABLE})"
    ).fetchone()
    if not any_session:
        return Status(today, unreadable=unreadable)
    week_minutes, week_sessions = week_totals(connection, today)
    practised = connection.execute(
        "SELECT routine_name, active_seconds, pain_before, pain_after FROM sessions"
        f" WHERE day = ? AND segments_done > 0 AND {READABLE}"
        " ORDER BY julianday(started_at) DESC, id DESC",
        (today.isoformat(),),
    ).fetchall()
    latest = practised[0] if practised else (None, 0.0, None, None)
    answered = [row for row in practised if row[2] is not None or row[3] is not None]
    before, after = (answered[0][2], answered[0][3]) if answered else (None, None)
    return Status(
        today=today,
        has_history=True,
        done_today=bool(practised),
        sessions_today=len(practised),
        routine_today=latest[0],
        seconds_today=sum(row[1] for row in practised),
        streak_days=streak_days(connection, today),
        week_minutes=week_minutes,
        week_sessions=week_sessions,
        pain_before=before,
        pain_after=after,
        unreadable=unreadable,
    )


def status_line(status: Status, ascii_only: bool = False) -> str:
    line = _facts_line(status, ascii_only)
    if status.unreadable:
        line += (" - " if ascii_only else " · ") + sessions_text(status.unreadable)
    return line


def _facts_line(status: Status, ascii_only: bool) -> str:
    if not status.has_history:
        return "backtone: no sessions yet"
    dot, arrow = (" - ", "->") if ascii_only else (" · ", "→")
    streak = status.streak_days
    streak_text = f"streak {streak} day{'s' if streak != 1 else ''}"
    if not status.done_today:
        parts = ["not yet today"] + ([streak_text] if streak else [])
        return "backtone: " + dot.join(parts)
    name = _plain(status.routine_today or "")
    more = status.sessions_today - 1
    if more:
        name += f" and {more} more"
    parts = [f"done today ({name}, {format_length(status.seconds_today)})", streak_text]
    if status.week_minutes >= 1:
        parts.append(f"{format_length(status.week_minutes * 60)} this week")
    if status.pain_before is not None or status.pain_after is not None:
        before = "?" if status.pain_before is None else status.pain_before
        after = "?" if status.pain_after is None else status.pain_after
        parts.append(f"pain {before}{arrow}{after}")
    return "backtone: " + dot.join(parts)


def _plain(text: str) -> str:
    """A routine name from the database, its control characters made visible: an old file may
    hold one, and this line goes straight to a login terminal."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


# -- opening without writing ------------------------------------------------------------------


def open_read_only(path: str, immutable: bool = True) -> sqlite3.Connection:
    """The history, read-only. With no -wal or -journal beside it, no backtone has it open, and
    it is read as immutable: a read-only WAL connection would otherwise leave -wal and -shm
    files behind. With one, it is opened `mode=ro`, which sees a writer's latest commit."""
    absolute = os.path.abspath(path)
    quoted = absolute.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    if any(os.path.exists(absolute + side) for side in ("-wal", "-journal")):
        immutable = False
    uri = f"file:{quoted}?mode=ro" + ("&immutable=1" if immutable else "")
    connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    connection.text_factory = lenient_text
    try:
        add_missing_columns(connection)  # in memory only: the temp schema
        connection.execute("PRAGMA query_only = ON")
    except BaseException:
        connection.close()
        raise
    return connection


def _read(path: str, today: date, immutable: bool = True) -> Status:
    connection = open_read_only(path, immutable)
    try:
        return read_status(connection, today)
    except sqlite3.DatabaseError as error:
        if not immutable or isinstance(error, sqlite3.OperationalError):
            raise
    finally:
        connection.close()
    # A backtone began writing in the moment between the look for its -wal file and the read,
    # which saw a half-written page: read again, through the locks this time.
    return _read(path, today, immutable=False)


class CannotRead(Exception):
    """The history is there but cannot be read; the message names the path and says why."""


def read_history(path: str, today: date) -> Status:
    """Today's facts from the history file at `path`: none if there is none yet. Looked at
    before it is opened: a FIFO, a directory or a symlink is never opened (a FIFO would hang
    the login), and a damaged file is said to be damaged."""
    present, problem = history_file.inspect(path)
    if problem is not None:
        raise CannotRead(problem)
    if not present:
        return Status(today)
    try:
        if not history_file.looks_like_sqlite(path):
            raise CannotRead(f"cannot read {path}: the history file is damaged")
        if os.path.getsize(path) == 0:
            return Status(today)  # made by a backtone that has not recorded anything yet
    except OSError as error:
        raise CannotRead(f"cannot read {path}: {error.strerror or error}") from None
    try:
        return _read(path, today)
    except sqlite3.Error as error:
        raise CannotRead(f"cannot read {path}: {_reason(error)}") from None


def _reason(error: sqlite3.Error) -> str:
    text = str(error)
    if "no such" in text:
        return "it is not a backtone history"
    if not isinstance(error, sqlite3.OperationalError) or "malformed" in text:
        return "the history file is damaged"
    return text


def run_status(
    data_dir: str | None,
    fmt: str = "text",
    quiet: bool = False,
    now: Callable[[], datetime] | None = None,
    ascii_only: bool | None = None,
) -> int:
    """The `status` command: print the line (or JSON, or nothing) and give the exit code."""
    directory = resolve_data_dir(data_dir)
    problem = data_dir_problem(directory)
    if problem is not None:
        if not quiet:
            print(f"backtone status: {_plain(problem)} ({source_of(data_dir)})", file=sys.stderr)
        return EXIT_USAGE
    today = (now or local_now)().date()
    try:
        status = read_history(os.path.join(directory, DB_NAME), today)
    except CannotRead as error:
        if not quiet:
            print(f"backtone status: {_plain(str(error))}", file=sys.stderr)
        return EXIT_UNREADABLE
    if not quiet:
        if fmt == "json":
            print(status.as_json())
        else:
            if ascii_only is None:
                from tui.terminal import terminal_is_ascii

                ascii_only = terminal_is_ascii()
            print(status_line(status, ascii_only))
    return EXIT_DONE if status.done_today else EXIT_NOT_YET
