"""What every backtone screen and dialog has: its breakpoint classes settled as it composes,
and ASCII mode from the app (as the screen's class -ascii too).

A screen that is composed already carries the classes of the terminal's size (see
tui/ui/breakpoints.py), so its first frame is styled once. ASCII mode is chosen at start-up
and never changes: screens read it from the app rather than having it handed down through
every constructor; a test may still give it to one screen.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from textual._context import NoActiveAppError
from textual.screen import ModalScreen, Screen

from tui.ui.breakpoints import settle_breakpoints

ResultType = TypeVar("ResultType")


def app_ascii_only(screen: Screen[Any]) -> bool:
    # getattr: a screen may be shown by an app that is not BacktoneApp (tests of one widget);
    # one built before any app runs (a test's) is not in ASCII mode unless told.
    try:
        return bool(getattr(screen.app, "ascii_only", False))
    except NoActiveAppError:
        return False


class BacktoneScreen(Screen[ResultType]):
    HELP_NAME: ClassVar[str] = "this screen"  # what a person calls it: help, key messages

    def __init__(
        self,
        *,
        ascii_only: bool | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._ascii_only = ascii_only  # None: as the app says

    @property
    def ascii_only(self) -> bool:
        return app_ascii_only(self) if self._ascii_only is None else self._ascii_only

    def key_name(self, binding_id: str, default: str) -> str:
        """The key the screen's texts name for a binding: the person's own from [keys]."""
        try:
            named = getattr(self.app, "key_name", None)
        except NoActiveAppError:
            named = None
        return str(named(binding_id, default)) if named else default.capitalize()

    async def _compose(self) -> None:
        # Textual's hook between a screen's construction and its compose(): the classes are
        # on the screen before the widgets compose() builds are styled. -ascii is the screen's
        # as the breakpoints are, so that styles.tcss gives each screen's ASCII variants in
        # its own block (`&.-ascii`).
        settle_breakpoints(self)
        self.set_class(self.ascii_only, "-ascii", update=False)
        await super()._compose()


class BacktoneModal(ModalScreen[ResultType], BacktoneScreen[ResultType]):
    """A dialog over the screen beneath: ModalScreen's dimming and key precedence, and what
    BacktoneScreen gives every screen."""

    def __init__(
        self,
        *,
        ascii_only: bool | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._ascii_only = ascii_only
