"""The built-in pose library: side-view positions a routine file names with `pose = "..."`.

The names are the routine file's vocabulary; the drawing of each lives beside them. Each
position is a `Pose` of joint angles (POSES.md gives what each must show), turned into a
figure by `body`, drawn into terminal cells at any box size by `pose_rows`, or as SVG by
`pose_svg`. The person faces right; `mirrored` shows the other side of a one-sided exercise.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from types import MappingProxyType

from tui.core.body import (
    FOREARM,
    HEAD_RADIUS,
    STROKE_WIDTH,
    THIGH,
    TRUNK,
    UPPER_ARM,
    Curve,
    Disc,
    Figure,
    Pose,
    Weight,
    pose_figure,
)
from tui.core.body_svg import figure_svg
from tui.core.raster import FAINT, FULL, Raster

POSE_NAMES: tuple[str, ...] = (
    "all-fours",
    "cat-arched",
    "cat-sagging",
    "egg-hug",
    "lying-back",
    "lying-front",
    "chair-folded",
    "chair-upright",
    "sitting",
    "standing",
)

# On all fours the hands are under the shoulders and the knees under the hips, so the arms'
# reach against the thighs' length decides how far the back tilts (a few degrees).
_FOURS_TRUNK = math.degrees(math.asin((UPPER_ARM + FOREARM - THIGH) / TRUNK))
_FOURS = Pose(
    trunk=_FOURS_TRUNK,
    shoulder=90 - _FOURS_TRUNK,  # arms vertical
    wrist=90,  # palms flat, fingers forward
    hip=90 - _FOURS_TRUNK,  # thighs vertical
    knee=90,  # shins on the mat
    ankle=90,  # the tops of the feet on the mat
)
# Lying flat, the spine's stroke rests on the mat and the head, being rounder, sits higher
# on it: the neck tips it by this much to lay it on the mat too.
_HEAD_ON_MAT = 20.0
_SEATED_FORWARD = 80.0  # chair-folded: the trunk's lean from upright

POSES: Mapping[str, Pose] = MappingProxyType(
    {
        "all-fours": _FOURS,
        "cat-arched": Pose(
            trunk=_FOURS.trunk,
            shoulder=_FOURS.shoulder,
            wrist=_FOURS.wrist,
            hip=_FOURS.hip,
            knee=_FOURS.knee,
            ankle=_FOURS.ankle,
            spine=0.14,  # mid-back raised
            neck=55,  # head hanging, chin to the chest
        ),
        "cat-sagging": Pose(
            trunk=_FOURS.trunk,
            shoulder=_FOURS.shoulder,
            wrist=_FOURS.wrist,
            hip=_FOURS.hip,
            knee=_FOURS.knee,
            ankle=_FOURS.ankle,
            spine=-0.12,  # belly let down
            spine_apex=0.4,  # lowest at the waist
            neck=-45,  # head and chin up
        ),
        "egg-hug": Pose(
            trunk=180,  # on the back, head behind
            hip=130,
            knee=140,
            ankle=20,
            shoulder=40,  # arms up to the shins
            elbow=10,
            wrist=-30,
            neck=_HEAD_ON_MAT,
        ),
        "lying-back": Pose(trunk=180, neck=_HEAD_ON_MAT),
        "lying-front": Pose(trunk=0, neck=-_HEAD_ON_MAT, ankle=90),
        "chair-folded": Pose(
            trunk=90 - _SEATED_FORWARD,
            hip=180 - (90 - _SEATED_FORWARD),  # thighs level
            knee=90,
            spine=0.08,  # a loose, rounded back
            neck=100,  # the head hanging
            shoulder=80,  # arms hanging toward the floor
            elbow=10,
            chair=True,
        ),
        "chair-upright": Pose(
            trunk=90, hip=90, knee=90, shoulder=15, wrist=15, chair=True
        ),
        "sitting": Pose(trunk=90, hip=90, shoulder=-15, wrist=-60),
        "standing": Pose(trunk=90),
    }
)

# Smaller than this (the body's height in column widths) a figure is a blur: nothing is drawn.
SMALLEST_BODY = 5.0

# The thinnest a stroke is drawn, as a radius in pixels (the larger side of a pixel): a line
# must light a pixel in every row and column it crosses, and the spine stays the boldest.
_THINNEST = {Weight.SPINE: 0.8, Weight.LIMB: 0.55, Weight.PROP: 0.5, Weight.MAT: 0.5}
_SMALLEST_HEAD = 1.1


def pose(name: str) -> Pose:
    """The library's pose called `name`; ValueError naming the choices if there is none."""
    try:
        return POSES[name]
    except KeyError:
        raise ValueError(f"unknown pose {name!r}; the poses: {', '.join(POSE_NAMES)}") from None


@functools.cache
def figure(name: str) -> Figure:
    """The library's pose called `name`, set on the mat, ready to draw."""
    return pose_figure(pose(name))


def pose_rows(
    name: str, width: int, height: int, *, ascii_only: bool = False, mirrored: bool = False
) -> tuple[str, ...]:
    """The pose drawn into a box of `width` x `height` terminal cells: `height` strings of
    `width` cells, the figure as large as fits, its aspect kept, centred; or () when the box
    is too small for a figure anyone could read. Block cells (`▀ ▄ █`), or `#` (and `=` for
    the mat) with `ascii_only`. `mirrored` is the mirror image, for the other side."""
    return _rows(name, width, height, ascii_only, mirrored)


@functools.lru_cache(maxsize=64)  # a redraw each second, and a resize, must cost nothing
def _rows(name: str, width: int, height: int, ascii_only: bool, mirrored: bool) -> tuple[str, ...]:
    shape = figure(name)
    if mirrored:
        return tuple(row[::-1] for row in _rows(name, width, height, ascii_only, False))
    row_pitch = 2.0 if ascii_only else 1.0
    raster = Raster(width, height if ascii_only else 2 * height, row_pitch)
    pixel = max(1.0, row_pitch)
    # A pixel's worth of room at each edge, for the strokes' ends.
    scale = min((width - pixel) / shape.width, (raster.height - pixel) / shape.height)
    if scale <= 0 or scale * 1.0 < SMALLEST_BODY:
        return ()
    left = (width - shape.width * scale) / 2 - shape.left * scale
    top = (raster.height - shape.height * scale) / 2 + shape.top * scale

    def place(point: tuple[float, float]) -> tuple[float, float]:
        return (left + point[0] * scale, top - point[1] * scale)

    for part in shape.shapes:
        if isinstance(part, Disc):
            smallest = _SMALLEST_HEAD * pixel if part.radius == HEAD_RADIUS else 0.0
            raster.disc(place(part.centre), max(part.radius * scale, smallest))
            continue
        radius = max(STROKE_WIDTH[part.weight] / 2 * scale, _THINNEST[part.weight] * pixel)
        points = part.flattened() if isinstance(part, Curve) else part.points
        ink = FAINT if part.weight is Weight.MAT else FULL
        raster.line([place(point) for point in points], radius, ink)
    return tuple(raster.ascii_rows() if ascii_only else raster.block_rows())


def pose_svg(name: str, *, height: float = 96.0, mirrored: bool = False, label: str = "") -> str:
    """The pose as a standalone inline `<svg>`, `height` CSS pixels tall; `label` is its
    accessible name (escaped)."""
    return figure_svg(figure(name), height=height, mirrored=mirrored, label=label)
