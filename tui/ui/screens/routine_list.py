"""The start screen: pick a routine, see its steps and doses, start it."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui import paths
from tui.core.model import Routine, RoutineBook, Step
from tui.core.plan import Length, routine_length, step_length
from tui.core.timefmt import format_length
from tui.ui import messages

FILE_CHECK_SECONDS = 2.0


def routine_matches(routine: Routine, query: str) -> bool:
    """Whether a filter query finds this routine by its name, id or exercises' names."""
    words = query.lower().split()
    haystack = " ".join(
        [routine.id, routine.name, *(step.exercise.name for step in routine.steps)]
    ).lower()
    return all(word in haystack for word in words)


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


def routine_details(routine: Routine, length: Length) -> Group:
    text = Text()
    text.append(routine.name, style="bold")
    text.append(f"\n{length.text()} · {exercise_count(routine)}\n", style="dim")
    if routine.description:
        text.append(f"\n{routine.description}\n")
    steps = Table.grid(padding=(0, 1))
    steps.add_column(no_wrap=True, style="bold")
    steps.add_column()
    for index, step in enumerate(routine.steps):
        about = Text()
        about.append(step.exercise.name, style="bold")
        about.append(f"  {dose_text(step)}")
        about.append(f"  ({format_length(step_length(step).timed_seconds)})", style="dim")
        if step.exercise.setup:
            about.append(f"\n{step.exercise.setup}")
        about.append(f"\n{describe_phases(step)}", style="italic")
        if step.exercise.notes:
            about.append(f"\n{step.exercise.notes}", style="dim")
        steps.add_row(f"{index + 1}.", about)
        steps.add_row("", "")
    return Group(text, steps)


class RoutinesScreen(Screen[None]):
    AUTO_FOCUS = "#routine-list"
    BINDINGS = [
        Binding("enter", "start", "Start", priority=True),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("h", "history", "History"),
        Binding("e", "edit", "Edit file"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, book: RoutineBook | None, routines_path: Path) -> None:
        super().__init__()
        self.book = book
        self.routines_path = routines_path
        self.lengths: dict[str, Length] = {}
        self._file_check: Timer | None = None
        self.shown: list[Routine] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter routines by name or exercise", id="filter")
        with Horizontal(id="routines-body"):
            yield OptionList(id="routine-list")
            with VerticalScroll(id="detail"):
                yield Static(id="detail-text")
        yield Footer()

    def on_mount(self) -> None:
        if self.book is not None:
            self.show_book(self.book)
        else:
            self.sub_title = source_label(self.routines_path)
        self._file_check = self.set_interval(
            FILE_CHECK_SECONDS, self.check_file, name="routines-file-check"
        )

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

    def show_book(self, book: RoutineBook) -> None:
        highlighted = self.selected.id if self.shown and self.selected else None
        self.book = book
        self.lengths = {routine.id: routine_length(routine) for routine in book.routines}
        self.sub_title = source_label(Path(book.source))
        self._fill(self.query_one("#filter", Input).value, keep=highlighted)

    def _fill(self, query: str, keep: str | None = None) -> None:
        routines = list(self.book.routines) if self.book else []
        self.shown = [r for r in routines if routine_matches(r, query)]
        options = self.query_one("#routine-list", OptionList)
        options.clear_options()
        for routine in self.shown:
            prompt = Text(routine.name, style="bold")
            length = self.lengths[routine.id].text()
            prompt.append(f"\n{length} · {exercise_count(routine)}", style="dim")
            options.add_option(Option(prompt, id=routine.id))
        if self.shown:
            ids = [r.id for r in self.shown]
            options.highlighted = ids.index(keep) if keep in ids else 0
        self._show_detail()

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
            detail.update(routine_details(routine, self.lengths[routine.id]))

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_start()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_start(self) -> None:
        routine = self.selected
        if routine is None:
            self.notify("No routine is selected.", severity="warning")
            return
        self.post_message(messages.StartRoutine(routine))

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
