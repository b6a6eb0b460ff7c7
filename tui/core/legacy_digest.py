"""Plan digests as older versions of backtone computed them, so that their rows still resume.

A session row keeps the digest of the plan it played, and a resume is offered only when today's
routine gives the same one. Two older ways of computing it are in rows on people's disks, and
each is reproduced here exactly, for the model as it was then: a field added to the model
since, or a level's record of its written step, must not change what they hash.

- `segments_digest`: from the first version up to ef2948c (before 7fc4781): the JSON of every
  segment's fields, the exercise and the upcoming exercise within, sorted keys, `default=str`.
- `steps_digest`: from 7fc4781 up to ddb3bfe: the JSON of every step's fields (the exercise,
  reps, sets, sides, hold and timings, but not the progression rule), compact separators.

Both hash text (a phase's name, a cue), so a legacy digest matches only a routine left exactly
as it was; `Plan.digest` (prefixed, so never mistaken for these) hashes only what is played.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tui.core.model import Exercise, Routine, Step, Timings
from tui.core.plan import Plan, Segment


def is_legacy_digest(digest: str) -> bool:
    """Both older ways gave 16 hex digits; `Plan.digest` gives a prefix before its own."""
    return len(digest) == 16 and all(c in "0123456789abcdef" for c in digest)


def legacy_digests(plan: Plan) -> tuple[str, str]:
    """The plan's digest the way each older version computed it, oldest first."""
    return segments_digest(plan), steps_digest(plan.routine)


def segments_digest(plan: Plan) -> str:
    """ef2948c's `Plan.digest`: `json.dumps([asdict(segment) ...], sort_keys=True,
    default=str)`, with the model's fields of that version (a phase had no figure yet)."""
    payload = json.dumps(
        [_segment_fields(segment) for segment in plan.segments], sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def steps_digest(routine: Routine) -> str:
    """ddb3bfe's `Plan.digest` (the way since 7fc4781): each step's `asdict` without its rule,
    so at the levels applied to hold and reps, with the model's fields of that version."""
    payload = json.dumps(
        [_step_fields(step) for step in routine.steps], sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _segment_fields(segment: Segment) -> dict[str, Any]:
    upcoming = segment.upcoming
    return {
        "index": segment.index,
        "kind": segment.kind.value,
        "label": segment.label,
        "seconds": segment.seconds,
        "step_index": segment.step_index,
        "exercise": _exercise_fields(segment.exercise, figures=False),
        "set_number": segment.set_number,
        "set_count": segment.set_count,
        "rep_number": segment.rep_number,
        "rep_count": segment.rep_count,
        "side": segment.side,
        "hold": segment.hold,
        "upcoming": None if upcoming is None else _exercise_fields(upcoming, figures=False),
    }


def _step_fields(step: Step) -> dict[str, Any]:
    return {
        "exercise": _exercise_fields(step.exercise, figures=True),
        "reps": step.reps,
        "sets": step.sets,
        "sides": list(step.sides),
        "hold": step.hold,
        "timings": _timings_fields(step.timings),
    }


def _exercise_fields(exercise: Exercise, *, figures: bool) -> dict[str, Any]:
    phases = []
    for phase in exercise.phases:
        fields: dict[str, Any] = {"name": phase.name, "seconds": phase.seconds, "hold": phase.hold}
        if figures:
            fields["figure"] = phase.figure
        phases.append(fields)
    return {
        "id": exercise.id,
        "name": exercise.name,
        "phases": phases,
        "setup": exercise.setup,
        "cues": list(exercise.cues),
        "notes": exercise.notes,
        "tags": list(exercise.tags),
    }


def _timings_fields(timings: Timings) -> dict[str, Any]:
    return {
        "prepare": timings.prepare,
        "rest": timings.rest,
        "rest_between_sets": timings.rest_between_sets,
        "rest_between_reps": timings.rest_between_reps,
        "switch_sides": timings.switch_sides,
    }
