"""The report's words: the summary, and the programme with its versions.

Plain statements of what the history holds. The 0-10 scale's usual mark for a change that
matters is named beside the pain figures; there is no diagnosis, and no advice beyond the
routine's own caution, quoted as the file gives it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from tui.core.adherence import (
    MATTERS_PERCENT,
    MATTERS_POINTS,
    PAIN_RISE,
    HandEdit,
    PainChange,
    ReportFigures,
)
from tui.core.model import Exercise, Routine, RoutineBook, Step
from tui.report.charts import long_date, short_date
from tui.report.markup import Markup, fill, join

# The hook for the pose figures: the exercises shown, in order, to one SVG document each (or
# "" for an exercise without one). Its SVG is put in the page as it is: it must come from
# backtone's own drawing code, never from text in a file.
PoseFigures = Callable[[Sequence[Exercise]], Sequence[str]]

RISES_LISTED = 8  # the days of pain rises the summary names; more are counted


def _number(value: float, places: int = 1) -> str:
    shown = f"{value:.{places}f}"
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def period_text(figures: ReportFigures) -> str:
    period = figures.period
    if period.days % 7 == 0 and period.start.weekday() == 0:
        length = plural(period.days // 7, "week")
    elif period.start.weekday() == 0:
        length = f"{len(period.week_starts())} calendar weeks, {period.days} days"
    else:
        length = plural(period.days, "day")
    return f"{long_date(period.start)} to {long_date(period.end)} ({length})"


# -- the summary ------------------------------------------------------------------------------


def summary(figures: ReportFigures, book: RoutineBook | None, first_day: date | None) -> Markup:
    items = [
        fill(
            '<li id="period"><b>Period:</b> {period}{start}.</li>',
            period=period_text(figures),
            start=_history_start(figures, first_day),
        ),
        fill(
            '<li id="sessions"><b>Sessions:</b> {sessions} ({per_week} a week), {minutes} min'
            " in all ({minutes_week} min a week).</li>",
            sessions=figures.practised,
            per_week=_number(figures.sessions_per_week),
            minutes=round(figures.minutes),
            minutes_week=round(figures.minutes_per_week),
        ),
        _adherence(figures, book),
        fill(
            '<li id="recent"><b>Days practised in the last 30:</b> {days} of 30.</li>',
            days=figures.days_practised_recent,
        ),
        fill(
            '<li id="pain"><b>Pain before sessions</b> (median, 0–10): {text}</li>',
            text=pain_text(figures.pain_change),
        ),
        _rises(figures),
    ]
    note = fill(
        '<p class="scale-note">On the 0–10 pain scale a change of {points} points, or of'
        " {percent} %, is usually taken as the smallest change that matters to the person."
        " This report describes the sessions recorded; it is not a diagnosis.</p>",
        points=_number(MATTERS_POINTS),
        percent=_number(MATTERS_PERCENT),
    )
    return fill(
        '<section class="summary"><h2>Summary</h2><ul>{items}</ul>{note}{cautions}</section>',
        items=join(items),
        note=note,
        cautions=_cautions(figures, book),
    )


def _history_start(figures: ReportFigures, first_day: date | None) -> str:
    if first_day is None:
        return "; no sessions recorded yet"
    if first_day > figures.period.start:
        return f"; the history starts on {long_date(first_day)}"
    return ""


def _adherence(figures: ReportFigures, book: RoutineBook | None) -> Markup:
    if not figures.adherence:
        why = (
            "the routine file could not be read"
            if book is None
            else "the routine file sets no weekly dose (per_week)"
        )
        return fill('<li id="adherence"><b>Against the dose:</b> {why}.</li>', why=why)
    parts = []
    for entry in figures.adherence:
        since = (
            f", since the programme was issued on {long_date(entry.from_day)}"
            if entry.from_day > figures.period.start
            else ""
        )
        parts.append(
            fill(
                '<li class="adherence"><b>{name}:</b> {done} sessions a week of {dose}'
                " prescribed ({percent} %; {sessions} in all{since}).</li>",
                name=entry.prescription.routine_name,
                done=_number(entry.per_week),
                dose=entry.prescription.per_week,
                percent=round(entry.percent),
                sessions=entry.sessions,
                since=since,
            )
        )
    return join(parts)


def pain_text(change: PainChange) -> str:
    if not change.comparable:
        return "the period is shorter than four weeks, too short to compare its first two"
    if change.first is None or change.last is None:
        return (
            f"not enough check-ins to compare the first two weeks ({change.first_count})"
            f" with the last two ({change.last_count})."
        )
    points = change.points
    assert points is not None
    first = (
        f"{_number(change.first)} in the first two weeks ({plural(change.first_count, 'check-in')})"
    )
    last = f"{_number(change.last)} in the last two ({plural(change.last_count, 'check-in')})"
    if points == 0:
        return f"{first}, {last}: no change."
    direction = "lower" if points < 0 else "higher"
    percent = change.percent
    share = "" if percent is None else f" ({_number(percent, 0)} %)"
    mark = (
        "at or past the usual mark for a change that matters"
        if change.matters
        else "less than the usual mark for a change that matters"
    )
    return f"{first}, {last}: {_number(abs(points))} points {direction}{share}, {mark}."


def _rises(figures: ReportFigures) -> Markup:
    rises = figures.pain_rises
    if not rises:
        return fill(
            '<li id="rises"><b>Pain rises:</b> no session ended {rise} points or more up.</li>',
            rise=PAIN_RISE,
        )
    days = ", ".join(short_date(session.day) for session in rises[:RISES_LISTED])
    more = f" and {len(rises) - RISES_LISTED} more" if len(rises) > RISES_LISTED else ""
    return fill(
        '<li id="rises"><b>Pain rises:</b> pain rose by {rise} points or more after'
        ' {count} ({days}{more}); marked <span class="rise-mark">▲</span> in the chart and the'
        " table.</li>",
        rise=PAIN_RISE,
        count=plural(len(rises), "session"),
        days=days,
        more=more,
    )


def _routines_of(figures: ReportFigures, book: RoutineBook | None) -> list[Routine]:
    """The routines the report is about: those played in the period, then those prescribed."""
    if book is None:
        return []
    played = {session.routine_id for session in figures.sessions}
    dosed = {entry.prescription.routine_id for entry in figures.adherence}
    return [r for r in book.routines if r.id in played or r.id in dosed]


def _cautions(figures: ReportFigures, book: RoutineBook | None) -> Markup:
    cautions: list[str] = []
    for routine in _routines_of(figures, book):
        if routine.caution and routine.caution not in cautions:
            cautions.append(routine.caution)
    if not cautions:
        return Markup()
    label = "The routine's caution" if len(cautions) == 1 else "The routines' cautions"
    return fill(
        '<p class="caution"><b>{label}:</b> {cautions}</p>',
        label=label,
        cautions=join([fill("“{text}” ", text=caution) for caution in cautions]),
    )


# -- the programme ----------------------------------------------------------------------------


def programme(
    figures: ReportFigures, book: RoutineBook | None, pose_figures: PoseFigures | None
) -> Markup:
    parts = [Markup("<h2>Programme</h2>")]
    program = book.program if book is not None else None
    if book is None:
        parts.append(Markup("<p>The routine file could not be read.</p>"))
    elif program is None:
        parts.append(Markup("<p>The routine file names no programme ([program]).</p>"))
    else:
        facts = [fill("<b>{title}</b>", title=program.title)]
        if program.by:
            facts.append(fill("by {by}", by=program.by))
        if program.version:
            facts.append(fill("version {version}", version=program.version))
        if program.issued is not None:
            facts.append(fill("issued {day}", day=long_date(program.issued)))
        if program.review is not None:
            facts.append(fill("review {day}", day=long_date(program.review)))
        parts.append(fill("<p>{facts}</p>", facts=join(facts, ", ")))
        if program.note:
            parts.append(fill('<p class="note">{note}</p>', note=program.note))
    routines = _routines_of(figures, book)
    if routines:
        parts.append(
            fill(
                '<ul class="routines">{items}</ul>', items=join(_routine_line(r) for r in routines)
            )
        )
        if pose_figures is not None:
            parts.append(_poses(routines, pose_figures))
    parts.append(_versions(figures, program.version if program else ""))
    return fill('<section class="programme">{body}</section>', body=join(parts))


def _routine_line(routine: Routine) -> Markup:
    dose = f" ({routine.per_week} a week)" if routine.per_week else ""
    return fill(
        "<li><b>{name}</b>{dose}: {steps}</li>",
        name=routine.name,
        dose=dose,
        steps="; ".join(_step_text(step) for step in routine.steps),
    )


def _step_text(step: Step) -> str:
    amount = f"{step.reps} reps" if step.sets == 1 else f"{step.sets} sets of {step.reps} reps"
    text = f"{step.exercise.name} {amount}"
    if step.hold is not None:
        text += f", hold {_number(step.hold)} s"
    if step.sides:
        text += f", each side ({', '.join(step.sides)})"
    if step.progress is not None:
        unit = " s" if step.progress.key == "hold" else ""
        text += f", {step.progress.key} rising to {_number(step.progress.maximum)}{unit}"
    return text


def exercise_poses(exercises: Sequence[Exercise]) -> list[str]:
    """Each exercise's positions as inline SVG, as the session draws them: one figure a phase
    that names a library pose (hand-drawn ASCII figures are left to the routine file)."""
    from tui.core.poses import pose_svg

    return [
        "".join(
            pose_svg(phase.pose, height=72.0, label=phase.name)
            for phase in exercise.phases
            if phase.pose
        )
        for exercise in exercises
    ]


def _poses(routines: Sequence[Routine], pose_figures: PoseFigures) -> Markup:
    exercises: list[Exercise] = []
    for routine in routines:
        for step in routine.steps:
            if step.exercise not in exercises:
                exercises.append(step.exercise)
    drawings = pose_figures(exercises)
    cells = [
        fill(
            '<figure class="pose">{drawing}<figcaption>{name}</figcaption></figure>',
            drawing=Markup(drawing),
            name=exercise.name,
        )
        for exercise, drawing in zip(exercises, drawings, strict=False)
        if drawing
    ]
    return fill('<div class="poses">{cells}</div>', cells=join(cells)) if cells else Markup()


def _versions(figures: ReportFigures, current: str) -> Markup:
    if not figures.versions and not figures.hand_edits:
        return Markup(
            '<p class="versions">No programme version is recorded with these sessions.</p>'
        )
    rows = [
        fill(
            '<tr><td>{version}{now}</td><td>{day}</td><td class="n">{sessions}</td></tr>',
            version=version.version,
            now=" (the file's now)" if version.version == current else "",
            day=long_date(version.first_played),
            sessions=version.sessions,
        )
        for version in figures.versions
    ]
    table = (
        fill(
            '<table class="versions"><thead><tr><th>Version</th><th>First played</th>'
            '<th class="n">Sessions in the period</th></tr></thead><tbody>{rows}</tbody></table>',
            rows=join(rows),
        )
        if rows
        else Markup()
    )
    edits = [_edit_line(edit) for edit in figures.hand_edits]
    edited = (
        fill(
            '<p class="edits"><b>Changed without a new version:</b> {edits}.</p>',
            edits=join(edits, "; "),
        )
        if edits
        else Markup()
    )
    return join([table, edited])


def _edit_line(edit: HandEdit) -> Markup:
    version = f" (version {edit.version})" if edit.version else ""
    return fill(
        "{routine}{version} from {day}",
        routine=edit.session.routine_name,
        version=version,
        day=long_date(edit.session.day),
    )
