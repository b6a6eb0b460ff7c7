"""Round-capped lines and discs drawn into a grid of pixels, and the grid as terminal cells.

The grid's coordinates are in column widths, x to the right and y down. A terminal cell is
about twice as tall as it is wide: in block mode each cell holds two pixel rows (`▀ ▄ █`), so
pixels are square and rows are 1 apart; in ASCII mode a pixel is a whole cell, rows 2 apart.
Drawing in these units keeps a circle round either way.

A pixel is lit when its centre lies within the shape. Each pixel row is filled as one
interval per stroke (a capsule and a row meet in one stretch), so a large figure costs rows
times strokes, not pixels times strokes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

Point = tuple[float, float]

BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
ASCII_INK = "#"
ASCII_FAINT = "="  # the ground line in ASCII: lighter than the figure standing on it
LIT_CELLS = frozenset("▀▄█#=")

# Ink levels: 0 nothing, FAINT for the ground, FULL for the figure. The stronger one wins.
FAINT = 1
FULL = 2


class Raster:
    """A grid of `columns` x `rows` pixels whose rows are `row_pitch` column widths apart."""

    def __init__(self, columns: int, rows: int, row_pitch: float = 1.0) -> None:
        self.columns = columns
        self.rows = rows
        self.row_pitch = row_pitch
        self.ink = [bytearray(columns) for _ in range(rows)]

    @property
    def height(self) -> float:
        """The grid's height in column widths."""
        return self.rows * self.row_pitch

    def lit(self, x: int, y: int) -> bool:
        return bool(self.ink[y][x])

    def line(self, points: Sequence[Point], radius: float, ink: int = FULL) -> None:
        """A polyline `2 * radius` wide, with round ends and joins."""
        if len(points) == 1:
            self.disc(points[0], radius, ink)
        for start, end in itertools.pairwise(points):
            self._capsule(start, end, radius, ink)

    def disc(self, centre: Point, radius: float, ink: int = FULL) -> None:
        self._capsule(centre, centre, radius, ink)

    def _capsule(self, a: Point, b: Point, radius: float, ink: int) -> None:
        top = min(a[1], b[1]) - radius
        bottom = max(a[1], b[1]) + radius
        first = max(0, math.ceil(top / self.row_pitch - 0.5))
        last = min(self.rows - 1, math.floor(bottom / self.row_pitch - 0.5))
        for row in range(first, last + 1):
            span = _capsule_span(a, b, radius, (row + 0.5) * self.row_pitch)
            if span is None:
                continue
            left = max(0, math.ceil(span[0] - 0.5))
            right = min(self.columns - 1, math.floor(span[1] - 0.5))
            pixels = self.ink[row]
            for column in range(left, right + 1):
                if pixels[column] < ink:
                    pixels[column] = ink

    def block_rows(self) -> list[str]:
        """The grid as half-block cells, two pixel rows to a cell (an odd last row is padded)."""
        rows = [bytes(row) for row in self.ink]
        if len(rows) % 2:
            rows.append(bytes(self.columns))
        return [
            "".join(BLOCKS[bool(up), bool(down)] for up, down in zip(upper, lower, strict=True))
            for upper, lower in zip(rows[::2], rows[1::2], strict=True)
        ]

    def ascii_rows(self) -> list[str]:
        """The grid as ASCII cells, one pixel to a cell."""
        glyph = {0: " ", FAINT: ASCII_FAINT, FULL: ASCII_INK}
        return ["".join(glyph[level] for level in row) for row in self.ink]


def _capsule_span(a: Point, b: Point, radius: float, y: float) -> tuple[float, float] | None:
    """Where the horizontal line at `y` crosses the capsule around segment a-b: one interval,
    since a capsule is convex (the union of its two end discs and the band between them)."""
    spans = [span for span in (_disc_span(a, radius, y), _disc_span(b, radius, y)) if span]
    band = _band_span(a, b, radius, y)
    if band is not None:
        spans.append(band)
    if not spans:
        return None
    return min(span[0] for span in spans), max(span[1] for span in spans)


def _disc_span(centre: Point, radius: float, y: float) -> tuple[float, float] | None:
    dy = y - centre[1]
    if abs(dy) > radius:
        return None
    half = math.sqrt(radius * radius - dy * dy)
    return centre[0] - half, centre[0] + half


def _band_span(a: Point, b: Point, radius: float, y: float) -> tuple[float, float] | None:
    """The points of the line at `y` within `radius` of the segment and beside it (their
    projection falls between a and b)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    if length == 0:
        return None
    if dy == 0:
        if abs(y - a[1]) > radius:
            return None
        return min(a[0], b[0]), max(a[0], b[0])
    # Along the row x = x0 + s: the projection t and the signed distance d are linear in x.
    ux, uy = dx / length, dy / length
    # t(x) = ((x - ax) * ux + (y - ay) * uy) / length, kept within [0, 1]
    # d(x) = (x - ax) * uy - (y - ay) * ux, kept within [-radius, radius]
    intervals = [
        _linear_range(ux / length, ((y - a[1]) * uy - a[0] * ux) / length, 0.0, 1.0),
        _linear_range(uy, -a[0] * uy - (y - a[1]) * ux, -radius, radius),
    ]
    low = max(interval[0] for interval in intervals)
    high = min(interval[1] for interval in intervals)
    return (low, high) if low <= high else None


def _linear_range(slope: float, offset: float, low: float, high: float) -> tuple[float, float]:
    """The x for which low <= slope * x + offset <= high."""
    if slope == 0:
        inside = low <= offset <= high
        return (-math.inf, math.inf) if inside else (math.inf, -math.inf)
    ends = ((low - offset) / slope, (high - offset) / slope)
    return min(ends), max(ends)
