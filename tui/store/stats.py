"""Streak, this week's minutes and sessions, minutes per day: figures read from the history."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from tui.store.rows import Stats


def compute_stats(connection: sqlite3.Connection, today: date, days: int = 28) -> Stats:
    """A session counts once it has one finished segment; the streak may still be extended
    today, so a streak that ended yesterday is kept until today is over."""
    practised = [
        date.fromisoformat(day)
        for (day,) in connection.execute(
            "SELECT DISTINCT day FROM sessions WHERE segments_done > 0 AND day <= ?"
            " ORDER BY day DESC",
            (today.isoformat(),),
        )
    ]
    streak = 0
    expected = today if practised and practised[0] == today else today - timedelta(days=1)
    for day in practised:
        if day == expected:
            streak += 1
            expected -= timedelta(days=1)
        elif day < expected:
            break
    monday = today - timedelta(days=today.weekday())
    week_seconds, week_sessions = connection.execute(
        "SELECT coalesce(sum(active_seconds), 0), count(*) FROM sessions"
        " WHERE day >= ? AND day <= ? AND segments_done > 0",
        (monday.isoformat(), today.isoformat()),
    ).fetchone()
    first = today - timedelta(days=days - 1)
    seconds_by_day = dict(
        connection.execute(
            "SELECT day, sum(active_seconds) FROM sessions"
            " WHERE day >= ? AND day <= ? AND segments_done > 0 GROUP BY day",
            (first.isoformat(), today.isoformat()),
        ).fetchall()
    )
    minutes = tuple(
        (day, seconds_by_day.get(day.isoformat(), 0.0) / 60)
        for day in (first + timedelta(days=n) for n in range(days))
    )
    return Stats(streak, week_seconds / 60, week_sessions, minutes)
