"""Progression: a step's hold or reps rising with the sessions done in full, from the history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from tui.core.loader import load_file, load_text
from tui.core.model import Exercise, Phase, Progression, Routine, RoutineError, Step
from tui.core.plan import build_plan
from tui.core.progression import (
    Level,
    PastSession,
    apply_levels,
    level,
    level_text,
    level_values,
    levels_for,
    start_value,
)
from tui.paths import bundled_routines_path

SOURCE = "progress.toml"
EGG = Exercise("egg", "Egg", (Phase("Hug", 8.0, hold=True), Phase("Release", 3.0)))
CAT = Exercise("cat", "Cat", (Phase("Arch", 5.0), Phase("Sag", 5.0)))
HOLD_RULE = Progression("hold", 10.0, 1.0, 2)


def full(*steps: int) -> PastSession:
    return PastSession(frozenset(steps))


def flare(*steps: int) -> PastSession:
    """A session whose pain rose by 2."""
    return PastSession(frozenset(steps), pain_before=3, pain_after=5)


# -- the rule -----------------------------------------------------------------------------------


def test_no_history_starts_at_the_start() -> None:
    assert level(HOLD_RULE, 5.0, 0, []) == Level(5.0, 10.0, 2)


def test_rises_by_step_after_every_every_full_sessions() -> None:
    assert level(HOLD_RULE, 5.0, 0, [full(0)]) == Level(5.0, 10.0, 1)
    assert level(HOLD_RULE, 5.0, 0, [full(0)] * 2) == Level(6.0, 10.0, 2)
    assert level(HOLD_RULE, 5.0, 0, [full(0)] * 5) == Level(7.0, 10.0, 1)


def test_stops_at_the_maximum() -> None:
    assert level(HOLD_RULE, 5.0, 0, [full(0)] * 10) == Level(10.0, 10.0, None)
    assert level(HOLD_RULE, 5.0, 0, [full(0)] * 100) == Level(10.0, 10.0, None)
    assert level(Progression("hold", 10.0, 4.0, 1), 5.0, 0, [full(0)] * 2).value == 10.0


def test_only_sessions_with_this_step_in_full_count() -> None:
    history = [full(1), full(), full(1, 2), full(0)]
    assert level(HOLD_RULE, 5.0, 0, history) == Level(5.0, 10.0, 1)


def test_a_pain_jump_does_not_count_and_starts_the_count_again() -> None:
    assert level(HOLD_RULE, 5.0, 0, [full(0), flare(0)]) == Level(5.0, 10.0, 2)
    assert level(HOLD_RULE, 5.0, 0, [full(0), flare(), full(0)]) == Level(5.0, 10.0, 1)
    # A rise of 1 is no jump; unknown pain is no jump either.
    mild = PastSession(frozenset({0}), pain_before=3, pain_after=4)
    unknown = PastSession(frozenset({0}), pain_before=None, pain_after=9)
    assert level(HOLD_RULE, 5.0, 0, [mild, unknown]).value == 6.0


def test_decimal_steps_do_not_drift() -> None:
    rule = Progression("hold", 3.0, 0.1, 1)
    assert level(rule, 2.0, 0, [full(0)] * 7).value == pytest.approx(2.7, abs=1e-12)


# -- properties over generated histories --------------------------------------------------------

pains = st.one_of(st.none(), st.integers(0, 10))
sessions = st.builds(
    PastSession,
    full_steps=st.frozensets(st.integers(0, 2), max_size=3),
    pain_before=pains,
    pain_after=pains,
)
histories = st.lists(sessions, max_size=40)
rules = st.builds(
    Progression,
    key=st.just("hold"),
    maximum=st.sampled_from([6.0, 10.0, 30.0]),
    step=st.sampled_from([0.5, 1.0, 3.0]),
    every=st.integers(1, 4),
)


@given(rules, histories)
def test_never_past_the_maximum(rule: Progression, history: list[PastSession]) -> None:
    reached = level(rule, 5.0, 0, history)
    assert 5.0 <= reached.value <= rule.maximum
    assert (reached.sessions_to_next is None) == (reached.value == rule.maximum)
    if reached.sessions_to_next is not None:
        assert 1 <= reached.sessions_to_next <= rule.every


@given(rules, histories, sessions)
def test_never_rises_after_a_pain_jump(
    rule: Progression, history: list[PastSession], last: PastSession
) -> None:
    jump = PastSession(last.full_steps | {0}, pain_before=2, pain_after=4)
    before = level(rule, 5.0, 0, history)
    after = level(rule, 5.0, 0, [*history, jump])
    assert after.value == before.value


@given(rules, histories, st.integers(0, 40))
def test_monotone_in_full_sessions(rule: Progression, history: list[PastSession], at: int) -> None:
    """Making one more session full (without a pain jump) never lowers the level."""
    at = min(at, len(history))
    more = list(history)
    if at < len(history):
        session = history[at]
        if session.pain_rose:
            return
        more[at] = PastSession(session.full_steps | {0}, session.pain_before, session.pain_after)
    else:
        more.append(full(0))
    assert level(rule, 5.0, 0, more).value >= level(rule, 5.0, 0, history).value


@given(rules, histories)
def test_the_same_history_gives_the_same_levels_and_plan(
    rule: Progression, history: list[PastSession]
) -> None:
    routine = Routine("r", "R", (Step(EGG, reps=3, hold=5.0, progress=rule),))
    first = level_values(levels_for(routine, history))
    again = level_values(levels_for(routine, list(history)))
    assert first == again
    # A resume applies the stored levels: the same plan, the same digest.
    played = build_plan(apply_levels(routine, first))
    resumed = build_plan(apply_levels(routine, dict(again)))
    assert played.digest() == resumed.digest()
    assert [s.seconds for s in played.segments] == [s.seconds for s in resumed.segments]


# -- start values, applying levels, the text ----------------------------------------------------


def test_start_value() -> None:
    assert start_value(Step(EGG, hold=5.0, progress=HOLD_RULE)) == 5.0
    assert start_value(Step(EGG, progress=HOLD_RULE)) == 8.0  # the hold phase's own length
    assert start_value(Step(EGG, reps=4, progress=Progression("reps", 9, 1, 1))) == 4.0
    assert start_value(Step(CAT, progress=HOLD_RULE)) is None  # nothing to raise
    assert start_value(Step(EGG)) is None


def test_apply_levels_changes_only_the_steps_with_a_rule() -> None:
    routine = Routine(
        "r",
        "R",
        (
            Step(EGG, reps=10, hold=5.0, progress=HOLD_RULE),
            Step(CAT, reps=6, progress=Progression("reps", 12, 2, 1)),
            Step(EGG, reps=2),
        ),
    )
    leveled = apply_levels(routine, {0: 7.0, 1: 10.0, 2: 99.0, 7: 3.0})
    assert leveled.steps[0].hold == 7.0
    assert leveled.steps[1].reps == 10
    assert leveled.steps[2] == routine.steps[2]
    assert leveled.caution == routine.caution and leveled.id == routine.id


def test_apply_levels_keeps_stored_values_within_the_rule() -> None:
    routine = Routine("r", "R", (Step(EGG, reps=10, hold=5.0, progress=HOLD_RULE),))
    assert apply_levels(routine, {0: 1e9}).steps[0].hold == 10.0
    assert apply_levels(routine, {0: -3}).steps[0].hold == 5.0


def test_a_level_at_the_start_plays_the_routine_as_written() -> None:
    routine = Routine("r", "R", (Step(EGG, reps=10, progress=HOLD_RULE),))
    assert apply_levels(routine, {0: 8.0}) == routine
    assert build_plan(apply_levels(routine, {0: 8.0})).digest() == build_plan(routine).digest()
    assert build_plan(apply_levels(routine, {0: 9.0})).digest() != build_plan(routine).digest()


def test_level_text() -> None:
    egg = Step(EGG, reps=10, hold=5.0, progress=HOLD_RULE)
    assert level_text(egg, Level(7.0, 10.0, 1)) == (
        "Egg 10 × hold 7 s (rising to 10 s: 1 more full session)"
    )
    assert level_text(egg, Level(10.0, 10.0, None)) == "Egg 10 × hold 10 s (at its top: 10 s)"
    cat = Step(CAT, reps=6, sets=2, progress=Progression("reps", 12, 2, 3))
    assert level_text(cat, Level(8.0, 12.0, 3)) == (
        "Cat 2 × 8 reps (rising to 12 reps: 3 more full sessions)"
    )


def test_the_bundled_egg_rises_from_5_to_10() -> None:
    routine = load_file(bundled_routines_path()).routine("daily-back")
    index, egg = next((i, s) for i, s in enumerate(routine.steps) if s.exercise.id == "egg")
    assert egg.hold == 5.0
    assert egg.progress == Progression("hold", 10.0, 1.0, 2)
    assert levels_for(routine, [])[index] == Level(5.0, 10.0, 2)
    assert levels_for(routine, [full(index)] * 10)[index] == Level(10.0, 10.0, None)


# -- the rule in the file -----------------------------------------------------------------------


def doc_with(step: dict[str, Any], schema: int = 2) -> str:
    return tomli_w.dumps(
        {
            "schema": schema,
            "exercises": {
                "egg": {
                    "name": "Egg",
                    "phases": [
                        {"name": "Hug", "seconds": 8, "hold": True},
                        {"name": "Let go", "seconds": 3},
                    ],
                },
                "cat": {"name": "Cat", "phases": [{"name": "Arch", "seconds": 5}]},
                "roll": {"name": "Roll", "phases": [{"name": "Roll", "hold": True}]},
            },
            "routines": [{"id": "r", "name": "R", "steps": [step]}],
        }
    )


def problems(step: dict[str, Any], schema: int = 2) -> tuple[str, ...]:
    with pytest.raises(RoutineError) as info:
        load_text(doc_with(step, schema), SOURCE)
    return info.value.problems


AT = f"{SOURCE}: routines[0].steps[0].progress"


@pytest.mark.parametrize(
    "step, expected",
    [
        (
            {"exercise": "egg", "hold": 8, "progress": {"hold": 6, "step": 1, "every": 2}},
            f"{AT}.hold: 6 s is not above the step's starting hold of 8 s; a rule only raises",
        ),
        (
            {"exercise": "egg", "progress": {"hold": 8, "step": 1, "every": 2}},
            f"{AT}.hold: 8 s is not above the step's starting hold of 8 s; a rule only raises",
        ),
        (
            {"exercise": "egg", "reps": 5, "progress": {"reps": 5, "step": 1, "every": 2}},
            f"{AT}.reps: 5 is not above the step's starting reps of 5; a rule only raises",
        ),
        (
            {"exercise": "egg", "hold": 5, "progress": {"hold": 10, "step": 0, "every": 2}},
            f"{AT}.step: 0 is out of range: seconds must be greater than 0 and at most 3600",
        ),
        (
            {"exercise": "egg", "reps": 5, "progress": {"reps": 10, "step": 0, "every": 2}},
            f"{AT}.step: 0 is out of range: must be from 1 to 500",
        ),
        (
            {"exercise": "egg", "reps": 5, "progress": {"reps": 10, "step": 1.5, "every": 2}},
            f"{AT}.step: must be a whole number from 1 to 500, not a number (1.5)",
        ),
        (
            {"exercise": "egg", "hold": 5, "progress": {"hold": 10, "step": 1, "every": 0}},
            f"{AT}.every: 0 is out of range: must be from 1 to 500",
        ),
        (
            {"exercise": "egg", "hold": 5, "progress": {"hold": 10, "step": 1, "every": 1.5}},
            f"{AT}.every: must be a whole number from 1 to 500, not a number (1.5)",
        ),
        (
            {"exercise": "cat", "reps": 5, "progress": {"hold": 10, "step": 1, "every": 2}},
            f"{AT}.hold: exercise 'cat' has no phase marked `hold = true` to raise",
        ),
        (
            {"exercise": "roll", "progress": {"hold": 10, "step": 1, "every": 2}},
            f"{AT}.hold: the step needs `hold = N` to start from (its hold phases have no "
            "single length)",
        ),
        (
            {"exercise": "egg", "progress": {"reps": 10, "step": 1, "every": 2}},
            f"{AT}.reps: the step needs `reps = N` to start from",
        ),
        (
            {"exercise": "egg", "hold": 5, "progress": {"hold": 10, "step": 1, "evry": 2}},
            (
                f"{AT}.evry: unknown key (did you mean `every`?)",
                f"{AT}.every: is required: after how many full sessions, like `every = 2`",
            ),
        ),
        (
            {"exercise": "egg", "hold": 5, "progress": {"step": 1, "every": 2}},
            f"{AT}: needs the value to rise to: `hold = N` (seconds) or `reps = N`",
        ),
        (
            {"exercise": "egg", "hold": 5, "progress": {"hold": 9, "reps": 9, "every": 2}},
            f"{AT}: raises one thing: give `hold` or `reps`, not both",
        ),
        (
            {"exercise": "egg", "hold": 5, "progress": 10},
            f"{AT}: must be a table, not an integer (10)",
        ),
        (
            {"exercise": "egg", "hold": 5, "progress": {"hold": 10, "every": 2}},
            f"{AT}.step: is required: how much to add each time, like `step = 1`",
        ),
        (
            {"exercise": "egg", "hold": 5, "progress": {"hold": 10, "step": 1}},
            f"{AT}.every: is required: after how many full sessions, like `every = 2`",
        ),
    ],
)
def test_bad_rules_get_a_clear_message(
    step: dict[str, Any], expected: str | tuple[str, ...]
) -> None:
    assert problems(step) == (expected if isinstance(expected, tuple) else (expected,))


def test_a_rule_in_a_schema_1_file_asks_for_schema_2() -> None:
    step = {"exercise": "egg", "hold": 5, "progress": {"hold": 10, "step": 1, "every": 2}}
    assert problems(step, schema=1) == (
        f"{AT}: is a schema 2 key: put `schema = 2` at the top to use it",
    )


def test_good_rules_load() -> None:
    step = {"exercise": "egg", "reps": 4, "progress": {"reps": 9, "step": 2, "every": 1}}
    (routine,) = load_text(doc_with(step), SOURCE).routines
    assert routine.steps[0].progress == Progression("reps", 9.0, 2.0, 1)


def test_bad_progress_example(examples_dir: Path) -> None:
    path = examples_dir / "bad-progress.toml"
    with pytest.raises(RoutineError) as info:
        load_file(path)
    assert [p.split(": ")[1] for p in info.value.problems] == [
        "routines[0].steps[0].progress.hold",
        "routines[1].steps[0].progress.step",
        "routines[2].steps[0].progress.every",
        "routines[3].steps[0].progress.hold",
    ]
