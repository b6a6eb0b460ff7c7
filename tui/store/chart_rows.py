"""What the History screen's trend chart reads of the history: the sessions of the last weeks,
with their check-ins and minutes, in one query over the sessions table alone.

The query reads by `day` (the sessions_by_day index), so it costs the weeks shown, not the
history: a few milliseconds at 10,000 sessions. Rows that cannot be read are left out, as
every reader leaves them out (readable.py); a session counts as practised as Stats counts it
(a finished segment).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tui.core.adherence import Period
from tui.core.trend_cells import ChartSession
from tui.store.errors import unavailable
from tui.store.readable import READABLE

CHART_WEEKS = 12


@dataclass(frozen=True)
class ChartHistory:
    period: Period  # the weeks shown, Monday first, ending today
    sessions: tuple[ChartSession, ...]  # oldest first


def chart_sessions(
    connection: sqlite3.Connection,
    today: date,
    weeks: int = CHART_WEEKS,
    path: Path | None = None,
) -> ChartHistory:
    """The sessions of the `weeks` calendar weeks ending with today's. HistoryUnavailable
    (never a sqlite3.Error) when the history cannot be read; `path` names the file in it."""
    period = Period.last_weeks(today, weeks)
    try:
        rows = connection.execute(
            "SELECT day, pain_before, pain_after, active_seconds, segments_done > 0,"
            " program_version"
            f" FROM sessions WHERE day >= ? AND day <= ? AND {READABLE}"
            " ORDER BY day",
            (period.start.isoformat(), period.end.isoformat()),
        ).fetchall()
    except sqlite3.Error as error:
        raise unavailable(error, "read the history", path) from error
    days: dict[str, date] = {}
    sessions = []
    for day, before, after, seconds, practised, version in rows:
        if day not in days:
            days[day] = date.fromisoformat(day)
        minutes = float(seconds) / 60
        sessions.append(ChartSession(days[day], before, after, minutes, bool(practised), version))
    return ChartHistory(period, tuple(sessions))
