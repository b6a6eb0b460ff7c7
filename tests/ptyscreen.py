"""Reading the countdown off a terminal screen (a pyte display), for the end-to-end tests and
the benchmarks alike: backtone's big clock, or Textual's Digits (the benchmarks' minimal app).
"""

from __future__ import annotations

import functools

from tui.ui.widgets.big_clock import read_clock


def clock_rows(display: str) -> list[str] | None:
    """The rows inside the countdown's box (the first rounded box on screen), borders cut off."""
    lines = display.splitlines()
    for top, line in enumerate(lines):
        left = line.find("╭")
        if left < 0:
            continue
        right = line.find("╮", left)
        inner: list[str] = []
        for row in lines[top + 1 :]:
            if row[left : left + 1] == "╰":
                return inner
            inner.append(row[left + 1 : right] if right > left else row[left + 1 :])
        return None
    return None


def read_countdown(display: str) -> str | None:
    """The text the countdown shows ("12", "1:05", "--"), decoded from the screen, or None:
    backtone's big clock inside its box, else a row of Textual's 3x3 Digits anywhere."""
    rows = clock_rows(display)
    if rows is not None:
        text = read_clock(rows)
        if text is not None:
            return text
    return read_digits(display)


# -- Textual's 3x3 Digits ------------------------------------------------------------------------


@functools.cache
def _glyph_tables() -> tuple[dict[tuple[str, str, str], str], ...]:
    """Textual's Digits fonts (bold and plain), as 3x3 glyph -> character."""
    from textual.renderables import digits as font

    tables = []
    for rows in (font.DIGITS3X3_BOLD, font.DIGITS3X3):
        table: dict[tuple[str, str, str], str] = {}
        for number, character in enumerate(font.DIGITS):
            glyph = tuple(rows[number * 3 + i].ljust(3) for i in range(3))
            table.setdefault((glyph[0], glyph[1], glyph[2]), character)
        tables.append(table)
    return tuple(tables)


def read_digits(display: str) -> str | None:
    """The first three screen rows that read as Digits glyphs with nothing beside them."""
    rows = display.splitlines()
    for start in range(len(rows) - 2):
        window = rows[start : start + 3]
        if any(row.strip() for row in window):
            text = _decode(window)
            if text is not None:
                return text
    return None


def _decode(window: list[str]) -> str | None:
    first = min(len(row) - len(row.lstrip()) for row in window if row.strip())
    last = max(len(row.rstrip()) for row in window)
    padded = [row.ljust(last + 3) for row in window]
    for table in _glyph_tables():
        for offset in range(max(0, first - 2), first + 1):  # "1" starts with blank cells
            text, position = "", offset
            while position < last:
                cell = tuple(row[position : position + 3] for row in padded)
                character = table.get((cell[0], cell[1], cell[2]))
                if character is None:
                    break
                text += character
                position += 3
            else:
                if text.strip():
                    return text.strip()
    return None
