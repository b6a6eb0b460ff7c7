"""The countdown, drawn as large as its box allows, to be read from a mat two metres away.

Each character is a bitmap 5 pixels tall (3 wide, or 1, 4 or 5 where a shape needs it)
scaled by whole factors. With block cells a screen cell holds two pixel rows (`▀`, `▄`,
`█`), which doubles the height the font can reach; in ASCII mode a
pixel is a run of whole `#` cells. Pixels are kept about square to the eye (a cell is about
twice as tall as it is wide) and never more than twice as tall as wide, so a narrow box gives
thinner, not taller, figures. Where not even the smallest size fits, the text is one row.

Over SSH every redraw costs bytes: the rows are worked out once per (text, size, style), and a
new second repaints only the cells that differ from the last one. `BigText` is that machinery
for any short text; `BigClock` is the countdown, `big_label.BigLabel` a state word or a count.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

FONT_ROWS = 5
FONT: dict[str, tuple[str, ...]] = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    "-": ("   ", "   ", "###", "   ", "   "),
    ":": (" ", "#", " ", "#", " "),
    " ": ("   ",) * FONT_ROWS,
    # Letters share the digits' one-pixel strokes and square corners. None is the same shape
    # as a digit (O is round and wider than 0, S curls unlike 5, Z is diagonal unlike 2), so
    # a word never reads as a number; M, W (5 wide) and N, O, Q (4 wide) need the room.
    "A": (" # ", "# #", "###", "# #", "# #"),
    "B": ("## ", "# #", "## ", "# #", "## "),
    "C": ("###", "#  ", "#  ", "#  ", "###"),
    "D": ("## ", "# #", "# #", "# #", "## "),
    "E": ("###", "#  ", "## ", "#  ", "###"),
    "F": ("###", "#  ", "## ", "#  ", "#  "),
    "G": ("###", "#  ", "# #", "# #", "###"),
    "H": ("# #", "# #", "###", "# #", "# #"),
    "I": ("###", " # ", " # ", " # ", "###"),
    "J": ("  #", "  #", "  #", "# #", "###"),
    "K": ("# #", "## ", "#  ", "## ", "# #"),
    "L": ("#  ", "#  ", "#  ", "#  ", "###"),
    "M": ("#   #", "## ##", "# # #", "#   #", "#   #"),
    "N": ("#  #", "## #", "# ##", "#  #", "#  #"),
    "O": (" ## ", "#  #", "#  #", "#  #", " ## "),
    "P": ("###", "# #", "###", "#  ", "#  "),
    "Q": (" ## ", "#  #", "#  #", "# # ", " # #"),
    "R": ("## ", "# #", "## ", "# #", "# #"),
    "S": (" ##", "#  ", "###", "  #", "## "),
    "T": ("###", " # ", " # ", " # ", " # "),
    "U": ("# #", "# #", "# #", "# #", "###"),
    "V": ("# #", "# #", "# #", "# #", " # "),
    "W": ("#   #", "#   #", "# # #", "## ##", "#   #"),
    "X": ("# #", "# #", " # ", "# #", "# #"),
    "Y": ("# #", "# #", " # ", " # ", " # "),
    "Z": ("###", "  #", " # ", "#  ", "###"),
    "/": ("  #", "  #", " # ", "#  ", "#  "),
    "·": (" ", " ", "#", " ", " "),  # as in "Set 1/2 · Rep 3/10"
    ".": (" ", " ", " ", " ", "#"),
    "!": ("#", "#", "#", " ", "#"),
    "?": ("###", "  #", " ##", "   ", " # "),
}
BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
ASCII_CELL = "#"
LIT_CELLS = frozenset("▀▄█#")
PLAIN_COUNTDOWN = re.compile(r"^(--|\d+(:\d\d)*)$")
PLAIN_TEXT = re.compile(r".")


def glyph(char: str) -> tuple[str, ...] | None:
    """The bitmap for `char` (a small letter is drawn as its capital), or None."""
    return FONT.get(char) or FONT.get(char.upper())


def drawable(text: str) -> bool:
    """Whether the font has every character of `text`."""
    return all(glyph(char) is not None for char in text)


def pixel_rows(text: str) -> list[str]:
    """`text` in the font at scale 1: FONT_ROWS strings of `#` and space, glyphs one pixel
    apart. Characters the font lacks are blanks."""
    glyphs = [glyph(char) or FONT[" "] for char in text]
    return [" ".join(bitmap[row] for bitmap in glyphs) for row in range(FONT_ROWS)]


@dataclass(frozen=True)
class Scale:
    """Cells across per pixel, and pixel rows (half cells in block mode, cells in ASCII) down."""

    across: int
    down: int


def choose_scale(text: str, width: int, height: int, ascii_only: bool) -> Scale | None:
    """The largest scale at which `text` fits `width` x `height` cells; None if none does.

    Height is what reads from across a room, so the tallest scale wins; the width then makes
    pixels as wide as tall to the eye, or thinner where the box is narrow (down to half)."""
    columns = len(pixel_rows(text)[0])
    rows_per_cell = 1 if ascii_only else 2
    max_across = width // columns if columns else 0
    max_down = height * rows_per_cell // FONT_ROWS
    if max_across < 1 or max_down < 1:
        return None
    # How tall a pixel looks, in cell widths, for each pixel row it spans.
    look = 2 if ascii_only else 1
    down = min(max_down, (2 * max_across) // look)
    if down < 1:
        return None
    across = min(max_across, max(1, down * look))
    return Scale(across, down)


def render_rows(
    text: str, width: int, height: int, ascii_only: bool, sizing: str = ""
) -> list[str]:
    """The clock as `height` rows of `width` cells, the figures centred; one row of plain
    text in the middle when even the smallest figures do not fit, or when the font lacks a
    character (a word with a hole in it would read as another word). With `sizing`, a text
    no wider than it is drawn at the size `sizing` would be: "9" as big as "10" was."""
    return list(_rows(text, width, height, ascii_only, sizing))


def pixel_width(text: str) -> int:
    return len(pixel_rows(text)[0])


@functools.lru_cache(maxsize=16)  # a new second is diffed against the last, then drawn
def _rows(text: str, width: int, height: int, ascii_only: bool, sizing: str) -> tuple[str, ...]:
    scale = None
    if drawable(text):
        if sizing and drawable(sizing) and pixel_width(text) <= pixel_width(sizing):
            scale = choose_scale(sizing, width, height, ascii_only)
        scale = scale or choose_scale(text, width, height, ascii_only)
    if scale is None:
        return tuple(_centred([set_cell_size(text, min(cell_len(text), width))], width, height))
    pixels = [
        "".join(char * scale.across for char in row)
        for row in pixel_rows(text)
        for _ in range(scale.down)
    ]
    if ascii_only:
        lines = [row.replace("#", ASCII_CELL) for row in pixels]
    else:
        if len(pixels) % 2:
            pixels.append(" " * len(pixels[0]))
        lines = [
            "".join(
                BLOCKS[top == "#", bottom == "#"] for top, bottom in zip(upper, lower, strict=True)
            )
            for upper, lower in zip(pixels[::2], pixels[1::2], strict=True)
        ]
    return tuple(_centred(lines, width, height))


def _centred(lines: list[str], width: int, height: int) -> list[str]:
    top = max(0, (height - len(lines)) // 2)
    blank = " " * width
    # Centred by cells, not characters: a wide character in plain text takes two.
    body = [line.center(width + len(line) - cell_len(line)) for line in lines[:height]]
    return [blank] * top + body + [blank] * (height - top - len(body))


def digit_rows(rows: list[str]) -> int:
    """How many of these screen rows hold a cell of the big figures."""
    return sum(1 for row in rows if LIT_CELLS.intersection(row))


def read_clock(rows: list[str]) -> str | None:
    """The text big figures show in these screen rows (a screenshot, a pty's display), or
    None: the inverse of `render_rows`, for tests and benchmarks that read a screen."""
    return read_big_text(rows, plain=PLAIN_COUNTDOWN)


def read_big_text(rows: list[str], plain: re.Pattern[str] = PLAIN_TEXT) -> str | None:
    """The text the big font shows in these screen rows, letters in capitals, or None; where
    the box was too small for the font, the first row of plain text that `plain` matches."""
    grid = _lit_pixels(rows)
    if grid is None:  # too small for figures: the text itself, on a row of its own
        return next((row.strip() for row in rows if plain.match(row.strip())), None)
    across = _run_unit([tuple(row[x] for row in grid) for x in range(len(grid[0]))])
    down = _run_unit(grid)
    small = [row[::across] for row in grid[::down]]
    if len(small) == 1:  # only the middle row is lit: dashes alone
        small = [[False] * len(small[0])] * 2 + small + [[False] * len(small[0])] * 2
    if len(small) != FONT_ROWS:
        return None
    return _read_glyphs(["".join("#" if lit else " " for lit in row) for row in small])


def _lit_pixels(rows: list[str]) -> list[list[bool]] | None:
    """The lit pixels of the rows, cropped to the figures."""
    ascii_mode = any("#" in row for row in rows)
    pixels: list[list[bool]] = []
    for row in rows:
        if ascii_mode:
            pixels.append([char == "#" for char in row])
        else:
            pixels.append([char in "▀█" for char in row])
            pixels.append([char in "▄█" for char in row])
    lit = [y for y, row in enumerate(pixels) if any(row)]
    if not lit:
        return None
    columns = [x for row in pixels for x, on in enumerate(row) if on]
    left, right = min(columns), max(columns) + 1
    return [row[left:right] + [False] * (right - len(row)) for row in pixels[lit[0] : lit[-1] + 1]]


def _run_unit(lines: list[list[bool]] | list[tuple[bool, ...]]) -> int:
    """The scale: the greatest common divisor of the runs of identical lines."""
    runs: list[int] = []
    for index, line in enumerate(lines):
        if index and line == lines[index - 1]:
            runs[-1] += 1
        else:
            runs.append(1)
    return math.gcd(*runs)


def _read_glyphs(rows: list[str]) -> str | None:
    """The characters of these scale-1 rows. Every glyph but the space has a lit first and
    last column and no blank one inside, so a blank column is a gap, or starts a space."""
    text, x, width = "", 0, len(rows[0])
    by_shape = {bitmap: char for char, bitmap in FONT.items() if char != " "}
    space = len(FONT[" "][0]) + 1
    while x < width:
        if _blank_column(rows, x):
            text, x = text + " ", x + space
            continue
        for bitmap, char in by_shape.items():
            size = len(bitmap[0])
            ends = x + size == width or _blank_column(rows, x + size)
            if ends and tuple(row[x : x + size] for row in rows) == bitmap:
                text, x = text + char, x + size + 1
                break
        else:
            return None
    return text


def _blank_column(rows: list[str], x: int) -> bool:
    return all(row[x : x + 1] == " " for row in rows)


class BigText(Widget):
    """A short text in the big font, as large as the widget's box allows: the machinery of
    `BigClock` and `BigLabel`. It redraws when its text, size or style changes, and a new
    text repaints only the cells that differ from the last."""

    DEFAULT_CSS = """
    BigText {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(
        self,
        value: str = "",
        *,
        ascii_only: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.value = value
        self.ascii_only = ascii_only
        self.sizing = ""  # a text to size the font for, so that it keeps one size (render_rows)
        self._key: tuple[str, str, int, int, Style] | None = None
        self._rows: list[str] = []
        self._strips: list[Strip] = []

    def update(self, value: str) -> None:
        """Show `value`, repainting only the cells whose figures changed."""
        if value == self.value:
            return
        width, height = self.size
        same_box = self._key is not None and self._key[1:4] == (self.sizing, width, height)
        before = self._rows if same_box else None
        self.value = value
        if before is None:
            self.refresh()
            return
        after = self.rows()
        changed = [
            _changed_span(old, new, y)
            for y, (old, new) in enumerate(zip(before, after, strict=False))
        ]
        regions = [region for region in changed if region is not None]
        if regions:
            self.refresh(*regions)

    def rows(self) -> list[str]:
        """What the widget shows at its present size, as text rows."""
        width, height = self.size
        return render_rows(self.value, width, height, self.ascii_only, self.sizing)

    def set_sizing(self, sizing: str) -> None:
        """Keep the font at the size `sizing` takes, for every text no wider than it."""
        if sizing != self.sizing:
            self.sizing = sizing
            self.refresh()

    def render_line(self, y: int) -> Strip:
        strips = self._current_strips()
        if 0 <= y < len(strips):
            return strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _current_strips(self) -> list[Strip]:
        width, height = self.size
        style = self.rich_style
        key = (self.value, self.sizing, width, height, style)
        if key != self._key:
            self._key = key
            self._rows = render_rows(self.value, width, height, self.ascii_only, self.sizing)
            self._strips = [Strip([Segment(row, style)], width) for row in self._rows]
        return self._strips


class BigClock(BigText):
    """The countdown text ("8", "1:05", "--") as big figures filling the widget."""

    DEFAULT_CSS = """
    BigClock {
        width: 1fr;
        height: 1fr;
        text-style: bold;
    }
    """


def _changed_span(old: str, new: str, y: int) -> Region | None:
    """The stretch of row `y` in which `new` differs from `old`, as a region to repaint."""
    differ = [x for x, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
    if len(old) != len(new):
        differ.append(min(len(old), len(new)))
    if not differ:
        return None
    return Region(differ[0], y, max(1, differ[-1] + 1 - differ[0]), 1)
