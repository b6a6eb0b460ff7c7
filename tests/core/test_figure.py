"""Figures: a phase's drawing read from the file, checked, and mirrored for the other side."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.figure import MAX_COLUMNS, MAX_ROWS, figure_problems, mirror, normalize
from tui.core.loader import load_file, load_text
from tui.core.model import RoutineError
from tui.paths import bundled_routines_path

SOURCE = "figure.toml"


def document(figure_toml: str, schema: int = 2) -> str:
    return (
        f'schema = {schema}\n\n[exercises.egg]\nname = "Egg"\n'
        f'phases = [{{ name = "Hug", seconds = 8, figure = {figure_toml} }}]\n\n'
        '[[routines]]\nid = "egg"\nname = "Egg"\nsteps = [{ exercise = "egg" }]\n'
    )


def figure_of(figure_toml: str) -> str:
    return load_text(document(figure_toml), SOURCE).exercises["egg"].phases[0].figure


def problems_of(figure_toml: str, schema: int = 2) -> tuple[str, ...]:
    with pytest.raises(RoutineError) as info:
        load_text(document(figure_toml, schema), SOURCE)
    return info.value.problems


WHERE = f"{SOURCE}: exercises.egg.phases[0].figure: "

# -- reading ------------------------------------------------------------------------------------


def test_multiline_figure_keeps_indentation_and_drops_trailing_blank_lines() -> None:
    # TOML drops the newline after the opening quotes; the trailing newline and blank lines and
    # the spaces at line ends are dropped here; the indentation of every line stays.
    text = "'''\n   O  \n  /|\\\n  / \\\n\n   \n'''"
    assert figure_of(text) == "   O\n  /|\\\n  / \\"


def test_blank_lines_at_the_top_are_kept() -> None:
    assert figure_of("'''\n\n\n  O___,\n'''") == "\n\n  O___,"


def test_a_phase_without_a_figure_has_none() -> None:
    text = document("'x'").replace(", figure = 'x'", "")
    assert load_text(text, SOURCE).exercises["egg"].phases[0].figure == ""


def test_the_largest_figure_is_accepted() -> None:
    rows = "\n".join("#" * MAX_COLUMNS for _ in range(MAX_ROWS))
    assert figure_of(f"'''\n{rows}\n'''") == rows


# -- refused, with the key path, the size reached and the limit ---------------------------------


@pytest.mark.parametrize(
    "figure_toml, message",
    [
        ("'''\n" + "x" * 31 + "\n'''", "is 31 columns wide (line 1); at most 28"),
        ("'''\n" + "x\n" * 9 + "'''", "is 9 rows tall; at most 8"),
        ('"  O\\n\\t/|"', "line 2 has a tab; use spaces, which show the same in every terminal"),
        ('" O\\n\\u001b[2J"', "line 2 contains a control character (U+001B); remove it"),
        ('"O\\r"', "line 1 contains a control character (U+000D); remove it"),
        (
            "'''\n  ☺\n'''",
            "line 1 has '☺' (U+263A); a figure is plain ASCII, so that every terminal shows it "
            "the same",
        ),
        ("'''\n  \n\n'''", "is blank; draw something, or leave the key out for no figure"),
        ("3", None),
    ],
)
def test_bad_figures_get_a_clear_message(figure_toml: str, message: str | None) -> None:
    (problem,) = problems_of(figure_toml)
    if message is None:
        assert problem == f"{WHERE}must be a string, not an integer (3)"
    else:
        assert problem == WHERE + message


def test_width_and_height_are_both_reported() -> None:
    problems = problems_of("'''\n" + ("y" * 30 + "\n") * 10 + "'''")
    assert problems == (
        f"{WHERE}is 30 columns wide (line 1); at most 28",
        f"{WHERE}is 10 rows tall; at most 8",
    )


def test_a_figure_in_a_schema_1_file_asks_for_schema_2() -> None:
    assert problems_of("'''\n O\n'''", schema=1) == (
        f"{WHERE}is a schema 2 key: put `schema = 2` at the top to use it",
    )


@pytest.mark.parametrize(
    "name",
    [
        "bad-figure-too-wide.toml",
        "bad-figure-tab.toml",
        "bad-figure-not-ascii.toml",
        "bad-figure-control.toml",
    ],
)
def test_bad_figure_examples(examples_dir: Path, name: str) -> None:
    path = examples_dir / name
    with pytest.raises(RoutineError) as info:
        load_file(path)
    assert info.value.problems
    for problem in info.value.problems:
        assert problem.startswith(f"{path}: exercises.egg.phases[0].figure: ")


def test_every_bundled_phase_has_a_picture() -> None:
    """Schema 3: each bundled phase names a pose from the library (a figure drawn to size)."""
    from tui.core.poses import POSES

    book = load_file(bundled_routines_path())
    for exercise in book.exercises.values():
        for phase in exercise.phases:
            assert phase.pose in POSES, (exercise.id, phase.name)
            assert not phase.figure or figure_problems(phase.figure) == []


# -- the pure functions -------------------------------------------------------------------------

ascii_lines = st.lists(
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12),
    min_size=1,
    max_size=8,
)


def padded(figure: str) -> str:
    lines = figure.split("\n")
    width = max(len(line) for line in lines)
    return "\n".join(line.ljust(width) for line in lines)


def test_mirror_reverses_and_swaps() -> None:
    # Padded to 4 columns, each line reversed: "  O " -> " O  ", " /|\" -> "\|/ " -> "/|\ ".
    assert mirror("  O\n /|\\\n(<[{") == " O  \n/|\\ \n}]>)"
    assert mirror("ab\nc") == "ba\n c"


@given(ascii_lines.map("\n".join))
def test_mirror_twice_is_the_padded_original(figure: str) -> None:
    assert mirror(mirror(figure)) == padded(figure)


@given(ascii_lines.map("\n".join))
def test_mirror_keeps_the_size(figure: str) -> None:
    lines = figure.split("\n")
    mirrored = mirror(figure).split("\n")
    assert len(mirrored) == len(lines)
    assert {len(line) for line in mirrored} == {max(len(line) for line in lines)}


@given(ascii_lines.map("\n".join))
def test_normalize_is_idempotent_and_keeps_what_shows(figure: str) -> None:
    once = normalize(figure)
    assert normalize(once) == once
    assert [line.rstrip(" ") for line in figure.split("\n")][: len(once.split("\n"))] == (
        once.split("\n") if once else [""]
    )
