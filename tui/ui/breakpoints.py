"""A screen's breakpoint classes (`-narrow`, `-tall`, ...), settled before it is first styled.

Textual gives a screen these classes at its first Resize, which comes after its first frame:
every screen was styled, laid out and drawn once with none of them, then again with them.
Each screen settles them as it composes, from the terminal's size, the way Textual works them
out; the Resize then finds nothing to change.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

# The widths and heights at which screens change shape, defined once. Below WIDE_COLUMNS a
# screen is "-narrow" (a phone's SSH client); the session puts its figure beside the clock
# from WIDE_COLUMNS, and draws its state and rep count big from BROAD_COLUMNS x BIG_ROWS.
WIDE_COLUMNS = 70
BROAD_COLUMNS = 100
SHORT_ROWS = 10
COMPACT_ROWS = 20
TALL_ROWS = 24
ROOMY_ROWS = 32
BIG_ROWS = 38
HORIZONTAL = [(0, "-narrow"), (WIDE_COLUMNS, "-wide")]
VERTICAL = [
    (0, "-tiny"),
    (SHORT_ROWS, "-short"),
    (COMPACT_ROWS, "-compact"),
    (TALL_ROWS, "-tall"),
    (ROOMY_ROWS, "-roomy"),
]
SESSION_HORIZONTAL = [*HORIZONTAL, (BROAD_COLUMNS, "-broad")]
SESSION_VERTICAL = [*VERTICAL, (BIG_ROWS, "-big")]


def settle_breakpoints(screen: Screen[Any]) -> None:
    app = screen.app
    horizontal = screen.HORIZONTAL_BREAKPOINTS
    vertical = screen.VERTICAL_BREAKPOINTS
    width, height = app.size
    classes: dict[str, bool] = {}
    for breakpoints, dimension in (
        (app.HORIZONTAL_BREAKPOINTS if horizontal is None else horizontal, width),
        (app.VERTICAL_BREAKPOINTS if vertical is None else vertical, height),
    ):
        breakpoints = breakpoints or []
        classes.update((name, False) for _, name in breakpoints)
        reached = [(threshold, name) for threshold, name in breakpoints if dimension >= threshold]
        if reached:
            classes[max(reached)[1]] = True
    screen.update_classes(classes, update=False)
