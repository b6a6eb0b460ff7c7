"""The value checks a routine file's loader is built from: each reads one key of a table,
records a problem under the key's path when the value is wrong, and returns a usable value.

Problems are collected, not raised, so that one pass reports every mistake in a file. Only the
first MAX_PROBLEMS are kept as messages (a generated file can hold hundreds of thousands, and
no one reads past the first screenful); the rest are counted.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from tui.core.model import closest_match

MAX_SECONDS = 3600.0
MAX_COUNT = 500
MAX_PROBLEMS = 200
ID_PATTERN = re.compile(r"[a-z0-9-]+")

# Text from the file reaches the terminal: an escape sequence in a name could clear the screen
# or worse. C0 and C1 controls and DEL are refused; a newline only where text may run on.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_ESCAPED = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)]}
_CONTROL_NAMES = {"\t": ", a tab", "\r": ", a carriage return", "\n": ", a line break"}

# Characters that draw nothing and still change what a line says: bidi overrides and isolates
# (U+202A-202E, U+2066-2069) reorder the text around them, so a name can read as something
# else; zero-width ones (U+200B-200F, U+FEFF, U+2060) hide inside a word; the tag characters
# (U+E0000-E007F) can carry a whole hidden sentence; the line and paragraph separators break a
# line where the layout counts one. Unicode's categories Cf (format), Zl and Zp hold them all.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})
# The one exception: a ZERO WIDTH JOINER inside an emoji sequence, where it joins two
# pictographs into one (a person and a female sign: a woman in the lotus position) and hides
# nothing. It must stand between two symbols (category So), the one before it perhaps followed
# by a variation selector or a skin tone; anywhere else, as between two letters, it is refused
# like the rest. (The tag characters of the flags of England, Scotland and Wales are refused:
# they are the same ones that can hide a sentence.)
ZERO_WIDTH_JOINER = "\u200d"
_EMOJI_MODIFIERS = frozenset(["\ufe0e", "\ufe0f", *map(chr, range(0x1F3FB, 0x1F400))])

T = TypeVar("T")


def describe(value: object) -> str:
    """What kind of value this is, for a message: "a string ('10')", "a boolean"."""
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }
    for kind, name in names.items():
        if type(value) is kind:
            if kind in (str, int, float) and len(repr(value)) <= 30:
                return f"{name} ({value!r})"
            return name
    return "a date or time" if value is not None else "nothing"


def format_number(value: float) -> str:
    if isinstance(value, int):
        digits = str(value)
        return digits if len(digits) <= 12 else f"{digits[:6]}... ({len(digits)} digits)"
    return f"{value:g}"


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def invisible_character(text: str) -> str | None:
    """The first invisible character in the text (see _INVISIBLE_CATEGORIES) that is not an
    emoji's joiner, or None."""
    if text.isascii():
        return None  # ASCII has none: the common case, without a look at every character
    for index, char in enumerate(text):
        if unicodedata.category(char) not in _INVISIBLE_CATEGORIES:
            continue
        if char == ZERO_WIDTH_JOINER and _joins_emoji(text, index):
            continue
        return char
    return None


def _joins_emoji(text: str, index: int) -> bool:
    before = index - 1
    while before >= 0 and text[before] in _EMOJI_MODIFIERS:
        before -= 1
    after = index + 1
    return (
        before >= 0
        and after < len(text)
        and unicodedata.category(text[before]) == "So"
        and unicodedata.category(text[after]) == "So"
    )


def character_name(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: how a message names a character."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


def _escape_invisible(message: str) -> str:
    """The message with every invisible character written as an escape: a key or an id quoted
    in it comes from the file, and must not reorder the message it is quoted in."""
    if message.isascii():
        return message
    return "".join(
        ascii(char)[1:-1] if unicodedata.category(char) in _INVISIBLE_CATEGORIES else char
        for char in message
    )


# The caution is a safety text: it must show whole, never cut. On the smallest screen backtone
# is made for, 40x12, the session screen's first get-ready shows from top to bottom: the
# exercise's name and the position (2 rows: below 70 columns one is under the other), the
# phase's name (1 row), the caution, the countdown at its smallest (one row of digits inside
# its box's border: 3 rows) and the Footer (1 row); that leaves 12 - 7 = 5 rows for the
# caution. Across, the body's margins (1 column each side) and the caution's thick left border
# and padding (3 columns) leave 40 - 5 = 35 columns. (Measured on the session screen at 40x12.)
CAUTION_COLUMNS = 35
CAUTION_ROWS = 5
# Prose wraps to about 30 characters a line at 35 columns: the figure a message gives.
_CAUTION_CHARACTERS = CAUTION_ROWS * 30
_WORD = re.compile(r"\s*\S+\s*")


def wrapped_line_count(text: str, columns: int) -> int:
    """How many lines the text takes when wrapped at `columns`, the way Textual wraps a
    Static's text (rich's divide_line: whole words while they fit, a longer word folded), each
    line of the text on its own. Counted generously where the cell width of a character is not
    sure (an emoji counts 2), so that a text this says fits does fit."""
    count = 0
    for line in text.split("\n"):
        count += 1
        offset = 0
        for match in _WORD.finditer(line):
            word = match.group()
            length = _cells(word.rstrip())
            if columns - offset >= length:
                offset += _cells(word)
            elif length > columns:
                pieces = _fold(word, columns)
                count += len(pieces) - (0 if match.start() else 1)
                offset = _cells(pieces[-1])
            elif offset and match.start():
                count += 1
                offset = _cells(word)
    return count


def _fold(word: str, columns: int) -> list[str]:
    pieces: list[str] = []
    piece, size = "", 0
    for char in word:
        width = _char_cells(char)
        if size + width > columns and piece:
            pieces.append(piece)
            piece, size = "", 0
        piece += char
        size += width
    return [*pieces, piece] if piece else pieces or [""]


def _cells(text: str) -> int:
    return len(text) if text.isascii() else sum(map(_char_cells, text))


def _char_cells(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    # A symbol past Latin-1 may be drawn as a wide emoji (with a variation selector, say).
    return 2 if unicodedata.category(char) == "So" and char >= "\u2000" else 1


class Checks:
    """Problem collection and the checks for each kind of value."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self.problem_count = 0  # every problem found, kept as a message or not

    def fail(self, path: str, message: str) -> None:
        self.problem_count += 1
        if self.problem_count > MAX_PROBLEMS:
            return
        where = f"{path}: " if path else ""
        # A key from the file can hold anything; its message must not carry it to a terminal.
        message = f"{self.source}: {where}{message}".translate(_ESCAPED)
        self.problems.append(_escape_invisible(message))

    def reported(self) -> list[str]:
        """The messages kept, and a last line counting the ones that were not."""
        hidden = self.problem_count - len(self.problems)
        if hidden <= 0:
            return self.problems
        more = f"{hidden:,} more problem{'s' if hidden != 1 else ''} not shown"
        return [*self.problems, f"{self.source}: {more}; fix the ones above and check again"]

    def check_keys(self, table: Mapping[str, Any], path: str, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in table:
            if key in allowed:
                continue
            guess = closest_match(key, allowed)
            hint = f" (did you mean `{guess}`?)" if guess else f" (allowed: {', '.join(allowed)})"
            self.fail(join(path, key), f"unknown key{hint}")

    def table(self, value: Any, path: str) -> Mapping[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.fail(path, f"must be a table, not {describe(value)}")
        return None

    def plain(self, value: str, path: str, *, multiline: bool = False) -> bool:
        """Whether a string from the file is free of control characters (newlines allowed in
        multi-line text) and of invisible ones; a problem names the first one found."""
        found = (_CONTROL_BUT_NEWLINE if multiline else _CONTROL).search(value)
        if found is not None:
            char = found.group()
            name = _CONTROL_NAMES.get(char, "")
            self.fail(path, f"contains a control character (U+{ord(char):04X}{name}); remove it")
            return False
        invisible = invisible_character(value)
        if invisible is not None:
            outside = " outside an emoji" if invisible == ZERO_WIDTH_JOINER else ""
            self.fail(
                path,
                f"contains an invisible character ({character_name(invisible)}){outside}; "
                "remove it",
            )
            return False
        return True

    def caution_fits(self, caution: str, path: str) -> bool:
        """Whether a caution shows whole on the smallest screen (see CAUTION_ROWS)."""
        lines = wrapped_line_count(caution, CAUTION_COLUMNS)
        if lines <= CAUTION_ROWS:
            return True
        self.fail(
            path,
            f"is too long to show whole on a 40x12 screen: its {len(caution):,} characters "
            f"take {lines} lines of {CAUTION_COLUMNS} columns there; at most {CAUTION_ROWS} "
            f"lines (about {_CAUTION_CHARACTERS} characters)",
        )
        return False

    def raw_text(
        self, table: Mapping[str, Any], key: str, path: str, *, multiline: bool = False
    ) -> str | None:
        """A string as written (None when absent or wrong), for text whose spaces matter."""
        if key not in table:
            return None
        value = table[key]
        where = join(path, key)
        if not isinstance(value, str):
            self.fail(where, f"must be a string, not {describe(value)}")
            return None
        return value if self.plain(value, where, multiline=multiline) else None

    def text(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        multiline: bool = False,
    ) -> str:
        if key not in table:
            if required:
                self.fail(join(path, key), "is required")
            return ""
        value = self.raw_text(table, key, path, multiline=multiline)
        if value is None:
            return ""
        if required and not value.strip():
            self.fail(join(path, key), "must not be empty")
        return value.strip()

    def texts(self, table: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list):
            self.fail(join(path, key), f"must be a list of strings, not {describe(value)}")
            return ()
        result: list[str] = []
        for index, item in enumerate(value):
            where = f"{join(path, key)}[{index}]"
            if not isinstance(item, str):
                self.fail(where, f"must be a string, not {describe(item)}")
            elif self.plain(item, where):
                result.append(item.strip())
        return tuple(result)

    def seconds(
        self, table: Mapping[str, Any], key: str, path: str, *, allow_zero: bool = False
    ) -> float | None:
        if key not in table:
            return None
        value = table[key]
        where = join(path, key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(where, f"must be a number of seconds, not {describe(value)}")
            return None
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            self.fail(where, "must be a finite number of seconds")
            return None
        low = "at least 0" if allow_zero else "greater than 0"
        if value < 0 or (value == 0 and not allow_zero) or value > MAX_SECONDS:
            self.fail(
                where,
                f"{format_number(value)} is out of range: seconds must be {low} "
                f"and at most {MAX_SECONDS:g}",
            )
            return None
        return float(value)

    def whole(
        self, table: Mapping[str, Any], key: str, path: str, *, most: int = MAX_COUNT
    ) -> int | None:
        """A whole number from 1 to `most` (reps, sets, every), or None when absent or wrong."""
        if key not in table:
            return None
        value = table[key]
        where = join(path, key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"must be a whole number from 1 to {most}, not {describe(value)}")
            return None
        if not 1 <= value <= most:
            self.fail(where, f"{format_number(value)} is out of range: must be from 1 to {most}")
            return None
        return value

    def count(self, table: Mapping[str, Any], key: str, path: str) -> int:
        return self.whole(table, key, path) or 1

    def identifier(self, value: str, path: str, what: str) -> bool:
        if ID_PATTERN.fullmatch(value):
            return True
        self.fail(
            path,
            f"{what} {value!r} may only use lowercase letters, digits and '-' (like 'daily-back')",
        )
        return False

    def items(
        self, value: Any, path: str, parse_one: Callable[[Mapping[str, Any], str], T | None]
    ) -> list[T]:
        if not isinstance(value, list):
            self.fail(path, f"must be a list, not {describe(value)}")
            return []
        if not value:
            self.fail(path, "must not be empty")
        result: list[T] = []
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            table = self.table(item, item_path)
            if table is None:
                continue
            parsed = parse_one(table, item_path)
            if parsed is not None:
                result.append(parsed)
        return result
