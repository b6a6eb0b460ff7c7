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

A level belongs to the exercise of a step within its routine, not to the step's place: the
history records each step by its identity (`step_identities`), the exercise's id and a
fingerprint of the step's rule and written dose, with an occurrence number when the same step
is written more than once. Moving a step, or adding one, moves no level; a step whose rule or
written dose changed has a new identity, so it starts again from what is written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from tui.core.checks import Checks, join
from tui.core.legacy_digest import steps_digest
from tui.core.model import Progression, Routine, Step
from tui.core.step_identity import step_identity

# Levels as a session row stores them: by step identity; rows written before identities
# existed give step indexes of the routine as it was then.
StoredLevels = Mapping[str, float] | Mapping[int, float] | Mapping[int | str, float]


@dataclass(frozen=True)
class IndexedRecord:
    """What a row written before step identities played: its full steps are step indexes of
    the routine as it was then, and these say which routine that was.

    Such a row counts for a step only when today's routine, at the row's levels, gives the
    row's digest as that version computed it (so its steps were these, in this order, at these
    doses), and the row holds a level for the step that lies on the step's rule as written
    today (a rule added since, or a start moved off the rule's steps, starts from what is
    written). Any other old row counts for no step: a level then falls back toward the written
    dose, which is safe, and never lands on another exercise, which would not be. Only rows of
    the versions from 7fc4781 on have full steps at all, and those wrote `steps_digest`.
    """

    digest: str
    levels: tuple[tuple[int, float], ...] = ()  # (step index, hold or reps) as stored


@dataclass(frozen=True)
class PastSession:
    """One earlier session of a routine, as progression reads it (oldest first in a list)."""

    # The steps whose every work phase was done: step identities (`step_identities`), or step
    # indexes: of the routine given to `levels_for` when `indexed` is None, else of the routine
    # `indexed` describes (a row written before identities).
    full_steps: frozenset[str | int]
    pain_before: int | None = None
    pain_after: int | None = None
    indexed: IndexedRecord | None = None

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


@dataclass(frozen=True)
class LeveledStep(Step):
    """A step played at a level its rule has reached, with the step as the file wrote it.

    The level takes the place of the written hold or reps, yet the history must record the
    step by its identity, which comes from what was written: the session playing this step
    reads it from `written`."""

    written: Step = field(kw_only=True, repr=False)


def written_step(step: Step) -> Step:
    """The step as the routine file wrote it, before any level was applied."""
    return step.written if isinstance(step, LeveledStep) else step


def step_identities(routine: Routine) -> tuple[str, ...]:
    """Each step's identity in its routine, as the history records it: "egg/3fa85f64", then
    "egg/3fa85f64#2" for the same step written a second time. Levels applied change nothing.

    The fingerprint covers the rule and the written dose (reps, sets, sides, hold and the
    start the rule rises from), not the pauses around it: a new dose starts again from what is
    written, a longer rest does not. Two steps written alike are told apart by their order
    among themselves only, so moving other steps around them changes neither."""
    seen: dict[tuple[str, str], int] = {}
    identities = []
    for step in routine.steps:
        alike = (step.exercise.id, _fingerprint(written_step(step)))
        seen[alike] = occurrence = seen.get(alike, 0) + 1
        identities.append(step_identity(*alike, occurrence))
    return tuple(identities)


def _fingerprint(step: Step) -> str:
    # Seconds as floats whatever made them: a hold of 5 and of 5.0 are the same dose.
    rule = step.progress
    start = start_value(step)
    dose = [
        None if rule is None else [rule.key, float(rule.maximum), float(rule.step), rule.every],
        step.reps,
        step.sets,
        list(step.sides),
        None if step.hold is None else float(step.hold),
        None if start is None else float(start),
    ]
    return hashlib.sha256(json.dumps(dose).encode()).hexdigest()[:8]


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
    rule: Progression, start: float, step: int | str, history: Sequence[PastSession]
) -> Level:
    """The level a step has reached after `history` (oldest first): `step` is its identity,
    or its index in the routine the sessions' step indexes refer to."""
    return _climb(rule, start, ((s.pain_rose, step in s.full_steps) for s in history))


def _climb(rule: Progression, start: float, sessions: Iterable[tuple[bool, bool]]) -> Level:
    """The level after sessions given as (pain rose, step done in full), oldest first."""
    rises = 0
    count = 0  # full sessions since the last rise or pain jump
    for pain_rose, full in sessions:
        if pain_rose:
            count = 0
        elif full:
            count += 1
            if count == rule.every:
                rises += 1
                count = 0
    # By multiplication rather than repeated addition: 0.1 s steps must not drift.
    value = min(rule.maximum, start + rises * rule.step)
    if value >= rule.maximum:
        return Level(rule.maximum, rule.maximum, None)
    return Level(value, rule.maximum, rule.every - count)


# Every routine's levels, as the Routines screen shows them: routine id -> step index -> level.
Levels = Mapping[str, Mapping[int, Level]]


def levels_for(routine: Routine, history: Sequence[PastSession]) -> dict[int, Level]:
    """Every step with a rule, by step index, at the level the history has brought it to."""
    identities = step_identities(routine)
    in_place: dict[IndexedRecord, frozenset[int]] = {}

    def full(session: PastSession, index: int) -> bool:
        if identities[index] in session.full_steps:
            return True
        if index not in session.full_steps:
            return False
        record = session.indexed
        if record is None:
            return True
        if record not in in_place:
            in_place[record] = _steps_in_place(routine, record)
        return index in in_place[record]

    result: dict[int, Level] = {}
    for index, step in enumerate(routine.steps):
        start = start_value(step)
        if step.progress is not None and start is not None:
            sessions = ((s.pain_rose, full(s, index)) for s in history)
            result[index] = _climb(step.progress, start, sessions)
    return result


def _steps_in_place(routine: Routine, record: IndexedRecord) -> frozenset[int]:
    """The step indexes of an old row that still mean the same steps (see IndexedRecord)."""
    levels = dict(record.levels)
    if steps_digest(apply_levels(routine, levels)) != record.digest:
        return frozenset()
    kept = set()
    for index, step in enumerate(routine.steps):
        start = start_value(step)
        if step.progress is None or start is None:
            kept.add(index)  # counts for nothing, but means the same step
        elif index in levels and _on_rule(step.progress, start, levels[index]):
            kept.add(index)
    return frozenset(kept)


def _on_rule(rule: Progression, start: float, value: float) -> bool:
    """Whether the rule, rising from `start`, ever plays `value`."""
    if value == rule.maximum:
        return True
    rises = round((value - start) / rule.step)
    # The very sum `level` makes, so a value it gave compares equal, not merely close.
    return start <= value < rule.maximum and start + rises * rule.step == value


def level_values(levels: Mapping[int, Level]) -> dict[int, float]:
    """The plain step index → value mapping that is played (and stored, by identity)."""
    return {index: step_level.value for index, step_level in levels.items()}


def levels_by_identity(routine: Routine, levels: Mapping[int, float]) -> dict[str, float]:
    """Levels by step index as a session row stores them: by each step's identity. Indexes
    outside the routine are dropped (no step would play them)."""
    identities = step_identities(routine)
    return {
        identities[index]: value for index, value in levels.items() if 0 <= index < len(identities)
    }


def levels_by_index(routine: Routine, stored: StoredLevels) -> dict[int, float]:
    """Stored levels as `apply_levels` takes them: each identity at the index of today's step
    that has it (identities no step has any more are dropped); an index, from a row written
    before identities, as it is. Only a plan's digest can say an index still means its step:
    a resume checks it."""
    where = {identity: index for index, identity in enumerate(step_identities(routine))}
    levels: dict[int, float] = {}
    for key, value in stored.items():
        index = key if isinstance(key, int) else where.get(key)
        if index is not None:
            levels[index] = value
    return levels


def apply_levels(routine: Routine, levels: Mapping[int, float]) -> Routine:
    """The routine to plan: each step with a rule plays the level given for it.

    A value is kept within the rule's range (stored levels come from a database, and a plan must
    stay playable whatever it holds); indexes of steps without a rule are ignored. A level equal
    to the start value leaves the step as written, so its plan and digest are the routine's own.
    A step at another level is a LeveledStep: it still knows the step as written.
    """
    steps = list(routine.steps)
    for index, value in levels.items():
        if not 0 <= index < len(steps):
            continue
        written = written_step(steps[index])
        start = start_value(written)
        if written.progress is None or start is None:
            continue
        value = min(max(value, start), written.progress.maximum)
        if value == start:
            steps[index] = written
        elif written.progress.key == "reps":
            steps[index] = _leveled(written, reps=int(value))
        else:
            steps[index] = _leveled(written, hold=value)
    return replace(routine, steps=tuple(steps))


def _leveled(written: Step, **level: Any) -> LeveledStep:
    played = replace(written, **level)
    values = {name: getattr(played, name) for name in _STEP_FIELDS}
    return LeveledStep(**values, written=written)


_STEP_FIELDS = tuple(f.name for f in fields(Step) if f.init)


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
