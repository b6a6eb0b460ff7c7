"""`backtone report`: the history of a period as one self-contained HTML page, for the
physiotherapist. The command (tui/report/command.py) and the History screen both call
`build_report`; the page opens, prints and saves as PDF in any browser, fetching nothing.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from tui.core.adherence import Period
from tui.core.model import RoutineBook
from tui.report.page import render, report_figures
from tui.report.sections import PoseFigures

DEFAULT_WEEKS = 12

__all__ = ["DEFAULT_WEEKS", "PoseFigures", "build_report", "report_file_name", "report_period"]


def report_period(today: date, weeks: int = DEFAULT_WEEKS, since: date | None = None) -> Period:
    """The calendar weeks ending with today's, or the days from `since` (ValueError if that is
    after today)."""
    if since is None:
        return Period.last_weeks(today, weeks)
    if since > today:
        raise ValueError(f"{since.isoformat()} is after today ({today.isoformat()})")
    return Period(since, today)


def report_file_name(today: date) -> str:
    return f"backtone-report-{today.isoformat()}.html"


def build_report(
    connection: sqlite3.Connection | None,
    book: RoutineBook | None,
    *,
    today: date | None = None,
    weeks: int = DEFAULT_WEEKS,
    since: date | None = None,
    now: datetime | None = None,
    pose_figures: PoseFigures | None = None,
) -> str:
    """The report's HTML, from the history on `connection` (None: no history yet).

    `book` (None when the routine file cannot be read) gives the programme, the weekly doses
    and the cautions. The connection is only read. Raises HistoryUnavailable when the history
    cannot be read, ValueError for a `since` after today.
    """
    moment = now or datetime.now().astimezone()
    period = report_period(today or moment.date(), weeks, since)
    figures, history_starts = report_figures(connection, book, period)
    return render(
        figures,
        book,
        history_starts=history_starts,
        generated_at=moment,
        version=_version(),
        pose_figures=pose_figures,
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("backtone")
    except PackageNotFoundError:
        return "(unknown version)"
