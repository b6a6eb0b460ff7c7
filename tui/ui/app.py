"""The Textual application: holds the loaded routines, the history store and the settings, and
wires the screens together. Screens post messages (tui.ui.messages) or dismiss with a result;
everything that decides lives below the UI."""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.reactive import var
from textual.screen import Screen

from tui import paths, settings
from tui.core.engine import Clock, Session
from tui.core.model import Routine, RoutineBook, RoutineError
from tui.core.plan import build_plan
from tui.core.progression import Levels, apply_levels, level_values, levels_for
from tui.core.resumption import check_resume
from tui.ui import breakpoints, messages
from tui.ui.input_guard import guard_driver
from tui.ui.palette import RoutineCommands
from tui.ui.routine_file import RoutineFileApp

if TYPE_CHECKING:
    from tui.store.recorder import Recorder
    from tui.store.sessions import HistoryStore
    from tui.ui.screens.checkin import NoteScreen
    from tui.ui.screens.session_summary import SummaryScreen


T = TypeVar("T")

HELD_KEY_CHECK = 0.01  # seconds between looks at a screen being built, while keys wait
HELD_KEY_LIMIT = 2.0  # a screen not built by then lets the app's own keys (Quit) through
KEYS_SENT = 64  # keys remembered on their way through a screen: more than a burst holds
HISTORY_OPEN_DELAY = 0.15  # seconds after start-up: the first frame goes out first
BEFORE_QUESTION = "How is your back right now?"
AFTER_QUESTION = "And now?"


class BacktoneApp(RoutineFileApp):
    CSS_PATH = str(paths.stylesheet_path())
    TITLE = "backtone"
    COMMANDS = App.COMMANDS | {RoutineCommands}
    HORIZONTAL_BREAKPOINTS = breakpoints.HORIZONTAL
    VERTICAL_BREAKPOINTS = breakpoints.VERTICAL
    # State many screens show, set here and watched by them (never pushed into screens).
    bell_on: var[bool] = var(True)
    levels: var[Levels] = var(dict)  # routine id -> step index -> its progression level
    pain_rising: var[bool] = var(False)  # the pain rose after 2 of the last 3 sessions

    BINDINGS = [
        Binding("question_mark", "help", "Help", tooltip="Every key of this screen", id="help"),
        Binding(
            "ctrl+p",
            "command_palette",
            "palette",  # as Textual writes it in the Footer
            tooltip="Command palette: start a routine, the theme, the bell",
            show=False,
            priority=True,
            id="palette",
        ),
        Binding(
            "ctrl+z",
            "suspend_process",
            "Suspend",
            tooltip="Suspend to the shell (a session pauses); `fg` brings it back",
            show=False,
            id="suspend",
        ),
        # Textual's own Ctrl+Q stays beneath this one: a keymap that moves Quit keeps it.
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            tooltip="Quit (over a session, asks first)",
            show=False,
            priority=True,
            id="quit",
        ),
    ]

    def __init__(
        self,
        routines_path: Path,
        book: RoutineBook | None = None,
        problem: RoutineError | None = None,
        data_dir: Path | None = None,
        bell: bool | None = None,
        start_routine: str | None = None,
        clock: Clock = time.monotonic,
        config_dir: Path | None = None,
        ascii_only: bool = False,
        checkin: bool | None = None,
        history_now: Callable[[], datetime] | None = None,
        speech: str | None = None,
    ) -> None:
        super().__init__(routines_path, book, problem)
        self.ascii_only = ascii_only
        self.set_class(ascii_only, "-ascii")
        self.data_dir = data_dir
        self.clock = clock
        self.history_now = history_now  # the wall clock of the history; tests fix the date
        self.start_routine = start_routine
        self.settings_path = (config_dir or paths.config_dir()) / "settings.toml"
        self.user_settings, self.settings_warning = settings.load_settings(self.settings_path)
        self.bell_on = self.user_settings.bell if bell is None else bell
        self.keys_in_force: dict[str, str] = {}  # binding id -> keys, as [keys] moved them
        self.keys_warning = self._set_keys(self.user_settings.keys)
        self.checkin = self.user_settings.checkin if checkin is None else checkin
        self.notify_mode = self.user_settings.notify
        self.speech = self.user_settings.speech if speech is None else speech  # --(no-)speech
        self.speech_command = self.user_settings.speech_command
        self.store: HistoryStore | None = None
        self.history_problem: str | None = None
        self._history_tried = False
        self._pain_before: int | None = None  # the check-in before the session playing
        # Keys waiting for the screen on top (see on_event), by the order they were typed in.
        self._held_keys: list[tuple[int, events.Key]] = []
        self._held_since = 0.0
        self._key_order = 0  # keys typed so far
        # The last keys sent to a screen: their order, and which screen.
        self._keys_sent: deque[tuple[events.Key, int, Screen[object]]] = deque(maxlen=KEYS_SENT)
        self._pending_writes: set[asyncio.Future[str | None]] = set()
        self._open_note: tuple[NoteScreen, Recorder] | None = None  # the note being typed

    # -- keys at a screen change -------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Keys go to the screen on top once it is built, in the order they were typed.

        Keys come in bursts (a paste, a fast typist, a phone's SSH client, `tmux send-keys 5
        Enter q`): every key of a burst may be sent to the screen on top before the first of
        them is handled. A key comes back up here for the bindings after the screen and its
        focused widget had it; when one of those keys closed the screen, the keys after it
        come back from a screen that is gone. They, and every key that comes while the next
        screen is being built, wait for it and then go to it as if just typed: to its focused
        widget first (the note's input), then its bindings."""
        if isinstance(event, events.Key):
            if not self.screen_stack:
                return  # the app is closing: no screen is left to take the key
            if self._hold_key(event):
                return
        await super().on_event(event)

    def _hold_key(self, key: events.Key) -> bool:
        """Whether the key waits for the screen on top (see on_event)."""
        if key.is_forwarded:
            sent = next(((o, s) for k, o, s in self._keys_sent if k is key), None)
            if sent is None or sent[1] is self.screen:
                return False  # back from the screen it was sent to: that screen's bindings
            self._hold(sent[0], events.Key(key.key, key.character))
            return True
        self._key_order += 1
        if self._held_keys or not self.screen.is_mounted:
            self._hold(self._key_order, key)
            return True
        self._keys_sent.append((key, self._key_order, self.screen))
        return False

    def _hold(self, order: int, key: events.Key) -> None:
        bisect.insort(self._held_keys, (order, key), key=lambda held: held[0])
        if len(self._held_keys) == 1:
            self._held_since = time.monotonic()
            self.set_timer(HELD_KEY_CHECK, self._replay_held_keys)

    async def _replay_held_keys(self) -> None:
        # A timer, not the next refresh: an idle app may not refresh, and the keys would wait
        # for ever. A screen's keys wait for it however long it takes to build (a loaded
        # machine takes seconds): given to it before, they reach widgets that do not exist.
        # Only the app's own keys go through once it is slow, so Quit still quits.
        if not self.screen_stack:
            self._held_keys.clear()  # the app is closing
            return
        if not self.screen.is_mounted:
            if time.monotonic() - self._held_since >= HELD_KEY_LIMIT:
                await self._run_app_keys_held()
            if self._held_keys:
                self.set_timer(HELD_KEY_CHECK, self._replay_held_keys)
            return
        held, self._held_keys = self._held_keys, []
        for order, old in held:
            # Sent at once, as App.on_event sends a key, not posted again: a key of the same
            # burst still coming back from the old screen must not overtake these. A new
            # event: the held one was marked as forwarded on its first way through.
            key = events.Key(old.key, old.character)
            if not self.screen_stack or await self._check_bindings(key.key, priority=True):
                continue
            self._keys_sent.append((key, order, self.screen))
            (self.focused or self.screen)._forward_event(key)

    async def _run_app_keys_held(self) -> None:
        """Runs the held keys that the app itself binds (Quit, the palette); the rest wait.
        The screen's own priority keys are not run: its widgets do not exist yet."""
        app_bindings = next(
            (bindings for node, bindings in self.screen._binding_chain if node is self), None
        )
        held, self._held_keys = self._held_keys, []
        waiting: list[tuple[int, events.Key]] = []
        for order, old in held:
            for binding in app_bindings.key_to_bindings.get(old.key, ()) if app_bindings else ():
                if await self.run_action(binding.action, self):
                    break
            else:
                waiting.append((order, old))
        # Keys that came in while those ran wait behind the older ones, in the order typed.
        self._held_keys = sorted(waiting + self._held_keys, key=lambda held_key: held_key[0])

    def _set_keys(self, keys: Mapping[str, object]) -> str | None:
        """The person's keys from [keys], if they can all be used; else why not."""
        if not keys:
            return None  # the screens' modules are not imported at start-up for nothing
        from tui.ui.keymap import check_keymap, ui_screens

        checked = check_keymap(keys, ui_screens())
        self.set_keymap(checked.keymap)
        self.keys_in_force = dict(checked.keymap)
        return checked.warning

    def key_name(self, binding_id: str, default: str) -> str:
        """The key a person presses for a binding, as the screen's texts name it ("Space",
        "k"): the person's own from [keys], else the default."""
        keys = self.keys_in_force.get(binding_id, default)
        first = keys.split(",")[0].strip() or default
        shown = self.get_key_display(Binding(first, ""))
        return "Space" if shown == "space" else shown

    def get_driver_class(self) -> type[Driver]:
        # Textual's input parser dies on some malformed sequences: see ui/input_guard.py.
        return guard_driver(super().get_driver_class())

    # -- start-up: one sequence ----------------------------------------------------------------

    def on_mount(self) -> None:
        if self.user_settings.theme in self.available_themes:
            self.theme = self.user_settings.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.settings_warning:
            self.notify(self.settings_warning, severity="warning", timeout=8, markup=False)
        if self.keys_warning:
            self.notify(self.keys_warning, severity="warning", timeout=12, markup=False)
        if self.start_routine is None:
            self._show_routines()
            # Opening a new store costs ~20 ms: the routines show first.
            self.set_timer(HISTORY_OPEN_DELAY, self._start_up)
        else:
            # `backtone run` goes straight to its session, without styling the Routines
            # screen first (that screen is built when the session is over), and without
            # waiting for a first frame of the empty screen.
            self._start_up()
        if self.problem is not None:
            self._show_problem(self.problem)

    @work(exclusive=True, group="start-up")
    async def _start_up(self) -> None:
        """Open the history, offer each session a vanished process left unfinished, then
        start the routine asked for on the command line, if any."""
        self._ensure_history()
        self._refresh_progress()
        if await self._offer_resumes():
            return
        routine_id, self.start_routine = self.start_routine, None
        if routine_id is not None and self.book is not None:
            await self._play_routine(self.book.routine(routine_id))

    def _ensure_history(self) -> None:
        """Open the store, once; anything that needs it first (a quick Enter) opens it."""
        if self._history_tried or self.data_dir is None:
            return
        self._history_tried = True
        from tui.store.rows import HistoryUnavailable
        from tui.store.sessions import HistoryStore

        try:
            if self.history_now is None:
                self.store = HistoryStore.open(self.data_dir)
            else:
                self.store = HistoryStore.open(self.data_dir, now=self.history_now)
        except HistoryUnavailable as error:
            self.history_problem = str(error)
            self.notify(
                f"History is off: {error}. Routines still play, but are not recorded.",
                title="No history",
                severity="warning",
                timeout=12,
                markup=False,
            )
            return
        if self.store.warning:
            self.notify(self.store.warning, severity="warning", timeout=12, markup=False)

    async def _offer_resumes(self) -> bool:
        """Offer each orphaned session in turn; True if one was resumed."""
        from tui.store.recorder import resume_session
        from tui.store.rows import HistoryUnavailable
        from tui.ui.screens.resume_offer import ResumeAnswer, ResumeScreen

        store = self.store
        if store is None or self.book is None or self._session_screen() is not None:
            return False
        try:
            orphans = store.orphans(self.start_routine)
        except HistoryUnavailable as error:
            self.notify(f"Could not read the history: {error}", severity="warning", markup=False)
            return False
        for row in orphans:
            check = check_resume(self.book, row.routine_id, row.routine_digest, row.levels)
            plan = check.plan
            answer = await self.push_screen_wait(ResumeScreen(row, plan, check.why_not))
            if answer is ResumeAnswer.RESUME and plan is not None and store.claim(row.id):
                session, recorder = resume_session(store, row, plan, self.clock)
                self._pain_before = row.pain_before
                self._play(session, recorder)
                self.start_routine = None
                return True
            if answer is not ResumeAnswer.KEEP:
                return False  # "later": ask again at the next start
            store.mark_interrupted(row.id)
        return False

    # -- routines ------------------------------------------------------------------------------

    def _show_routines(self) -> None:
        from tui.ui.screens.routine_list import RoutinesScreen

        self.push_screen(RoutinesScreen(self.book, self.routines_path, levels=self.levels))

    def _refresh_progress(self) -> None:
        """What the history says now, for the Routines screen to show: each progressing
        step's level, and whether the pain rose after 2 of the last 3 sessions."""
        from tui.store.rows import HistoryUnavailable

        if self.store is None or self.book is None:
            return
        try:
            levels = {
                routine.id: levels_for(routine, self.store.past_sessions(routine.id))
                for routine in self.book.routines
                if any(step.progress for step in routine.steps)
            }
            rising = self.store.recent_pain_rises() >= 2
        except HistoryUnavailable:
            return
        self.levels = levels
        self.pain_rising = rising

    # -- sessions ------------------------------------------------------------------------------

    @on(messages.StartRoutine)
    def _start_asked(self, message: messages.StartRoutine) -> None:
        self._start_routine_worker(message.routine)

    @work(exclusive=True, group="session-start")
    async def _start_routine_worker(self, routine: Routine) -> None:
        await self._play_routine(routine)

    async def _play_routine(self, routine: Routine) -> None:
        """Ask how the back is (unless check-ins are off), then play the routine at the
        progression levels the history has reached, recorded if the history is open."""
        from tui.store.recorder import start_recording
        from tui.store.rows import HistoryUnavailable

        if self._session_screen() is not None:
            return
        self._ensure_history()
        # The version of the file the routine was chosen from, before the check-in's wait.
        program = self.book.program if self.book is not None else None
        program_version = (program.version or None) if program is not None else None
        pain_before = await self._check_in(BEFORE_QUESTION, f"Before: {routine.name}")
        self._pain_before = pain_before
        levels = self._levels(routine)
        session = Session(build_plan(apply_levels(routine, levels)), clock=self.clock)
        recorder = None
        if self.store is not None:
            try:
                recorder = start_recording(
                    self.store,
                    session,
                    str(self.routines_path),
                    pain_before=pain_before,
                    levels=levels or None,
                    program_version=program_version,
                )
            except HistoryUnavailable as error:
                self.notify(
                    f"This session is not recorded: {error}", severity="warning", markup=False
                )
        self._play(session, recorder)

    async def _check_in(self, question: str, caption: str) -> int | None:
        """The 0-10 pain check-in; None when it is off or skipped."""
        from tui.ui.screens.checkin import CheckInScreen

        if not self.checkin:
            return None
        screen = CheckInScreen(question, caption)
        return await self.push_screen_wait(screen)

    def _levels(self, routine: Routine) -> dict[int, float]:
        """Each progressing step's hold or reps, from this routine's past sessions."""
        from tui.store.rows import HistoryUnavailable

        if self.store is None or not any(step.progress for step in routine.steps):
            return {}
        try:
            history = self.store.past_sessions(routine.id)
        except HistoryUnavailable:
            history = []
        return level_values(levels_for(routine, history))

    def start_session(self, routine: Routine) -> None:
        """Play a routine now (tests and the palette's callbacks use this)."""
        self.post_message(messages.StartRoutine(routine))

    def _play(self, session: Session, recorder: Recorder | None) -> None:
        from tui.speech import choose
        from tui.ui.screens.player import SessionScreen

        # Looked for at each session: a speech program installed meanwhile is found.
        voice = choose(self.speech, self.speech_command, headless=self.is_headless)
        self.push_screen(
            SessionScreen(
                session,
                recorder,
                bell_on=self.bell_on,
                notify=self.notify_mode,
                speech=self.speech,
                speech_engine=voice.engine,
            )
        )

    def _session_screen(self) -> Screen[None] | None:
        from tui.ui.screens.player import SessionScreen

        return next((s for s in self.screen_stack if isinstance(s, SessionScreen)), None)

    @on(messages.SessionOver)
    def _session_over(self, message: messages.SessionOver) -> None:
        """Replace the session screen with the summary, closing whatever is open above it:
        a session that ends under the help or the palette must not trap the person."""
        from tui.ui.screens.player import SessionScreen
        from tui.ui.screens.session_summary import SummaryScreen

        screen = message.screen
        if not isinstance(screen, SessionScreen):
            return
        recorder = screen.recorder
        if screen not in self.screen_stack:
            return
        while self.screen is not screen:
            self.pop_screen()
        summary = SummaryScreen(message.session, caution=message.session.plan.routine.caution)
        self.switch_screen(summary)
        self._after_session(summary, recorder, self._pain_before)

    @work(group="after-session")
    async def _after_session(
        self, summary: SummaryScreen, recorder: Recorder | None, pain_before: int | None
    ) -> None:
        """The final write (off the UI thread, on a connection of its own), the week's
        figures on the summary, then "And now?" over it, and the note after that."""
        from tui.store.rows import HistoryUnavailable
        from tui.ui.screens.checkin import CheckInScreen, NoteScreen

        if recorder is not None:
            await self._write(recorder.finish, summary.session)
        if self.store is not None:
            # Without the figures the summary still says how the session went.
            with contextlib.suppress(HistoryUnavailable):
                summary.stats = self.store.stats()
        if not self.checkin:
            return
        routine = summary.session.plan.routine

        def answered(pain_after: int | None) -> None:
            # Called as the check-in closes, before any key that came after Enter: those keys
            # wait for the note, which is on top by then (a `q` is typed into it).
            summary.pain = (pain_before, pain_after)
            # Skipped, the whole check-in is; a session not recorded has nowhere to keep a note.
            if pain_after is None or recorder is None:
                return
            self._write(recorder.set_pain_after, pain_after)
            note = NoteScreen()
            self._open_note = (note, recorder)

            def noted(text: str | None) -> None:
                if self._open_note is None or self._open_note[0] is not note:
                    return  # kept already, by a quit
                self._open_note = None
                summary.note = text
                if text is not None:
                    self._write(recorder.set_note, text)

            self.push_screen(note, noted)

        screen = CheckInScreen(AFTER_QUESTION, f"After: {routine.name}")
        self.push_screen(screen, answered)

    async def _keep_open_note(self) -> None:
        """At a quit with the note open: what is typed so far is kept, as Enter would."""
        if self._open_note is None:
            return
        note, recorder = self._open_note
        self._open_note = None
        text = await note.settled_note()
        if text is not None:
            self._write(recorder.set_note, text)

    def _write(self, write: Callable[[T], str | None], value: T) -> asyncio.Future[str | None]:
        """Run one of the recorder's writes in a thread; the app does not quit before it
        is done. Its warning, if any, is shown."""
        future = asyncio.ensure_future(asyncio.to_thread(write, value))
        self._pending_writes.add(future)

        def done(future: asyncio.Future[str | None]) -> None:
            self._pending_writes.discard(future)
            if future.cancelled():
                return
            error = future.exception()
            warning = f"History could not record this: {error}" if error else future.result()
            if warning:
                self.notify(str(warning), severity="warning", timeout=12, markup=False)

        future.add_done_callback(done)
        return future

    @on(messages.SummaryClosed)
    def _summary_closed(self) -> None:
        from tui.ui.screens.routine_list import RoutinesScreen

        self.pop_screen()
        if not any(isinstance(s, RoutinesScreen) for s in self.screen_stack):
            self._show_routines()
        else:
            self._refresh_progress()

    @on(messages.ShowHistory)
    def show_history(self) -> None:
        self._ensure_history()
        if self.store is None:
            self.notify(
                f"History is off: {self.history_problem or 'no data dir'}.",
                severity="warning",
                markup=False,
            )
            return
        from tui.ui.screens.history_view import HistoryScreen

        self.push_screen(HistoryScreen(self.store))

    async def action_quit(self) -> None:
        """Ctrl+Q (and q where a screen binds it) quits; over a session that is still going
        it asks first, as q does, and a second Ctrl+Q there means yes."""
        from tui.ui.screens.player import SessionScreen

        session = self._session_screen()
        if (
            isinstance(session, SessionScreen)
            and not session.session.over
            and not session.asking_to_quit
        ):
            session.ask_to_quit(self._quit_now)
            return
        await self._quit_now()

    async def _quit_now(self) -> None:
        """Stop and record what is playing, let every write in flight finish, then exit. A
        routine file with problems still makes the exit code 1, as `backtone check` does."""
        from tui.ui.screens.player import SessionScreen

        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen):
                screen.stop_quietly()
        await self._keep_open_note()
        if self._pending_writes:
            await asyncio.gather(*self._pending_writes, return_exceptions=True)
        self.exit(return_code=1 if self.problem is not None else 0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from tui.ui.screens.checkin import CheckInScreen, NoteScreen

        # The check-in (and its note) is answered first: Ctrl+P would open the palette over it.
        checking_in = isinstance(self.screen, CheckInScreen | NoteScreen)
        return not (action == "command_palette" and checking_in)

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # -- settings ------------------------------------------------------------------------------

    @on(messages.BellToggled)
    def _bell_toggled(self, message: messages.BellToggled) -> None:
        self.set_bell(message.on)

    def set_bell(self, on: bool) -> None:
        self.bell_on = on
        self._save_settings()

    def _remember_theme(self, _theme: object) -> None:
        self._save_settings()

    def _save_settings(self) -> None:
        from dataclasses import replace

        # Only what this app changes; every other setting, known or not, is written back.
        self.user_settings = replace(self.user_settings, theme=self.theme, bell=self.bell_on)
        try:
            settings.save_settings(self.user_settings, self.settings_path)
        except OSError as error:
            self.notify(
                f"Could not save settings to {self.settings_path}: {error.strerror or error}",
                severity="warning",
                markup=False,
            )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        state = "off" if self.bell_on else "on"
        yield SystemCommand(
            f"Bell {state}",
            f"Turn the terminal bell {state}",
            lambda: self.set_bell(not self.bell_on),
        )
        yield SystemCommand("History", "Your sessions, streak and minutes", self.show_history)
        yield SystemCommand("Edit routines", "Open the routine file in $EDITOR", self.edit_routines)
        yield SystemCommand("Reload routines", "Read the routine file again", self.reload_routines)
