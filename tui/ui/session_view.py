"""What the session screen shows at one moment, as plain data worked out from the engine.

The screen compares a new view with the last one field by field and touches only the widgets
whose field changed: over SSH every redraw costs bytes. Nothing here imports Textual, so the
texts are tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from tui.core.checks import CAUTION_ROWS, wrapped_line_count
from tui.core.engine import Progress, Session
from tui.core.figure import mirror
from tui.core.model import Phase
from tui.core.plan import Kind, Plan, Segment
from tui.core.timefmt import format_clock, format_duration


def countdown_text(remaining: float | None) -> str:
    if remaining is None:
        return "--"
    clock = format_clock(remaining)
    return clock[2:].lstrip("0") or "0" if clock.startswith("0:") else clock


def guidance_text(segment: Segment) -> str:
    exercise = segment.upcoming or segment.exercise
    lines: list[str] = []
    if segment.kind is Kind.WORK:
        lines += [f"• {cue}" for cue in exercise.cues]
        if exercise.setup and not exercise.cues:
            lines.append(exercise.setup)
    else:
        if segment.kind is Kind.REST and segment.upcoming is not segment.exercise:
            lines.append(f"Next exercise: {exercise.name}")
        if exercise.setup:
            lines.append(exercise.setup)
        if exercise.notes and segment.kind is Kind.PREPARE:
            lines.append(exercise.notes)
    return "\n".join(lines)


def next_text(session: Session) -> str:
    segments = session.plan.segments
    if session.index + 1 >= len(segments):
        return "Next: the end. Last one!"
    upcoming = segments[session.index + 1]
    length = "when ready" if upcoming.seconds is None else f"{upcoming.seconds:g} s"
    if upcoming.kind is Kind.WORK and upcoming.exercise is not session.segment.exercise:
        return f"Next: {upcoming.exercise.name}: {upcoming.label} ({length})"
    if upcoming.kind is Kind.REST and upcoming.upcoming is not upcoming.exercise:
        assert upcoming.upcoming is not None
        return f"Next: rest {length}, then {upcoming.upcoming.name}"
    return f"Next: {upcoming.label} ({length})"


def heading_text(segment: Segment) -> str:
    if segment.kind is Kind.PREPARE:
        return f"Get ready: {segment.exercise.name}"
    if segment.kind is Kind.REST and segment.upcoming is not segment.exercise:
        return f"Rest, then {segment.upcoming.name if segment.upcoming else 'the end'}"
    return segment.exercise.name


def state_text(session: Session, go_key: str = "Space") -> str:
    """`go_key`: the key that pauses, resumes and goes on, as the person's [keys] have it."""
    if session.paused:
        return f"PAUSED · {go_key} resumes"
    if session.waiting:
        return f"Press {go_key} when ready"
    if session.segment.hold:
        return "Hold"
    return ""


def times_text(session: Session, progress: Progress) -> str:
    times = (
        f"Elapsed {format_duration(progress.active_seconds)} · "
        f"Left {format_clock(progress.session_remaining)}"
    )
    if session.plan.untimed_count:
        times += " + untimed"
    return times


def current_phase(plan: Plan, segment: Segment) -> Phase | None:
    """The phase a work segment plays; for a get-ready, a rest or a switch, the first phase
    of the exercise coming up, whose position the person is getting into."""
    if segment.kind is not Kind.WORK:
        exercise = segment.upcoming or segment.exercise
        return exercise.phases[0] if exercise.phases else None
    first = segment.index
    while first > 0 and _same_rep(plan.segments[first - 1], segment):
        first -= 1
    phases = segment.exercise.phases
    return phases[segment.index - first] if segment.index - first < len(phases) else None


def _same_rep(other: Segment, segment: Segment) -> bool:
    return other.kind is Kind.WORK and (
        other.step_index,
        other.set_number,
        other.rep_number,
        other.side,
    ) == (segment.step_index, segment.set_number, segment.rep_number, segment.side)


def second_side(plan: Plan, segment: Segment) -> bool:
    """Whether this is the second side of a one-sided step: its picture is the mirror image."""
    if segment.side is None:
        return False
    sides = plan.routine.steps[segment.step_index].sides
    return segment.side in sides and sides.index(segment.side) % 2 == 1


def figure_text(plan: Plan, segment: Segment) -> str:
    """The hand-drawn figure to show now ("" for none), mirrored on the second side."""
    phase = current_phase(plan, segment)
    figure = (phase.figure or "") if phase is not None else ""
    return mirror(figure) if figure and second_side(plan, segment) else figure


def pose_name(plan: Plan, segment: Segment) -> str:
    """The library pose to draw now ("" for none); `second_side` says whether mirrored."""
    phase = current_phase(plan, segment)
    return phase.pose if phase is not None else ""


def big_state_text(session: Session) -> str:
    """The state in the big font, for the person two metres away: paused or not first."""
    segment = session.segment
    if session.paused:
        return "PAUSED"
    if session.waiting:
        return "READY?"
    if segment.kind is Kind.PREPARE:
        return "GET READY"
    if segment.kind is Kind.SWITCH:
        return "SWITCH"
    if segment.kind is Kind.REST:
        return "REST"
    return "HOLD" if segment.hold else ""


def big_rep_text(segment: Segment) -> str:
    """Which rep of how many ("4/12"); "" where there is one rep, or none (a rest between
    exercises belongs to no rep)."""
    if not segment.position or segment.rep_count < 2:
        return ""
    return f"{segment.rep_number}/{segment.rep_count}"


def quantize(fraction: float, cells: int) -> float:
    """Round to a bar's half cells, so a bar only redraws when a cell changes. A bar with no
    width yet (hidden while the caution shows) keeps the exact fraction, to draw it right
    the moment it is laid out."""
    if cells <= 0:
        return fraction
    steps = cells * 2
    return round(fraction * steps) / steps


@dataclass(frozen=True)
class BarCells:
    """How many cells wide each bar is: the view rounds each fraction to its bar's cells."""

    phase: int = 1
    exercise: int = 1
    session: int = 1


@dataclass(frozen=True)
class SessionView:
    """Every text and bar value the screen shows; field names are the widgets' ids."""

    heading: str
    position: str
    phase_name: str
    countdown: str
    state: str
    times: str
    guidance: str
    next_up: str
    figure: str
    pose: str
    pose_mirrored: bool
    big_state: str
    big_rep: str
    caution: str
    phase_bar: float
    exercise_bar: float
    session_bar: float

    def changed_fields(self, before: SessionView | None) -> list[str]:
        """The fields whose value differs from `before` (all of them when there is none)."""
        return [
            field.name
            for field in fields(self)
            if before is None or getattr(self, field.name) != getattr(before, field.name)
        ]


def session_view(
    session: Session, cells: BarCells, caution_at: int | None = None, go_key: str = "Space"
) -> SessionView:
    """The view now; the routine's caution shows while segment `caution_at` plays (the
    session's first get-ready, or the segment a resumed session starts from)."""
    progress = session.progress()
    segment = progress.segment
    return SessionView(
        heading=heading_text(segment),
        position=segment.position,
        phase_name=segment.label,
        countdown=countdown_text(progress.remaining),
        state=state_text(session, go_key),
        times=times_text(session, progress),
        guidance=guidance_text(segment),
        next_up=next_text(session),
        figure=figure_text(session.plan, segment),
        pose=pose_name(session.plan, segment),
        pose_mirrored=second_side(session.plan, segment),
        big_state=big_state_text(session),
        big_rep=big_rep_text(segment),
        caution=session.plan.routine.caution if session.index == caution_at else "",
        phase_bar=quantize(progress.phase, cells.phase),
        exercise_bar=quantize(progress.exercise, cells.exercise),
        session_bar=quantize(progress.session, cells.session),
    )


# The session screen's rows around the caution at its smallest (the exercise line, the phase,
# the smallest countdown, the Footer), and the columns its border and padding take.
ROWS_BESIDE_CAUTION = 7
CAUTION_CHROME_COLUMNS = 3
NO_CAUTION_BELOW_ROWS = 10  # there only the phase and the countdown are drawn
BODY_MAX_COLUMNS = 100


def caution_fits(caution: str, width: int, height: int) -> bool:
    """Whether the caution shows whole at the get-ready on a screen of this size. Where it
    does not, the get-ready waits for Space with the caution in the clock's place: a safety
    text is never cut without a mark."""
    if height < NO_CAUTION_BELOW_ROWS:
        return False
    body = min(width, BODY_MAX_COLUMNS) - (2 if height < 20 else 4)
    room = min(CAUTION_ROWS, height - ROWS_BESIDE_CAUTION)
    return wrapped_line_count(caution, max(1, body - CAUTION_CHROME_COLUMNS)) <= room
