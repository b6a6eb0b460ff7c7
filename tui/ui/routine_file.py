"""The routine file as the app holds it: watched for changes, reloaded, opened in the person's
editor, and its problems shown, without ever losing the last routines that loaded."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from textual import on
from textual.app import App, SuspendNotSupported
from textual.reactive import var

from tui import paths
from tui.core.loader import load_file
from tui.core.model import RoutineBook, RoutineError
from tui.ui import messages
from tui.ui.editor import EditorProblem, find_editor

FileStamp = tuple[float, int] | None


class RoutineFileApp(App[None]):
    """The part of the app that owns the routine file; BacktoneApp builds on it."""

    # The routines loaded last; the Routines screen watches it.
    book: var[RoutineBook | None] = var(None, init=False)

    def __init__(
        self, routines_path: Path, book: RoutineBook | None, problem: RoutineError | None
    ) -> None:
        super().__init__()
        self.routines_path = routines_path
        self.book = book
        self.problem = problem
        self._routines_stamp = file_stamp(routines_path)

    def _refresh_progress(self) -> None:
        """The Routines screen's levels and notice, after a reload (BacktoneApp fills them)."""

    @on(messages.CheckRoutinesFile)
    def _check_routines_file(self) -> None:
        if file_stamp(self.routines_path) != self._routines_stamp and self.reload_routines():
            self.notify(f"{self.routines_path.name} changed on disk: reloaded.", markup=False)

    @on(messages.ReloadRoutines)
    def _reload_asked(self) -> None:
        if self.reload_routines():
            self.notify("The routine file loads now.")

    def reload_routines(self) -> bool:
        """Read the routine file again; on failure keep the last good routines and say why."""
        from tui.ui.screens.problems import ProblemsScreen

        self._routines_stamp = file_stamp(self.routines_path)
        try:
            book = load_file(self.routines_path)
        except RoutineError as error:
            self._show_problem(error)
            return False
        self.book, self.problem = book, None
        self._refresh_progress()
        if isinstance(self.screen, ProblemsScreen):
            self.pop_screen()
        return True

    def _show_problem(self, error: RoutineError) -> None:
        from tui.ui.screens.problems import ProblemsScreen

        self.problem = error
        if isinstance(self.screen, ProblemsScreen):
            self.screen.show(error, can_go_back=self.book is not None)
        else:
            self.push_screen(ProblemsScreen(error, can_go_back=self.book is not None))

    @property
    def in_browser(self) -> bool:
        """Served to a browser tab by `backtone serve`: no terminal to hand to an editor."""
        return bool(os.environ.get("BACKTONE_WEB"))

    def _not_in_browser(self, what: str) -> bool:
        if self.in_browser:
            self.notify(
                f"{what} is not available in the browser: run backtone in a terminal for that.",
                severity="warning",
                timeout=8,
            )
        return not self.in_browser

    def action_suspend_process(self) -> None:
        if self._not_in_browser("Suspending to the shell (Ctrl+Z)"):
            super().action_suspend_process()

    @on(messages.EditRoutines)
    def edit_routines(self) -> None:
        """Open the routine file in the person's editor, then reload it."""
        if not self._not_in_browser("Editing the routine file"):
            return
        if self.routines_path.resolve() == paths.bundled_routines_path().resolve():
            self.notify(
                "These are the bundled routines. Run `backtone init` to get your own copy to edit.",
                title="Bundled routines",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return
        try:
            editor = find_editor()
        except EditorProblem as problem:
            self.notify(str(problem), title="Cannot edit", severity="error", timeout=10)
            return
        try:
            with self.suspend():
                subprocess.call([*editor, str(self.routines_path)])
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor.", severity="error")
            return
        except OSError as error:
            self.notify(f"Could not run {editor[0]}: {error}", severity="error", markup=False)
            return
        if self.reload_routines():
            self.notify(f"Reloaded {self.routines_path.name}", markup=False)


def file_stamp(path: Path) -> FileStamp:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime, status.st_size)
