"""The table of sessions: a table a week, each session with its time, its pain, and remarks
(how it ended, what was skipped, a new programme version or a hand edit, the person's note).
"""

from __future__ import annotations

from datetime import date

from tui.core.adherence import ReportFigures, ReportSession, monday_of
from tui.report.charts import short_date
from tui.report.markup import Markup, fill, join
from tui.report.sections import plural


def session_tables(figures: ReportFigures) -> Markup:
    """A table a week, in two columns when printed."""
    if not figures.sessions:
        return Markup()
    named = len({session.routine_name for session in figures.sessions}) > 1
    edits = {edit.session.id for edit in figures.hand_edits}
    starts = {(v.version, v.first_played) for v in figures.versions}
    weeks: dict[date, list[ReportSession]] = {}
    for session in figures.sessions:
        weeks.setdefault(monday_of(session.day), []).append(session)
    by_week = {week.week_start: week for week in figures.weeks}
    tables = []
    seen_versions: set[str] = set()
    for monday, sessions in weeks.items():
        week = by_week[monday]
        rows = []
        for session in sessions:
            remarks = _remarks(session, session.id in edits, starts, seen_versions)
            rows.append(_session_row(session, named, remarks))
        head = '<th class="routine">Routine</th>' if named else ""
        tables.append(
            fill(
                '<table class="week"><caption>Week of {week}: {sessions}, {minutes} min'
                '</caption><thead><tr><th class="day">Day</th>{head}<th class="n">Min</th>'
                '<th class="pain">Pain</th>'
                "<th>Remarks</th></tr></thead><tbody>{rows}</tbody></table>",
                week=short_date(monday),
                sessions=plural(week.sessions, "session"),
                minutes=round(week.minutes),
                head=Markup(head),
                rows=join(rows),
            )
        )
    return fill(
        '<section class="sessions"><h2>Sessions</h2><div class="weeks">{tables}</div></section>',
        tables=join(tables),
    )


def _session_row(session: ReportSession, named: bool, remarks: Markup) -> Markup:
    routine = (
        fill('<td class="routine">{name}</td>', name=session.routine_name) if named else Markup()
    )
    return fill(
        '<tr class="{kind}"><td class="day">{day} {time}</td>{routine}<td class="n">{minutes}'
        '</td><td class="pain">{pain}</td><td>{remarks}</td></tr>',
        kind="rose" if session.pain_rose else "",
        day=short_date(session.day),
        time=session.started_at.strftime("%H:%M"),
        routine=routine,
        minutes=round(session.active_seconds / 60),
        pain=_pain_cell(session),
        remarks=remarks,
    )


def _pain_cell(session: ReportSession) -> Markup:
    before, after = session.pain_before, session.pain_after
    if before is None and after is None:
        return Markup("–")
    shown = fill(
        "{before}→{after}",
        before="?" if before is None else before,
        after="?" if after is None else after,
    )
    if session.pain_rose:
        return fill(
            '{shown} <span class="rise-mark">▲ +{change}</span>',
            shown=shown,
            change=session.pain_change,
        )
    return shown


STATUS_WORDS = {"stopped": "stopped", "interrupted": "interrupted", "active": "not finished"}


def _remarks(
    session: ReportSession,
    edited: bool,
    version_starts: set[tuple[str, date]],
    seen_versions: set[str],
) -> Markup:
    parts: list[Markup] = []
    version = session.program_version
    if (
        version is not None
        and version not in seen_versions
        and (version, session.day) in version_starts
    ):
        parts.append(fill('<span class="mark">version {version} starts</span>', version=version))
    if version is not None:
        seen_versions.add(version)
    if edited:
        parts.append(Markup('<span class="mark">routine changed</span>'))
    if session.status in STATUS_WORDS:
        done = (
            round(session.segments_done / session.segments_total * 100)
            if session.segments_total
            else 0
        )
        parts.append(fill("{status} at {done} %", status=STATUS_WORDS[session.status], done=done))
    if session.skipped:
        skipped = ", ".join(
            name if count == 1 else f"{name} ×{count}" for name, count in session.skipped
        )
        parts.append(fill("skipped {skipped}", skipped=skipped))
    if session.note:
        parts.append(fill('<span class="note">{note}</span>', note=session.note))
    return join(parts, "; ")
