"""The Textual application: holds the loaded routines and settings, and switches screens."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SuspendNotSupported, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui import paths, settings
from tui.core.engine import Clock, Session
from tui.core.loader import load_file
from tui.core.model import Routine, RoutineBook, RoutineError
from tui.core.plan import Plan, build_plan
from tui.ui.palette import RoutineCommands

if TYPE_CHECKING:
    from tui.store.recorder import Recorder
    from tui.store.rows import SessionRow
    from tui.store.sessions import HistoryStore


HISTORY_OPEN_DELAY = 0.15  # seconds after start-up


class BacktoneApp(App[None]):
    CSS_PATH = str(paths.stylesheet_path())
    TITLE = "backtone"
    COMMANDS = App.COMMANDS | {RoutineCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-tiny"), (10, "-short"), (20, "-compact"), (24, "-tall")]
    BINDINGS = [
        Binding("ctrl+z", "suspend_process", "Suspend", show=False),
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
    ) -> None:
        super().__init__()
        self.ascii_only = ascii_only
        self.set_class(ascii_only, "-ascii")
        self.routines_path = routines_path
        self.book = book
        self.problem = problem
        self.data_dir = data_dir
        self.clock = clock
        self.start_routine = start_routine
        self.settings_path = (config_dir or paths.config_dir()) / "settings.toml"
        self.user_settings, self.settings_warning = settings.load_settings(self.settings_path)
        self.bell_on = self.user_settings.bell if bell is None else bell
        self.store: HistoryStore | None = None
        self._routines_stamp = _file_stamp(routines_path)
        self.history_problem: str | None = None
        self._history_tried = False

    # -- start-up ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.user_settings.theme in self.available_themes:
            self.theme = self.user_settings.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.settings_warning:
            self.notify(self.settings_warning, severity="warning", timeout=8)
        from tui.ui.screens.routine_list import RoutinesScreen

        self.push_screen(RoutinesScreen())
        if self.problem is not None:
            self.show_problem(self.problem)
        # The store opens once the first frame is out, Footer included, so the routines show
        # at once (opening a new store costs ~20 ms); `backtone run` needs it right away.
        if self.start_routine:
            self.call_after_refresh(self._open_history)
        else:
            self.set_timer(HISTORY_OPEN_DELAY, self._open_history)

    def _open_history(self) -> None:
        self._ensure_history()
        self._offer_resume()

    def _ensure_history(self) -> None:
        """Open the store, once; anything that needs it first (a quick Enter) opens it."""
        if self._history_tried:
            return
        self._history_tried = True
        from tui.store.rows import HistoryUnavailable
        from tui.store.sessions import HistoryStore

        if self.data_dir is not None:
            try:
                self.store = HistoryStore.open(self.data_dir)
            except (HistoryUnavailable, sqlite3.Error) as error:
                self.history_problem = str(error)
                self.notify(
                    f"History is off: {error}. Routines still play, but are not recorded.",
                    title="No history",
                    severity="warning",
                    timeout=12,
                )
            else:
                if self.store.warning:
                    self.notify(self.store.warning, severity="warning", timeout=12)

    def _offer_resume(self) -> None:
        """Offer each session a vanished process left active, then carry on starting up."""
        from tui.ui.screens.resume_offer import ResumeScreen

        orphans = []
        if self.store is not None and self.book is not None:
            try:
                orphans = self.store.orphans(self.start_routine)
            except sqlite3.Error as error:
                self.notify(f"Could not read the history: {error}", severity="warning")
        if orphans:
            row = orphans[0]
            routine = (
                next((r for r in self.book.routines if r.id == row.routine_id), None)
                if self.book
                else None
            )
            plan = build_plan(routine) if routine is not None else None
            resumable = plan is not None and plan.digest() == row.routine_digest
            self.push_screen(
                ResumeScreen(row, resumable),
                lambda answer: self._resume_answered(row, plan, answer),
            )
            return
        if self.start_routine and self.book is not None:
            routine_id, self.start_routine = self.start_routine, None
            self.start_session(self.book.routine(routine_id))

    def _resume_answered(self, row: SessionRow, plan: Plan | None, answer: str | None) -> None:
        from tui.store.recorder import resume_session

        assert self.store is not None
        if answer == "resume" and plan is not None and self.store.claim(row.id):
            session, recorder = resume_session(self.store, row, plan, self.clock)
            self.start_routine = None
            self._play(session, recorder)
            return
        if answer == "keep":
            self.store.mark_interrupted(row.id)
            self._offer_resume()
        elif self.start_routine and self.book is not None:
            routine_id, self.start_routine = self.start_routine, None
            self.start_session(self.book.routine(routine_id))

    # -- routines ----------------------------------------------------------------------------

    def routines_changed_on_disk(self) -> bool:
        """A cheap check (one stat) for an edit made outside the app."""
        return _file_stamp(self.routines_path) != self._routines_stamp

    def reload_routines(self) -> bool:
        """Read the routine file again; on failure keep the last good routines and say why."""
        self._routines_stamp = _file_stamp(self.routines_path)
        try:
            book = load_file(self.routines_path)
        except RoutineError as error:
            self.show_problem(error)
            return False
        self.book = book
        self.problem = None
        from tui.ui.screens.routine_list import RoutinesScreen

        for screen in self.screen_stack:
            if isinstance(screen, RoutinesScreen):
                screen.show_book(book)
        return True

    def show_problem(self, error: RoutineError) -> None:
        from tui.ui.screens.problems import ProblemsScreen

        self.problem = error
        if isinstance(self.screen, ProblemsScreen):
            self.screen.show(error)
        else:
            self.push_screen(ProblemsScreen(error))

    def edit_routines(self) -> None:
        """Open the routine file in the person's editor, then reload it."""
        editor = find_editor()
        if editor is None:
            self.notify(
                "No editor found: set $VISUAL or $EDITOR (for example `export EDITOR=nano`).",
                title="Cannot edit",
                severity="error",
                timeout=10,
            )
            return
        path = self.routines_path
        if path.resolve() == paths.bundled_routines_path().resolve():
            self.notify(
                "These are the bundled routines. Run `backtone init` to get your own copy to edit.",
                title="Bundled routines",
                severity="warning",
                timeout=10,
            )
            return
        try:
            with self.suspend():
                subprocess.call([*editor, str(path)])
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor.", severity="error")
            return
        except OSError as error:
            self.notify(f"Could not run {editor[0]}: {error}", severity="error")
            return
        if self.reload_routines():
            self.notify(f"Reloaded {path.name}")

    # -- sessions ----------------------------------------------------------------------------

    def start_session(self, routine: Routine) -> None:
        self._ensure_history()
        session = Session(build_plan(routine), clock=self.clock)
        recorder = None
        if self.store is not None:
            from tui.store.recorder import start_recording

            try:
                recorder = start_recording(self.store, session, str(self.routines_path))
            except sqlite3.Error as error:
                self.notify(f"This session is not recorded: {error}", severity="warning")
        self._play(session, recorder)

    def _play(self, session: Session, recorder: Recorder | None) -> None:
        from tui.ui.screens.player import SessionScreen

        self.push_screen(SessionScreen(session, recorder))

    def show_history(self) -> None:
        self._ensure_history()
        if self.store is None:
            self.notify(
                f"History is off: {self.history_problem or 'no data dir'}.", severity="warning"
            )
            return
        from tui.ui.screens.history_view import HistoryScreen

        self.push_screen(HistoryScreen(self.store))

    async def action_quit(self) -> None:
        """Ctrl+Q quits at once; a session playing is stopped and saved first."""
        from tui.ui.screens.player import SessionScreen

        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen):
                screen.stop_quietly()
        self.exit()

    def set_bell(self, on: bool) -> None:
        self.bell_on = on
        self._save_settings()

    # -- settings ----------------------------------------------------------------------------

    def _remember_theme(self, _theme: object) -> None:
        self._save_settings()

    def _save_settings(self) -> None:
        self.user_settings = settings.Settings(theme=self.theme, bell=self.bell_on)
        try:
            settings.save_settings(self.user_settings, self.settings_path)
        except OSError as error:
            self.notify(
                f"Could not save settings to {self.settings_path}: {error.strerror or error}",
                severity="warning",
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


def _file_stamp(path: Path) -> tuple[float, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime, status.st_size)


def find_editor(env: dict[str, str] | None = None) -> list[str] | None:
    """$VISUAL, then $EDITOR, then the first common editor on the PATH."""
    env = dict(os.environ) if env is None else env
    for variable in ("VISUAL", "EDITOR"):
        command = env.get(variable, "").strip()
        if command:
            return shlex.split(command)
    for name in ("sensible-editor", "nano", "vim", "vi"):
        found = shutil.which(name)
        if found:
            return [found]
    return None
