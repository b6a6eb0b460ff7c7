"""The routine loader: every problem in a hand-written file is reported, in one pass, by path."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tui.core.loader import load_bytes, load_file, load_text, parse_document
from tui.core.model import DEFAULT_CAUTION, Phase, RoutineBook, RoutineError, Timings
from tui.paths import bundled_routines_path

SOURCE = "test.toml"
REPO_ROOT = Path(__file__).resolve().parents[2]
Doc = dict[str, Any]


def valid_doc() -> Doc:
    """A small valid document; tests change one thing in it and expect exact problems."""
    return {
        "schema": 1,
        "exercises": {
            "cat": {
                "name": "Cat",
                "phases": [
                    {"name": "Arch", "seconds": 5, "hold": True},
                    {"name": "Sag", "seconds": 5},
                ],
            },
            "egg": {"name": "Egg", "phases": [{"name": "Hug", "seconds": 8}]},
        },
        "routines": [
            {"id": "daily", "name": "Daily", "steps": [{"exercise": "cat", "reps": 3}]},
        ],
    }


def load_doc(doc: Doc) -> RoutineBook:
    """Through real TOML text, the way a file reaches the loader."""
    return load_text(tomli_w.dumps(doc), SOURCE)


def problems_of(doc: Doc) -> tuple[str, ...]:
    with pytest.raises(RoutineError) as info:
        load_doc(doc)
    return info.value.problems


def problems_of_text(text: str) -> tuple[str, ...]:
    with pytest.raises(RoutineError) as info:
        load_text(text, SOURCE)
    return info.value.problems


def put(*path: Any, value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def drop(*path: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def msg(text: str) -> str:
    return f"{SOURCE}: {text}"


PHASE0 = ("exercises", "cat", "phases", 0)
STEP0 = ("routines", 0, "steps", 0)
ROUTINE0 = ("routines", 0)
RANGE = "is out of range: seconds must be greater than 0 and at most 3600"


# -- the shared example files ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, good",
    [
        ("minimal.toml", True),
        ("untimed-and-sides.toml", True),
        ("bad-reference.toml", False),
        ("bad-syntax.toml", False),
        ("bad-values.toml", False),
    ],
)
def test_example_verdict(examples_dir: Path, name: str, good: bool) -> None:
    path = examples_dir / name
    if good:
        assert isinstance(load_file(path), RoutineBook)
    else:
        with pytest.raises(RoutineError) as info:
            load_file(path)
        assert info.value.problems
        assert all(p.startswith(f"{path}:") for p in info.value.problems)


def test_every_example_file_matches_its_name(examples_dir: Path) -> None:
    files = sorted(examples_dir.glob("*.toml"))
    assert files
    for path in files:
        if path.name.startswith("bad-"):
            with pytest.raises(RoutineError):
                load_file(path)
        else:
            load_file(path)


def test_minimal_example_contents(examples_dir: Path) -> None:
    book = load_file(examples_dir / "minimal.toml")
    assert book.source == str(examples_dir / "minimal.toml")
    assert list(book.exercises) == ["egg"]
    egg = book.exercises["egg"]
    assert egg.name == "Egg"
    assert egg.setup == "Lie on your back on the mat."
    assert egg.phases == (
        Phase("Hug knees to chest", 10.0, hold=True),
        Phase("Release", 3.0, hold=False),
    )
    assert egg.cues == () and egg.tags == () and egg.notes == ""
    (routine,) = book.routines
    assert (routine.id, routine.name, routine.description) == ("egg-only", "Just the egg", "")
    assert routine.timings == Timings()
    (step,) = routine.steps
    assert step.exercise is egg
    assert (step.reps, step.sets, step.sides, step.hold) == (10, 1, (), None)


def test_untimed_and_sides_example_contents(examples_dir: Path) -> None:
    book = load_file(examples_dir / "untimed-and-sides.toml")
    hug = book.exercises["knee-hug"]
    assert [p.seconds for p in hug.phases] == [None, 8.0, 2.0]
    assert [p.hold for p in hug.phases] == [False, True, False]
    (step,) = book.routine("knee-hugs").steps
    assert (step.sets, step.reps, step.sides, step.hold) == (2, 3, ("left", "right"), 6.0)
    assert step.timings == Timings(prepare=3, rest=5, rest_between_sets=10)
    assert [step.phase_seconds(p) for p in hug.phases] == [None, 6.0, 2.0]


def test_bad_reference_example(examples_dir: Path) -> None:
    path = examples_dir / "bad-reference.toml"
    with pytest.raises(RoutineError) as info:
        load_file(path)
    assert info.value.problems == (
        f"{path}: routines[0].steps[0].exercise: unknown exercise 'ct' (did you mean 'cat'?)",
    )


def test_bad_syntax_example(examples_dir: Path) -> None:
    path = examples_dir / "bad-syntax.toml"
    with pytest.raises(RoutineError) as info:
        load_file(path)
    (problem,) = info.value.problems
    # The string `name = "Cat` on line 4 runs into the end of the line at column 12.
    assert problem.startswith(f"{path}:4:12: TOML syntax error: ")
    assert "Illegal character" in problem
    assert "(at line" not in problem  # the position is moved to the front, not repeated


def test_bad_values_example_reports_all_four_in_one_pass(examples_dir: Path) -> None:
    path = examples_dir / "bad-values.toml"
    with pytest.raises(RoutineError) as info:
        load_file(path)
    assert sorted(info.value.problems) == sorted(
        [
            f"{path}: exercises.egg.phases[0].seconds: -3 {RANGE}",
            f"{path}: routines[0].id: routine id 'Bad Id' may only use lowercase letters, "
            "digits and '-' (like 'daily-back')",
            f"{path}: routines[0].steps[0].rep: unknown key (did you mean `reps`?)",
            f"{path}: routines[0].steps[0].reps: must be a whole number from 1 to 500, "
            "not a string ('ten')",
        ]
    )
    assert str(info.value) == "\n".join(info.value.problems)


# -- a valid document, then one thing wrong at a time -------------------------------------------


def test_valid_doc_loads() -> None:
    book = load_doc(valid_doc())
    assert set(book.exercises) == {"cat", "egg"}
    assert [r.id for r in book.routines] == ["daily"]
    assert book.routine("daily").steps[0].reps == 3
    assert parse_document(valid_doc(), SOURCE) == book


CASES: list[tuple[str, Callable[[Doc], None], list[str]]] = [
    # unknown keys, at every level, with a suggestion
    (
        "top-level",
        put("default", value={}),
        [msg("default: unknown key (did you mean `defaults`?)")],
    ),
    (
        "top-level-no-guess",
        put("zzzz", value=1),
        [msg("zzzz: unknown key (allowed: schema, defaults, exercises, routines)")],
    ),
    (
        "defaults",
        put("defaults", value={"rest_between_set": 3}),
        [msg("defaults.rest_between_set: unknown key (did you mean `rest_between_sets`?)")],
    ),
    (
        "exercise",
        put("exercises", "cat", "cue", value=["x"]),
        [msg("exercises.cat.cue: unknown key (did you mean `cues`?)")],
    ),
    (
        "phase",
        put(*PHASE0, "second", value=3),
        [msg("exercises.cat.phases[0].second: unknown key (did you mean `seconds`?)")],
    ),
    (
        "routine",
        put(*ROUTINE0, "descripton", value="x"),
        [msg("routines[0].descripton: unknown key (did you mean `description`?)")],
    ),
    (
        "step",
        put(*STEP0, "set", value=2),
        [msg("routines[0].steps[0].set: unknown key (did you mean `sets`?)")],
    ),
    # wrong types
    (
        "seconds-string",
        put(*PHASE0, "seconds", value="10"),
        [msg("exercises.cat.phases[0].seconds: must be a number of seconds, not a string ('10')")],
    ),
    (
        "seconds-bool",
        put(*PHASE0, "seconds", value=True),
        [msg("exercises.cat.phases[0].seconds: must be a number of seconds, not a boolean")],
    ),
    (
        "seconds-date",
        put(*PHASE0, "seconds", value=date(2024, 1, 1)),
        [msg("exercises.cat.phases[0].seconds: must be a number of seconds, not a date or time")],
    ),
    (
        "seconds-nan",
        put(*PHASE0, "seconds", value=float("nan")),
        [msg("exercises.cat.phases[0].seconds: must be a finite number of seconds")],
    ),
    (
        "seconds-inf",
        put(*PHASE0, "seconds", value=float("inf")),
        [msg("exercises.cat.phases[0].seconds: must be a finite number of seconds")],
    ),
    (
        "phase-hold-string",
        put(*PHASE0, "hold", value="yes"),
        [msg("exercises.cat.phases[0].hold: must be true or false, not a string ('yes')")],
    ),
    (
        "name-int",
        put("exercises", "cat", "name", value=5),
        [msg("exercises.cat.name: must be a string, not an integer (5)")],
    ),
    (
        "name-blank",
        put("exercises", "cat", "name", value="   "),
        [msg("exercises.cat.name: must not be empty")],
    ),
    (
        "name-missing",
        drop("exercises", "cat", "name"),
        [msg("exercises.cat.name: is required")],
    ),
    (
        "cues-string",
        put("exercises", "cat", "cues", value="x"),
        [msg("exercises.cat.cues: must be a list of strings, not a string ('x')")],
    ),
    (
        "cues-item",
        put("exercises", "cat", "cues", value=["ok", 3]),
        [msg("exercises.cat.cues[1]: must be a string, not an integer (3)")],
    ),
    (
        "tags-table",
        put("exercises", "cat", "tags", value={"a": 1}),
        [msg("exercises.cat.tags: must be a list of strings, not a table")],
    ),
    (
        "exercise-not-table",
        put("exercises", "cat", value="Cat"),
        [msg("exercises.cat: must be a table, not a string ('Cat')")],
    ),
    (
        "exercises-not-table",
        put("exercises", value=3),
        [
            msg("exercises: must be a table, not an integer (3)"),
            msg("routines[0].steps[0].exercise: unknown exercise 'cat'"),
        ],
    ),
    (
        "phases-empty",
        put("exercises", "cat", "phases", value=[]),
        [msg("exercises.cat.phases: must not be empty")],
    ),
    (
        "phases-missing",
        drop("exercises", "cat", "phases"),
        [msg("exercises.cat.phases: is required: one repetition is every phase in order")],
    ),
    (
        "phase-not-table",
        put("exercises", "cat", "phases", value=["Arch"]),
        [msg("exercises.cat.phases[0]: must be a table, not a string ('Arch')")],
    ),
    (
        "phase-name-missing",
        drop(*PHASE0, "name"),
        [msg("exercises.cat.phases[0].name: is required")],
    ),
    (
        "routines-table",
        put("routines", value={"id": "x"}),
        [msg("routines: must be a list, not a table")],
    ),
    (
        "routines-empty",
        put("routines", value=[]),
        [msg("routines: must not be empty")],
    ),
    (
        "routine-not-table",
        put("routines", value=[1]),
        [msg("routines[0]: must be a table, not an integer (1)")],
    ),
    (
        "steps-empty",
        put(*ROUTINE0, "steps", value=[]),
        [msg("routines[0].steps: must not be empty")],
    ),
    (
        "steps-missing",
        drop(*ROUTINE0, "steps"),
        [msg("routines[0].steps: is required: list the exercises to do")],
    ),
    (
        "step-exercise-missing",
        drop(*STEP0, "exercise"),
        [msg("routines[0].steps[0].exercise: is required")],
    ),
    (
        "defaults-not-table",
        put("defaults", value=3),
        [msg("defaults: must be a table, not an integer (3)")],
    ),
    (
        "routine-rest-string",
        put(*ROUTINE0, "rest", value="ten"),
        [msg("routines[0].rest: must be a number of seconds, not a string ('ten')")],
    ),
    (
        "sets-float",
        put(*STEP0, "sets", value=1.5),
        [
            msg(
                "routines[0].steps[0].sets: must be a whole number from 1 to 500, "
                "not a number (1.5)"
            )
        ],
    ),
    (
        "reps-bool",
        put(*STEP0, "reps", value=True),
        [msg("routines[0].steps[0].reps: must be a whole number from 1 to 500, not a boolean")],
    ),
    (
        "hold-bool",
        put(*STEP0, "hold", value=False),
        [msg("routines[0].steps[0].hold: must be a number of seconds, not a boolean")],
    ),
    # numbers out of range
    (
        "seconds-zero",
        put(*PHASE0, "seconds", value=0),
        [msg(f"exercises.cat.phases[0].seconds: 0 {RANGE}")],
    ),
    (
        "seconds-negative",
        put(*PHASE0, "seconds", value=-1),
        [msg(f"exercises.cat.phases[0].seconds: -1 {RANGE}")],
    ),
    (
        "seconds-too-long",
        put(*PHASE0, "seconds", value=3601),
        [msg(f"exercises.cat.phases[0].seconds: 3601 {RANGE}")],
    ),
    (
        "seconds-just-too-long",
        put(*PHASE0, "seconds", value=3600.5),
        [msg(f"exercises.cat.phases[0].seconds: 3600.5 {RANGE}")],
    ),
    (
        "step-hold-zero",
        put(*STEP0, "hold", value=0),
        [msg(f"routines[0].steps[0].hold: 0 {RANGE}")],
    ),
    (
        "reps-zero",
        put(*STEP0, "reps", value=0),
        [msg("routines[0].steps[0].reps: 0 is out of range: must be from 1 to 500")],
    ),
    (
        "reps-501",
        put(*STEP0, "reps", value=501),
        [msg("routines[0].steps[0].reps: 501 is out of range: must be from 1 to 500")],
    ),
    (
        "sets-negative",
        put(*STEP0, "sets", value=-2),
        [msg("routines[0].steps[0].sets: -2 is out of range: must be from 1 to 500")],
    ),
    # ids
    (
        "routine-id-uppercase",
        put(*ROUTINE0, "id", value="Daily"),
        [
            msg(
                "routines[0].id: routine id 'Daily' may only use lowercase letters, digits "
                "and '-' (like 'daily-back')"
            )
        ],
    ),
    (
        "routine-id-underscore",
        put(*ROUTINE0, "id", value="daily_back"),
        [
            msg(
                "routines[0].id: routine id 'daily_back' may only use lowercase letters, digits "
                "and '-' (like 'daily-back')"
            )
        ],
    ),
    (
        "routine-id-empty",
        put(*ROUTINE0, "id", value=""),
        [msg("routines[0].id: must not be empty")],
    ),
    (
        "routine-id-missing",
        drop(*ROUTINE0, "id"),
        [msg("routines[0].id: is required")],
    ),
    (
        "routine-id-int",
        put(*ROUTINE0, "id", value=7),
        [msg("routines[0].id: must be a string, not an integer (7)")],
    ),
    (
        "routine-name-missing",
        drop(*ROUTINE0, "name"),
        [msg("routines[0].name: is required")],
    ),
    # references
    (
        "dangling-with-guess",
        put(*STEP0, "exercise", value="eg"),
        [msg("routines[0].steps[0].exercise: unknown exercise 'eg' (did you mean 'egg'?)")],
    ),
    (
        "dangling-no-guess",
        put(*STEP0, "exercise", value="plank"),
        [msg("routines[0].steps[0].exercise: unknown exercise 'plank'")],
    ),
    (
        "hold-without-hold-phase",
        put(*STEP0, value={"exercise": "egg", "hold": 5}),
        [
            msg(
                "routines[0].steps[0].hold: exercise 'egg' has no phase marked `hold = true` "
                "to apply it to"
            )
        ],
    ),
    # sides
    (
        "sides-empty",
        put(*STEP0, "sides", value=[]),
        [msg('routines[0].steps[0].sides: must name at least one side, like ["left", "right"]')],
    ),
    (
        "sides-duplicate",
        put(*STEP0, "sides", value=["left", "right", "left"]),
        [msg("routines[0].steps[0].sides: side names must be distinct; repeated: left")],
    ),
    (
        "sides-blank",
        put(*STEP0, "sides", value=["left", "  "]),
        [msg("routines[0].steps[0].sides: side names must not be empty")],
    ),
    (
        "sides-string",
        put(*STEP0, "sides", value="left"),
        [msg("routines[0].steps[0].sides: must be a list of strings, not a string ('left')")],
    ),
    (
        "sides-item-int",
        put(*STEP0, "sides", value=["left", 2]),
        [msg("routines[0].steps[0].sides[1]: must be a string, not an integer (2)")],
    ),
    # schema
    (
        "schema-4",
        put("schema", value=4),
        [msg("schema: unsupported schema 4: this version of backtone reads schema = 1, 2 or 3")],
    ),
    (
        "schema-string",
        put("schema", value="1"),
        [msg("schema: must be a whole number from 1 to 3, not a string ('1')")],
    ),
    (
        "schema-bool",
        put("schema", value=True),
        [msg("schema: must be a whole number from 1 to 3, not a boolean")],
    ),
    (
        "schema-float",
        put("schema", value=1.0),
        [msg("schema: must be a whole number from 1 to 3, not a number (1.0)")],
    ),
    (
        "schema-missing",
        drop("schema"),
        [msg("schema: is required: put `schema = 3` at the top")],
    ),
    (
        "exercises-missing",
        drop("exercises"),
        [
            msg("exercises: is required: define at least one [exercises.NAME] table"),
            msg("routines[0].steps[0].exercise: unknown exercise 'cat'"),
        ],
    ),
    (
        "routines-missing",
        drop("routines"),
        [msg("routines: is required: define at least one [[routines]] entry")],
    ),
]


@pytest.mark.parametrize(
    "change, expected", [(c, e) for _, c, e in CASES], ids=[name for name, _, _ in CASES]
)
def test_one_problem_at_a_time(change: Callable[[Doc], None], expected: list[str]) -> None:
    doc = valid_doc()
    change(doc)
    assert sorted(problems_of(doc)) == sorted(expected)


@pytest.mark.parametrize(
    "change, expected", [(c, e) for _, c, e in CASES], ids=[name for name, _, _ in CASES]
)
def test_parse_document_agrees_with_load_text(
    change: Callable[[Doc], None], expected: list[str]
) -> None:
    doc = valid_doc()
    change(doc)
    with pytest.raises(RoutineError) as info:
        parse_document(copy.deepcopy(doc), SOURCE)
    assert sorted(info.value.problems) == sorted(expected)


@pytest.mark.parametrize(
    "key", ["prepare", "rest", "rest_between_sets", "rest_between_reps", "switch_sides"]
)
@pytest.mark.parametrize(
    "where, path",
    [("defaults", ("defaults",)), ("routine", ROUTINE0), ("step", STEP0)],
)
def test_timing_out_of_range_at_every_level(key: str, where: str, path: tuple[Any, ...]) -> None:
    doc = valid_doc()
    doc.setdefault("defaults", {})
    for value in (-1, 3601, float("-inf")):
        put(*path, key, value=value)(doc)
        (problem,) = problems_of(doc)
        prefix = ".".join(str(p) for p in path).replace(".0", "[0]")
        assert problem.startswith(msg(f"{prefix}.{key}: "))
        if isinstance(value, float):
            assert problem.endswith("must be a finite number of seconds")
        else:
            assert f"{value} is out of range" in problem and "at most 3600" in problem


def test_timing_range_message_reads_correctly() -> None:
    doc = valid_doc()
    doc["defaults"] = {"rest": -1}
    (problem,) = problems_of(doc)
    assert problem.startswith(msg("defaults.rest: -1 is out of range: seconds must be "))
    assert "must be 0 and" not in problem
    assert "3600" in problem


@pytest.mark.parametrize("value", [0.5, 1, 3600, 3600.0, 12.25])
def test_seconds_in_range_accepted(value: float) -> None:
    doc = valid_doc()
    put(*PHASE0, "seconds", value=value)(doc)
    assert load_doc(doc).exercises["cat"].phases[0].seconds == float(value)


@pytest.mark.parametrize("key", ["reps", "sets"])
@pytest.mark.parametrize("value", [1, 500])
def test_counts_at_the_limits_accepted(key: str, value: int) -> None:
    # Each at its limit on its own: both at 500 is a routine too long to play (see
    # test_plan_length.py), which is the size cap's business, not the counts'.
    doc = valid_doc()
    put(*STEP0, key, value=value)(doc)
    step = load_doc(doc).routines[0].steps[0]
    assert getattr(step, key) == value


@pytest.mark.parametrize("key", ["seconds", "hold"])
def test_huge_integer_seconds_is_a_problem_not_a_crash(key: str) -> None:
    doc = valid_doc()
    if key == "seconds":
        put(*PHASE0, "seconds", value=10**400)(doc)
    else:
        put(*STEP0, "hold", value=10**400)(doc)
    (problem,) = problems_of(doc)
    assert "out of range" in problem


def test_huge_integer_count_is_a_problem() -> None:
    doc = valid_doc()
    put(*STEP0, "reps", value=10**400)(doc)
    (problem,) = problems_of(doc)
    assert problem.startswith(msg("routines[0].steps[0].reps: 1000"))
    assert problem.endswith("is out of range: must be from 1 to 500")


@pytest.mark.parametrize("bad_id", ["Cat", "my_cat", "ça", "a b"])
def test_bad_exercise_id_is_reported_once(bad_id: str) -> None:
    doc = valid_doc()
    doc["exercises"][bad_id] = doc["exercises"].pop("cat")
    doc["routines"][0]["steps"][0]["exercise"] = bad_id
    # Only the id itself: the step that uses it does not also say "unknown exercise".
    assert problems_of(doc) == (
        msg(
            f"exercises.{bad_id}: exercise id {bad_id!r} may only use lowercase letters, "
            "digits and '-' (like 'daily-back')"
        ),
    )


def test_a_broken_exercise_does_not_cascade_into_its_routines() -> None:
    doc = valid_doc()
    put(*PHASE0, "seconds", value=0)(doc)
    put(*STEP0, "hold", value=4)(doc)
    assert problems_of(doc) == (msg(f"exercises.cat.phases[0].seconds: 0 {RANGE}"),)


def test_duplicate_routine_ids() -> None:
    doc = valid_doc()
    first = doc["routines"][0]
    doc["routines"] += [dict(first, name="Second"), dict(first, id="other"), dict(first)]
    assert problems_of(doc) == (
        msg("routines[1].id: duplicate routine id 'daily' (first used by routines[0])"),
        msg("routines[3].id: duplicate routine id 'daily' (first used by routines[0])"),
    )


def test_duplicate_routine_ids_differing_only_in_spaces() -> None:
    doc = valid_doc()
    doc["routines"].append(dict(doc["routines"][0], id=" daily "))
    problems = problems_of(doc)
    assert any(p.startswith(msg("routines[1].id: ")) for p in problems)


def test_dangling_references_in_several_routines_all_reported() -> None:
    doc = valid_doc()
    doc["routines"][0]["steps"].append({"exercise": "chiar"})
    doc["routines"].append({"id": "b", "name": "B", "steps": [{"exercise": "ct"}]})
    assert problems_of(doc) == (
        msg("routines[0].steps[1].exercise: unknown exercise 'chiar'"),
        msg("routines[1].steps[0].exercise: unknown exercise 'ct' (did you mean 'cat'?)"),
    )


def test_every_problem_in_one_pass() -> None:
    doc = valid_doc()
    doc["defaults"] = {"rest": "x", "warmup": 3}
    doc["exercises"]["cat"]["name"] = 3
    doc["exercises"]["egg"]["phases"][0]["seconds"] = 0
    doc["routines"][0]["steps"][0]["reps"] = 0
    doc["routines"].append({"id": "daily", "name": "Again", "steps": [{"exercise": "dog"}]})
    assert sorted(problems_of(doc)) == sorted(
        [
            msg(
                "defaults.warmup: unknown key (allowed: prepare, rest, rest_between_sets, "
                "rest_between_reps, switch_sides)"
            ),
            msg("defaults.rest: must be a number of seconds, not a string ('x')"),
            msg("exercises.cat.name: must be a string, not an integer (3)"),
            msg(f"exercises.egg.phases[0].seconds: 0 {RANGE}"),
            msg("routines[0].steps[0].reps: 0 is out of range: must be from 1 to 500"),
            msg("routines[1].steps[0].exercise: unknown exercise 'dog'"),
            msg("routines[1].id: duplicate routine id 'daily' (first used by routines[0])"),
        ]
    )


def test_hold_override_on_an_exercise_with_a_hold_phase() -> None:
    doc = valid_doc()
    put(*STEP0, "hold", value=7.5)(doc)
    step = load_doc(doc).routines[0].steps[0]
    arch, sag = step.exercise.phases
    assert step.hold == 7.5
    assert step.phase_seconds(arch) == 7.5  # the hold phase takes the override
    assert step.phase_seconds(sag) == 5.0  # the others keep their own length


def test_sides_are_kept_in_order() -> None:
    doc = valid_doc()
    put(*STEP0, "sides", value=["right", "left"])(doc)
    assert load_doc(doc).routines[0].steps[0].sides == ("right", "left")


# -- timings ------------------------------------------------------------------------------------


def test_timings_default_when_not_given() -> None:
    book = load_doc(valid_doc())
    assert book.routines[0].timings == Timings(5.0, 15.0, 20.0, 0.0, 5.0)
    assert book.routines[0].steps[0].timings == Timings()


def test_timing_overrides_cascade_defaults_routine_step() -> None:
    doc = valid_doc()
    doc["defaults"] = {"prepare": 2, "rest": 30, "switch_sides": 0}
    routine = doc["routines"][0]
    routine["rest"] = 10
    routine["rest_between_reps"] = 1.5
    routine["steps"] = [
        {"exercise": "cat", "prepare": 0, "switch_sides": 8},
        {"exercise": "egg"},
    ]
    doc["routines"].append({"id": "plain", "name": "Plain", "steps": [{"exercise": "egg"}]})
    book = load_doc(doc)
    daily, plain = book.routines
    expected_routine = Timings(
        prepare=2, rest=10, rest_between_sets=20, rest_between_reps=1.5, switch_sides=0
    )
    assert daily.timings == expected_routine
    assert daily.steps[0].timings == Timings(
        prepare=0, rest=10, rest_between_sets=20, rest_between_reps=1.5, switch_sides=8
    )
    assert daily.steps[1].timings == expected_routine
    assert plain.timings == Timings(prepare=2, rest=30, switch_sides=0)
    assert plain.steps[0].timings == plain.timings
    assert all(isinstance(v, float) for v in vars(daily.steps[0].timings).values())


def test_untimed_phases() -> None:
    doc = valid_doc()
    doc["exercises"]["cat"]["phases"] = [
        {"name": "Get on all fours"},
        {"name": "Arch", "hold": True},
    ]
    doc["routines"][0]["steps"][0]["hold"] = 4
    book = load_doc(doc)
    step = book.routines[0].steps[0]
    first, arch = step.exercise.phases
    assert first == Phase("Get on all fours", None, False)
    assert arch == Phase("Arch", None, True)
    assert step.phase_seconds(first) is None
    assert step.phase_seconds(arch) == 4.0


# -- whole-file problems -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \n", "\r\n"])
def test_empty_or_blank_text(text: str) -> None:
    assert problems_of_text(text) == (msg("the file is empty; start it with `schema = 3`"),)


def test_empty_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_bytes(b"")
    with pytest.raises(RoutineError) as info:
        load_file(path)
    assert info.value.problems == (f"{path}: the file is empty; start it with `schema = 3`",)
    assert info.value.source == str(path)


def test_only_comments_lists_what_is_missing() -> None:
    assert problems_of_text("# nothing yet\n") == (
        msg("schema: is required: put `schema = 3` at the top"),
        msg("exercises: is required: define at least one [exercises.NAME] table"),
        msg("routines: is required: define at least one [[routines]] entry"),
    )


def test_non_utf8_bytes_give_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'schema = 1\n# caf\xe9 au lait\nname = "x"\n')
    with pytest.raises(RoutineError) as info:
        load_file(path)
    assert info.value.problems == (f"{path}:2:6: the file is not UTF-8 text (save it as UTF-8)",)


def test_non_utf8_on_the_first_line() -> None:
    with pytest.raises(RoutineError) as info:
        load_bytes(b"\xff\xfeschema = 1", SOURCE)
    assert info.value.problems == (f"{SOURCE}:1:1: the file is not UTF-8 text (save it as UTF-8)",)


def test_syntax_error_position() -> None:
    (problem,) = problems_of_text('schema = 1\n\n[exercises.cat]\nname = "Cat"\nphases = [\n')
    assert problem.startswith(f"{SOURCE}:")
    line, col = problem.split(":")[1:3]
    assert line.isdigit() and col.isdigit()
    assert ": TOML syntax error: " in problem


def test_syntax_error_at_a_known_place() -> None:
    assert problems_of_text("schema = 1\nschema = 2\n")[0].startswith(f"{SOURCE}:2:")
    (problem,) = problems_of_text("schema = 1\nrest = = 3\n")
    assert problem.startswith(f"{SOURCE}:2:8: TOML syntax error: ")


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a = ", "}")])
def test_deep_nesting_is_a_problem_not_a_crash(opening: str, closing: str) -> None:
    depth = 2000
    text = "schema = 1\nx = " + opening * depth + "1" + closing * depth + "\n"
    with pytest.raises(RoutineError) as info:
        load_text(text, SOURCE)
    assert all(p.startswith(f"{SOURCE}") for p in info.value.problems)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(RoutineError) as info:
        load_file(path)
    assert info.value.problems == (f"{path}: no such file",)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(RoutineError) as info:
        load_file(tmp_path)
    assert info.value.problems == (f"{tmp_path}: is a directory, not a routine file",)


def test_load_file_accepts_str_and_path(examples_dir: Path) -> None:
    path = examples_dir / "minimal.toml"
    assert load_file(str(path)) == load_file(path)


def test_routine_error_never_empty() -> None:
    error = RoutineError("x.toml", [])
    assert error.problems == ("x.toml: unusable routine file",)
    assert str(error) == "x.toml: unusable routine file"


def test_book_lookup_and_suggestion() -> None:
    book = load_doc(valid_doc())
    assert book.routine("daily").name == "Daily"
    with pytest.raises(KeyError):
        book.routine("weekly")
    assert book.suggest("dialy") == "daily"
    assert book.suggest("zzzzzz") is None


# -- the bundled routines ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> RoutineBook:
    return load_file(bundled_routines_path())


def reps_of(routine_steps: Any, exercise_id: str) -> int:
    return sum(
        s.reps * s.sets * max(1, len(s.sides))
        for s in routine_steps
        if s.exercise.id == exercise_id
    )


def test_bundled_path_is_the_repo_file() -> None:
    assert bundled_routines_path().resolve() == (REPO_ROOT / "routines.toml").resolve()


def test_bundled_routines_load(bundled: RoutineBook) -> None:
    ids = [r.id for r in bundled.routines]
    assert len(ids) >= 3
    assert {"daily-back", "gentle-short", "pregnancy-cat"} <= set(ids)
    assert len(set(ids)) == len(ids)
    assert {"cat", "egg", "chair"} <= set(bundled.exercises)


def test_every_bundled_routine_carries_the_caution(bundled: RoutineBook) -> None:
    # Since schema 2 the caution has its own key, shown apart, and is not in the description.
    assert bundled.schema == 3
    for routine in bundled.routines:
        caution = " ".join(routine.caution.lower().split())
        assert "stop if the pain grows" in caution, routine.id
        assert "stop if the pain grows" not in routine.description.lower(), routine.id
    assert "midwife" in bundled.routine("pregnancy-cat").caution


def test_pregnancy_routine_is_cat_only(bundled: RoutineBook) -> None:
    routine = bundled.routine("pregnancy-cat")
    assert routine.steps
    assert {s.exercise.id for s in routine.steps} == {"cat"}


def test_daily_routine_doses(bundled: RoutineBook) -> None:
    steps = bundled.routine("daily-back").steps
    assert {s.exercise.id for s in steps} == {"cat", "egg", "chair"}
    assert reps_of(steps, "cat") >= 12
    assert reps_of(steps, "egg") >= 10
    assert reps_of(steps, "chair") >= 5
    for step in steps:
        if step.exercise.id == "egg":
            holds = [step.phase_seconds(p) for p in step.exercise.phases if p.hold]
            assert holds, "the egg needs a hold phase"
            assert all(h is not None and 0 < h <= 10 for h in holds)


def test_the_copied_examples_match_the_shared_ones(examples_dir: Path) -> None:
    # tests/examples holds every shared file unchanged, and schema 2 examples of its own beside
    # them under new names.
    shared = (examples_dir.parents[2] / "shared" / "examples").resolve()
    if not shared.is_dir():
        pytest.skip(f"no shared examples beside this clone to compare with: {shared}")
    names = sorted(p.name for p in shared.glob("*.toml"))
    assert names
    assert set(names) <= {p.name for p in examples_dir.glob("*.toml")}
    for name in names:
        assert (examples_dir / name).read_bytes() == (shared / name).read_bytes(), name


# -- schema 2: caution --------------------------------------------------------------------------


def schema2_doc() -> Doc:
    doc = valid_doc()
    doc["schema"] = 2
    return doc


def test_a_schema_1_file_gets_the_built_in_caution() -> None:
    book = load_doc(valid_doc())
    assert book.schema == 1
    assert book.routines[0].caution == DEFAULT_CAUTION
    assert "stop if the pain grows" in DEFAULT_CAUTION.lower()
    assert "physiotherapist or doctor" in DEFAULT_CAUTION


def test_caution_from_defaults_and_from_the_routine() -> None:
    doc = schema2_doc()
    doc["defaults"] = {"caution": "  Stop if it hurts.\n"}
    doc["routines"].append(
        {"id": "own", "name": "Own", "caution": "Ask your midwife.", "steps": [{"exercise": "egg"}]}
    )
    book = load_doc(doc)
    assert book.schema == 2
    assert [r.caution for r in book.routines] == ["Stop if it hurts.", "Ask your midwife."]


@pytest.mark.parametrize(
    "where, path",
    [(("defaults",), "defaults.caution"), (ROUTINE0, "routines[0].caution")],
)
@pytest.mark.parametrize(
    "value, message",
    [
        (3, "must be a string, not an integer (3)"),
        ("  ", "must not be empty (leave it out for the default)"),
        ("Stop\x07", "contains a control character (U+0007); remove it"),
    ],
)
def test_bad_cautions(where: tuple[Any, ...], path: str, value: Any, message: str) -> None:
    doc = schema2_doc()
    doc.setdefault("defaults", {})
    put(*where, "caution", value=value)(doc)
    assert problems_of(doc) == (msg(f"{path}: {message}"),)


def test_a_schema_2_key_in_a_schema_1_file_asks_for_schema_2() -> None:
    doc = valid_doc()
    doc["defaults"] = {"caution": "Careful."}
    put(*ROUTINE0, "caution", value="Careful.")(doc)
    assert problems_of(doc) == (
        msg("defaults.caution: is a schema 2 key: put `schema = 2` at the top to use it"),
        msg("routines[0].caution: is a schema 2 key: put `schema = 2` at the top to use it"),
    )


def test_bad_caution_example(examples_dir: Path) -> None:
    path = examples_dir / "bad-caution.toml"
    with pytest.raises(RoutineError) as info:
        load_file(path)
    assert info.value.problems == (
        f"{path}: defaults.caution: must be a string, not an integer (3)",
        f"{path}: routines[0].caution: contains a control character (U+0007); remove it",
    )


def test_schema_2_example_contents(examples_dir: Path) -> None:
    book = load_file(examples_dir / "schema2-figure-caution-progress.toml")
    assert book.schema == 2
    rising, plain = book.routines
    assert rising.caution == "Stop at once if the pain grows."
    assert plain.caution.startswith("Stop if the pain grows; ask a physiotherapist")
    assert rising.steps[0].progress is not None and rising.steps[0].progress.maximum == 10.0
    assert book.exercises["side-stretch"].name == "Side stretch [standing]"
    assert all(p.figure for e in book.exercises.values() for p in e.phases)


# -- text is text -------------------------------------------------------------------------------

TEXT_KEYS = [
    (("exercises", "cat", "name"), "exercises.cat.name", False),
    (("exercises", "cat", "setup"), "exercises.cat.setup", True),
    (("exercises", "cat", "notes"), "exercises.cat.notes", True),
    (("exercises", "cat", "cues"), "exercises.cat.cues[0]", False),
    (("exercises", "cat", "tags"), "exercises.cat.tags[0]", False),
    ((*PHASE0, "name"), "exercises.cat.phases[0].name", False),
    ((*ROUTINE0, "name"), "routines[0].name", False),
    ((*ROUTINE0, "description"), "routines[0].description", True),
    ((*STEP0, "sides"), "routines[0].steps[0].sides[0]", False),
]


def text_put(path: tuple[Any, ...], where: str, value: str) -> Callable[[Doc], None]:
    return put(*path, value=[value] if where.endswith("[0]") else value)


@pytest.mark.parametrize("path, where, multiline", TEXT_KEYS)
@pytest.mark.parametrize("char", ["\x1b", "\x00", "\x7f", "\x9b", "\t", "\r"])
def test_control_characters_are_refused_with_the_key_path(
    path: tuple[Any, ...], where: str, multiline: bool, char: str
) -> None:
    doc = valid_doc()
    text_put(path, where, f"Cat{char}[2J")(doc)
    (problem,) = problems_of(doc)
    assert problem.startswith(msg(f"{where}: contains a control character (U+{ord(char):04X}"))
    assert problem.endswith("); remove it")
    assert char not in problem


@pytest.mark.parametrize("path, where, multiline", TEXT_KEYS)
def test_a_newline_only_in_multi_line_text(
    path: tuple[Any, ...], where: str, multiline: bool
) -> None:
    doc = valid_doc()
    text_put(path, where, "First line\nsecond line")(doc)
    if multiline:
        book = load_doc(doc)
        cat = book.exercises["cat"]
        texts = {cat.setup, cat.notes, book.routines[0].description}
        assert "First line\nsecond line" in texts
    else:
        assert problems_of(doc) == (
            msg(f"{where}: contains a control character (U+000A, a line break); remove it"),
        )


@pytest.mark.parametrize("name", ["Cat [/]", "Side plank [left]", "[bold]x[/bold]", "[link=x]y"])
def test_square_brackets_load_as_they_are(name: str) -> None:
    doc = valid_doc()
    put("exercises", "cat", "name", value=name)(doc)
    put(*ROUTINE0, "name", value=name)(doc)
    book = load_doc(doc)
    assert book.exercises["cat"].name == name
    assert book.routines[0].name == name


def test_a_key_with_a_control_character_is_escaped_in_the_message() -> None:
    doc = valid_doc()
    put(*STEP0, "re\x1b[2Jps", value=3)(doc)
    (problem,) = problems_of(doc)
    assert "\x1b" not in problem
    assert problem.startswith(msg("routines[0].steps[0].re\\x1b[2Jps: unknown key"))


def test_an_exercise_id_ending_in_a_newline_is_not_an_id() -> None:
    doc = valid_doc()
    doc["exercises"]["cat\n"] = doc["exercises"].pop("cat")
    problems = problems_of(doc)
    assert problems[0] == msg(
        "exercises.cat\\x0a: exercise id 'cat\\n' may only use lowercase letters, digits "
        "and '-' (like 'daily-back')"
    )


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + tomli_w.dumps(valid_doc()).encode())
    assert load_file(path).routines == load_doc(valid_doc()).routines
    assert load_text("\ufeff" + tomli_w.dumps(valid_doc()), SOURCE) == load_doc(valid_doc())


# -- many problems ------------------------------------------------------------------------------


def test_at_most_200_problems_then_a_count_of_the_rest() -> None:
    doc = valid_doc()
    doc["routines"] = [
        {"id": f"r{i}", "name": "R", "steps": [{"exercise": "x"}]} for i in range(250)
    ]
    problems = problems_of(doc)
    assert len(problems) == 201
    assert problems[199] == msg("routines[199].steps[0].exercise: unknown exercise 'x'")
    assert problems[200] == msg("50 more problems not shown; fix the ones above and check again")


def test_exactly_200_problems_are_all_shown() -> None:
    doc = valid_doc()
    doc["routines"] = [
        {"id": f"r{i}", "name": "R", "steps": [{"exercise": "x"}]} for i in range(200)
    ]
    problems = problems_of(doc)
    assert len(problems) == 200
    assert "not shown" not in problems[-1]
