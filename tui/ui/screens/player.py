"""The live session: what to do now, the countdown in big digits, bars, and what comes next.

The screen wakes when what it shows changes (the next whole second of the countdown), not on a
fixed tick, and writes a widget only when its text does: over SSH every redraw costs bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Footer, Header, Label, Static

from tui.core.engine import ADJUST_STEP, Countdown, Event, SegmentStarted, Session, SessionEnded
from tui.core.plan import Kind, Segment
from tui.core.timefmt import format_clock, format_duration
from tui.ui.widgets.ascii_digits import AsciiDigits
from tui.ui.widgets.bar import QuietProgressBar

if TYPE_CHECKING:
    from tui.store.recorder import Recorder
    from tui.ui.app import BacktoneApp

WAKE_MARGIN = 0.004  # wake just after the second turns, never just before it
FLASH_SECONDS = 0.25


def countdown_text(remaining: float | None) -> str:
    if remaining is None:
        return "--"
    clock = format_clock(remaining)
    return clock[2:].lstrip("0") or "0" if clock.startswith("0:") else clock


def guidance_text(segment: Segment) -> str:
    exercise = segment.upcoming or segment.exercise
    lines: list[str] = []
    if segment.kind is Kind.WORK:
        lines += [f"• {cue}" for cue in exercise.cues]
        if exercise.setup and not exercise.cues:
            lines.append(exercise.setup)
    else:
        if segment.kind is Kind.REST and segment.upcoming is not segment.exercise:
            lines.append(f"Next exercise: {exercise.name}")
        if exercise.setup:
            lines.append(exercise.setup)
        if exercise.notes and segment.kind is Kind.PREPARE:
            lines.append(exercise.notes)
    return "\n".join(lines)


def next_text(session: Session) -> str:
    segments = session.plan.segments
    if session.index + 1 >= len(segments):
        return "Next: the end. Last one!"
    upcoming = segments[session.index + 1]
    length = "when ready" if upcoming.seconds is None else f"{upcoming.seconds:g} s"
    if upcoming.kind is Kind.WORK and upcoming.exercise is not session.segment.exercise:
        return f"Next: {upcoming.exercise.name}: {upcoming.label} ({length})"
    if upcoming.kind is Kind.REST and upcoming.upcoming is not upcoming.exercise:
        assert upcoming.upcoming is not None
        return f"Next: rest {length}, then {upcoming.upcoming.name}"
    return f"Next: {upcoming.label} ({length})"


def heading_text(segment: Segment) -> str:
    if segment.kind is Kind.PREPARE:
        return f"Get ready: {segment.exercise.name}"
    if segment.kind is Kind.REST and segment.upcoming is not segment.exercise:
        return f"Rest, then {segment.upcoming.name if segment.upcoming else 'the end'}"
    return segment.exercise.name


class SessionScreen(Screen[None]):
    BINDINGS = [
        Binding("space", "pause", "Pause", tooltip="Pause the countdown"),
        Binding("space", "resume", "Resume", tooltip="Resume the countdown"),
        Binding("space", "go_on", "Go on", tooltip="Go on from a phase that waits for you"),
        Binding("right", "next_segment", "Next", tooltip="Skip to the next segment"),
        Binding("n", "next_segment", show=False),
        Binding("left", "previous_segment", "Back", tooltip="Back one segment"),
        Binding("p", "previous_segment", show=False),
        Binding("right_square_bracket", "next_exercise", "Next exercise", show=False),
        Binding("left_square_bracket", "previous_exercise", "Previous exercise", show=False),
        Binding("r", "restart_exercise", "Restart exercise", show=False),
        Binding("plus", "adjust(5)", "+5s", tooltip="Add 5 seconds to this segment"),
        Binding("equals_sign", "adjust(5)", show=False),
        Binding("minus", "adjust(-5)", "-5s", tooltip="Take 5 seconds off this segment"),
        Binding("b", "toggle_bell", "Bell", tooltip="Turn the bell and flash on or off"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "stop", "Stop", tooltip="Stop the session (asks first; progress is saved)"),
        Binding("escape", "stop", show=False),
    ]

    def __init__(self, session: Session, recorder: Recorder | None = None) -> None:
        super().__init__()
        self.session = session
        self.recorder = recorder
        self.title = session.plan.routine.name
        self._shown: dict[str, Any] = {}  # widget id -> what it shows
        self._widgets: dict[str, Any] = {}
        self._timer: Timer | None = None
        self._was_running_before_dialog = False
        self._keys_state: tuple[bool, ...] | None = None

    @property
    def backtone(self) -> BacktoneApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="session-body"):
            with Horizontal(id="session-top"):
                yield Label(id="exercise-name")
                yield Label(id="position")
            yield Label(id="phase-name")
            ascii_only = self.backtone.ascii_only
            with Vertical(id="clock-box"):
                with Center():
                    yield AsciiDigits(id="countdown") if ascii_only else Digits(id="countdown")
                yield Label(id="state")
            with Vertical(id="bars"):
                for name in ("phase", "exercise", "session"):
                    with Horizontal(classes="bar-row"):
                        yield Label(name.capitalize(), classes="bar-label")
                        yield QuietProgressBar(total=1.0, ascii_only=ascii_only, id=f"{name}-bar")
            yield Label(id="times")
            yield Static(id="guidance")
            yield Label(id="next")
        yield Footer()

    def on_mount(self) -> None:
        self.app.app_suspend_signal.subscribe(self, self._on_app_suspend)
        # The clock starts now, a frame's draw (~20 ms) before the screen shows: starting it
        # after the first refresh instead made every second land ~55 ms late.
        self._apply(self.session.start())

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def stop_quietly(self) -> None:
        """The app is quitting: stop and record, without a summary."""
        if self._timer is not None:
            self._timer.stop()
        events = self.session.stop()
        if self.recorder is not None and events:
            self.recorder.record(self.session, events)

    # -- time --------------------------------------------------------------------------------

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        delay = self.session.next_wakeup()
        if delay is not None:
            self._timer = self.set_timer(delay + WAKE_MARGIN, self.catch_up, name="session-tick")

    def catch_up(self) -> None:
        """Follow the clock: end what is due, cue, redraw."""
        self._timer = None
        self._apply(self.session.update())

    def _on_app_suspend(self, _app: object) -> None:
        self._apply(self.session.pause())

    # -- drawing -----------------------------------------------------------------------------

    def _apply(self, events: list[Event]) -> None:
        """React to what the engine did: record it, one cue at most, redraw what changed."""
        if self.recorder is not None and events:
            warning = self.recorder.record(self.session, events)
            if warning:
                self.notify(warning, severity="warning", timeout=10)
        if any(isinstance(e, SegmentStarted | Countdown) for e in events):
            self._cue()
        self._refresh_keys()
        ended = next((e for e in events if isinstance(e, SessionEnded)), None)
        self._draw()
        if ended is not None:
            self._finish()
            return
        self._schedule()

    def _cue(self) -> None:
        if not self.backtone.bell_on:
            return
        self.app.bell()
        box = self._widget("clock-box")
        box.add_class("-flash")
        self.set_timer(FLASH_SECONDS, lambda: box.remove_class("-flash"))

    def _refresh_keys(self) -> None:
        """Redraw the Footer only when the keys that apply have changed."""
        session = self.session
        state = (session.running, session.paused, session.waiting, session.segment.timed)
        if state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()

    def _widget(self, widget_id: str) -> Any:
        """A widget of this screen by id, looked up once: a DOM query on every tick costs."""
        widget = self._widgets.get(widget_id)
        if widget is None:
            widget = self._widgets[widget_id] = self.query_one(f"#{widget_id}")
        return widget

    def _show(self, widget_id: str, value: Any) -> None:
        """Update a widget only when what it shows changes."""
        if self._shown.get(widget_id) != value:
            self._shown[widget_id] = value
            self._widget(widget_id).update(value)

    def _draw(self) -> None:
        session = self.session
        progress = session.progress()
        segment = progress.segment
        self._show("exercise-name", heading_text(segment))
        self._show("position", segment.position)
        self._show("phase-name", segment.label)
        self._show("countdown", countdown_text(progress.remaining))
        if session.paused:
            state = "PAUSED · Space resumes"
        elif session.waiting:
            state = "Press Space when ready"
        elif segment.hold:
            state = "Hold"
        else:
            state = ""
        self._show("state", state)
        self.set_class(session.paused, "-paused")
        self.set_class(session.waiting, "-waiting")
        for name in ("phase", "exercise", "session"):
            bar_id = f"{name}-bar"
            bar: QuietProgressBar = self._widget(bar_id)
            value = self._quantize(getattr(progress, name), bar)
            if self._shown.get(bar_id) != value:
                self._shown[bar_id] = value
                bar.update(progress=value)
        times = (
            f"Elapsed {format_duration(progress.active_seconds)} · "
            f"Left {format_clock(progress.session_remaining)}"
        )
        if session.plan.untimed_count:
            times += " + untimed"
        self._show("times", times)
        self._show("guidance", guidance_text(segment))
        self._show("next", next_text(session))

    @staticmethod
    def _quantize(fraction: float, bar: QuietProgressBar) -> float:
        """Round to the bar's half cells, so the bar only redraws when a cell changes."""
        cells = max(1, bar.size.width) * 2
        return round(fraction * cells) / cells

    def on_resize(self) -> None:
        self._shown = {k: v for k, v in self._shown.items() if not k.endswith("-bar")}
        self._draw()

    # -- ending ------------------------------------------------------------------------------

    def _finish(self) -> None:
        from tui.ui.screens.summary import SummaryScreen

        if self._timer is not None:
            self._timer.stop()
        self.app.switch_screen(SummaryScreen(self.session))

    # -- keys --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session
        if action == "pause":
            return session.running and not session.waiting
        if action == "resume":
            return session.paused
        if action == "go_on":
            return session.waiting
        if action == "adjust":
            return True if session.segment.timed else None
        return True

    def action_pause(self) -> None:
        self._apply(self.session.pause())

    def action_resume(self) -> None:
        self._apply(self.session.resume())

    def action_go_on(self) -> None:
        self._apply(self.session.go_on())

    def action_next_segment(self) -> None:
        self._apply(self.session.next_segment())

    def action_previous_segment(self) -> None:
        self._apply(self.session.previous_segment())

    def action_next_exercise(self) -> None:
        self._apply(self.session.next_exercise())

    def action_previous_exercise(self) -> None:
        self._apply(self.session.previous_exercise())

    def action_restart_exercise(self) -> None:
        self._apply(self.session.restart_exercise())

    def action_adjust(self, sign: int) -> None:
        self._apply(self.session.adjust(ADJUST_STEP if sign > 0 else -ADJUST_STEP))

    def action_toggle_bell(self) -> None:
        self.backtone.set_bell(not self.backtone.bell_on)
        self.notify(f"Bell {'on' if self.backtone.bell_on else 'off'}", timeout=2)

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_stop(self) -> None:
        from tui.ui.screens.confirm import ConfirmScreen

        self._was_running_before_dialog = self.session.running
        self._apply(self.session.pause())
        self.app.push_screen(
            ConfirmScreen(
                "Stop this session?",
                "What you have done so far is kept in your history.",
                yes="Stop",
                no="Keep going",
            ),
            self._stop_answered,
        )

    def _stop_answered(self, stop: bool | None) -> None:
        if stop:
            self._apply(self.session.stop())
        elif self._was_running_before_dialog:
            self._apply(self.session.resume())
