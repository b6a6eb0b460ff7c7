"""How the session screen shares its clock row between the countdown and the figure.

From the mat both must read: the digits and the position drawn as tall as they can be. The
figure's column is as wide as it needs to be as tall as the digits, and no wider: beyond
that, every column it took would thin the digits. The split is worked out once per session
and screen size, from the session's widest countdown and its widest pose, so the clock does
not move from one phase to the next and each figure is drawn once.

Nothing here imports Textual's widgets, so the arithmetic is tested without a terminal.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable

from tui.core.plan import Plan
from tui.core.poses import SMALLEST_BODY, figure
from tui.ui.session_view import countdown_text
from tui.ui.widgets.big_clock import FONT_ROWS, choose_scale, pixel_width

# The clock's box: a round border and a column of padding on each side.
CLOCK_CHROME_COLUMNS = 4
CLOCK_CHROME_ROWS = 2
STATE_ROWS = 1  # the state line under the digits ("Hold"), where the big labels are not shown
FIGURE_GAP = 2  # columns between the clock's box and the figure
# Lying down, a figure is many times wider than tall; it is drawn across the column it gets
# rather than widening the column until it is as tall as the digits, which it never would be.
WIDEST_ASPECT = 3.0
SMALLEST_CLOCK_COLUMNS = 12  # the box of "10:00" at the smallest figures, chrome aside
# A drawn figure can light a row less than its outline spans (a thin stroke at its top):
# the figure's column is sized for one row more than the digits, so it is never shorter.
FIGURE_SPARE_ROWS = 1
# From a clock row this tall (120x40 has 18) the figure is made at least as tall as the
# digits; in a shorter one (80x24 has 8 to 13) the smaller of the two is made as tall as it
# can be, so that the digits are not halved for a figure a few rows taller than they are.
AS_TALL_FROM_ROWS = 16


def digit_rows(text: str, width: int, height: int, ascii_only: bool) -> tuple[int, int]:
    """How many screen rows the big figures of `text` take in a box of `width` x `height`
    cells, and how wide a pixel of them is (0, 0 where not even the smallest size fits)."""
    scale = choose_scale(text, width, height, ascii_only)
    if scale is None:
        return (0, 0)
    pixels = FONT_ROWS * scale.down
    return (pixels if ascii_only else (pixels + 1) // 2, scale.across)


def pose_rows_for(columns: int, height: int, shape: tuple[float, float], ascii_only: bool) -> int:
    """How many rows a figure of `shape` (its width and height, in the pose library's units)
    takes in a box of `columns` x `height` cells, as `poses.pose_rows` scales it; 0 where it
    would be too small to read."""
    width, tall = shape
    pixel = 2.0 if ascii_only else 1.0
    scale = min((columns - pixel) / width, (2.0 * height - pixel) / tall)
    if scale < SMALLEST_BODY:
        return 0
    return min(height, math.floor(scale * tall / 2.0))


@functools.lru_cache(maxsize=32)
def pose_columns(
    row_width: int, row_height: int, clock_text: str, shape: tuple[float, float], ascii_only: bool
) -> int:
    """The figure's columns in a clock row of `row_width` x `row_height` cells (0: no figure).

    In a row of AS_TALL_FROM_ROWS or more, the figure is as tall as the digits of
    `clock_text` wherever it can be; then the smaller of the two is as tall as it can be;
    between equals, the digits' strokes stay the widest, then the figure is the tallest,
    then the narrowest. A row too small for both gives the clock everything."""
    width, tall = shape
    shape = (min(width, tall * WIDEST_ASPECT), tall)
    clock_height = row_height - CLOCK_CHROME_ROWS - STATE_ROWS
    best: tuple[bool, int, int, int, int] | None = None
    columns = 0
    for candidate in range(1, row_width - FIGURE_GAP - CLOCK_CHROME_COLUMNS):
        clock_width = row_width - candidate - FIGURE_GAP - CLOCK_CHROME_COLUMNS
        if clock_width < SMALLEST_CLOCK_COLUMNS:
            break
        digits, stroke = digit_rows(clock_text, clock_width, clock_height, ascii_only)
        drawn = pose_rows_for(candidate, row_height, shape, ascii_only)
        if not digits or not drawn:
            continue
        tall_enough = row_height >= AS_TALL_FROM_ROWS and drawn - FIGURE_SPARE_ROWS >= digits
        key = (tall_enough, min(digits, drawn - FIGURE_SPARE_ROWS), stroke, drawn, -candidate)
        if best is None or key > best:
            best, columns = key, candidate
    return columns


def widest_countdown(plan: Plan) -> str:
    """The longest countdown the session will show: the clock is sized for it."""
    texts = [countdown_text(segment.seconds) for segment in plan.segments if segment.timed]
    return max(texts, key=pixel_width, default="0")


def widest_shape(poses: Iterable[str]) -> tuple[float, float] | None:
    """The width and height of the widest of these library poses for its height, leaving
    out the lying ones (wider than WIDEST_ASPECT: drawn across the column, never as tall as
    the digits) unless there are only those; None for no pose."""
    shapes = [(shape.width, shape.height) for shape in map(figure, poses)]
    upright = [shape for shape in shapes if shape[0] <= shape[1] * WIDEST_ASPECT]
    return max(upright or shapes, key=lambda shape: shape[0] / shape[1], default=None)


def plan_poses(plan: Plan) -> set[str]:
    """Every library pose the routine's exercises name."""
    return {
        phase.pose for step in plan.routine.steps for phase in step.exercise.phases if phase.pose
    }
