"""Progression: a step's hold or reps rising with the sessions done in full, worked out from
the history and never written back to the routine file.

The rule, for a step with `progress = { hold = 10, step = 1, every = 2 }` and `hold = 5`: the
hold starts at 5 s and rises by 1 s after every 2 sessions of the routine in which this step was
done in full, and stops at 10 s. A session whose pain rose by 2 or more points never counts, and
it also starts the count again from zero: after a flare-up the person has to show `every` good
sessions again before the dose goes up. A session in which the step was not done in full neither
counts nor resets (people stop early for reasons that have nothing to do with their back).

Everything here is a pure function of the rule, the start value and the sessions, so the same
history always gives the same levels; the levels used are stored with a session, and a resumed
session applies those stored levels rather than working them out again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from tui.core.checks import Checks, join
from tui.core.model import Progression, Routine, Step


@dataclass(frozen=True)
class PastSession:
    """One earlier session of a routine, as progression reads it (oldest first in a list)."""

    full_steps: frozenset[int]  # indexes of the steps whose every work phase was done
    pain_before: int | None = None
    pain_after: int | None = None

    @property
    def pain_rose(self) -> bool:
        """Pain after the session 2 or more points above pain before it."""
        if self.pain_before is None or self.pain_after is None:
            return False
        return self.pain_after - self.pain_before >= 2


@dataclass(frozen=True)
class Level:
    """Where a step stands on its rule."""

    value: float  # the hold (seconds) or reps to play now
    maximum: float
    sessions_to_next: int | None  # full sessions still needed before the next rise; None at top

    @property
    def at_maximum(self) -> bool:
        return self.sessions_to_next is None


def start_value(step: Step) -> float | None:
    """What a step's rule starts from: its reps, or its hold (the step's `hold`, else the one
    length its hold phases share). None when the rule has nothing to start from."""
    if step.progress is None:
        return None
    if step.progress.key == "reps":
        return float(step.reps)
    if step.hold is not None:
        return step.hold
    lengths = {phase.seconds for phase in step.exercise.phases if phase.hold}
    if len(lengths) != 1:
        return None  # no hold phase, or several of different lengths: no single start
    (length,) = lengths
    return length


def level(
    rule: Progression, start: float, step_index: int, history: Sequence[PastSession]
) -> Level:
    """The level a step has reached after `history` (oldest first)."""
    rises = 0
    count = 0  # full sessions since the last rise or pain jump
    for session in history:
        if session.pain_rose:
            count = 0
        elif step_index in session.full_steps:
            count += 1
            if count == rule.every:
                rises += 1
                count = 0
    # By multiplication rather than repeated addition: 0.1 s steps must not drift.
    value = min(rule.maximum, start + rises * rule.step)
    if value >= rule.maximum:
        return Level(rule.maximum, rule.maximum, None)
    return Level(value, rule.maximum, rule.every - count)


def levels_for(routine: Routine, history: Sequence[PastSession]) -> dict[int, Level]:
    """Every step with a rule, by step index, at the level the history has brought it to."""
    result: dict[int, Level] = {}
    for index, step in enumerate(routine.steps):
        start = start_value(step)
        if step.progress is not None and start is not None:
            result[index] = level(step.progress, start, index, history)
    return result


def level_values(levels: Mapping[int, Level]) -> dict[int, float]:
    """The plain step index → value mapping that is stored with a session."""
    return {index: step_level.value for index, step_level in levels.items()}


def apply_levels(routine: Routine, levels: Mapping[int, float]) -> Routine:
    """The routine to plan: each step with a rule plays the level given for it.

    A value is kept within the rule's range (stored levels come from a database, and a plan must
    stay playable whatever it holds); indexes of steps without a rule are ignored. A level equal
    to the start value leaves the step as written, so its plan and digest are the routine's own.
    """
    steps = list(routine.steps)
    for index, value in levels.items():
        if not 0 <= index < len(steps):
            continue
        step = steps[index]
        start = start_value(step)
        if step.progress is None or start is None:
            continue
        value = min(max(value, start), step.progress.maximum)
        if value == start:
            continue
        if step.progress.key == "reps":
            steps[index] = replace(step, reps=int(value))
        else:
            steps[index] = replace(step, hold=value)
    return replace(routine, steps=tuple(steps))


def level_text(step: Step, step_level: Level) -> str:
    """How the Routines screen shows a step on its rule:
    "Egg 10 × hold 7 s (rising to 10 s: 1 more full session)"."""
    rule = step.progress
    if rule is None:
        return step.exercise.name
    reps = int(step_level.value) if rule.key == "reps" else step.reps
    dose = f"{step.sets} × {reps}" if step.sets > 1 else str(reps)
    hold = step_level.value if rule.key == "hold" else step.hold
    text = f"{step.exercise.name} {dose}"
    text += f" × hold {hold:g} s" if hold is not None else " reps"
    top = f"{rule.maximum:g} s" if rule.key == "hold" else f"{rule.maximum:g} reps"
    if step_level.sessions_to_next is None:
        return f"{text} (at its top: {top})"
    more = step_level.sessions_to_next
    return f"{text} (rising to {top}: {more} more full session{'s' if more != 1 else ''})"


def read_rule(
    checks: Checks, step: Step, value: Any, path: str, reps_written: bool
) -> Progression | None:
    """A step's `progress` table as a rule, or None with the problems recorded in `checks`.
    A rule names one value to raise and its top (`hold` or `reps`), a `step` above 0, and
    `every` of at least 1 session; it only raises, from a value the step has."""
    table = checks.table(value, path)
    if table is None:
        return None
    before = checks.problem_count
    checks.check_keys(table, path, ["hold", "reps", "step", "every"])
    targets: list[Literal["hold", "reps"]] = [key for key in ("hold", "reps") if key in table]
    if len(targets) != 1:
        problem = (
            "raises one thing: give `hold` or `reps`, not both"
            if targets
            else "needs the value to rise to: `hold = N` (seconds) or `reps = N`"
        )
        checks.fail(path, problem)
        return None
    (key,) = targets
    read = checks.seconds if key == "hold" else checks.whole
    maximum, step_by = read(table, key, path), read(table, "step", path)
    every = checks.whole(table, "every", path)
    for name, example in (
        ("step", "how much to add each time, like `step = 1`"),
        ("every", "after how many full sessions, like `every = 2`"),
    ):
        if name not in table:
            checks.fail(join(path, name), f"is required: {example}")
    if maximum is None or step_by is None or every is None or checks.problem_count > before:
        return None
    rule = Progression(key, float(maximum), float(step_by), every)
    return rule if _rule_applies(checks, step, rule, join(path, key), reps_written) else None


def _rule_applies(
    checks: Checks, step: Step, rule: Progression, where: str, reps_written: bool
) -> bool:
    """Whether the step has a value for the rule to raise, and the rule raises it."""
    start = start_value(replace(step, progress=rule))
    if rule.key == "hold" and not any(phase.hold for phase in step.exercise.phases):
        problem = f"exercise {step.exercise.id!r} has no phase marked `hold = true` to raise"
    elif start is None:
        problem = "the step needs `hold = N` to start from (its hold phases have no single length)"
    elif rule.key == "reps" and not reps_written:
        problem = "the step needs `reps = N` to start from"
    elif rule.maximum <= start:
        unit = " s" if rule.key == "hold" else ""
        problem = (
            f"{rule.maximum:g}{unit} is not above the step's starting {rule.key} of "
            f"{start:g}{unit}; a rule only raises"
        )
    else:
        return True
    checks.fail(where, problem)
    return False
