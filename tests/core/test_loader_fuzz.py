"""Property tests: whatever a routine file holds, loading it ends in a book or a RoutineError.

Never another exception, never an empty error, and every message names the file it is about.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from typing import Any

import tomli_w
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tui.core.loader import load_bytes, load_text, parse_document
from tui.core.model import TIMING_KEYS, RoutineBook, RoutineError
from tui.core.plan import build_plan
from tui.core.poses import POSE_NAMES
from tui.paths import bundled_routines_path

SOURCE = "fuzz.toml"
MESSAGE = re.compile(rf"^{re.escape(SOURCE)}(:\d+:\d+)?: .", re.DOTALL)
MAX_PLANNED = 5_000  # work segments; bigger valid books are loaded but not planned, for speed
FUZZ = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BUNDLED_TEXT = bundled_routines_path().read_text(encoding="utf-8")


def check_outcome(load: Any, *args: Any) -> RoutineBook | None:
    """Run a loader; only RoutineError may escape it, and a good book must plan."""
    try:
        book = load(*args)
    except RoutineError as error:
        assert error.problems
        for problem in error.problems:
            assert isinstance(problem, str)
            assert MESSAGE.match(problem), problem
        assert str(error) == "\n".join(error.problems)
        event("refused")
        return None
    event("loaded")
    assert isinstance(book, RoutineBook)
    assert book.routines
    for routine in book.routines:
        size = sum(
            s.reps * s.sets * max(1, len(s.sides)) * len(s.exercise.phases) for s in routine.steps
        )
        if size > MAX_PLANNED:
            continue
        plan = build_plan(routine)
        assert plan.segments
        assert math.isfinite(plan.timed_seconds)
        plan.length_text()
        plan.digest()
    return book


# -- (a) arbitrary text -------------------------------------------------------------------------

TOMLISH = st.lists(
    st.sampled_from([*"[]{}=\"'.,#\n\t -_:+aeiou0123456789schemaxrptdn", "\r\n", "schema = 1\n"]),
    max_size=200,
).map("".join)


@FUZZ
@given(st.text(max_size=300))
def test_any_text(text: str) -> None:
    check_outcome(load_text, text, SOURCE)


@FUZZ
@given(TOMLISH)
def test_toml_looking_text(text: str) -> None:
    check_outcome(load_text, text, SOURCE)


@FUZZ
@given(st.binary(max_size=200))
def test_any_bytes(data: bytes) -> None:
    check_outcome(load_bytes, data, SOURCE)


# -- (b) documents shaped like the schema, with mutations ---------------------------------------

# Integers only up to what a float can hold: beyond that is a known bug, see
# test_routines.py::test_huge_integer_seconds_is_a_problem_not_a_crash.
BIG = 10**300
scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-BIG, max_value=BIG),
    st.integers(min_value=-3, max_value=4000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=6), inner, max_size=3),
    ),
    max_leaves=6,
)
numbers = st.one_of(
    st.integers(min_value=-2, max_value=4000),
    st.floats(min_value=-10, max_value=4000),
    st.sampled_from([0, 0.0, -0.0, 3600, 3600.0001, 1e-300, math.nan, math.inf, -math.inf]),
    junk,
)
counts = st.one_of(st.integers(min_value=-2, max_value=600), junk)
EXERCISE_IDS = ["cat", "egg", "chair", "knee-hug", "Cat", "c t", ""]
ids = st.one_of(st.sampled_from(EXERCISE_IDS), st.text(max_size=8))
texts = st.one_of(st.text(max_size=10), junk)
MISSPELLED = ["nmae", "second", "rep", "set", "side", "holds", "exercice", "routine", "schem"]


def maybe(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the right kind of value, now and then anything at all."""
    return st.one_of(good, good, good, junk)


def table(
    required: dict[str, st.SearchStrategy[Any]], optional: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[Any]:
    """A table whose required keys may go missing and which may grow unknown keys."""
    shaped = st.fixed_dictionaries({}, optional={**required, **optional})
    whole = st.fixed_dictionaries(required, optional=optional)
    extras = st.dictionaries(st.sampled_from(MISSPELLED) | st.text(max_size=6), junk, max_size=2)
    return st.builds(lambda base, more: {**more, **base}, st.one_of(whole, whole, shaped), extras)


timings = {key: numbers for key in TIMING_KEYS}
figures = st.one_of(
    st.lists(st.text(max_size=30), max_size=10).map("\n".join),
    st.sampled_from(["   O\n  /|\\\n  / \\\n", "\tO", "", "  \n\n"]),
)
poses = st.sampled_from([*POSE_NAMES, "cat-arch", "", "Egg-Hug"])
phase = table(
    {"name": maybe(st.text(max_size=10))},
    {
        "seconds": numbers,
        "hold": maybe(st.booleans()),
        "figure": maybe(figures),
        "pose": maybe(poses),
    },
)
exercise = table(
    {"name": maybe(st.text(max_size=10)), "phases": maybe(st.lists(maybe(phase), max_size=3))},
    {
        "setup": texts,
        "notes": texts,
        "cues": maybe(st.lists(texts, max_size=3)),
        "tags": maybe(st.lists(texts, max_size=3)),
    },
)
progress = table(
    {"step": numbers, "every": counts},
    {"hold": numbers, "reps": counts},
)
step = table(
    {"exercise": maybe(ids)},
    {
        "progress": maybe(progress),
        "reps": counts,
        "sets": counts,
        "hold": numbers,
        "sides": maybe(st.lists(st.sampled_from(["left", "right", "", " left"]), max_size=3)),
        **timings,
    },
)
routine = table(
    {
        "id": maybe(st.sampled_from(["daily", "a-1", "Daily", "a b"]) | st.text(max_size=6)),
        "name": maybe(st.text(max_size=10)),
        "steps": maybe(st.lists(maybe(step), max_size=3)),
    },
    {"description": texts, "caution": texts, "per_week": counts, **timings},
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))
program = table(
    {"title": maybe(st.text(max_size=10))},
    {
        "by": texts,
        "version": maybe(st.text(max_size=4) | st.integers(-2, 20)),
        "issued": maybe(days),
        "review": maybe(days),
        "note": texts,
    },
)
documents = table(
    {
        "schema": st.one_of(st.just(1), st.just(2), st.just(3), st.just(3), junk),
        "exercises": maybe(st.dictionaries(ids, maybe(exercise), max_size=3)),
        "routines": maybe(st.lists(maybe(routine), max_size=3)),
    },
    {"defaults": maybe(table({}, {**timings, "caution": texts})), "program": maybe(program)},
)


@FUZZ
@given(documents)
def test_documents_through_toml(document: dict[str, Any]) -> None:
    check_outcome(load_text, tomli_w.dumps(document), SOURCE)


@FUZZ
@given(documents)
def test_documents_parsed_directly(document: dict[str, Any]) -> None:
    check_outcome(parse_document, document, SOURCE)


# Control, surrogate and invisible characters are refused (see checks.invisible_character).
PLAIN_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp"))
    | st.sampled_from("[]/="),
    min_size=1,
    max_size=10,
)


# A valid document every time: checks that the loader does not refuse good files.
@st.composite
def valid_documents(draw: st.DrawFn) -> tuple[dict[str, Any], int]:
    # Up to 120 s: 3 steps of 3 sides x 3 sets x 4 reps x 3 phases, with every pause, stay
    # under the 24 h a routine may last (the limit has its own tests in test_plan_length.py).
    seconds = st.one_of(
        st.integers(min_value=1, max_value=120),
        st.floats(min_value=0.001, max_value=120, allow_nan=False),
    )
    pauses = st.one_of(st.just(0), seconds)
    # Control characters are refused at load time (text reaches a terminal), so a valid
    # document leaves them out; PLAIN_TEXT keeps everything else, markup-like brackets included.
    name = PLAIN_TEXT.filter(str.strip)
    exercise_ids = draw(
        st.lists(st.from_regex(r"\A[a-z0-9-]{1,8}\Z"), min_size=1, max_size=3, unique=True)
    )
    exercises: dict[str, dict[str, Any]] = {}
    for exercise_id in exercise_ids:
        phases = draw(
            st.lists(
                st.fixed_dictionaries(
                    {"name": name}, optional={"seconds": seconds, "hold": st.booleans()}
                ),
                min_size=1,
                max_size=3,
            )
        )
        exercises[exercise_id] = {"name": draw(name), "phases": phases}
    routine_ids = draw(
        st.lists(st.from_regex(r"\A[a-z0-9-]{1,8}\Z"), min_size=1, max_size=3, unique=True)
    )
    routines = []
    for routine_id in routine_ids:
        steps = []
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            exercise_id = draw(st.sampled_from(exercise_ids))
            item: dict[str, Any] = {"exercise": exercise_id}
            item.update(
                draw(
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "reps": st.integers(min_value=1, max_value=4),
                            "sets": st.integers(min_value=1, max_value=3),
                            "sides": st.lists(
                                st.sampled_from(["left", "right", "front"]),
                                min_size=1,
                                unique=True,
                            ),
                            **{key: pauses for key in TIMING_KEYS},
                        },
                    )
                )
            )
            if any(p.get("hold") for p in exercises[exercise_id]["phases"]) and draw(st.booleans()):
                item["hold"] = draw(seconds)
            steps.append(item)
        routines.append({"id": routine_id, "name": draw(name), "steps": steps})
    document: dict[str, Any] = {"schema": 1, "exercises": exercises, "routines": routines}
    if draw(st.booleans()):
        # Schema 3 accepts every schema 1 document, and adds its own keys.
        document["schema"] = 3
        for routine in routines:
            if draw(st.booleans()):
                routine["per_week"] = draw(st.integers(min_value=1, max_value=14))
        for exercise in exercises.values():
            for one_phase in exercise["phases"]:
                if draw(st.booleans()):
                    one_phase["pose"] = draw(st.sampled_from(POSE_NAMES))
        if draw(st.booleans()):
            document["program"] = {"title": draw(name), "version": draw(st.integers(0, 99))}
    if draw(st.booleans()):
        document["defaults"] = draw(
            st.fixed_dictionaries({}, optional=dict.fromkeys(TIMING_KEYS, pauses))
        )
    return document, len(routines)


@FUZZ
@given(valid_documents())
def test_valid_documents_load(case: tuple[dict[str, Any], int]) -> None:
    document, routine_count = case
    book = check_outcome(load_text, tomli_w.dumps(document), SOURCE)
    assert book is not None
    assert len(book.routines) == routine_count
    assert parse_document(document, SOURCE) == book


# -- (c) text from the file is text: markup kept as written, control characters refused -------

MARKUP = ["[bold]", "[/]", "[/bold]", "[link=x]", "[red on blue]", "[", "]", "\\[", "=", "Cat"]
CONTROLS = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]]
INVISIBLE = ["\u202e", "\u200e", "\u2066", "\u2069", "\u200b", "\ufeff", "\u2028", "\u00ad"]
risky_text = st.lists(
    st.sampled_from(MARKUP)
    | st.sampled_from(CONTROLS)
    | st.sampled_from(INVISIBLE)
    | st.text(max_size=3),
    max_size=6,
).map("".join)


def is_invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Zl", "Zp")


# Where a name or a text can go: (path in the document, key path in a message, multi-line).
PLACES = [
    (("exercises", "cat", "name"), "exercises.cat.name", False),
    (("exercises", "cat", "notes"), "exercises.cat.notes", True),
    (("exercises", "cat", "phases", 0, "name"), "exercises.cat.phases[0].name", False),
    (("routines", 0, "name"), "routines[0].name", False),
    (("routines", 0, "description"), "routines[0].description", True),
    (("routines", 0, "caution"), "routines[0].caution", True),
    (("program", "title"), "program.title", False),
    (("program", "note"), "program.note", True),
]


def read_back(book: RoutineBook, path: tuple[Any, ...]) -> str:
    if path[0] == "program":
        return str(getattr(book.program, path[1]))
    target: Any = book.exercises["cat"] if path[0] == "exercises" else book.routines[0]
    for key in path[2:]:  # past ("exercises", "cat") or ("routines", 0)
        target = target[key] if isinstance(key, int) else getattr(target, key)
    return str(target)


@FUZZ
@given(risky_text, st.sampled_from(PLACES))
def test_markup_and_control_characters_in_text(
    text: str, place: tuple[tuple[Any, ...], str, bool]
) -> None:
    path, where, multiline = place
    document: dict[str, Any] = {
        "schema": 3,
        "program": {"title": "P"},
        "exercises": {"cat": {"name": "Cat", "phases": [{"name": "Arch", "seconds": 5}]}},
        "routines": [{"id": "r", "name": "R", "steps": [{"exercise": "cat"}]}],
    }
    target: Any = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = text
    allowed = {"\n"} if multiline else set()
    has_control = any(c in CONTROLS and c not in allowed for c in text)
    # A joiner may be allowed or not (inside an emoji or not): test_schema3.py pins that down.
    has_control |= any(is_invisible(c) and c != "\u200d" for c in text)
    maybe_refused = "\u200d" in text
    book = check_outcome(load_text, tomli_w.dumps(document), SOURCE)
    if book is None:
        # Refused: only for a control or invisible character or a blank required text, named
        # by its path.
        with_path = [p for p in _problems(document) if p.startswith(f"{SOURCE}: {where}: ")]
        assert with_path, _problems(document)
        assert has_control or maybe_refused or not text.strip()
        return
    assert not has_control
    if text.strip() or path[-1] != "caution":
        assert read_back(book, path) == text.strip()


def _problems(document: dict[str, Any]) -> tuple[str, ...]:
    try:
        parse_document(document, SOURCE)
    except RoutineError as error:
        return error.problems
    return ()


# -- (d) the bundled file, damaged --------------------------------------------------------------

SNIPPETS = [
    "",
    "[[routines]]",
    "[exercises.cat]",
    "[defaults]",
    'id = "daily-back"',
    "reps = 0",
    "seconds = -1",
    "hold = true",
    "schema = 2",
    'steps = [{ exercise = "ct" }]',
    "phases = []",
    "sides = []",
    "=",
    '"""',
    "[",
]


@st.composite
def damaged(draw: st.DrawFn) -> str:
    text = BUNDLED_TEXT
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        operation = draw(
            st.sampled_from(
                ["delete", "insert", "replace", "drop-line", "dup-line", "swap-lines", "add-line"]
            )
        )
        lines = text.split("\n")
        if operation in ("delete", "insert", "replace"):
            at = draw(st.integers(min_value=0, max_value=max(0, len(text) - 1)))
            size = draw(st.integers(min_value=1, max_value=5))
            chars = draw(st.text(min_size=1, max_size=5) | st.sampled_from(list("[]{}=\"'#,.\n")))
            if operation == "delete":
                text = text[:at] + text[at + size :]
            elif operation == "insert":
                text = text[:at] + chars + text[at:]
            else:
                text = text[:at] + chars + text[at + len(chars) :]
            continue
        line = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if operation == "drop-line":
            del lines[line]
        elif operation == "dup-line":
            lines.insert(line, lines[line])
        elif operation == "swap-lines":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[line], lines[other] = lines[other], lines[line]
        else:
            lines.insert(line, draw(st.sampled_from(SNIPPETS)))
        text = "\n".join(lines)
    return text


def test_the_bundled_file_is_valid_to_start_with() -> None:
    book = load_text(BUNDLED_TEXT, SOURCE)
    assert all(build_plan(routine).segments for routine in book.routines)


@FUZZ
@given(damaged())
def test_damaged_bundled_file(text: str) -> None:
    check_outcome(load_text, text, SOURCE)


@FUZZ
@given(damaged())
def test_damaged_bundled_file_as_bytes(text: str) -> None:
    check_outcome(load_bytes, text.encode("utf-8", "surrogatepass"), SOURCE)
