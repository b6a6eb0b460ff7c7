"""The live session: what to do now, the countdown as big as the screen allows, a figure of
the position, bars, and what comes next.

The screen wakes when what it shows changes (the next whole second of the countdown), not on a
fixed tick, and writes a widget only when its text does: over SSH every redraw costs bytes.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.errors import NoWidget
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Label, Static

from tui.core.engine import (
    ADJUST_STEP,
    Event,
    Session,
    SessionEnded,
    Status,
)
from tui.speech import Speaker
from tui.ui import cues, messages
from tui.ui.breakpoints import SESSION_HORIZONTAL, SESSION_VERTICAL
from tui.ui.screens.base import BacktoneScreen
from tui.ui.session_layout import plan_poses, widest_countdown, widest_shape
from tui.ui.session_view import BarCells, SessionView, caution_fits, session_view
from tui.ui.widgets.bar import QuietProgressBar
from tui.ui.widgets.big_clock import BigClock
from tui.ui.widgets.big_label import BigLabel
from tui.ui.widgets.figure_view import FigureView
from tui.ui.widgets.screen_header import ScreenHeader
from tui.ui.widgets.session_footer import SessionFooter
from tui.ui.widgets.session_pose import SessionPose

if TYPE_CHECKING:
    from tui.speech import Engine
    from tui.store.recorder import Recorder

CAUTION_READ_HINT = "Read this first: {key} starts the session."
WAKE_MARGIN = 0.004  # wake just after the second turns, never just before it
FLASH_SECONDS = 0.25

# Which widget shows which field of the view.
TEXT_WIDGETS = {
    "heading": "exercise-name",
    "position": "position",
    "phase_name": "phase-name",
    "countdown": "countdown",
    "state": "state",
    "times": "times",
    "guidance": "guidance",
    "next_up": "next",
    "caution": "caution",
}
BIG_WIDGETS = {"big_state": "big-state", "big_rep": "big-rep"}
# Drawn by the screen's classes (styles.tcss), not field by field.
PICTURE_FIELDS = frozenset({"figure", "pose", "pose_mirrored"})
BAR_WIDGETS = {
    "phase_bar": "phase-bar",
    "exercise_bar": "exercise-bar",
    "session_bar": "session-bar",
}


def write_to_terminal(app: App[object], data: str) -> None:
    """Write an escape sequence straight to the terminal, the way `App.bell` writes its BEL."""
    if not app.is_headless and app._driver is not None:
        app._driver.write(data)


class SessionScreen(BacktoneScreen[None]):
    HELP_NAME = "Session"
    # Its own breakpoints: the figure goes beside the clock from -wide, the big state and
    # rep count show from -broad and -big (styles.tcss).
    HORIZONTAL_BREAKPOINTS = SESSION_HORIZONTAL
    VERTICAL_BREAKPOINTS = SESSION_VERTICAL
    BINDINGS = [
        Binding("space", "pause", "Pause", tooltip="Pause the countdown", id="pause"),
        Binding("space", "resume", "Resume", tooltip="Resume the countdown", id="pause"),
        Binding(
            "space", "go_on", "Go on", tooltip="Go on from a phase that waits for you", id="pause"
        ),
        Binding("right", "next_segment", "Next", tooltip="Skip to the next segment", id="next"),
        Binding("n", "next_segment", show=False, id="next"),
        Binding("left", "previous_segment", "Back", tooltip="Back one segment", id="previous"),
        Binding("p", "previous_segment", show=False, id="previous"),
        Binding(
            "right_square_bracket",
            "next_exercise",
            "Next exercise",
            show=False,
            id="next_exercise",
        ),
        # A phone's SSH keyboard may have no brackets at hand: N and P do it too.
        Binding("N", "next_exercise", show=False, id="next_exercise"),
        Binding(
            "left_square_bracket",
            "previous_exercise",
            "Previous exercise",
            show=False,
            id="previous_exercise",
        ),
        Binding("P", "previous_exercise", show=False, id="previous_exercise"),
        Binding("r", "restart_exercise", "Restart exercise", show=False, id="restart_exercise"),
        Binding("plus", "adjust(5)", "+5s", tooltip="Add 5 seconds to this segment", id="add_time"),
        Binding("equals_sign", "adjust(5)", show=False, id="add_time"),
        Binding(
            "minus", "adjust(-5)", "-5s", tooltip="Take 5 seconds off this segment", id="take_time"
        ),
        # What b does, not what the bell is: "Bell on" read as the state it was in.
        Binding("b", "set_bell(False)", "Mute bell", tooltip="Turn the bell off", id="bell"),
        Binding("b", "set_bell(True)", "Unmute bell", tooltip="Turn the bell on", id="bell"),
        Binding(
            "i",
            "card",
            "Card",
            tooltip="The exercise card: setup, cues, figures",
            show=False,
            id="card",
        ),
        Binding("q", "stop", "Stop", tooltip="Stop the session (asks first)", id="stop"),
        Binding("escape", "stop", show=False, id="stop"),
    ]

    def __init__(
        self,
        session: Session,
        recorder: Recorder | None = None,
        *,
        bell_on: bool = True,
        ascii_only: bool | None = None,
        notify: str = "off",
        env: dict[str, str] | None = None,
        speech: str = "off",
        speech_engine: Engine | None = None,
    ) -> None:
        super().__init__(ascii_only=ascii_only)
        self.session = session
        self.recorder = recorder
        self.bell_on = bell_on
        self.title = session.plan.routine.name
        self._view: SessionView | None = None
        self._texts: dict[str, Static] = {}
        self._countdown: BigClock | None = None
        self._figures: tuple[FigureView, ...] = ()
        self._pose: SessionPose | None = None
        self._big: dict[str, BigLabel] = {}
        # The caution shows at the segment the session starts from: its first get-ready, or
        # where a resumed session picks up.
        self._caution_at: int | None = session.index
        environ = os.environ if env is None else env
        self._notify_protocol = cues.notify_protocol(notify, environ)
        self._in_tmux = bool(environ.get("TMUX"))
        # A browser tab's page says what it is written as OSC 9: every spoken cue goes there,
        # not only the notifications.
        self._page_speaks = environ.get("BACKTONE_WEB") == "1" and speech != "off"
        self._cues = cues.SessionCues()
        self._speaker = (
            Speaker(speech_engine, on_failure=self._speech_failed) if speech_engine else None
        )
        self._bars: dict[str, QuietProgressBar] = {}
        self._timer: Timer | None = None
        self._was_running_before_dialog = False
        self._keys_state: tuple[bool, ...] | None = None
        self._shown = False  # restyled when first shown; class changes before that wait
        self._bars_drawn: dict[str, float] = {}  # what each bar shows
        self._waiting_bars: set[str] = set()  # bars behind on the view, for want of room
        self._cells: BarCells | None = None  # the bars' widths the view was drawn for
        self._clock_box = Vertical()
        # Keys that came before the session started (a burst at the check-in), played once it
        # has: `5 Enter q` stops the session the person has just begun, rather than nothing.
        self._early_keys: list[Callable[[], object]] = []
        self.asking_to_quit = False  # a second Ctrl+Q over that question quits
        # The key the texts name for pause, resume and go on ([keys] may have moved it).
        self._go_key = "Space"
        # The caution does not fit beside the clock: the session waits, paused, with the
        # caution in the clock's place, until Space.
        self._reading_caution = False

    def compose(self) -> ComposeResult:
        self._go_key = self.key_name("pause", "space")
        # Every widget the screen writes to is kept as it is built: a key can reach the screen
        # before it is mounted (a burst at the check-in), and nothing then has to be looked up.
        yield ScreenHeader()
        texts = self._texts = {
            field: (Static if field in ("caution", "guidance") else Label)(id=id_, markup=False)
            for field, id_ in TEXT_WIDGETS.items()
            if field != "countdown"
        }
        self._countdown = BigClock(ascii_only=self.ascii_only, id="countdown")
        beside = FigureView(id="figure-beside", classes="figure")
        under = FigureView(id="figure-under", classes="figure")
        self._figures = (under, beside)
        plan = self.session.plan
        shape = widest_shape(plan_poses(plan))
        if shape is not None:
            clock_text = widest_countdown(plan)
            self._pose = SessionPose(
                clock_text=clock_text, shape=shape, ascii_only=self.ascii_only, id="pose"
            )
            # The clock keeps the size of its widest figures: "9" as big as "10" was, so
            # that the figure beside it is as tall as the digits all through.
            self._countdown.set_sizing(clock_text)
        self._big = {
            field: BigLabel(ascii_only=self.ascii_only, id=id_)
            for field, id_ in BIG_WIDGETS.items()
        }
        self._clock_box = Vertical(id="clock-box")
        with Vertical(id="session-body"):
            with Horizontal(id="session-top"):
                yield texts["heading"]
                yield texts["position"]
            yield texts["phase_name"]
            yield texts["caution"]
            yield Label(CAUTION_READ_HINT.format(key=self._go_key), id="caution-hint", markup=False)
            yield under
            with Horizontal(id="clock-row"):
                with self._clock_box:
                    yield self._countdown
                    yield texts["state"]
                if self._pose is not None:
                    yield self._pose
                yield beside
            with Horizontal(id="big-row"):
                yield from self._big.values()
            with Vertical(id="bars"):
                for name in ("phase", "exercise", "session"):
                    with Horizontal(classes="bar-row"):
                        yield Label(name.capitalize(), classes="bar-label")
                        bar = QuietProgressBar(
                            total=1.0, ascii_only=self.ascii_only, id=f"{name}-bar"
                        )
                        self._bars[f"{name}_bar"] = bar
                        yield bar
            yield texts["times"]
            yield texts["guidance"]
            yield texts["next_up"]
        yield SessionFooter()

    def on_mount(self) -> None:
        self.app.app_suspend_signal.subscribe(self, self._on_app_suspend)
        if hasattr(self.app, "bell_on"):
            # b here, the palette, or another screen: the app's bell, watched once built.
            self.watch(self.app, "bell_on", self._bell_changed, init=False)
        self.screen_layout_refresh_signal.subscribe(self, self._laid_out)
        # The clock starts now, a frame's draw (~20 ms) before the screen shows: starting it
        # after the first refresh made every second land ~55 ms late, and starting it in
        # compose made the first second a person sees ~50 ms short.
        self._apply(self.session.start())
        view = self._view
        if view is not None and view.caution and not caution_fits(view.caution, *self.app.size):
            self._reading_caution = True
            self._apply(self.session.pause())
        early, self._early_keys = self._early_keys, []
        for run in early:
            run()

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._speaker is not None:
            # "Done: ..." is said over the summary; anything else stops with the screen.
            self._speaker.close(finish=self.session.status is Status.FINISHED)

    def on_screen_suspend(self) -> None:
        """Anything opened over the session (help, the palette, a dialog, History) pauses it:
        the countdown never runs on unseen. Closing it leaves the session paused."""
        if self.session.running:
            self._apply(self.session.pause())

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
                self.notify(warning, severity="warning", timeout=10, markup=False)
        # Even without events: a long hold's halfway falls on a whole second that has none.
        self._cue(self._cues.after(events, self.session))
        self._refresh_keys()
        self._draw()
        if any(isinstance(e, SessionEnded) for e in events):
            if self._timer is not None:
                self._timer.stop()
            self.post_message(messages.SessionOver(self, self.session))
            return
        self._schedule()

    def _cue(self, cue: cues.Cue) -> None:
        if self._speaker is not None:
            if cue.interrupt:
                self._speaker.cancel()
            if cue.speech:
                self._speaker.say(cue.speech)
        written = cue.speech if self._page_speaks else cue.notification
        if written and self._notify_protocol:
            sequence = cues.notification_sequence(
                self._notify_protocol, written, tmux=self._in_tmux
            )
            write_to_terminal(self.app, sequence)
        if not cue.bells or not self.bell_on:
            return
        self.app.bell()
        # The app's timers, not the screen's: the last bells of the end ring over the summary.
        for later in range(1, cue.bells):
            self.app.set_timer(cues.BELL_GAP * later, self.app.bell)
        box = self._clock_box
        box.add_class("-flash")
        self.set_timer(FLASH_SECONDS, lambda: box.remove_class("-flash"))

    def _speech_failed(self, problem: str) -> None:
        """From the speaker's thread, once: why speech stopped. The bell goes on."""
        self.call_later(
            self.notify,
            f"Speech stopped: {problem}. The bell goes on.",
            title="No speech",
            severity="warning",
            timeout=12,
            markup=False,
        )

    def _refresh_keys(self) -> None:
        """Redraw the Footer only when the keys that apply have changed."""
        session = self.session
        state = (
            session.running,
            session.paused,
            session.waiting,
            session.segment.timed,
            self.bell_on,
        )
        if state != self._keys_state:
            self._keys_state = state
            if self._shown:  # the Footer asks for the keys when the screen first shows
                self.refresh_bindings()

    def _draw(self) -> None:
        cells = self._cells = self._bar_cells()
        view = session_view(self.session, cells, self._caution_at, self._go_key)
        for field in view.changed_fields(self._view):
            value = getattr(view, field)
            if field in self._bars or field in PICTURE_FIELDS:
                continue  # below
            elif field == "countdown" and self._countdown is not None:
                self._countdown.update(value)
            elif field in self._big:
                self._big[field].update(value)
            elif field == "times":
                # It changes every second, its length hardly ever: a layout pass only then
                # (CPU in a hold), and a box as wide as the text (bytes).
                before = self._view.times if self._view is not None else ""
                self._texts[field].update(value, layout=len(value) != len(before))
            else:
                self._texts[field].update(value)
        for figure in self._figures:
            figure.show(view.figure)
        if self._pose is not None:
            self._pose.show(view.pose, mirrored=view.pose_mirrored)
        self._view = view
        self._waiting_bars.clear()
        for field, bar in self._bars.items():
            value = getattr(view, field)
            if self._bars_drawn.get(field) == value:
                continue
            # A bar with no room (the first get-ready's caution has its rows) is drawn when
            # it gets room: one updated unseen made Textual rebuild its map of the whole
            # screen at every tick.
            if self._has_room(bar):
                bar.update(progress=value)
                self._bars_drawn[field] = value
            else:
                self._waiting_bars.add(field)
        self._set_classes(
            {
                "-caution": bool(view.caution),
                "-caution-first": self._reading_caution,
                "-no-state": not view.state,
                "-paused": self.session.paused,
                "-waiting": self.session.waiting,
                "-figure": bool(view.figure),
                "-pose": bool(view.pose) and self._pose is not None,
            }
        )

    def _has_room(self, widget: Widget) -> bool:
        """Whether any of the widget is on screen (not clipped away by its container)."""
        try:
            return bool(self.find_widget(widget).visible_region)
        except NoWidget:
            return False

    def _set_classes(self, classes: dict[str, bool]) -> None:
        """Set the screen's classes with one restyle of its widgets, not one per class, and
        none before the screen first shows: showing it restyles them all anyway."""
        self.update_classes(classes, update=self._shown)

    def on_screen_resume(self) -> None:
        self._shown = True

    def _laid_out(self, _screen: object) -> None:
        """After a layout (a resize, the caution gone): the bars in their new room. Only
        then: after the layout of each new segment's texts, drawing them again took a frame
        more a second."""
        waiting = (self._bars[field] for field in self._waiting_bars)
        if self._bar_cells() != self._cells or any(self._has_room(bar) for bar in waiting):
            self._draw()

    def _bar_cells(self) -> BarCells:
        return BarCells(*(bar.size.width for bar in self._bars.values()))

    # -- keys --------------------------------------------------------------------------------

    def _when_started(self, run: Callable[[], object]) -> None:
        """Run a key's action now, or, before the session has started (the screen is being
        built: keys come in bursts at a screen change), as soon as it has."""
        if self.session.status is Status.READY:
            self._early_keys.append(run)
        else:
            run()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session
        # The Footer is built before on_mount starts the session: a session not started yet
        # gets the keys it starts with, so the first frame shows them.
        running = session.running or session.status is Status.READY
        waiting = running and not session.segment.timed
        if action == "pause":
            return running and not waiting
        if action == "resume":
            return session.paused
        if action == "go_on":
            return waiting
        if action == "adjust":
            return True if session.segment.timed else None
        if action == "set_bell":
            return parameters[0] != self.bell_on
        return True

    def action_pause(self) -> None:
        self._when_started(lambda: self._apply(self.session.pause()))

    def action_resume(self) -> None:
        self._when_started(self._resume)

    def _resume(self) -> None:
        if self._reading_caution:
            # Read: it is not shown again at this get-ready, where it would be cut.
            self._reading_caution = False
            self._caution_at = None
        self._apply(self.session.resume())

    def action_go_on(self) -> None:
        self._when_started(lambda: self._apply(self.session.go_on()))

    def action_next_segment(self) -> None:
        self._when_started(lambda: self._apply(self.session.next_segment()))

    def action_previous_segment(self) -> None:
        self._when_started(lambda: self._apply(self.session.previous_segment()))

    def action_next_exercise(self) -> None:
        self._when_started(lambda: self._apply(self.session.next_exercise()))

    def action_previous_exercise(self) -> None:
        self._when_started(lambda: self._apply(self.session.previous_exercise()))

    def action_restart_exercise(self) -> None:
        self._when_started(lambda: self._apply(self.session.restart_exercise()))

    def action_adjust(self, sign: int) -> None:
        step = ADJUST_STEP if sign > 0 else -ADJUST_STEP
        self._when_started(lambda: self._apply(self.session.adjust(step)))

    def _bell_changed(self, on: bool) -> None:
        self.bell_on = on
        self._refresh_keys()

    def action_set_bell(self, on: bool) -> None:
        self.bell_on = on
        self._refresh_keys()
        self.post_message(messages.BellToggled(on))

    def action_card(self) -> None:
        self._when_started(self._show_card)

    def _show_card(self) -> None:
        """The card of the exercise being done, or got ready for; the session pauses under it."""
        from tui.ui.screens.exercise_card import ExerciseCardScreen

        segment = self.session.segment
        exercise = segment.upcoming or segment.exercise
        self.app.push_screen(
            ExerciseCardScreen(exercise, self.session.plan.routine.caution, self.ascii_only)
        )

    def action_stop(self) -> None:
        self._when_started(self._ask_to_stop)

    def _ask_to_stop(self) -> None:
        self._confirm("Stop this session?", "Stop", self._stop_answered)

    def ask_to_quit(self, quit_app: Callable[[], Awaitable[None]]) -> None:
        """Ctrl+Q in a session asks first, as q does; yes stops, records and quits."""

        def answered(stop: bool | None) -> None:
            self.asking_to_quit = False
            if stop:
                self.stop_quietly()
                self.app.call_later(quit_app)
            else:
                self._stop_answered(False)

        def ask() -> None:
            self.asking_to_quit = True
            self._confirm("Stop this session and quit?", "Quit", answered)

        self._when_started(ask)

    def _confirm(self, question: str, yes: str, answered: Callable[[bool | None], None]) -> None:
        from tui.ui.screens.confirm import ConfirmScreen

        self._was_running_before_dialog = self.session.running
        self._apply(self.session.pause())
        self.app.push_screen(
            ConfirmScreen(question, self._kept_text(), yes=yes, no="Keep going"), answered
        )

    def _kept_text(self) -> str:
        """What the stop dialog can truly promise about the record of this session."""
        if self.recorder is None:
            return "History is off: this session is not being recorded."
        if self.recorder.failure is not None:
            return "Recording failed earlier, so this session may be missing from your history."
        return "What you have done so far is kept in your history."

    def _stop_answered(self, stop: bool | None) -> None:
        if stop:
            self._apply(self.session.stop())
        elif self._was_running_before_dialog:
            self._apply(self.session.resume())
