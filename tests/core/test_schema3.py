"""Schema 3 (the [program] table, `per_week`, `pose`), invisible characters refused in every
text of a routine file, and a caution short enough to show whole at 40x12."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.content import Content

from tui.cli import main
from tui.core.checks import CAUTION_COLUMNS, CAUTION_ROWS, wrapped_line_count
from tui.core.loader import load_file, load_text, parse_document
from tui.core.model import DEFAULT_CAUTION, Phase, Program, RoutineBook, RoutineError
from tui.core.poses import POSE_NAMES
from tui.paths import bundled_routines_path

SOURCE = "test.toml"
Doc = dict[str, Any]
PROPERTIES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def doc3() -> Doc:
    """A small valid schema 3 document; tests change one thing in it."""
    return {
        "schema": 3,
        "program": {"title": "Back programme"},
        "exercises": {
            "cat": {
                "name": "Cat",
                "setup": "On all fours.",
                "phases": [
                    {"name": "Arch", "seconds": 5, "hold": True, "pose": "cat-arched"},
                    {"name": "Sag", "seconds": 5},
                ],
            },
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


def msg(text: str) -> str:
    return f"{SOURCE}: {text}"


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


PHASE0 = ("exercises", "cat", "phases", 0)
PHASE1 = ("exercises", "cat", "phases", 1)
ROUTINE0 = ("routines", 0)
FIGURE = "  \\__O\n"
NEEDS_3 = "needs schema = 3: put `schema = 3` at the top to use it"


# -- [program] ----------------------------------------------------------------------------------


def test_a_program_with_every_key() -> None:
    doc = doc3()
    doc["program"] = {
        "title": " Back programme after the March visit ",
        "by": "A. Physio, Riverside clinic",
        "version": "2",
        "issued": date(2026, 11, 20),
        "review": date(2027, 1, 15),
        "note": "Daily if you can.\nThe Egg hold rises on its own.",
    }
    assert load_doc(doc).program == Program(
        title="Back programme after the March visit",
        by="A. Physio, Riverside clinic",
        version="2",
        issued=date(2026, 11, 20),
        review=date(2027, 1, 15),
        note="Daily if you can.\nThe Egg hold rises on its own.",
    )


def test_a_title_is_enough() -> None:
    assert load_doc(doc3()).program == Program("Back programme")


def test_no_program_table_is_none() -> None:
    doc = doc3()
    del doc["program"]
    assert load_doc(doc).program is None


@pytest.mark.parametrize("version, text", [(2, "2"), (0, "0"), ("2.1b", "2.1b"), (" 3 ", "3")])
def test_a_version_number_is_kept_as_its_text(version: Any, text: str) -> None:
    doc = doc3()
    doc["program"]["version"] = version
    program = load_doc(doc).program
    assert program is not None and program.version == text


def test_a_review_on_the_day_of_issue_is_allowed() -> None:
    doc = doc3()
    doc["program"] |= {"issued": date(2026, 11, 20), "review": date(2026, 11, 20)}
    assert load_doc(doc).program is not None


PROGRAM_CASES: list[tuple[str, Callable[[Doc], None], list[str]]] = [
    ("not-a-table", put("program", value="x"), ["program: must be a table, not a string ('x')"]),
    ("title-missing", put("program", value={"by": "A"}), ["program.title: is required"]),
    ("title-blank", put("program", "title", value="  "), ["program.title: must not be empty"]),
    (
        "title-int",
        put("program", "title", value=3),
        ["program.title: must be a string, not an integer (3)"],
    ),
    (
        "title-two-lines",
        put("program", "title", value="Back\nprogramme"),
        ["program.title: contains a control character (U+000A, a line break); remove it"],
    ),
    (
        "misspelt-key",
        put("program", "notes", value="x"),
        ["program.notes: unknown key (did you mean `note`?)"],
    ),
    (
        "unknown-key",
        put("program", "zzz", value="x"),
        ["program.zzz: unknown key (allowed: title, by, version, issued, review, note)"],
    ),
    (
        "version-float",
        put("program", "version", value=2.1),
        ['program.version: must be a string (like "2.1") or a whole number, not a number (2.1)'],
    ),
    (
        "version-bool",
        put("program", "version", value=True),
        ['program.version: must be a string (like "2.1") or a whole number, not a boolean'],
    ),
    (
        "issued-string",
        put("program", "issued", value="2026-11-20"),
        ["program.issued: must be a date like 2026-11-20, not a string ('2026-11-20')"],
    ),
    (
        "issued-date-time",
        put("program", "issued", value=datetime(2026, 11, 20, 9, 30)),
        ["program.issued: must be a date like 2026-11-20, not a date or time"],
    ),
    (
        "review-time",
        put("program", "review", value=time(9, 30)),
        ["program.review: must be a date like 2026-11-20, not a date or time"],
    ),
    (
        "review-before-issued",
        put(
            "program",
            value={"title": "P", "issued": date(2026, 11, 20), "review": date(2026, 10, 1)},
        ),
        [
            "program.review: 2026-10-01 is before `issued` (2026-11-20); a review comes after "
            "the programme is issued"
        ],
    ),
    (
        "misspelt-table",
        lambda doc: doc.update(programme=doc.pop("program")),
        ["programme: unknown key (did you mean `program`?)"],
    ),
]


@pytest.mark.parametrize(
    "change, expected",
    [(c, e) for _, c, e in PROGRAM_CASES],
    ids=[name for name, _, _ in PROGRAM_CASES],
)
def test_program_problems(change: Callable[[Doc], None], expected: list[str]) -> None:
    doc = doc3()
    change(doc)
    assert problems_of(doc) == tuple(msg(e) for e in expected)
    # An already-parsed document (dates and all) is checked the same way.
    with pytest.raises(RoutineError) as info:
        parse_document(doc, SOURCE)
    assert info.value.problems == tuple(msg(e) for e in expected)


# -- per_week -----------------------------------------------------------------------------------


@pytest.mark.parametrize("per_week", [1, 5, 14])
def test_per_week_from_1_to_14(per_week: int) -> None:
    doc = doc3()
    doc["routines"][0]["per_week"] = per_week
    assert load_doc(doc).routines[0].per_week == per_week


def test_no_per_week_is_none() -> None:
    assert load_doc(doc3()).routines[0].per_week is None


@pytest.mark.parametrize(
    "value, message",
    [
        (0, "0 is out of range: must be from 1 to 14"),
        (15, "15 is out of range: must be from 1 to 14"),
        (-1, "-1 is out of range: must be from 1 to 14"),
        ("5", "must be a whole number from 1 to 14, not a string ('5')"),
        (2.5, "must be a whole number from 1 to 14, not a number (2.5)"),
        (True, "must be a whole number from 1 to 14, not a boolean"),
    ],
)
def test_bad_per_week(value: Any, message: str) -> None:
    doc = doc3()
    doc["routines"][0]["per_week"] = value
    assert problems_of(doc) == (msg(f"routines[0].per_week: {message}"),)


def test_a_misspelt_per_week() -> None:
    doc = doc3()
    doc["routines"][0]["perweek"] = 5
    assert problems_of(doc) == (msg("routines[0].perweek: unknown key (did you mean `per_week`?)"),)


# -- pose ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("pose", POSE_NAMES)
def test_every_pose_of_the_library_is_accepted(pose: str) -> None:
    doc = doc3()
    put(*PHASE0, "pose", value=pose)(doc)
    assert load_doc(doc).exercises["cat"].phases[0].pose == pose


def test_poses_and_figures_mix_across_phases() -> None:
    doc = doc3()
    put(*PHASE1, "figure", value=FIGURE)(doc)
    arch, sag = load_doc(doc).exercises["cat"].phases
    assert (arch.pose, arch.figure) == ("cat-arched", "")
    assert (sag.pose, sag.figure) == ("", "  \\__O")


POSE_CASES = [
    ("cat-arch", "unknown pose 'cat-arch' (did you mean 'cat-arched'?)"),
    ("Egg-Hug", "unknown pose 'Egg-Hug' (did you mean 'egg-hug'?)"),
    ("plank", f"unknown pose 'plank' (the poses: {', '.join(POSE_NAMES)})"),
    ("", "must not be empty"),
    (3, "must be a string, not an integer (3)"),
    (["cat-arched"], "must be a string, not a list"),
]


@pytest.mark.parametrize("pose, message", POSE_CASES)
def test_bad_poses(pose: Any, message: str) -> None:
    doc = doc3()
    put(*PHASE0, "pose", value=pose)(doc)
    assert problems_of(doc) == (msg(f"exercises.cat.phases[0].pose: {message}"),)


def test_a_figure_and_a_pose_on_one_phase() -> None:
    doc = doc3()
    put(*PHASE0, "figure", value=FIGURE)(doc)
    assert problems_of(doc) == (
        msg("exercises.cat.phases[0].pose: a phase has a `figure` or a `pose`, not both; keep one"),
    )


def test_a_misspelt_pose_key() -> None:
    doc = doc3()
    phase = doc["exercises"]["cat"]["phases"][0]
    phase["posture"] = phase.pop("pose")
    assert problems_of(doc) == (
        msg("exercises.cat.phases[0].posture: unknown key (did you mean `pose`?)"),
    )


# -- schema 1 and 2 files -----------------------------------------------------------------------


@pytest.mark.parametrize("schema", [1, 2])
def test_schema_3_keys_in_an_earlier_file_ask_for_schema_3(schema: int) -> None:
    doc = doc3()
    doc["schema"] = schema
    doc["routines"][0]["per_week"] = 5
    assert problems_of(doc) == (
        msg(f"program: {NEEDS_3}"),
        msg(f"exercises.cat.phases[0].pose: {NEEDS_3}"),
        msg(f"routines[0].per_week: {NEEDS_3}"),
    )


def test_a_schema_1_file_with_a_figure_still_asks_for_schema_2() -> None:
    doc = doc3()
    del doc["program"]
    doc["schema"] = 1
    put(*PHASE0, value={"name": "Arch", "figure": FIGURE})(doc)
    assert problems_of(doc) == (
        msg(
            "exercises.cat.phases[0].figure: is a schema 2 key: put `schema = 2` at the top "
            "to use it"
        ),
    )


def test_a_schema_1_document_reads_the_same_as_schema_2_and_3() -> None:
    doc = doc3()
    del doc["program"]
    del doc["exercises"]["cat"]["phases"][0]["pose"]
    books = []
    for schema in (1, 2, 3):
        doc["schema"] = schema
        books.append(load_doc(doc))
    assert books[0].routines == books[1].routines == books[2].routines
    assert books[0].exercises == books[2].exercises
    assert [book.schema for book in books] == [1, 2, 3]
    assert all(book.program is None for book in books)


def test_the_older_examples_have_no_schema_3_values(examples_dir: Path) -> None:
    paths = list(examples_dir.glob("*.toml"))
    for path in paths:
        if path.name.startswith(("bad-", "schema3-")):
            continue
        book = load_file(path)
        assert book.schema in (1, 2), path
        assert book.program is None
        assert all(r.per_week is None for r in book.routines)
        assert all(p.pose == "" for e in book.exercises.values() for p in e.phases)


def test_an_unsupported_schema_names_the_three() -> None:
    doc = doc3()
    doc["schema"] = 4
    (problem, *_) = problems_of(doc)
    assert problem == msg(
        "schema: unsupported schema 4: this version of backtone reads schema = 1, 2 or 3"
    )


# -- the example files --------------------------------------------------------------------------


def test_the_schema_3_example(examples_dir: Path) -> None:
    book = load_file(examples_dir / "schema3-program-pose.toml")
    assert book.schema == 3
    assert book.program == Program(
        title="Back programme after the March visit",
        by="A. Physio, Riverside clinic",
        version="2",
        issued=date(2026, 11, 20),
        review=date(2027, 1, 15),
        note="Daily if you can.\nThe Egg hold rises on its own.",
    )
    daily, when_you_can = book.routines
    assert (daily.per_week, when_you_can.per_week) == (5, None)
    egg, cat = book.exercises["egg"], book.exercises["cat"]
    assert [p.pose for p in egg.phases] == ["egg-hug", "lying-back"]
    assert cat.phases[0] == Phase("Arch up", 5.0, True, "", "cat-arched")
    assert cat.phases[1].pose == "" and cat.phases[1].figure.endswith("||      ||")
    # An emoji, and one joined from two, are text like any other.
    assert cat.name == "Cat 🐈"
    assert cat.cues == ("Breathe out as you arch 🧘\u200d♀️",)


BAD_EXAMPLES = {
    "bad-schema3-program.toml": [
        "program.titel: unknown key (did you mean `title`?)",
        "program.title: is required",
        'program.version: must be a string (like "2.1") or a whole number, not a number (2.1)',
        "program.review: 2026-10-01 is before `issued` (2026-11-20); a review comes after the "
        "programme is issued",
        "routines[0].per_week: 15 is out of range: must be from 1 to 14",
    ],
    "bad-schema3-pose.toml": [
        "exercises.cat.phases[0].pose: unknown pose 'cat-arch' (did you mean 'cat-arched'?)",
        "exercises.cat.phases[1].pose: a phase has a `figure` or a `pose`, not both; keep one",
    ],
    "bad-schema3-keys-in-schema2.toml": [
        f"program: {NEEDS_3}",
        f"exercises.egg.phases[0].pose: {NEEDS_3}",
        f"routines[0].per_week: {NEEDS_3}",
    ],
    "bad-invisible.toml": [
        "exercises.egg.name: contains an invisible character (U+202E RIGHT-TO-LEFT OVERRIDE); "
        "remove it",
        "exercises.egg.cues[0]: contains an invisible character (U+200B ZERO WIDTH SPACE); "
        "remove it",
        "routines[0].caution: contains an invisible character (U+2028 LINE SEPARATOR); remove it",
    ],
    "bad-caution-too-long.toml": [
        "routines[0].caution: is too long to show whole on a 40x12 screen: its 242 characters "
        "take 8 lines of 35 columns there; at most 5 lines (about 150 characters)",
    ],
}


@pytest.mark.parametrize("name", sorted(BAD_EXAMPLES))
def test_the_bad_examples(examples_dir: Path, name: str) -> None:
    path = examples_dir / name
    with pytest.raises(RoutineError) as info:
        load_file(path)
    assert info.value.problems == tuple(f"{path}: {p}" for p in BAD_EXAMPLES[name])


# -- the command line ---------------------------------------------------------------------------


def test_check_names_schema_3(capsys: pytest.CaptureFixture[str], examples_dir: Path) -> None:
    path = examples_dir / "schema3-program-pose.toml"
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out == f"OK: {path} (schema 3): 2 routines, 2 exercises\n"


def test_check_prints_an_invisible_character_as_an_escape(
    capsys: pytest.CaptureFixture[str], examples_dir: Path
) -> None:
    path = examples_dir / "bad-invisible.toml"
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        f"{path}: exercises.egg.name: contains an invisible character "
        "(U+202E RIGHT-TO-LEFT OVERRIDE); remove it"
    )
    assert "\u202e" not in out


def test_list_is_the_same_for_schema_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    schema3 = doc3()
    schema3["routines"][0]["per_week"] = 5
    schema2 = doc3()
    schema2["schema"] = 2
    del schema2["program"]
    del schema2["exercises"]["cat"]["phases"][0]["pose"]
    outputs = []
    for doc in (schema2, schema3):
        path = tmp_path / "routines.toml"
        path.write_text(tomli_w.dumps(doc), encoding="utf-8")
        assert main(["--routines", str(path), "list"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert "daily" in outputs[1]


# -- invisible characters -----------------------------------------------------------------------

INVISIBLE = [
    ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
    ("\u202a", "LEFT-TO-RIGHT EMBEDDING"),
    ("\u200e", "LEFT-TO-RIGHT MARK"),
    ("\u200f", "RIGHT-TO-LEFT MARK"),
    ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
    ("\u2067", "RIGHT-TO-LEFT ISOLATE"),
    ("\u2068", "FIRST STRONG ISOLATE"),
    ("\u2069", "POP DIRECTIONAL ISOLATE"),
    ("\u200b", "ZERO WIDTH SPACE"),
    ("\u200c", "ZERO WIDTH NON-JOINER"),
    ("\u2060", "WORD JOINER"),
    ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
    ("\u00ad", "SOFT HYPHEN"),
    ("\u2028", "LINE SEPARATOR"),
    ("\u2029", "PARAGRAPH SEPARATOR"),
    ("\U000e0041", "TAG LATIN CAPITAL LETTER A"),
]
# Every text of the file: (where in the document, the key path a message names).
TEXTS = [
    (("exercises", "cat", "name"), "exercises.cat.name"),
    (("exercises", "cat", "setup"), "exercises.cat.setup"),
    (("exercises", "cat", "notes"), "exercises.cat.notes"),
    (("exercises", "cat", "cues", 0), "exercises.cat.cues[0]"),
    (("exercises", "cat", "tags", 0), "exercises.cat.tags[0]"),
    ((*PHASE1, "name"), "exercises.cat.phases[1].name"),
    ((*PHASE0, "pose"), "exercises.cat.phases[0].pose"),
    ((*ROUTINE0, "name"), "routines[0].name"),
    ((*ROUTINE0, "description"), "routines[0].description"),
    ((*ROUTINE0, "caution"), "routines[0].caution"),
    (("defaults", "caution"), "defaults.caution"),
    ((*ROUTINE0, "steps", 0, "exercise"), "routines[0].steps[0].exercise"),
    ((*ROUTINE0, "steps", 0, "sides", 0), "routines[0].steps[0].sides[0]"),
    (("program", "title"), "program.title"),
    (("program", "by"), "program.by"),
    (("program", "version"), "program.version"),
    (("program", "note"), "program.note"),
]


def with_text(path: tuple[Any, ...], text: str) -> Doc:
    """doc3 with one text replaced by `text` inserted into the value it had (or "Text")."""
    doc = doc3()
    doc["defaults"] = {"caution": "Stop if it hurts."}
    doc["exercises"]["cat"] |= {"notes": "n", "cues": ["c"], "tags": ["t"]}
    doc["routines"][0] |= {"description": "d", "caution": "Careful."}
    doc["routines"][0]["steps"][0]["sides"] = ["left"]
    doc["program"] |= {"by": "A. Physio", "version": "2", "note": "Daily."}
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    old = target[path[-1]]
    # Inside the old value, so that a reference (an exercise, a pose) still names something.
    target[path[-1]] = old[:2] + text + old[2:]
    return doc


@pytest.mark.parametrize("char, name", INVISIBLE, ids=[name for _, name in INVISIBLE])
@pytest.mark.parametrize("path, where", TEXTS, ids=[where for _, where in TEXTS])
def test_an_invisible_character_is_refused_with_its_name_and_path(
    path: tuple[Any, ...], where: str, char: str, name: str
) -> None:
    doc = with_text(path, char)
    code = f"U+{ord(char):04X}"
    (problem,) = problems_of(doc)
    assert problem == msg(f"{where}: contains an invisible character ({code} {name}); remove it")
    assert char not in problem


def test_the_texts_load_without_one() -> None:
    for path, _ in TEXTS:
        load_doc(with_text(path, ""))


EMOJI_SEQUENCES = [
    "🧘\u200d♀️",  # person in lotus position, woman: a joiner after a variation selector's base
    "👨\u200d👩\u200d👧",  # family
    "❤️\u200d🔥",  # heart on fire: the joiner after U+FE0F
    "🏃🏽\u200d♂️",  # a skin tone before the joiner
    "🏳️\u200d🌈",
]


@pytest.mark.parametrize("emoji", EMOJI_SEQUENCES)
def test_a_joiner_inside_an_emoji_is_text(emoji: str) -> None:
    doc = doc3()
    doc["exercises"]["cat"]["name"] = f"Cat {emoji}"
    doc["exercises"]["cat"]["cues"] = [f"{emoji} breathe"]
    book = load_doc(doc)
    assert book.exercises["cat"].name == f"Cat {emoji}"
    assert book.exercises["cat"].cues == (f"{emoji} breathe",)


@pytest.mark.parametrize(
    "text",
    ["Ca\u200dt", "\u200d🧘 stretch", "stretch 🧘\u200d", "a\u200d🧘", "🧘\u200da", "🧘 \u200d♀"],
)
def test_a_joiner_anywhere_else_is_refused(text: str) -> None:
    doc = doc3()
    doc["exercises"]["cat"]["name"] = text
    assert problems_of(doc) == (
        msg(
            "exercises.cat.name: contains an invisible character (U+200D ZERO WIDTH JOINER) "
            "outside an emoji; remove it"
        ),
    )


def test_an_invisible_character_in_a_key_is_escaped_in_the_message() -> None:
    doc = doc3()
    doc["routines"][0]["steps"][0]["re\u202eps"] = 3
    (problem,) = problems_of(doc)
    assert problem.startswith(msg("routines[0].steps[0].re\\u202eps: unknown key"))
    assert "\u202e" not in problem


def test_a_byte_order_mark_inside_a_text_is_refused_though_one_may_start_the_file() -> None:
    doc = doc3()
    assert load_text("\ufeff" + tomli_w.dumps(doc), SOURCE).program == Program("Back programme")
    doc["program"]["title"] = "\ufeffBack"
    (problem,) = problems_of(doc)
    assert "(U+FEFF ZERO WIDTH NO-BREAK SPACE)" in problem


def is_invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Zl", "Zp")


visible = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp")), max_size=8
)
invisible = st.characters(categories=("Cf", "Zl", "Zp")).filter(lambda c: c != "\u200d")


@PROPERTIES
@given(visible, invisible, visible, st.sampled_from(TEXTS))
def test_any_invisible_character_anywhere_is_refused(
    before: str, char: str, after: str, place: tuple[tuple[Any, ...], str]
) -> None:
    path, where = place
    doc = with_text(path, before + char + after)
    with pytest.raises(RoutineError) as info:
        parse_document(doc, SOURCE)
    named = unicodedata.name(char, "")
    code = f"U+{ord(char):04X} {named}" if named else f"U+{ord(char):04X}"
    expected = msg(f"{where}: contains an invisible character ({code}); remove it")
    assert expected in info.value.problems
    assert not any(is_invisible(c) for p in info.value.problems for c in p)


emoji = st.sampled_from(["🧘", "👩", "❤️", "🔥", "♀️", "🏃🏽", "⚕"])
joined = st.lists(emoji, min_size=2, max_size=4).map("\u200d".join)


@PROPERTIES
@given(st.lists(visible | joined, min_size=1, max_size=4).map(" ".join).filter(str.strip))
def test_text_without_invisible_characters_loads_as_written(text: str) -> None:
    doc = doc3()
    doc["exercises"]["cat"]["name"] = text
    doc["routines"][0]["description"] = text
    try:
        book = load_doc(doc)
    except RoutineError as error:
        # Only a blank name may still be refused: strip() takes Unicode spaces too.
        assert error.problems == (msg("exercises.cat.name: must not be empty"),)
        return
    assert book.exercises["cat"].name == text.strip()
    assert book.routines[0].description == text.strip()


# -- the caution fits at 40x12 -------------------------------------------------------------------


def test_the_built_in_and_the_bundled_cautions_fit() -> None:
    assert wrapped_line_count(DEFAULT_CAUTION, CAUTION_COLUMNS) <= CAUTION_ROWS
    for routine in load_file(bundled_routines_path()).routines:
        assert wrapped_line_count(routine.caution, CAUTION_COLUMNS) <= CAUTION_ROWS, routine.id


# "abcd " seven times fills a line of 35 columns: 35 words are 5 lines, 36 are 6.
FIVE_LINES = " ".join(["abcd"] * 35)
SIX_LINES = " ".join(["abcd"] * 36)


@pytest.mark.parametrize("where", [("defaults",), ROUTINE0])
def test_a_caution_of_five_lines_is_accepted(where: tuple[Any, ...]) -> None:
    doc = doc3()
    doc.setdefault("defaults", {})
    put(*where, "caution", value=FIVE_LINES)(doc)
    assert load_doc(doc).routines[0].caution == FIVE_LINES


@pytest.mark.parametrize("where, key", [(("defaults",), "defaults"), (ROUTINE0, "routines[0]")])
def test_a_caution_of_six_lines_is_refused(where: tuple[Any, ...], key: str) -> None:
    doc = doc3()
    doc.setdefault("defaults", {})
    doc["routines"].append({"id": "other", "name": "Other", "steps": [{"exercise": "cat"}]})
    put(*where, "caution", value=SIX_LINES)(doc)
    # Said once, where it is written, not again for each routine that takes the default.
    assert problems_of(doc) == (
        msg(
            f"{key}.caution: is too long to show whole on a 40x12 screen: its 179 characters "
            "take 6 lines of 35 columns there; at most 5 lines (about 150 characters)"
        ),
    )


@pytest.mark.parametrize(
    "caution, lines",
    [
        ("Stop.\n" * 4 + "Stop.", 5),
        ("Stop.\n" * 5 + "Stop.", 6),
        ("Stop.\n\n\n\n\nStop.", 6),  # a blank line takes its row
        ("x" * 175, 5),  # a word longer than a line is folded
        ("x" * 176, 6),
        ("a " + "x" * 70, 3),
        ("停" * 17 + "停", 2),  # wide characters take two columns each
    ],
)
def test_how_many_lines_a_caution_takes(caution: str, lines: int) -> None:
    assert wrapped_line_count(caution, CAUTION_COLUMNS) == lines
    doc = doc3()
    doc["routines"][0]["caution"] = caution
    if lines <= CAUTION_ROWS:
        assert load_doc(doc).routines[0].caution == caution
    else:
        (problem,) = problems_of(doc)
        assert f"take {lines} lines of 35 columns" in problem


words = st.text(alphabet="abcdefghij", min_size=1, max_size=40)
wide_words = st.text(alphabet="abc停止🧘é\u0301", min_size=1, max_size=20)
spaces = st.sampled_from([" ", " ", "  ", "\n", " \n "])


@st.composite
def prose(draw: st.DrawFn, word: st.SearchStrategy[str]) -> str:
    pieces = draw(st.lists(st.tuples(word, spaces), min_size=1, max_size=30))
    return "".join(w + s for w, s in pieces).strip()


@PROPERTIES
@given(prose(words), st.integers(min_value=5, max_value=60))
def test_the_line_count_is_textual_s_for_plain_text(text: str, columns: int) -> None:
    assert wrapped_line_count(text, columns) == len(Content(text).wrap(columns))


@PROPERTIES
@given(prose(wide_words | words))
def test_the_line_count_is_never_less_than_textual_s(text: str) -> None:
    # Where a character's width is uncertain, the check counts it wide: a caution it passes
    # is never cut on the screen.
    assert wrapped_line_count(text, CAUTION_COLUMNS) >= len(Content(text).wrap(CAUTION_COLUMNS))
