"""The start screen: pick a routine, see its steps, doses and levels, and its caution; start it.

A file may hold thousands of routines: each routine's option and lower-case search text are
built once per loaded file. The filter narrows them at each key, and redraws the list only
when what it shows changes; where a key leaves thousands of matches, the list waits for a
pause in the typing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui import paths
from tui.core.model import Exercise, Routine, RoutineBook, Step
from tui.core.plan import Length, routine_length, step_length
from tui.core.progression import Level, Levels, apply_levels, level_text, level_values
from tui.core.timefmt import format_length
from tui.ui import messages
from tui.ui.screens.base import BacktoneModal, BacktoneScreen
from tui.ui.widgets.keys_footer import KeysFooter
from tui.ui.widgets.screen_header import ScreenHeader

FILE_CHECK_SECONDS = 2.0
FILTER_DELAY = 0.12  # seconds of quiet typing before thousands of matches are listed
FILTER_AT_ONCE = 2000  # up to this many matches are listed at once, at each key
PAIN_NOTICE = (
    "Your pain rose after 2 of your last 3 sessions: ask a physiotherapist before going on."
)


def search_text(routine: Routine) -> str:
    """What the filter looks in: the routine's id, name and exercises' names, lower-cased."""
    return " ".join(
        [routine.id, routine.name, *(step.exercise.name for step in routine.steps)]
    ).lower()


def next_matches(
    routines: Sequence[Routine],
    search: Mapping[str, str],
    query: str,
    last_query: str = "",
    last_matches: Sequence[Routine] = (),
) -> list[Routine]:
    """The routines the query finds, in file order. A query that contains the last one only
    finds among the last matches (each of its words lies inside a word of the new query, so
    nothing outside them can match): typing on narrows a few, not thousands."""
    words = query.lower().split()
    narrower = last_query.strip() != "" and last_query.lower() in query.lower()
    pool = last_matches if narrower else routines
    return [routine for routine in pool if all(word in search[routine.id] for word in words)]


def routine_matches(routine: Routine, query: str) -> bool:
    """Whether a filter query finds this routine by its name, id or exercises' names."""
    haystack = search_text(routine)
    return all(word in haystack for word in query.lower().split())


def source_label(path: Path) -> str:
    """Where the routines come from, short enough for the Header: ~ for home, and no
    site-packages path for the bundled file."""
    try:
        if path.resolve() == paths.bundled_routines_path().resolve():
            return "bundled routines"
        return f"~/{path.resolve().relative_to(Path.home())}"
    except (OSError, ValueError):
        return str(path)


def exercise_count(routine: Routine) -> str:
    count = len(routine.steps)
    return f"{count} exercise{'s' if count != 1 else ''}"


def describe_phases(step: Step) -> str:
    parts = []
    for phase in step.exercise.phases:
        seconds = step.phase_seconds(phase)
        length = "when ready" if seconds is None else f"{seconds:g} s"
        parts.append(f"{phase.name} ({length}{', hold' if phase.hold else ''})")
    return " → ".join(parts)


def dose_text(step: Step) -> str:
    parts = []
    if step.sets > 1:
        parts.append(f"{step.sets} sets of {step.reps} reps")
    else:
        parts.append(f"{step.reps} rep{'s' if step.reps != 1 else ''}")
    if step.sides:
        parts.append("each side: " + ", ".join(step.sides))
    if step.hold is not None:
        parts.append(f"hold {step.hold:g} s")
    return " · ".join(parts)


def step_heading(step: Step, level: Level | None) -> Text:
    """ "Egg  10 reps · hold 5 s", or with a rule the level reached: "Egg 10 × hold 7 s
    (rising to 10 s: 1 more full session)"."""
    about = Text()
    about.append(step.exercise.name, style="bold")
    if level is None or step.progress is None:
        about.append(f"  {dose_text(step)}")
    else:
        about.append(level_text(step, level).removeprefix(step.exercise.name))
    return about


def routine_details(
    routine: Routine, length: Length, levels: Mapping[int, Level] | None = None
) -> Group:
    text = Text()
    text.append(routine.name, style="bold")
    text.append(f"\n{length.text()} · {exercise_count(routine)}\n", style="dim")
    if routine.description:
        text.append(f"\n{routine.description}\n")
    steps = Table.grid(padding=(0, 1))
    steps.add_column(no_wrap=True, style="bold")
    steps.add_column()
    # Lengths and phases as they will be played: at the levels reached, not as written.
    played = apply_levels(routine, {i: level.value for i, level in (levels or {}).items()})
    for index, step in enumerate(routine.steps):
        about = step_heading(step, (levels or {}).get(index))
        seconds = step_length(played.steps[index]).timed_seconds
        about.append(f"  ({format_length(seconds)})", style="dim")
        if step.exercise.setup:
            about.append(f"\n{step.exercise.setup}")
        about.append(f"\n{describe_phases(played.steps[index])}", style="italic")
        if step.exercise.notes:
            about.append(f"\n{step.exercise.notes}", style="dim")
        steps.add_row(f"{index + 1}.", about)
        steps.add_row("", "")
    return Group(text, steps)


def routine_option(routine: Routine, length: Length) -> Option:
    prompt = Text(routine.name, style="bold")
    prompt.append(f"\n{length.text()} · {exercise_count(routine)}", style="dim")
    return Option(prompt, id=routine.id)


def caution_text(routine: Routine | None, ascii_only: bool) -> Text:
    if routine is None:
        return Text("")
    text = Text("! " if ascii_only else "⚠ ", style="bold")
    text.append(routine.caution)
    return text


class StepPicker(BacktoneModal[int | None]):
    """Which exercise of the routine to open the card of (`i`, when there are several)."""

    HELP_NAME = "Pick an exercise"

    BINDINGS = [
        Binding("escape", "close", "Close", id="close"),
        Binding("q", "close", show=False, id="close"),
    ]

    def __init__(self, routine: Routine) -> None:
        super().__init__()
        self.routine = routine

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box", classes="dialog") as box:
            box.border_title = "Which exercise?"
            box.border_subtitle = "Enter opens · Esc closes"
            yield OptionList(
                *(
                    Option(Text(f"{n + 1}. {step.exercise.name}"))
                    for n, step in enumerate(self.routine.steps)
                ),
                id="picker-list",
            )

    @on(OptionList.OptionSelected, "#picker-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_close(self) -> None:
        self.dismiss(None)


class RoutinesScreen(BacktoneScreen[None]):
    HELP_NAME = "Routines"
    AUTO_FOCUS = "#routine-list"
    BINDINGS = [
        Binding("enter", "start", "Start", priority=True, id="start"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear_filter"),
        Binding("ctrl+u", "clear_filter", show=False, id="clear_filter"),  # without Esc
        Binding(
            "i", "card", "Card", tooltip="The exercise's card: setup, cues, figures", id="card"
        ),
        Binding("h", "history", "History", id="history"),
        Binding("e", "edit", "Edit file", id="edit"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(
        self,
        book: RoutineBook | None,
        routines_path: Path,
        *,
        ascii_only: bool | None = None,
        levels: Levels | None = None,
    ) -> None:
        super().__init__(ascii_only=ascii_only)
        self.book = book
        self.routines_path = routines_path
        self.lengths: dict[str, Length] = {}
        self.levels: Levels = levels or {}
        self._file_check: Timer | None = None
        self._filter_timer: Timer | None = None
        # Built once per loaded file: the filter only picks among them.
        self._options: dict[str, Option] = {}
        self._search: dict[str, str] = {}  # routine id -> what the filter looks in
        self._query = ""
        self.shown: list[Routine] = []

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static(PAIN_NOTICE, id="pain-notice", markup=False)
        yield Input(placeholder="Filter routines by name or exercise", id="filter")
        with Horizontal(id="routines-body"):
            yield OptionList(id="routine-list")
            with VerticalScroll(id="detail"):
                yield Static(id="detail-text")
        yield Static(id="routine-caution")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.book is not None:
            self.show_book(self.book, self.levels)
        else:
            self.sub_title = source_label(self.routines_path)
        self._file_check = self.set_interval(
            FILE_CHECK_SECONDS, self.check_file, name="routines-file-check"
        )
        # What the app learns later (a reloaded file, the history's levels and pain notice)
        # reaches this screen through the app's vars, once it is built.
        self.watch(self.app, "book", self._book_changed, init=False)
        self.watch(self.app, "levels", self.show_levels)
        self.watch(self.app, "pain_rising", self.show_pain_notice)

    def _book_changed(self, book: RoutineBook | None) -> None:
        if book is not None and book is not self.book:
            self.show_book(book)

    def on_screen_resume(self) -> None:
        if self._file_check is not None:
            self._file_check.resume()
        self.check_file()

    def on_screen_suspend(self) -> None:
        # Under a session the check would only wake the app for nothing.
        if self._file_check is not None:
            self._file_check.pause()

    def check_file(self) -> None:
        """Reload when the routine file was changed outside the app."""
        if self.is_current:
            self.post_message(messages.CheckRoutinesFile())

    def show_book(self, book: RoutineBook, levels: Levels | None = None) -> None:
        """Show the routines of a (re)loaded file; `levels`, where given, are the progression
        levels the history has brought each routine's steps to (kept until given again)."""
        highlighted = self.selected.id if self.shown and self.selected else None
        self.book = book
        if levels is not None:
            self.levels = levels
        self.lengths = {routine.id: self._length(routine) for routine in book.routines}
        self._options = {r.id: routine_option(r, self.lengths[r.id]) for r in book.routines}
        self._search = {routine.id: search_text(routine) for routine in book.routines}
        self.sub_title = source_label(Path(book.source))
        self._fill(self.query_one("#filter", Input).value, keep=highlighted, fresh=True)

    def show_levels(self, levels: Levels) -> None:
        """New progression levels (after a session, say) for the routines already shown: only
        the routines whose levels moved are measured again, and the list is redrawn only if
        one did (a file of thousands of routines took a second each time)."""
        moved = {
            routine_id
            for routine_id in set(levels) | set(self.levels)
            if levels.get(routine_id) != self.levels.get(routine_id)
        }
        self.levels = levels
        if self.book is None or not moved:
            return
        for routine in self.book.routines:
            if routine.id in moved:
                self.lengths[routine.id] = length = self._length(routine)
                self._options[routine.id] = routine_option(routine, length)
        highlighted = self.selected.id if self.selected else None
        self._fill(self.query_one("#filter", Input).value, keep=highlighted, fresh=True)

    def show_pain_notice(self, show: bool) -> None:
        """The notice to ask a physiotherapist, when the pain rose after 2 of the last 3
        sessions (the app counts them)."""
        self.set_class(show, "-pain-rising")

    def _length(self, routine: Routine) -> Length:
        levels = self.levels.get(routine.id)
        if levels:
            routine = apply_levels(routine, level_values(levels))
        return routine_length(routine)

    def _fill(self, query: str, keep: str | None = None, fresh: bool = False) -> None:
        self._show_matches(query, self._matches(query, fresh), keep, fresh)

    def _matches(self, query: str, fresh: bool = False) -> list[Routine]:
        routines = self.book.routines if self.book else ()
        last = ("", ()) if fresh else (self._query, self.shown)
        return next_matches(routines, self._search, query, *last)

    def _show_matches(
        self, query: str, shown: list[Routine], keep: str | None = None, fresh: bool = False
    ) -> None:
        self._query = query
        # A key that finds the same routines ("routine-" in thousands of them) leaves the list
        # as it is: measuring thousands of options again took a quarter of a second.
        if fresh or shown != self.shown:
            self.shown = shown
            options = self.query_one("#routine-list", OptionList)
            options.set_options(self._options[routine.id] for routine in self.shown)
            if self.shown:
                ids = [r.id for r in self.shown]
                options.highlighted = ids.index(keep) if keep in ids else 0
        self._show_detail()  # "No routine matches ..." names the query

    @property
    def selected(self) -> Routine | None:
        index = self.query_one("#routine-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    def _show_detail(self) -> None:
        detail = self.query_one("#detail-text", Static)
        routine = self.selected
        if routine is None:
            query = self.query_one("#filter", Input).value
            detail.update(Text(f"No routine matches {query!r}." if query else "No routines."))
        else:
            levels = self.levels.get(routine.id)
            detail.update(routine_details(routine, self.lengths[routine.id], levels))
        caution = self.query_one("#routine-caution", Static)
        caution.update(caution_text(routine, self.ascii_only))
        caution.display = routine is not None

    @on(OptionList.OptionHighlighted, "#routine-list")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected, "#routine-list")
    def _selected(self) -> None:
        self.action_start()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        # Searching thousands of routines takes a few ms, listing thousands of matches much
        # more. A key that leaves up to FILTER_AT_ONCE matches (or the same ones) shows them at
        # once; one that leaves more waits for a pause in the typing.
        matches = self._matches(event.value)
        if len(matches) <= FILTER_AT_ONCE or matches == self.shown:
            self._show_matches(event.value, matches)
        else:
            self._filter_timer = self.set_timer(FILTER_DELAY, self._filter_now)

    def _filter_now(self) -> None:
        self._filter_timer = None
        query = self.query_one("#filter", Input).value
        if query != self._query:
            self._fill(query)

    def action_start(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_now()  # Enter straight after typing starts what was typed for
        routine = self.selected
        if routine is None:
            self.notify("No routine is selected.", severity="warning")
            return
        self.post_message(messages.StartRoutine(routine))

    def action_card(self) -> None:
        routine = self.selected
        if routine is None:
            self.notify("No routine is selected.", severity="warning")
            return
        if len(routine.steps) == 1:
            self._open_card(routine.steps[0].exercise, routine.caution)
            return

        def picked(index: int | None) -> None:
            if index is not None:
                self._open_card(routine.steps[index].exercise, routine.caution)

        self.app.push_screen(StepPicker(routine), picked)

    def _open_card(self, exercise: Exercise, caution: str) -> None:
        from tui.ui.screens.exercise_card import ExerciseCardScreen

        self.app.push_screen(ExerciseCardScreen(exercise, caution, self.ascii_only))

    def action_filter(self) -> None:
        self.add_class("-filtering")
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""
        self.remove_class("-filtering")
        self.query_one("#routine-list").focus()

    def action_history(self) -> None:
        self.post_message(messages.ShowHistory())

    def action_edit(self) -> None:
        self.post_message(messages.EditRoutines())
