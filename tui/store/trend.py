"""Is it helping? Pain before sessions week by week, pain rises, and what progression reads.

Each is one query over the sessions table alone (never its segments), so each stays a few
milliseconds at 10,000 sessions. Each leaves out the rows that cannot be read (readable.py).
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from datetime import date, timedelta

from tui.core.progression import IndexedRecord, PastSession
from tui.core.step_identity import is_step_identity
from tui.store.readable import MAX_COUNT, READABLE
from tui.store.rows import WeekTrend, levels_from_json

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
        f" WHERE day >= ? AND day <= ? AND {READABLE}",
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
        f" WHERE pain_before IS NOT NULL AND pain_after IS NOT NULL AND {READABLE}"
        " ORDER BY julianday(started_at) DESC, id DESC LIMIT ?",
        (last,),
    ).fetchall()
    return sum(1 for before, after in rows if after - before >= PAIN_RISE)


def past_sessions(connection: sqlite3.Connection, routine_id: str) -> list[PastSession]:
    """Ended sessions of a routine, oldest first, as progression reads them.

    Which steps were done in full is stored with each session (`full_steps`, kept current at
    every checkpoint against the plan the session played), not worked out against today's
    plan: a step whose reps have since risen still counts the sessions done at fewer. Steps
    are named by identity; a row written before identities names step indexes, and comes
    with the digest and levels it was played at, for progression to check what they meant.
    """
    placeholders = ", ".join("?" for _ in ENDED)
    rows = connection.execute(
        "SELECT full_steps, pain_before, pain_after, routine_digest, levels FROM sessions"
        f" WHERE routine_id = ? AND status IN ({placeholders}) AND {READABLE}"
        " ORDER BY julianday(started_at), id",
        (routine_id, *ENDED),
    )
    # Most sessions of a routine share the same few texts: each is read once (a frozenset can
    # be shared), which keeps 10,000 sessions to a few milliseconds of Python.
    steps: dict[str | None, frozenset[str | int]] = {}
    by_index: set[str | None] = set()
    records: dict[tuple[object, object], IndexedRecord] = {}
    past = []
    for full, before, after, digest, levels in rows:
        if full not in steps:
            steps[full] = steps_from_json(full)
            if any(isinstance(step, int) for step in steps[full]):
                by_index.add(full)
        record = None
        if full in by_index:
            if (digest, levels) not in records:
                records[digest, levels] = indexed_record(digest, levels)
            record = records[digest, levels]
        past.append(PastSession(steps[full], before, after, record))
    return past


def indexed_record(digest: object, levels: object) -> IndexedRecord:
    """What a row written before step identities says about the routine it played."""
    stored = levels_from_json(levels) if isinstance(levels, str | bytes) else None
    by_index = sorted((k, v) for k, v in (stored or {}).items() if isinstance(k, int))
    return IndexedRecord(str(digest), tuple(by_index))


def steps_from_json(text: str | None) -> frozenset[str | int]:
    """The steps done in full; none when the text is not what backtone wrote (a JSON list of
    step identities, or of step indexes before identities), so that a damaged row never makes
    progression rise."""
    if not text:
        return frozenset()
    try:
        steps = json.loads(text)
    except (ValueError, RecursionError):
        return frozenset()
    if not isinstance(steps, list) or not all(_is_step(step) for step in steps):
        return frozenset()
    return frozenset(steps)


def _is_step(value: object) -> bool:
    if isinstance(value, str):
        return is_step_identity(value)
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT
