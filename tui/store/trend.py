"""Is it helping? Pain before sessions week by week, pain rises, and what progression reads.

Each is one query over the sessions table alone (never its segments), so each stays a few
milliseconds at 10,000 sessions.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from datetime import date, timedelta

from tui.core.progression import PastSession
from tui.store.rows import WeekTrend

ENDED = ("completed", "stopped", "interrupted")
PAIN_RISE = 2  # points of pain after above pain before that the summary and notice speak of


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def pain_trend(connection: sqlite3.Connection, today: date, weeks: int = 12) -> list[WeekTrend]:
    """Every week (Monday first) of the `weeks` ending with today's, oldest first.

    Sessions and minutes are counted as Stats counts them (a session with a finished segment);
    the median pain is over every check-in before a session, one stopped at once included: the
    person's answer is a fact about their back whatever happened next.
    """
    first = monday_of(today) - timedelta(weeks=weeks - 1)
    pains: dict[date, list[int]] = {}
    counts: dict[date, int] = {}
    seconds: dict[date, float] = {}
    rows = connection.execute(
        "SELECT day, pain_before, active_seconds, segments_done > 0 FROM sessions"
        " WHERE day >= ? AND day <= ?",
        (first.isoformat(), today.isoformat()),
    )
    for day, pain, active, counted in rows:
        week = monday_of(date.fromisoformat(day))
        if pain is not None:
            pains.setdefault(week, []).append(int(pain))
        if counted:
            counts[week] = counts.get(week, 0) + 1
            seconds[week] = seconds.get(week, 0.0) + float(active)
    trend = []
    for n in range(weeks):
        week = first + timedelta(weeks=n)
        values = pains.get(week)
        median = float(statistics.median(values)) if values else None
        trend.append(WeekTrend(week, median, counts.get(week, 0), seconds.get(week, 0.0) / 60))
    return trend


def recent_pain_rises(connection: sqlite3.Connection, last: int = 3) -> int:
    """Of the last `last` sessions with both check-ins, how many ended 2 or more points up."""
    rows = connection.execute(
        "SELECT pain_before, pain_after FROM sessions"
        " WHERE pain_before IS NOT NULL AND pain_after IS NOT NULL"
        " ORDER BY julianday(started_at) DESC, id DESC LIMIT ?",
        (last,),
    ).fetchall()
    return sum(1 for before, after in rows if after - before >= PAIN_RISE)


def past_sessions(connection: sqlite3.Connection, routine_id: str) -> list[PastSession]:
    """Ended sessions of a routine, oldest first, as progression reads them.

    Which steps were done in full is stored with each session (`full_steps`, kept current at
    every checkpoint against the plan the session played), not worked out against today's
    plan: a step whose reps have since risen still counts the sessions done at fewer.
    """
    placeholders = ", ".join("?" for _ in ENDED)
    rows = connection.execute(
        "SELECT full_steps, pain_before, pain_after FROM sessions"
        f" WHERE routine_id = ? AND status IN ({placeholders})"
        " ORDER BY julianday(started_at), id",
        (routine_id, *ENDED),
    )
    # Most sessions of a routine share the same few texts: each is read once (a frozenset can
    # be shared), which keeps 10,000 sessions to a few milliseconds of Python.
    steps: dict[str | None, frozenset[int]] = {}
    past = []
    for full, before, after in rows:
        if full not in steps:
            steps[full] = _steps(full)
        past.append(PastSession(steps[full], before, after))
    return past


def _steps(text: str | None) -> frozenset[int]:
    if not text:
        return frozenset()
    try:
        steps = json.loads(text)
        return frozenset(int(step) for step in steps)
    except (ValueError, TypeError):
        return frozenset()  # not what backtone wrote: no step counts as full
