"""The end of a session: what the person did, in their words (exercises and reps), and where
to go next.

Each line says one fact the others do not: the heading says how the session ended (and, when
the whole routine was done, a word of encouragement), the counts say how much, the skipped line
names what was left out, then the pain check-ins, the person's note and the week around this
session.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.widgets import Static

from tui.core.engine import Outcome, Session, Status
from tui.core.plan import Kind
from tui.core.summary import summarize
from tui.core.timefmt import format_duration
from tui.store.rows import Stats
from tui.ui import messages
from tui.ui.screens.base import BacktoneScreen
from tui.ui.widgets.keys_footer import KeysFooter
from tui.ui.widgets.screen_header import ScreenHeader

PAIN_RISE = 2  # points up from before to after that the summary speaks of


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class WorkDone:
    """A session counted as a person counts it: reps (one side of one rep of one set) and
    exercises (steps of the routine), not the segments of the plan."""

    reps_total: int
    reps_done: int  # every phase of the rep done
    exercises_total: int
    exercises_done: int  # every rep of the step done
    skipped_reps: tuple[tuple[str, int], ...]  # (exercise name, reps with a phase skipped)

    @property
    def in_full(self) -> bool:
        return self.reps_total > 0 and self.reps_done == self.reps_total


def count_work(session: Session) -> WorkDone:
    reps: dict[tuple[int, str | None, int, int], list[Outcome | None]] = {}
    names: dict[int, str] = {}
    for segment in session.plan.segments:
        if segment.kind is not Kind.WORK:
            continue  # a skipped rest or get-ready leaves the exercise whole
        key = (segment.step_index, segment.side, segment.set_number, segment.rep_number)
        reps.setdefault(key, []).append(session.outcomes.get(segment.index))
        names[segment.step_index] = segment.exercise.name
    done_reps = {key for key, outcomes in reps.items() if all(o is Outcome.DONE for o in outcomes)}
    skipped: dict[int, int] = {}
    for key, outcomes in reps.items():
        if Outcome.SKIPPED in outcomes:
            skipped[key[0]] = skipped.get(key[0], 0) + 1
    steps = sorted(names)
    full_steps = [s for s in steps if all(k in done_reps for k in reps if k[0] == s)]
    return WorkDone(
        reps_total=len(reps),
        reps_done=len(done_reps),
        exercises_total=len(steps),
        exercises_done=len(full_steps),
        skipped_reps=tuple((names[step], count) for step, count in sorted(skipped.items())),
    )


def heading(session: Session, work: WorkDone) -> Text:
    """How it ended, in the person's terms: done in full, ended early by skipping to the end,
    or stopped; and, unless done in full, how many reps were done of how many."""
    reps = f"{work.reps_done} of {plural(work.reps_total, 'rep')} done."
    if session.status is not Status.FINISHED:
        return Text(f"Stopped: {reps}", style="bold yellow")
    if work.reps_done == 0:
        return Text("Skipped to the end: nothing was done this time.", style="bold yellow")
    if not work.in_full:
        return Text(f"Ended early, with skips: {reps}", style="bold yellow")
    return Text("Well done: routine complete.", style="bold green")


def done_text(work: WorkDone) -> str:
    if work.in_full:
        return f"{plural(work.exercises_total, 'exercise')}, {plural(work.reps_total, 'rep')}"
    return (
        f"{work.exercises_done} of {plural(work.exercises_total, 'exercise')} in full, "
        f"{work.reps_done} of {plural(work.reps_total, 'rep')}"
    )


def pain_lines(
    before: int | None, after: int | None, caution: str, ascii_only: bool = False
) -> list[tuple[str, Text]]:
    """The "Back pain 4 → 3" row, and a plain warning with the routine's caution when the pain
    rose by PAIN_RISE points or more. No diagnosis: only what the person said, and the advice
    the routine file gives."""
    if before is None and after is None:
        return []
    arrow = " -> " if ascii_only else " → "
    if before is not None and after is not None:
        shown = f"{before}{arrow}{after}"
    elif before is not None:
        shown = f"{before} before the session"
    else:
        shown = f"{after} after the session"
    rows = [("Back pain", Text(shown))]
    if before is not None and after is not None and after - before >= PAIN_RISE:
        warning = Text("Your back hurts more than before this session. ", style="bold yellow")
        warning.append(caution, style="yellow")
        rows.append(("", warning))
    return rows


def minutes_text(minutes: float) -> str:
    if 0 < minutes < 1:
        return "under a minute"
    return f"{minutes:.0f} min"


def stats_rows(stats: Stats) -> list[tuple[str, Text]]:
    """The streak (when there is one) and the week this session belongs to."""
    rows = []
    if stats.streak_days > 0:
        rows.append(("Streak", Text(f"{plural(stats.streak_days, 'day')} in a row")))
    week = f"{minutes_text(stats.week_minutes)} in {plural(stats.week_sessions, 'session')}"
    rows.append(("This week", Text(week)))
    return rows


class SummaryScreen(BacktoneScreen[None]):
    HELP_NAME = "Session summary"
    TITLE = "Session summary"
    BINDINGS = [
        Binding("enter", "back", "Routines", priority=True, id="back"),
        Binding("escape", "back", show=False, id="back"),
        Binding("h", "history", "History", id="history"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    # The streak and week, once the history has counted this session; the check-ins before
    # and after it (None: skipped or not asked). Either may come before the screen is built.
    stats: var[Stats | None] = var(None, init=False)
    pain: var[tuple[int | None, int | None]] = var((None, None), init=False)
    note: var[str | None] = var(None, init=False)  # the note after "And now?", once given

    def __init__(
        self,
        session: Session,
        stats: Stats | None = None,
        caution: str | None = None,
        ascii_only: bool | None = None,
    ) -> None:
        super().__init__(ascii_only=ascii_only)
        self.session = session
        self.caution = caution if caution is not None else session.plan.routine.caution
        self.set_reactive(SummaryScreen.stats, stats)
        self._text = Static(self._render_summary(), id="summary-text")

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        with VerticalScroll(id="summary"):
            yield self._text
        yield KeysFooter()

    def watch_stats(self) -> None:
        self._text.update(self._render_summary())

    def watch_pain(self) -> None:
        self._text.update(self._render_summary())

    def watch_note(self) -> None:
        self._text.update(self._render_summary())

    def _render_summary(self) -> Table:
        summary = summarize(self.session)
        work = count_work(self.session)
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        # Every cell is Text: a str cell would be read as markup, and names come from a file.
        table.add_row("", heading(self.session, work))
        table.add_row("Routine", Text(summary.routine_name))
        table.add_row("Time spent", Text(format_duration(summary.active_seconds)))
        if summary.paused_seconds >= 1:
            table.add_row("Time paused", Text(format_duration(summary.paused_seconds)))
        table.add_row("Done", Text(done_text(work)))
        if work.skipped_reps:
            skipped = ", ".join(f"{name} ({plural(n, 'rep')})" for name, n in work.skipped_reps)
            table.add_row("Skipped", Text(skipped))
        for label, text in pain_lines(*self.pain, self.caution, self.ascii_only):
            table.add_row(label, text)
        if self.note:
            table.add_row("Your note", Text(self.note))
        for label, text in stats_rows(self.stats) if self.stats is not None else []:
            table.add_row(label, text)
        return table

    def action_back(self) -> None:
        self.post_message(messages.SummaryClosed())

    def action_history(self) -> None:
        self.post_message(messages.ShowHistory())
