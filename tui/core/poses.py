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
from dataclasses import replace
from types import MappingProxyType

from tui.core.body import (
    FOREARM,
    HEAD_RADIUS,
    NECK,
    SHIN,
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
# Lying flat, the bold spine rests on the mat; the head, rounder, and the legs, thinner, would
# float above it: the neck tips the head and the hips tip the legs down onto it.
_SPINE_HALF = STROKE_WIDTH[Weight.SPINE] / 2
_HEAD_ON_MAT = math.degrees(math.asin((HEAD_RADIUS - _SPINE_HALF) / (NECK + HEAD_RADIUS)))
_LEGS_ON_MAT = math.degrees(
    math.asin((_SPINE_HALF - STROKE_WIDTH[Weight.LIMB] / 2) / (THIGH + SHIN))
)
_SEATED_FORWARD = 85.0  # chair-folded: the trunk's lean from upright, with the head below the knees

POSES: Mapping[str, Pose] = MappingProxyType(
    {
        "all-fours": _FOURS,
        # The cat's bends are a little deeper than POSES.md's tenth of the trunk, and its neck
        # a little further: at 40 columns a tenth is a single pixel.
        "cat-arched": replace(
            _FOURS,
            spine=0.14,  # mid-back raised
            neck=55,  # head hanging between the arms, chin to the chest
        ),
        "cat-sagging": replace(
            _FOURS,
            spine=-0.12,  # belly let down
            spine_apex=0.4,  # lowest at the waist
            neck=-45,  # head and chin up
        ),
        "egg-hug": Pose(
            # On the back, head behind; hugging the knees rolls the pelvis up off the mat, so
            # the trunk tilts a little and the lower back rounds onto the mat.
            trunk=190,
            spine=0.06,
            hip=135,
            knee=145,
            ankle=20,
            shoulder=49,  # straight arms up to the knees
            wrist=-55,  # the hands along the shins, clasped over them
            neck=19,  # the head on the mat beside the rounded back
        ),
        "lying-back": Pose(trunk=180, neck=_HEAD_ON_MAT, hip=-_LEGS_ON_MAT),
        "lying-front": Pose(trunk=0, neck=-_HEAD_ON_MAT, hip=_LEGS_ON_MAT, ankle=90),
        "chair-folded": Pose(
            trunk=90 - _SEATED_FORWARD,
            hip=180 - (90 - _SEATED_FORWARD),  # thighs level
            knee=90,
            spine=0.1,  # a loose, rounded back
            spine_apex=0.45,
            neck=80,  # the head hanging below the knees
            shoulder=115,  # arms hanging toward the floor, in front of the head
            elbow=-15,
            chair=True,
        ),
        # Straight arms reach the thighs just ahead of the hips: the hands rest there.
        "chair-upright": Pose(trunk=90, hip=90, knee=90, shoulder=13, chair=True),
        "sitting": Pose(trunk=90, hip=90, shoulder=10, wrist=-30),  # hands by the hips
        "standing": Pose(trunk=90, shoulder=10),  # arms by the sides, a little ahead to show
    }
)

# Smaller than this (the body's height in column widths) a figure is a blur: nothing is drawn.
SMALLEST_BODY = 5.0

# The thinnest a stroke is drawn, as a radius in pixels (the larger side of a pixel): a line
# must light a pixel in every row and column it crosses, and the spine stays the boldest.
_THINNEST = {Weight.SPINE: 0.8, Weight.LIMB: 0.55, Weight.PROP: 0.5, Weight.MAT: 0.5}
_SMALLEST_HEAD = 1.1
_BODY = frozenset({Weight.SPINE, Weight.LIMB})  # the rest (chair, mat) is drawn fainter in ASCII


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
    the chair and the mat) with `ascii_only`. `mirrored` is the mirror image, for the other side."""
    return _rows(name, width, height, ascii_only, mirrored)


@functools.lru_cache(maxsize=64)  # a redraw each second, and a resize, must cost nothing
def _rows(name: str, width: int, height: int, ascii_only: bool, mirrored: bool) -> tuple[str, ...]:
    shape = figure(name)
    if mirrored:
        return tuple(row[::-1] for row in _rows(name, width, height, ascii_only, False))
    row_pitch = 2.0 if ascii_only else 1.0
    pixel = max(1.0, row_pitch)
    tall = 2.0 * height  # in column widths, either way
    # Column widths per standing height, leaving a pixel at each edge for the strokes' ends.
    scale = min((width - pixel) / shape.width, (tall - pixel) / shape.height)
    if scale < SMALLEST_BODY:
        return ()
    raster = Raster(width, height if ascii_only else 2 * height, row_pitch)
    left = (width - shape.width * scale) / 2 - shape.left * scale
    top = (tall - shape.height * scale) / 2 + shape.top * scale

    def place(point: tuple[float, float]) -> tuple[float, float]:
        return (left + point[0] * scale, top - point[1] * scale)

    for part in shape.shapes:
        if isinstance(part, Disc):
            # The head stays a mark at any size; the nose may shrink into it.
            smallest = _SMALLEST_HEAD * pixel if part.radius == HEAD_RADIUS else 0.0
            raster.disc(place(part.centre), max(part.radius * scale, smallest))
            continue
        radius = max(STROKE_WIDTH[part.weight] / 2 * scale, _THINNEST[part.weight] * pixel)
        points = part.flattened() if isinstance(part, Curve) else part.points
        ink = FULL if part.weight in _BODY else FAINT
        raster.line([place(point) for point in points], radius, ink)
    return tuple(raster.ascii_rows() if ascii_only else raster.block_rows())


def pose_svg(name: str, *, height: float = 96.0, mirrored: bool = False, label: str = "") -> str:
    """The pose as a standalone inline `<svg>`, `height` CSS pixels tall; `label` is its
    accessible name (escaped)."""
    return figure_svg(figure(name), height=height, mirrored=mirrored, label=label)
