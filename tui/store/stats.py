"""Streak, this week's minutes and sessions, minutes per day: figures read from the history.

`backtone status` runs at every login and takes its streak and week from here, so this module
loads nothing of the store's row types until compute_stats is called. Rows that cannot be read
(readable.py) count for nothing: a hand-edited day or a text in the seconds is left out.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from tui.store.readable import READABLE

# typing costs ~4 ms to import; mypy reads any constant of this name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from tui.store.rows import Stats

# A session counts once it has one finished segment (and can be read at all).
PRACTISED = f"segments_done > 0 AND {READABLE}"


def streak_days(connection: sqlite3.Connection, today: date) -> int:
    """Days in a row with practice, ending today, or yesterday while today may still extend
    it. The days are read newest first and only until the first gap."""
    cursor = connection.execute(
        f"SELECT DISTINCT day FROM sessions WHERE {PRACTISED} AND day <= ? ORDER BY day DESC",
        (today.isoformat(),),
    )
    streak = 0
    expected: date | None = None
    for (text,) in cursor:
        day = date.fromisoformat(text)
        if expected is None:
            expected = today if day == today else today - timedelta(days=1)
        if day != expected:
            break
        streak += 1
        expected -= timedelta(days=1)
    cursor.close()
    return streak


def week_totals(connection: sqlite3.Connection, today: date) -> tuple[float, int]:
    """Minutes and sessions of practice from this week's Monday to today."""
    monday = today - timedelta(days=today.weekday())
    seconds, sessions = connection.execute(
        "SELECT coalesce(sum(active_seconds), 0), count(*) FROM sessions"
        f" WHERE day >= ? AND day <= ? AND {PRACTISED}",
        (monday.isoformat(), today.isoformat()),
    ).fetchone()
    return seconds / 60, int(sessions)


def compute_stats(connection: sqlite3.Connection, today: date, days: int = 28) -> Stats:
    from tui.store.rows import Stats

    week_minutes, week_sessions = week_totals(connection, today)
    first = today - timedelta(days=days - 1)
    seconds_by_day = dict(
        connection.execute(
            "SELECT day, sum(active_seconds) FROM sessions"
            f" WHERE day >= ? AND day <= ? AND {PRACTISED} GROUP BY day",
            (first.isoformat(), today.isoformat()),
        ).fetchall()
    )
    minutes = tuple(
        (day, seconds_by_day.get(day.isoformat(), 0.0) / 60)
        for day in (first + timedelta(days=n) for n in range(days))
    )
    return Stats(streak_days(connection, today), week_minutes, week_sessions, minutes)
