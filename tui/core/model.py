"""The routine model: frozen dataclasses for exercises, steps and routines, and RoutineError."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Literal

# Shown apart at the first get-ready of every session; a file that gives no caution of its own
# (a schema 1 file, say) gets this one, so that no session starts without one.
DEFAULT_CAUTION = (
    "Stop if the pain grows. Ask a physiotherapist or doctor about back pain that persists."
)


class RoutineError(Exception):
    """A routine file that cannot be used, with every problem found in it."""

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems: tuple[str, ...] = tuple(problems) or (f"{source}: unusable routine file",)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Timings:
    """Seconds of the pauses around exercises; each may be overridden per routine and step."""

    prepare: float = 5.0
    rest: float = 15.0
    rest_between_sets: float = 20.0
    rest_between_reps: float = 0.0
    switch_sides: float = 5.0


TIMING_KEYS = tuple(f.name for f in fields(Timings))


@dataclass(frozen=True)
class Phase:
    name: str
    seconds: float | None = None  # None: untimed, the session waits for the person
    hold: bool = False
    figure: str = ""  # a small ASCII side view of the position; "" when the file gives none
    pose: str = ""  # a name from tui.core.poses.POSE_NAMES (schema 3); never given with a figure


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    phases: tuple[Phase, ...]
    setup: str = ""
    cues: tuple[str, ...] = ()
    notes: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Progression:
    """A step's rule for raising its hold or reps: by `step` after every `every` full sessions,
    up to `maximum`. The level reached is worked out from the history (tui.core.progression)."""

    key: Literal["hold", "reps"]
    maximum: float
    step: float
    every: int


@dataclass(frozen=True)
class Step:
    exercise: Exercise
    reps: int = 1
    sets: int = 1
    sides: tuple[str, ...] = ()
    hold: float | None = None
    timings: Timings = field(default_factory=Timings)
    progress: Progression | None = None

    def phase_seconds(self, phase: Phase) -> float | None:
        """The phase's length in this step: a step's `hold` replaces every hold phase's."""
        if phase.hold and self.hold is not None:
            return self.hold
        return phase.seconds


@dataclass(frozen=True)
class Routine:
    id: str
    name: str
    steps: tuple[Step, ...]
    description: str = ""
    timings: Timings = field(default_factory=Timings)
    caution: str = DEFAULT_CAUTION
    per_week: int | None = None  # the prescribed sessions a week (schema 3), None when not given


@dataclass(frozen=True)
class Program:
    """Who prescribed the routine file, and which version of it this is: schema 3's [program]
    table, for the history and the physiotherapist's report to name what was followed."""

    title: str
    by: str = ""
    version: str = ""
    issued: date | None = None
    review: date | None = None  # never before `issued`
    note: str = ""


@dataclass(frozen=True)
class RoutineBook:
    source: str
    exercises: Mapping[str, Exercise]
    routines: tuple[Routine, ...]
    schema: int = 1  # the schema the file declared, for `backtone check` to name
    program: Program | None = None  # None when the file has no [program] table

    def routine(self, routine_id: str) -> Routine:
        for routine in self.routines:
            if routine.id == routine_id:
                return routine
        raise KeyError(routine_id)

    def suggest(self, routine_id: str) -> str | None:
        return closest_match(routine_id, [r.id for r in self.routines])


def closest_match(word: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None
