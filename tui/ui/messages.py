"""What screens tell the app. Screens never call the app's methods: they post one of these (or
dismiss with a typed result), and the app does the wiring."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.screen import Screen

from tui.core.engine import Session
from tui.core.model import Routine


@dataclass
class StartRoutine(Message):
    """Play this routine (Enter on the Routines screen, or the palette)."""

    routine: Routine


@dataclass
class ShowHistory(Message):
    """Open the History screen."""


@dataclass
class EditRoutines(Message):
    """Open the routine file in the person's editor, then reload it."""


@dataclass
class ReloadRoutines(Message):
    """Read the routine file again (r on the Problems screen, or the palette)."""


@dataclass
class CheckRoutinesFile(Message):
    """The Routines screen is showing: reload the file if it changed on disk."""


@dataclass
class SessionOver(Message):
    """The session ended (done, or stopped): the summary replaces the session screen, whatever
    overlays are open above it."""

    screen: Screen[None]
    session: Session


@dataclass
class SummaryClosed(Message):
    """The person is done with the summary: back to the routines."""


@dataclass
class BellToggled(Message):
    """`b` in a session: remember the bell's new state."""

    on: bool
