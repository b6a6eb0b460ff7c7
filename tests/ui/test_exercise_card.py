"""The exercise card: setup, cues, notes and every phase's figure, as plain text, scrollable."""

from __future__ import annotations

import io
from pathlib import Path

from apphelpers import make_app
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from tui.core.model import Exercise, Phase
from tui.ui.screens.exercise_card import ExerciseCardScreen, card_sections
from tui.ui.screens.routine_list import RoutinesScreen

ARCHED = "   ____\n  /    \\\n O/    |\n  |    |"
SAGGING = "\n  O    __\n   \\__/  |\n   |    |"
CAT = Exercise(
    id="cat",
    name="Cat",
    phases=(
        Phase("Arch the back", 5, hold=True, figure=ARCHED),
        Phase("Let the belly sink", 5, figure=SAGGING),
    ),
    setup="On all fours on the mat.",
    cues=("Head down as you arch", "Chin up as you sink"),
    notes="Suitable during pregnancy.",
)


def rendered(exercise: Exercise, width: int = 80) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    for heading, body in card_sections(exercise):
        console.print(heading)
        console.print(body)
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_card_holds_setup_cues_notes_and_each_figure() -> None:
    shown = rendered(CAT)
    for words in ("On all fours", "• Head down as you arch", "Suitable during pregnancy"):
        assert words in shown
    assert "Arch the back" in shown and "Let the belly sink" in shown
    lines = shown.splitlines()
    # Side by side at 80 columns: both phase names on one line.
    assert any("Arch the back" in line and "Let the belly sink" in line for line in lines)
    for row in ARCHED.split("\n"):
        assert any(row.rstrip() in line for line in lines)


def test_figures_wrap_onto_rows_when_narrow() -> None:
    lines = rendered(CAT, width=24).splitlines()
    assert not any("Arch the back" in line and "Let the belly sink" in line for line in lines)
    assert any("Let the belly sink" in line for line in lines)


def test_exercise_without_figures_lists_its_phases() -> None:
    plain = Exercise(id="egg", name="Egg", phases=(Phase("Hug", 8), Phase("Release", 2)))
    shown = rendered(plain)
    assert "• Hug" in shown and "• Release" in shown


text_with_markup = st.text(alphabet=st.sampled_from("ab [/]=#@:bold"), min_size=1, max_size=20)


@settings(max_examples=50)
@given(name=text_with_markup, cue=text_with_markup, figure=text_with_markup)
def test_text_from_the_file_is_never_markup(name: str, cue: str, figure: str) -> None:
    exercise = Exercise(
        id="x", name=name, phases=(Phase(name, 3, figure=figure),), setup=cue, cues=(cue,)
    )
    shown = rendered(exercise, width=200)
    assert cue.strip() in shown
    assert name.strip() in shown


async def test_card_opens_over_a_screen_scrolls_and_esc_closes(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        exercise = Exercise(
            id="x",
            name="Side plank [left]",
            phases=CAT.phases,
            setup="[bold]Lie[/] on your side. " * 6,
            cues=CAT.cues,
            notes=CAT.notes,
        )
        await app.push_screen(ExerciseCardScreen(exercise))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseCardScreen)
        box = screen.query_one("#card-box")
        assert box.max_scroll_y > 0  # more than fits at 40x12: it scrolls
        await pilot.press("end")
        assert box.scroll_y > 0 or box.scroll_target_y > 0
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RoutinesScreen)


def test_the_routines_caution_is_on_the_card_first_and_whole() -> None:
    caution = "Stop if the pain grows. Ask a physiotherapist about back pain that persists."
    sections = card_sections(CAT, caution)
    assert sections[0][0] == "Caution"
    console = Console(width=40, file=io.StringIO(), color_system=None)
    console.print(sections[0][1])
    assert " ".join(console.file.getvalue().split()) == caution  # type: ignore[attr-defined]
    assert card_sections(CAT)[0][0] != "Caution"  # none given, none shown
