"""The picker's arithmetic length of a routine agrees with the timeline the session plays, and
keeps routines too big to play out of the app: the loader checks it against the limits."""

from __future__ import annotations

import math
import time

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.loader import load_text
from tui.core.model import Exercise, Phase, Progression, Routine, RoutineError, Step, Timings
from tui.core.plan import Kind, build_plan, routine_length, step_length
from tui.core.progression import apply_levels

pause = st.sampled_from([0.0, 0.5, 1.0, 5.0, 15.0, 20.0])
phase_seconds = st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.5, 5.0, 30.0]))
phases = st.lists(
    st.builds(Phase, name=st.just("p"), seconds=phase_seconds, hold=st.booleans()),
    min_size=1,
    max_size=3,
)
timings = st.builds(
    Timings,
    prepare=pause,
    rest=pause,
    rest_between_sets=pause,
    rest_between_reps=pause,
    switch_sides=pause,
)
steps = st.builds(
    Step,
    exercise=st.builds(Exercise, id=st.just("e"), name=st.just("E"), phases=phases.map(tuple)),
    reps=st.integers(1, 4),
    sets=st.integers(1, 3),
    sides=st.sampled_from([(), ("left", "right"), ("left", "middle", "right")]),
    hold=st.one_of(st.none(), st.sampled_from([3.0, 10.0])),
    timings=timings,
)
routines = st.builds(
    Routine, id=st.just("r"), name=st.just("R"), steps=st.lists(steps, min_size=1, max_size=4)
)


@settings(max_examples=300, deadline=None)
@given(routines.map(lambda r: Routine(r.id, r.name, tuple(r.steps))))
def test_routine_length_matches_the_plan(routine: Routine) -> None:
    plan = build_plan(routine)
    length = routine_length(routine)
    assert math.isclose(length.timed_seconds, plan.timed_seconds, abs_tol=1e-9)
    assert length.untimed_count == plan.untimed_count
    assert length.segments == len(plan.segments)
    assert length.text() == plan.length_text()
    for index, step in enumerate(routine.steps):
        assert math.isclose(step_length(step).timed_seconds, plan.step_seconds(index), abs_tol=1e-9)
        untimed = sum(
            1
            for segment in plan.segments
            if segment.step_index == index and segment.kind is Kind.WORK and not segment.timed
        )
        assert step_length(step).untimed_count == untimed


# -- limits: a routine the app could not build or a person could not do is a `check` error ------

SOURCE = "limits.toml"


def routine_file(step: dict[str, object], **routine: object) -> str:
    return tomli_w.dumps(
        {
            "schema": 2,
            "exercises": {
                "cat": {
                    "name": "Cat",
                    "phases": [
                        {"name": "Arch", "seconds": 5, "hold": True},
                        {"name": "Sag", "seconds": 5},
                    ],
                },
            },
            "routines": [{"id": "big", "name": "Big", "steps": [step], **routine}],
        }
    )


def refusal(text: str) -> tuple[str, ...]:
    with pytest.raises(RoutineError) as info:
        load_text(text, SOURCE)
    return info.value.problems


def test_500_sets_of_500_reps_is_refused_with_the_count_reached() -> None:
    started = time.perf_counter()
    problems = refusal(routine_file({"exercise": "cat", "sets": 500, "reps": 500}))
    assert problems == (f"{SOURCE}: routines[0]: plays 500,500 segments; at most 20,000",)
    assert time.perf_counter() - started < 1.0  # worked out, not built


def test_500_sides_of_500_reps_is_refused_without_running_out_of_memory() -> None:
    sides = [f"side-{i}" for i in range(500)]
    (problem,) = refusal(routine_file({"exercise": "cat", "sides": sides, "reps": 500}))
    assert problem.startswith(f"{SOURCE}: routines[0]: plays 500,")
    assert problem.endswith("segments; at most 20,000")


def test_a_routine_over_24_hours_is_refused_with_its_length() -> None:
    # 3 sets x 500 reps x (60 + 5) s, with 20 s between sets: 97,545 s = 27 h 06 min.
    step = {"exercise": "cat", "sets": 3, "reps": 500, "hold": 60}
    assert refusal(routine_file(step)) == (
        f"{SOURCE}: routines[0]: lasts 27 h 06 min; at most 24 h",
    )


def test_the_limit_applies_at_the_progression_maximum() -> None:
    step = {
        "exercise": "cat",
        "sets": 3,
        "reps": 400,
        "hold": 10,
        "progress": {"hold": 3600, "step": 1, "every": 1},
    }
    (problem,) = refusal(routine_file(step))
    assert problem.startswith(f"{SOURCE}: routines[0]: lasts ")
    assert problem.endswith(" at its progression maximum; at most 24 h")


def test_a_routine_just_within_the_limits_loads() -> None:
    # 10,000 reps of two 1 s phases and no pauses: exactly 20,000 segments, in 20,000 s.
    step = {"exercise": "cat", "sets": 20, "reps": 500, "hold": 1, "prepare": 0}
    text = routine_file(step, rest_between_sets=0).replace("seconds = 5 }", "seconds = 1 }")
    (routine,) = load_text(text, SOURCE).routines
    assert routine_length(routine).segments == 20_000
    assert len(build_plan(routine).segments) == 20_000


# -- the digest is worked out from the definition, not from every segment -----------------------


def test_the_digest_of_a_big_plan_is_quick() -> None:
    exercise = Exercise("e", "E", (Phase("p", 1.0, hold=True), Phase("q", 1.0)))
    small = Routine("r", "R", (Step(exercise, reps=1),))
    big = Routine("r", "R", (Step(exercise, reps=500, sets=20),))
    plan = build_plan(big)
    started = time.perf_counter()
    for _ in range(100):
        plan.digest()
    spent = time.perf_counter() - started
    assert spent < 0.5, spent  # hashing 20,000 segments' reprs took ~0.2 s each
    assert plan.digest() != build_plan(small).digest()


def test_the_digest_includes_the_levels_applied() -> None:
    exercise = Exercise("e", "E", (Phase("p", 5.0, hold=True),))
    rule = Progression("hold", 10.0, 1.0, 2)
    routine = Routine("r", "R", (Step(exercise, reps=3, hold=5.0, progress=rule),))
    digests = {build_plan(apply_levels(routine, {0: v})).digest() for v in (5.0, 6.0, 7.0)}
    assert len(digests) == 3
