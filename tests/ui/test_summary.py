"""The summary: what a person did (exercises, reps), what was skipped, the pain line and its
warning, the note after the session, the streak and week; names from the routine file and the
person's note shown as text."""

from __future__ import annotations

import io
from datetime import date

from apphelpers import ManualClock, text_of
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from textual.app import App

from tui import paths
from tui.core.engine import Session
from tui.core.model import Exercise, Phase, Routine, Step, Timings
from tui.core.plan import Kind, build_plan
from tui.store.rows import Stats
from tui.ui.screens.session_summary import SummaryScreen, count_work

CAUTION = "Stop if it hurts more. Ask your physiotherapist."
EGG = Exercise("egg", "Egg", (Phase("Hug", 6, hold=True), Phase("Release", 2)))
KNEE = Exercise("knee", "Knee hug", (Phase("Hug one knee", 4, hold=True),))
TIMINGS = Timings(prepare=2, rest=3)


def routine(name: str = "Short test", egg: str = "Egg") -> Routine:
    egg_exercise = Exercise("egg", egg, EGG.phases)
    steps = (
        Step(egg_exercise, reps=2, timings=TIMINGS),
        Step(KNEE, sides=("left", "right"), timings=TIMINGS),
    )
    return Routine("short", name, steps, timings=TIMINGS, caution=CAUTION)


def played(r: Routine, skip_work: int = 0, stop_after: int | None = None) -> Session:
    """A session of `r` played on a manual clock: every segment done in turn, except the
    first `skip_work` work phases (skipped), and stopped after `stop_after` segments."""
    clock = ManualClock()
    session = Session(build_plan(r), clock=clock)
    session.start()
    skipped = 0
    while not session.over:
        if stop_after is not None and session.index >= stop_after:
            session.stop()
            break
        segment = session.segment
        if segment.kind is Kind.WORK and skipped < skip_work:
            skipped += 1
            session.next_segment()
        else:
            clock.advance(segment.planned + 0.01)
            session.update()
    return session


def shown(screen: SummaryScreen) -> str:
    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(screen._render_summary())
    text: str = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(" ".join(line.split()) for line in text.splitlines())  # one space apart


STATS = Stats(streak_days=5, week_minutes=42.4, week_sessions=3, minutes_by_day=())


# -- counting -------------------------------------------------------------------------------


def test_a_whole_routine_counts_exercises_and_reps_on_each_side() -> None:
    work = count_work(played(routine()))
    assert (work.exercises_done, work.exercises_total) == (2, 2)
    assert (work.reps_done, work.reps_total) == (4, 4)  # Egg 2 reps, knee hug 1 rep a side
    assert work.in_full
    assert work.skipped_reps == ()


def test_a_skipped_phase_spoils_its_rep_and_its_exercise() -> None:
    work = count_work(played(routine(), skip_work=1))  # Egg rep 1's hold
    assert (work.reps_done, work.exercises_done) == (3, 1)
    assert work.skipped_reps == (("Egg", 1),)
    assert not work.in_full


def test_a_stopped_session_counts_what_was_reached() -> None:
    work = count_work(played(routine(), stop_after=3))  # get ready, Egg hug, Egg release
    assert (work.reps_done, work.reps_total) == (1, 4)
    assert work.exercises_done == 0
    assert work.skipped_reps == ()


# -- what the screen says -------------------------------------------------------------------


def test_a_whole_routine_gets_a_word_of_encouragement_and_no_repeats() -> None:
    text = shown(SummaryScreen(played(routine()), STATS))
    assert "Well done: routine complete." in text
    assert "2 exercises, 4 reps" in text
    assert "Streak 5 days in a row" in text
    assert "This week 42 min in 3 sessions" in text
    for jargon in ("Segment", "segment", "Skipped", "nothing"):
        assert jargon not in text
    lines = [line for line in text.splitlines() if line]
    assert len(lines) == len(set(lines))


def test_skips_are_named_by_exercise_and_rep() -> None:
    text = shown(SummaryScreen(played(routine(), skip_work=3)))
    assert "Ended early, with skips: 2 of 4 reps done." in text
    assert "Well done" not in text
    assert "1 of 2 exercises in full, 2 of 4 reps" in text
    assert "Skipped Egg (2 reps)" in text
    assert "in a row" not in text and "This week" not in text  # no stats given


def test_a_stopped_session_says_so() -> None:
    text = shown(SummaryScreen(played(routine(), stop_after=3)))
    assert "Stopped: 1 of 4 reps done." in text
    assert "0 of 2 exercises in full, 1 of 4 reps" in text


def test_the_pain_line_and_no_warning_for_a_small_rise() -> None:
    screen = SummaryScreen(played(routine()))
    assert "Back pain" not in shown(screen)
    screen.pain = (4, 3)
    assert "Back pain 4 → 3" in shown(screen)
    screen.pain = (4, 5)
    assert CAUTION not in shown(screen)


def test_a_rise_of_two_says_so_with_the_routines_caution() -> None:
    screen = SummaryScreen(played(routine()), ascii_only=True)
    screen.pain = (3, 5)
    text = shown(screen)
    assert "Back pain 3 -> 5" in text
    assert "Your back hurts more than before this session." in text
    assert CAUTION in text


def test_one_check_in_alone_is_shown_for_what_it_is() -> None:
    screen = SummaryScreen(played(routine()))
    screen.pain = (None, 6)
    assert "6 after the session" in shown(screen)
    screen.pain = (2, None)
    assert "2 before the session" in shown(screen)


def test_the_note_once_given_is_shown_as_written() -> None:
    screen = SummaryScreen(played(routine()))
    assert "Your note" not in shown(screen)
    screen.pain = (4, 3)
    screen.note = "[bold]Easier[/] than [red]Monday"
    text = shown(screen)
    assert "Your note [bold]Easier[/] than [red]Monday" in text
    assert text.index("Back pain") < text.index("Your note")


MARKUP = st.text(alphabet=st.sampled_from("[]/=ab#@:\\"), min_size=1, max_size=16)


@given(name=MARKUP, exercise=MARKUP)
def test_names_are_text_never_markup(name: str, exercise: str) -> None:
    screen = SummaryScreen(played(routine(name=name, egg=exercise), skip_work=1))
    text = shown(screen)
    assert name in text
    assert f"{exercise} (1 rep)" in text


async def test_pain_and_stats_given_later_update_the_screen() -> None:
    class Host(App[None]):
        CSS_PATH = str(paths.stylesheet_path())

        def on_mount(self) -> None:
            self.push_screen(SummaryScreen(played(routine(name="Cat [/]")), STATS))

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        screen.pain = (4, 7)
        await pilot.pause()
        text = text_of(screen.query_one("#summary-text"))
        assert "Cat [/]" in text
        assert "4 → 7" in text and CAUTION in text
        screen.stats = Stats(0, 0.2, 1, ((date.today(), 0.2),))
        text = " ".join(text_of(screen.query_one("#summary-text")).split())
        assert "Streak" not in text  # no streak to speak of
        assert "This week under a minute in 1 session" in text


async def test_figures_given_before_the_screen_is_built_are_shown() -> None:
    """The app sets the week's figures and the check-in after as soon as it has them, which
    can be before the summary is composed (a history that is not recording answers at
    once): that ended the app with NoMatches."""
    screen = SummaryScreen(played(routine()))
    screen.stats = Stats(0, 0.2, 1, ((date.today(), 0.2),))
    screen.pain = (5, 4)
    screen.note = "stiff [/]"

    class Host(App[None]):
        CSS_PATH = str(paths.stylesheet_path())

        def on_mount(self) -> None:
            self.push_screen(screen)

    async with Host().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = " ".join(text_of(screen.query_one("#summary-text")).split())
        assert "5 → 4" in text
        assert "Your note stiff [/]" in text
        assert "This week under a minute in 1 session" in text
