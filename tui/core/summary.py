"""How a played session went, counted for the summary screen."""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.engine import Outcome, Session, Status
from tui.core.plan import Kind


@dataclass(frozen=True)
class Summary:
    """How a session went, for the summary screen and the history."""

    routine_name: str
    completed: bool
    active_seconds: float
    paused_seconds: float
    segments_done: int
    segments_skipped: int
    segments_total: int
    skipped_exercises: tuple[tuple[str, int], ...]  # (exercise name, work phases skipped)


def summarize(session: Session) -> Summary:
    progress = session.progress()
    skipped_by_exercise: dict[str, int] = {}
    for index, outcome in session.outcomes.items():
        segment = session.plan.segments[index]
        if outcome is Outcome.SKIPPED and segment.kind is Kind.WORK:
            name = segment.exercise.name
            skipped_by_exercise[name] = skipped_by_exercise.get(name, 0) + 1
    values = list(session.outcomes.values())
    return Summary(
        routine_name=session.plan.routine.name,
        completed=session.status is Status.FINISHED,
        active_seconds=progress.active_seconds,
        paused_seconds=progress.paused_seconds,
        segments_done=values.count(Outcome.DONE),
        segments_skipped=values.count(Outcome.SKIPPED),
        segments_total=len(session.plan.segments),
        skipped_exercises=tuple(skipped_by_exercise.items()),
    )
