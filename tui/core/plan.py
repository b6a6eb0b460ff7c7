"""A routine compiled into the flat timeline a session plays: prepare, work phases and rests."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from tui.core.model import Exercise, Routine, Step
from tui.core.timefmt import format_length

# What the digests of this version start with: older versions wrote 16 hex digits alone.
DIGEST_PREFIX = "v2:"


class Kind(StrEnum):
    PREPARE = "prepare"
    WORK = "work"
    REST = "rest"
    SWITCH = "switch"


@dataclass(frozen=True)
class Segment:
    """One stretch of the timeline with a single instruction and a single countdown."""

    index: int
    kind: Kind
    label: str
    seconds: float | None  # None: untimed, waits for the person to go on
    step_index: int
    exercise: Exercise
    set_number: int = 1
    set_count: int = 1
    rep_number: int = 1
    rep_count: int = 1
    side: str | None = None
    hold: bool = False
    upcoming: Exercise | None = None  # what a prepare or rest gets the person ready for

    @property
    def timed(self) -> bool:
        return self.seconds is not None

    @property
    def planned(self) -> float:
        return self.seconds or 0.0

    @property
    def position(self) -> str:
        """Where in the step this is, e.g. "Set 1/2 · Rep 3/10 · Left"; a get-ready or a rest
        within a step names the rep it leads to. A rest between exercises belongs to no rep:
        it showed "Rep 1/1"."""
        if self.kind is Kind.REST and self.upcoming is not self.exercise:
            return ""
        parts = []
        if self.set_count > 1:
            parts.append(f"Set {self.set_number}/{self.set_count}")
        parts.append(f"Rep {self.rep_number}/{self.rep_count}")
        if self.side:
            parts.append(self.side.capitalize())
        return " · ".join(parts)


@dataclass(frozen=True)
class Plan:
    routine: Routine
    segments: tuple[Segment, ...]

    # The session asks these on every tick: worked out once (a plan never changes).

    @cached_property
    def seconds_before(self) -> tuple[float, ...]:
        """Planned seconds before each segment, and the total last: sums of any stretch."""
        return tuple(itertools.accumulate((s.planned for s in self.segments), initial=0.0))

    @cached_property
    def timed_seconds(self) -> float:
        return self.seconds_before[-1]

    @cached_property
    def untimed_count(self) -> int:
        return sum(1 for segment in self.segments if not segment.timed)

    @property
    def exercise_count(self) -> int:
        return len(self.routine.steps)

    @cached_property
    def _step_ranges(self) -> dict[int, range]:
        starts: dict[int, int] = {}
        stops: dict[int, int] = {}
        for segment in self.segments:
            starts.setdefault(segment.step_index, segment.index)
            stops[segment.step_index] = segment.index + 1
        return {step: range(start, stops[step]) for step, start in starts.items()}

    def step_range(self, step_index: int) -> range:
        return self._step_ranges.get(step_index, range(0))

    def step_seconds(self, step_index: int) -> float:
        """Planned seconds of one step, without the rest that follows it."""
        segments = [self.segments[i] for i in self.step_range(step_index)]
        if segments and segments[-1].kind is Kind.REST and step_index < self.exercise_count - 1:
            segments.pop()
        return sum(segment.planned for segment in segments)

    def length_text(self) -> str:
        """The planned length as a person reads it: "12 min", "+ 2 untimed" when some wait."""
        return Length(self.timed_seconds, self.untimed_count).text()

    def digest(self) -> str:
        """A fingerprint of what this plan plays, to tell whether a routine changed (a resume is
        offered only when it did not): each segment's kind, exercise id, side, planned seconds
        and whether it waits for the person. Never text (a phase's name, a cue, a figure), nor
        the model's other fields: a cosmetic edit, or a new version of backtone, leaves it as it
        was. DIGEST_PREFIX tells it from the digests older versions wrote (legacy_digest)."""
        return self._digest

    @cached_property
    def _digest(self) -> str:
        # A line a segment, the side quoted so that no name runs into the next field: ~10 ms
        # for the 20,000 segments a routine may have, once a plan.
        played = "\n".join(
            [
                f"{s.kind.value}\t{s.exercise.id}\t{s.side!r}\t{float(s.planned)!r}\t{not s.timed}"
                for s in self.segments
            ]
        )
        return DIGEST_PREFIX + hashlib.sha256(played.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Length:
    """A routine's (or step's) planned length, worked out without building its timeline."""

    timed_seconds: float
    untimed_count: int = 0
    segments: int = 0  # how many segments the timeline holds: what a plan costs to build

    def __add__(self, other: Length) -> Length:
        return Length(
            self.timed_seconds + other.timed_seconds,
            self.untimed_count + other.untimed_count,
            self.segments + other.segments,
        )

    def text(self) -> str:
        text = format_length(self.timed_seconds)
        if self.untimed_count:
            text += f" + {self.untimed_count} untimed"
        return text


def _pause(seconds: float) -> float:
    return seconds if seconds > 0 else 0.0


def step_length(step: Step) -> Length:
    """What `Plan.step_seconds` would give for this step (and its untimed phases and segment
    count), by arithmetic: the picker shows every routine's length, and a 500-routine file would
    otherwise build 40,000 segments before the first frame."""
    timings = step.timings
    timed = 0.0
    untimed = 0
    for phase in step.exercise.phases:
        seconds = step.phase_seconds(phase)
        if seconds is None:
            untimed += 1
        else:
            timed += seconds
    sides = len(step.sides) or 1
    reps_per_set = step.reps * timed + (step.reps - 1) * _pause(timings.rest_between_reps)
    per_side = step.sets * reps_per_set + (step.sets - 1) * _pause(timings.rest_between_sets)
    seconds = (
        _pause(timings.prepare) + sides * per_side + (sides - 1) * _pause(timings.switch_sides)
    )
    segments_per_set = step.reps * len(step.exercise.phases) + (step.reps - 1) * _is_pause(
        timings.rest_between_reps
    )
    segments_per_side = step.sets * segments_per_set + (step.sets - 1) * _is_pause(
        timings.rest_between_sets
    )
    segments = (
        _is_pause(timings.prepare)
        + sides * segments_per_side
        + (sides - 1) * _is_pause(timings.switch_sides)
    )
    return Length(seconds, untimed * step.reps * step.sets * sides, segments)


def _is_pause(seconds: float) -> int:
    """1 when a pause of this length is a segment of the timeline (0 s is no pause at all)."""
    return 1 if seconds > 0 else 0


def routine_length(routine: Routine) -> Length:
    """The planned length of the whole routine: `build_plan(routine)`'s totals."""
    # Summed in plain numbers, in the plan's order: the loader works this out for every routine
    # of a file (to refuse one too long to play), and a file may hold 20,000 of them.
    seconds, untimed, segments = 0.0, 0, 0
    previous: Step | None = None
    for step in routine.steps:
        if previous is not None and previous.timings.rest > 0:
            seconds += previous.timings.rest
            segments += 1
        length = step_length(step)
        seconds += length.timed_seconds
        untimed += length.untimed_count
        segments += length.segments
        previous = step
    return Length(seconds, untimed, segments)


def build_plan(routine: Routine) -> Plan:
    timeline = _Timeline()
    for step_index, step in enumerate(routine.steps):
        if step_index > 0:
            previous = routine.steps[step_index - 1]
            timeline.add(
                Kind.REST,
                "Rest",
                previous.timings.rest,
                step_index - 1,
                exercise=previous.exercise,
                upcoming=step.exercise,
            )
        timeline.add(
            Kind.PREPARE,
            "Get ready",
            step.timings.prepare,
            step_index,
            exercise=step.exercise,
            upcoming=step.exercise,
            side=step.sides[0] if step.sides else None,
            set_count=step.sets,
            rep_count=step.reps,
        )
        timeline.add_step(step, step_index)
    return Plan(routine, tuple(timeline.segments))


class _Timeline:
    def __init__(self) -> None:
        self.segments: list[Segment] = []

    def add(
        self, kind: Kind, label: str, seconds: float | None, step_index: int, **where: Any
    ) -> None:
        if kind is not Kind.WORK and seconds is not None and seconds <= 0:
            return  # a pause of 0 s is no pause at all
        self.segments.append(Segment(len(self.segments), kind, label, seconds, step_index, **where))

    def add_step(self, step: Step, step_index: int) -> None:
        exercise = step.exercise
        sides: tuple[str | None, ...] = step.sides or (None,)
        counts = {"exercise": exercise, "set_count": step.sets, "rep_count": step.reps}
        for side_number, side in enumerate(sides):
            if side_number > 0:
                self.add(
                    Kind.SWITCH,
                    f"Switch to the {side} side",
                    step.timings.switch_sides,
                    step_index,
                    side=side,
                    upcoming=exercise,
                    **counts,
                )
            for set_number in range(1, step.sets + 1):
                if set_number > 1:
                    self.add(
                        Kind.REST,
                        "Rest between sets",
                        step.timings.rest_between_sets,
                        step_index,
                        side=side,
                        set_number=set_number,
                        upcoming=exercise,
                        **counts,
                    )
                for rep_number in range(1, step.reps + 1):
                    if rep_number > 1:
                        self.add(
                            Kind.REST,
                            "Rest between reps",
                            step.timings.rest_between_reps,
                            step_index,
                            side=side,
                            set_number=set_number,
                            rep_number=rep_number,
                            upcoming=exercise,
                            **counts,
                        )
                    for phase in exercise.phases:
                        self.add(
                            Kind.WORK,
                            phase.name,
                            step.phase_seconds(phase),
                            step_index,
                            side=side,
                            set_number=set_number,
                            rep_number=rep_number,
                            hold=phase.hold,
                            **counts,
                        )
