"""The picker's arithmetic length of a routine agrees with the timeline the session plays."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.model import Exercise, Phase, Routine, Step, Timings
from tui.core.plan import Kind, build_plan, routine_length, step_length

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
    assert length.text() == plan.length_text()
    for index, step in enumerate(routine.steps):
        assert math.isclose(step_length(step).timed_seconds, plan.step_seconds(index), abs_tol=1e-9)
        untimed = sum(
            1
            for segment in plan.segments
            if segment.step_index == index and segment.kind is Kind.WORK and not segment.timed
        )
        assert step_length(step).untimed_count == untimed
