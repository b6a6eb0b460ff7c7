"""The report as one self-contained HTML page: its figures read from the history, then the
summary, the charts, the calendar, the programme and the sessions, with the stylesheet inline.

Nothing is fetched: no script, font or image from anywhere. A Content-Security-Policy of
`default-src 'none'` says so to the browser too, so that even a mistake could fetch nothing.
The print stylesheet lays 12 weeks of daily practice on two A4 pages: the summary and the
charts on the first, the sessions (a table a week, in two columns) on the second.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, datetime

from tui.core.adherence import (
    PAIN_RISE,
    Period,
    Prescription,
    ReportFigures,
    ReportSession,
    monday_of,
    summarize,
)
from tui.core.model import RoutineBook
from tui.report.charts import (
    AFTER_COLOUR,
    BEFORE_COLOUR,
    calendar,
    long_date,
    pain_chart,
    week_bars,
)
from tui.report.markup import Markup, fill
from tui.report.sections import PoseFigures, period_text, programme, summary
from tui.report.table import session_tables
from tui.store.errors import unavailable
from tui.store.report_rows import (
    first_day,
    played_before,
    stream_report_sessions,
    versions_first_played,
)

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
  color: #1b1b1b; background: #ffffff; margin: 0 auto; padding: 16px; max-width: 1040px;
  font-size: 14px; line-height: 1.35; }
h1 { font-size: 1.5em; margin: 0 0 2px; }
h2 { font-size: 1.1em; margin: 12px 0 4px; border-bottom: 1px solid #c8c8c8; }
h3 { font-size: 1em; margin: 6px 0 2px; }
p { margin: 3px 0; }
header p { color: #444444; }
ul { margin: 2px 0; padding-left: 1.2em; }
li { margin: 1px 0; }
.scale-note, .caution, footer { font-size: 0.92em; color: #333333; }
.caution { border-left: 3px solid #c0392b; padding-left: 6px; }
.rise-mark { color: #c0392b; white-space: nowrap; }
.legend { font-size: 0.9em; margin: 0 0 2px; }
.legend svg { vertical-align: middle; }
.legend span { margin-right: 1.2em; white-space: nowrap; }
svg.chart { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; fill: #333333; }
svg .axis, svg .scale { font-size: 13px; }
svg .scale { text-anchor: end; }
svg .count { font-size: 13px; text-anchor: middle; }
h3 .dose { font-weight: normal; color: #c0392b; }
svg .day { font-size: 10px; text-anchor: middle; }
svg .day.on { fill: #ffffff; }
.pair { display: flex; gap: 18px; align-items: flex-start; }
.pair > .days { flex: 0 0 auto; max-width: 45%; }
.pair > .days svg { max-width: 100%; height: auto; }
.pair > .programme { flex: 1 1 0; min-width: 0; }
.programme .note { font-style: italic; white-space: pre-line; }
.poses { display: flex; flex-wrap: wrap; gap: 8px; }
.pose { margin: 0; text-align: center; font-size: 0.85em; }
.pose svg { width: 90px; height: auto; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 1px 5px; vertical-align: top; }
th { font-weight: 600; border-bottom: 1px solid #888888; }
td.n, th.n { text-align: right; }
table.versions { font-size: 0.92em; margin: 2px 0; }
.weeks { columns: 2; column-gap: 18px; }
table.week { width: 100%; margin: 0 0 6px; font-size: 0.85em; break-inside: avoid;
  table-layout: fixed; }
table.week .day { width: 7.2em; }
table.week .n { width: 2.6em; }
table.week .pain { width: 5.8em; }
table.week .routine { width: 22%; }
table.week caption { text-align: left; font-weight: 600; padding: 2px 0; }
table.week td { border-bottom: 1px solid #e2e2e2; }
td.day, td.pain { white-space: nowrap; overflow: hidden; }
tr.rose td { background: #fbe9e7; }
.mark { font-weight: 600; }
.note { font-style: italic; }
.empty { font-style: italic; color: #444444; }
footer { margin-top: 10px; border-top: 1px solid #c8c8c8; padding-top: 4px; }
@page { size: A4; margin: 10mm 11mm; }
@media print {
  body { font-size: 8.6pt; padding: 0; max-width: none; }
  h1 { font-size: 14pt; }
  h2 { font-size: 10pt; margin-top: 2.5mm; }
  .sessions { break-before: page; }
  .sessions h2 { margin-top: 0; }
  table.week { margin-bottom: 1.5mm; line-height: 1.25; }
  th, td { padding: 0 3px; }
  tr.rose td { background: none; }
  .charts, .pair, .summary { break-inside: avoid; }
  footer { font-size: 7pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="backtone">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header><h1>Back exercise report</h1>{programme_title}</header>
{summary}
{charts}
<div class="pair"><section class="days"><h2>Days practised</h2>{calendar}</section>{programme}</div>
{sessions}
<footer>{footer}</footer>
</body>
</html>
"""

LEGEND = (
    '<p class="legend"><span><svg width="14" height="14" viewBox="0 0 14 14"><circle cx="7"'
    ' cy="7" r="4.5" fill="#ffffff" stroke="{before}" stroke-width="1.8"/></svg> before the'
    ' session</span><span><svg width="14" height="14" viewBox="0 0 14 14"><circle cx="7"'
    ' cy="7" r="3.5" fill="{after}"/></svg> after</span><span><svg width="14" height="14"'
    ' viewBox="0 0 14 14"><path d="M7 1 L13 12 L1 12 Z" fill="#c0392b"/></svg> after, {rise}'
    ' points or more up</span><span><svg width="26" height="8" viewBox="0 0 26 8"><line x1="0"'
    ' y1="4" x2="26" y2="4" stroke="{before}" stroke-width="3" stroke-dasharray="10 5"/></svg>'
    ' weekly median before</span><span><svg width="26" height="8" viewBox="0 0 26 8"><line'
    ' x1="0" y1="4" x2="26" y2="4" stroke="{after}" stroke-width="3"/></svg> weekly median'
    " after</span></p>"
)


# The sessions page: what the two columns hold, in mm, under the heading and above the footer,
# and the print size of a table line per point of type (line-height and its rule included).
SESSIONS_HEIGHT_MM = 250.0
LINE_MM_PER_PT = 0.3528 * 1.32
TABLE_PT = (5.2, 7.4)  # the smallest and the largest print size of the session tables
REMARK_CHARACTERS = 40  # of remarks on one line of a table, at the largest size


def table_print_size(figures: ReportFigures) -> float:
    """The print size (pt) that keeps the period's sessions on one page, in its two columns,
    down to TABLE_PT[0]: a person practising twice a day still gets 12 weeks on two pages."""
    lines = 0.0
    for session in figures.sessions:
        remark = len(session.note or "") + 14 * len(session.skipped) + 18
        lines += max(1, -(-remark // REMARK_CHARACTERS))
    weeks = len({monday_of(session.day) for session in figures.sessions})
    lines += 2.6 * max(weeks, 1)  # each week's caption, head and gap
    size = SESSIONS_HEIGHT_MM / (lines / 2 * LINE_MM_PER_PT)
    return round(max(TABLE_PT[0], min(TABLE_PT[1], size)), 1)


def prescriptions(book: RoutineBook | None) -> list[Prescription]:
    if book is None:
        return []
    return [Prescription(r.id, r.name, r.per_week) for r in book.routines if r.per_week]


def report_figures(
    connection: sqlite3.Connection | None, book: RoutineBook | None, period: Period
) -> tuple[ReportFigures, date | None]:
    """The report's figures and the day the history starts, read in one pass over the period.

    HistoryUnavailable when the history cannot be read; None for `connection` is an empty one.
    """
    program = book.program if book is not None else None
    rows: Iterable[ReportSession] = ()
    before, versions, started = {}, {}, None
    try:
        if connection is not None:
            before = played_before(connection, period.start, period.end)
            versions = versions_first_played(connection, period.start, period.end)
            started = first_day(connection)
            rows = stream_report_sessions(connection, period.read_from(), period.end)
        figures = summarize(
            rows,
            period,
            prescriptions(book),
            issued=program.issued if program is not None else None,
            played_before=before,
            versions_first_played=versions,
        )
    except sqlite3.Error as error:
        raise unavailable(error, "read the history") from error
    return figures, started


def render(
    figures: ReportFigures,
    book: RoutineBook | None,
    *,
    history_starts: date | None,
    generated_at: datetime,
    version: str,
    pose_figures: PoseFigures | None = None,
) -> str:
    """The page for these figures."""
    program = book.program if book is not None else None
    programme_title = (
        fill('<p class="programme-title">{title}</p>', title=program.title)
        if program is not None
        else Markup()
    )
    dosed = [entry.prescription.per_week for entry in figures.adherence]
    if figures.sessions:
        charts = fill(
            '<section class="charts"><h2>Pain before and after each session (0–10)</h2>'
            "{legend}{pain}<h3>Sessions and minutes a week{dose}</h3>{bars}</section>",
            legend=fill(LEGEND, before=BEFORE_COLOUR, after=AFTER_COLOUR, rise=PAIN_RISE),
            pain=pain_chart(figures),
            dose=(
                fill(
                    ' <span class="dose">(dashed line: {dose} a week prescribed)</span>',
                    dose=dosed[0],
                )
                if len(dosed) == 1
                else ""
            ),
            bars=week_bars(figures, dosed[0] if len(dosed) == 1 else None),
        )
    else:
        charts = fill(
            '<section class="charts"><p class="empty">No sessions were recorded from {start}'
            " to {end}.</p></section>",
            start=long_date(figures.period.start),
            end=long_date(figures.period.end),
        )
    footer = fill(
        "Made by backtone {version} on {day} at {time}. A session counts once one of its"
        " segments was finished; minutes are time spent exercising, pauses left out; weeks run"
        " Monday to Sunday.",
        version=version,
        day=long_date(generated_at.date()),
        time=generated_at.strftime("%H:%M"),
    )
    return fill(
        PAGE,
        title=f"Back exercise report, {period_text(figures)}",
        style=Markup(
            STYLE
            + f"@media print {{ table.week {{ font-size: {table_print_size(figures)}pt; }} }}\n"
        ),
        programme_title=programme_title,
        summary=summary(figures, book, history_starts),
        charts=charts,
        calendar=calendar(figures),
        programme=programme(figures, book, pose_figures),
        sessions=session_tables(figures),
        footer=footer,
    )
