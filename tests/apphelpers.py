"""Building the app for Pilot tests: temp config and data dirs, a fake clock, a short routine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fakeclock import FakeClock
from textual.pilot import Pilot
from textual.screen import Screen

from tui.core.loader import load_file
from tui.core.model import RoutineError
from tui.ui.app import BacktoneApp

SHORT_ROUTINES = """\
schema = 1

[defaults]
prepare = 2
rest = 3

[exercises.egg]
name = "Egg"
setup = "Lie on your back on the mat."
cues = ["Keep the head down"]
phases = [
  { name = "Hug knees to chest", seconds = 6, hold = true },
  { name = "Release", seconds = 2 },
]

[exercises.knee]
name = "Knee hug"
setup = "Lie on your back, legs long."
phases = [{ name = "Get into position" }, { name = "Hug one knee", seconds = 4, hold = true }]

[[routines]]
id = "short"
name = "Short test"
description = "Two exercises. Stop if the pain grows."
steps = [
  { exercise = "egg", reps = 2 },
  { exercise = "knee", sides = ["left", "right"] },
]

[[routines]]
id = "eggs"
name = "Only eggs"
steps = [{ exercise = "egg", reps = 1 }]
"""


def write_routines(directory: Path, text: str = SHORT_ROUTINES) -> Path:
    path = directory / "routines.toml"
    path.write_text(text, encoding="utf-8")
    return path


def make_app(
    tmp_path: Path,
    routines: Path | None = None,
    clock: FakeClock | None = None,
    start_routine: str | None = None,
    data_dir: Path | None = None,
    bell: bool | None = None,
    ascii_only: bool = False,
    checkin: bool = False,
) -> BacktoneApp:
    path = routines or write_routines(tmp_path)
    book = problem = None
    try:
        book = load_file(path)
    except RoutineError as error:
        problem = error
    return BacktoneApp(
        routines_path=path,
        book=book,
        problem=problem,
        data_dir=data_dir or tmp_path / "data",
        bell=bell,
        start_routine=start_routine,
        clock=clock or FakeClock(),
        config_dir=tmp_path / "config",
        ascii_only=ascii_only,
        checkin=checkin,
    )


def text_of(widget: object) -> str:
    """The plain text a Label or Static shows."""
    import io

    from rich.console import Console

    content = widget.content  # type: ignore[attr-defined]
    if isinstance(content, str):
        return content
    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(content)
    return console.file.getvalue()  # type: ignore[attr-defined]


PAUSES = 1000  # Pilot pauses (each at least 20 ms) wait_until gives a state to come


async def wait_until(
    pilot: Pilot[None], predicate: Callable[[], bool], what: str, pauses: int = PAUSES
) -> None:
    """Let the app run until `predicate()` holds: the history store opens (offering a resume,
    or warning) a moment after the first frame, not after a fixed number of pauses.

    The cap counts pauses, not seconds: on a loaded machine each pause takes longer, and the
    app gets as many turns as on a quiet one."""
    for _ in range(pauses):
        if predicate():
            return
        await pilot.pause(0.02)
    if not predicate():
        raise AssertionError(f"not after {pauses} pauses: {what}; on {pilot.app.screen!r}")


async def wait_for_screen(pilot: Pilot[None], kind: type[Screen[Any]]) -> None:
    """Until a `kind` screen is on top and built: a pushed screen is on top at once, and its
    widgets come a moment later (much later on a loaded machine)."""

    def built() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, kind) and screen.is_mounted

    await wait_until(pilot, built, f"{kind.__name__}, built")


# The Pilot tests' name for the one fake clock of the test suite.
ManualClock = FakeClock
