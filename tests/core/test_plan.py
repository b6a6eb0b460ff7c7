"""A routine compiled into its timeline: order, rests, sides, totals and the digest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.core.loader import load_file, load_text
from tui.core.model import Routine
from tui.core.plan import Kind, Plan, Segment, build_plan
from tui.core.timefmt import format_clock, format_length

P, W, R, S = Kind.PREPARE, Kind.WORK, Kind.REST, Kind.SWITCH

# Two steps: sets, reps with a rest between them, a hold override, then a two-sided exercise.
MIXED = """\
schema = 1

[defaults]
prepare = 2
rest = 7
rest_between_sets = 4
rest_between_reps = 1
switch_sides = 3

[exercises.a]
name = "A"
phases = [{ name = "A up", seconds = 2, hold = true }, { name = "A down", seconds = 1 }]

[exercises.b]
name = "B"
phases = [{ name = "B hold", seconds = 5, hold = true }]

[[routines]]
id = "mixed"
name = "Mixed"
steps = [
  { exercise = "a", sets = 2, reps = 2, hold = 9 },
  { exercise = "b", sides = ["left", "right"] },
]
"""


def routine_from(text: str, routine_id: str | None = None) -> Routine:
    book = load_text(text, "plan.toml")
    return book.routine(routine_id) if routine_id else book.routines[0]


Row = tuple[Kind, str, float | None, int, int, int, str | None]


def shape(plan: Plan) -> list[Row]:
    return [
        (s.kind, s.label, s.seconds, s.step_index, s.set_number, s.rep_number, s.side)
        for s in plan.segments
    ]


@pytest.fixture
def mixed() -> Plan:
    return build_plan(routine_from(MIXED))


# -- order --------------------------------------------------------------------------------------


def test_minimal_example_order(examples_dir: Path) -> None:
    plan = build_plan(load_file(examples_dir / "minimal.toml").routines[0])
    expected: list[Row] = [(P, "Get ready", 5.0, 0, 1, 1, None)]
    for rep in range(1, 11):  # rest_between_reps = 0: no rest between the reps
        expected += [
            (W, "Hug knees to chest", 10.0, 0, 1, rep, None),
            (W, "Release", 3.0, 0, 1, rep, None),
        ]
    assert shape(plan) == expected
    assert [s.index for s in plan.segments] == list(range(21))
    assert [s.hold for s in plan.segments[1:3]] == [True, False]
    assert {s.rep_count for s in plan.segments} == {10}
    assert plan.timed_seconds == 135.0
    assert plan.untimed_count == 0
    assert plan.exercise_count == 1
    assert plan.length_text() == "2 min"
    assert plan.step_range(0) == range(0, 21)
    assert plan.step_seconds(0) == 135.0


def test_untimed_and_sides_example_order(examples_dir: Path) -> None:
    plan = build_plan(load_file(examples_dir / "untimed-and-sides.toml").routines[0])

    def reps(set_number: int, side: str) -> list[Row]:
        out: list[Row] = []
        for rep in range(1, 4):
            out += [
                (W, "Get into position", None, 0, set_number, rep, side),
                (W, "Hug one knee", 6.0, 0, set_number, rep, side),  # hold = 6 replaces 8
                (W, "Lower the leg", 2.0, 0, set_number, rep, side),
            ]
        return out

    expected: list[Row] = [(P, "Get ready", 3.0, 0, 1, 1, "left")]
    expected += reps(1, "left")
    expected += [(R, "Rest between sets", 10.0, 0, 2, 1, "left")]
    expected += reps(2, "left")
    expected += [(S, "Switch to the right side", 5.0, 0, 1, 1, "right")]
    expected += reps(1, "right")
    expected += [(R, "Rest between sets", 10.0, 0, 2, 1, "right")]
    expected += reps(2, "right")
    assert shape(plan) == expected
    assert plan.untimed_count == 12
    assert plan.timed_seconds == 3 + 2 * (2 * 3 * 8 + 10) + 5
    assert plan.length_text() == "2 min + 12 untimed"
    untimed = plan.segments[1]
    assert not untimed.timed and untimed.planned == 0.0
    assert plan.segments[2].timed and plan.segments[2].planned == 6.0


def test_mixed_order(mixed: Plan) -> None:
    assert shape(mixed) == [
        (P, "Get ready", 2.0, 0, 1, 1, None),
        (W, "A up", 9.0, 0, 1, 1, None),
        (W, "A down", 1.0, 0, 1, 1, None),
        (R, "Rest between reps", 1.0, 0, 1, 2, None),
        (W, "A up", 9.0, 0, 1, 2, None),
        (W, "A down", 1.0, 0, 1, 2, None),
        (R, "Rest between sets", 4.0, 0, 2, 1, None),
        (W, "A up", 9.0, 0, 2, 1, None),
        (W, "A down", 1.0, 0, 2, 1, None),
        (R, "Rest between reps", 1.0, 0, 2, 2, None),
        (W, "A up", 9.0, 0, 2, 2, None),
        (W, "A down", 1.0, 0, 2, 2, None),
        (R, "Rest", 7.0, 0, 1, 1, None),  # between the exercises, counted with the first
        (P, "Get ready", 2.0, 1, 1, 1, "left"),
        (W, "B hold", 5.0, 1, 1, 1, "left"),
        (S, "Switch to the right side", 3.0, 1, 1, 1, "right"),
        (W, "B hold", 5.0, 1, 1, 1, "right"),
    ]
    assert mixed.segments[-1].kind is Kind.WORK  # no rest after the last step


def test_rests_and_prepares_know_what_comes_next(mixed: Plan) -> None:
    a, b = (step.exercise for step in mixed.routine.steps)
    rest = mixed.segments[12]
    assert (rest.exercise, rest.upcoming) == (a, b)
    assert mixed.segments[0].upcoming == a
    assert mixed.segments[13].upcoming == b
    assert all(s.upcoming is None for s in mixed.segments if s.kind is Kind.WORK)


def test_hold_override_applies_to_hold_phases_only(mixed: Plan) -> None:
    works = [s for s in mixed.segments if s.kind is Kind.WORK and s.step_index == 0]
    assert {s.seconds for s in works if s.hold} == {9.0}
    assert {s.seconds for s in works if not s.hold} == {1.0}
    # the second step has no override: its hold phase keeps its own length
    assert {s.seconds for s in mixed.segments if s.label == "B hold"} == {5.0}


def test_positions(mixed: Plan) -> None:
    assert mixed.segments[1].position == "Set 1/2 · Rep 1/2"
    assert mixed.segments[10].position == "Set 2/2 · Rep 2/2"
    assert mixed.segments[14].position == "Rep 1/1 · Left"
    assert mixed.segments[16].position == "Rep 1/1 · Right"


def test_a_rest_between_exercises_names_no_rep(mixed: Plan) -> None:
    between = [s for s in mixed.segments if s.kind is Kind.REST and s.upcoming is not s.exercise]
    assert between, "the mixed plan has a rest between its exercises"
    assert all(s.position == "" for s in between)
    within = [s for s in mixed.segments if s.kind is Kind.REST and s.upcoming is s.exercise]
    assert within and all("Rep" in s.position for s in within)


def test_zero_pauses_are_left_out() -> None:
    text = MIXED.replace("prepare = 2", "prepare = 0").replace("rest = 7", "rest = 0")
    text = text.replace("rest_between_sets = 4", "rest_between_sets = 0")
    text = text.replace("rest_between_reps = 1", "rest_between_reps = 0")
    text = text.replace("switch_sides = 3", "switch_sides = 0")
    plan = build_plan(routine_from(text))
    assert {s.kind for s in plan.segments} == {Kind.WORK}
    assert len(plan.segments) == 2 * 2 * 2 + 2
    assert [s.index for s in plan.segments] == list(range(10))


def test_step_level_rest_is_the_rest_after_that_step() -> None:
    text = MIXED.replace(
        '{ exercise = "a", sets = 2, reps = 2, hold = 9 }',
        '{ exercise = "a", reps = 1, rest = 30, prepare = 1 }',
    )
    plan = build_plan(routine_from(text))
    assert shape(plan)[:5] == [
        (P, "Get ready", 1.0, 0, 1, 1, None),
        (W, "A up", 2.0, 0, 1, 1, None),
        (W, "A down", 1.0, 0, 1, 1, None),
        (R, "Rest", 30.0, 0, 1, 1, None),
        (P, "Get ready", 2.0, 1, 1, 1, "left"),  # the next step keeps the routine's prepare
    ]


def test_three_steps_have_two_rests_between_exercises() -> None:
    text = MIXED.replace(
        '{ exercise = "b", sides = ["left", "right"] },',
        '{ exercise = "b" },\n  { exercise = "a" },',
    )
    plan = build_plan(routine_from(text))
    between = [s for s in plan.segments if s.label == "Rest"]
    assert [(s.step_index, s.upcoming and s.upcoming.id) for s in between] == [(0, "b"), (1, "a")]
    assert plan.segments[0].kind is Kind.PREPARE
    assert plan.segments[-1].kind is Kind.WORK


# -- totals -------------------------------------------------------------------------------------


def test_totals(mixed: Plan) -> None:
    assert mixed.timed_seconds == 2 + 4 * (9 + 1) + 2 * 1 + 4 + 7 + 2 + 5 + 3 + 5
    assert mixed.untimed_count == 0
    assert mixed.exercise_count == 2
    assert mixed.timed_seconds == 70
    assert mixed.length_text() == "1 min"


def test_step_range_and_seconds(mixed: Plan) -> None:
    assert mixed.step_range(0) == range(0, 13)  # includes the rest that follows it
    assert mixed.step_range(1) == range(13, 17)
    assert mixed.step_range(2) == range(0)
    assert mixed.step_seconds(0) == 2 + 4 * (9 + 1) + 2 * 1 + 4  # without that rest
    assert mixed.step_seconds(1) == 2 + 5 + 3 + 5
    assert mixed.step_seconds(2) == 0
    assert mixed.step_seconds(0) + 7 + mixed.step_seconds(1) == mixed.timed_seconds


def test_untimed_segments_count_nothing() -> None:
    text = MIXED.replace("seconds = 5, hold = true", "hold = true")
    plan = build_plan(routine_from(text))
    assert plan.untimed_count == 2
    assert plan.step_seconds(1) == 2 + 3
    assert plan.length_text().endswith(" + 2 untimed")


def test_bundled_routines_plan(bundled_plans: dict[str, Plan]) -> None:
    for routine_id, plan in bundled_plans.items():
        assert plan.segments, routine_id
        assert plan.segments[0].kind is Kind.PREPARE, routine_id
        assert plan.segments[-1].kind is Kind.WORK, routine_id
        assert plan.timed_seconds > 60, routine_id
        assert sum(plan.step_seconds(i) for i in range(plan.exercise_count)) <= plan.timed_seconds


@pytest.fixture
def bundled_plans() -> dict[str, Plan]:
    from tui.paths import bundled_routines_path

    book = load_file(bundled_routines_path())
    return {r.id: build_plan(r) for r in book.routines}


# -- digest -------------------------------------------------------------------------------------


def test_digest_is_stable(mixed: Plan) -> None:
    again = build_plan(routine_from(MIXED))
    assert mixed.digest() == again.digest() == build_plan(mixed.routine).digest()
    prefix, digits = mixed.digest().split(":")
    assert prefix == "v2" and len(digits) == 16
    int(digits, 16)


def test_digest_is_stable_across_processes(mixed: Plan) -> None:
    code = (
        "import sys; from tui.core.plan import build_plan; from tui.core.loader import load_text; "
        "print(build_plan(load_text(sys.stdin.read()).routines[0]).digest())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=MIXED,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    )
    assert result.stdout.strip() == mixed.digest()


@pytest.mark.parametrize(
    "old, new",
    [
        ("sets = 2, reps = 2", "sets = 2, reps = 3"),
        ("hold = 9", "hold = 8"),
        ("rest = 7", "rest = 8"),
        ('name = "A down", seconds = 1', 'name = "A down", seconds = 1.5'),
        ('name = "A down", seconds = 1', 'name = "A down"'),  # now it waits
        ('sides = ["left", "right"]', 'sides = ["right", "left"]'),
    ],
)
def test_digest_changes_when_the_routine_changes(mixed: Plan, old: str, new: str) -> None:
    assert old in MIXED
    changed = build_plan(routine_from(MIXED.replace(old, new, 1)))
    assert changed.digest() != mixed.digest()


@pytest.mark.parametrize(
    "old, new",
    [
        ('name = "A down"', 'name = "A lower"'),
        ('name = "Mixed"', 'name = "Mixed up"'),
        ('name = "A"\n', 'name = "Ay"\ncues = ["Breathe"]\n'),
    ],
)
def test_digest_stays_when_only_text_changes(mixed: Plan, old: str, new: str) -> None:
    assert old in MIXED
    edited = build_plan(routine_from(MIXED.replace(old, new, 1)))
    assert edited.digest() == mixed.digest()


# -- formatting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "seconds, text",
    [
        (0, "0:00"),
        (-5, "0:00"),
        (0.2, "0:01"),
        (1, "0:01"),
        (1.0000000001, "0:01"),  # float noise does not add a second
        (9.5, "0:10"),
        (59.01, "1:00"),
        (60, "1:00"),
        (61, "1:01"),
        (600, "10:00"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (3661, "1:01:01"),
        (36000, "10:00:00"),
    ],
)
def test_format_clock(seconds: float, text: str) -> None:
    assert format_clock(seconds) == text


@pytest.mark.parametrize(
    "seconds, text",
    [
        (0, "0 s"),
        (45, "45 s"),
        (59.4, "59 s"),
        (59.6, "1 min"),
        (60, "1 min"),
        (135, "2 min"),
        (720, "12 min"),
        (3599, "1 h 00 min"),
        (3600, "1 h 00 min"),
        (3900, "1 h 05 min"),
        (2 * 3600 + 59 * 60, "2 h 59 min"),
    ],
)
def test_format_length(seconds: float, text: str) -> None:
    assert format_length(seconds) == text


def test_segment_defaults() -> None:
    routine = routine_from(MIXED)
    segment = Segment(0, Kind.WORK, "x", None, 0, routine.steps[0].exercise)
    assert not segment.timed
    assert segment.planned == 0.0
    assert segment.position == "Rep 1/1"
