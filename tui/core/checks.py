"""The value checks a routine file's loader is built from: each reads one key of a table,
records a problem under the key's path when the value is wrong, and returns a usable value.

Problems are collected, not raised, so that one pass reports every mistake in a file. Only the
first MAX_PROBLEMS are kept as messages (a generated file can hold hundreds of thousands, and
no one reads past the first screenful); the rest are counted.
"""

from __future__ import annotations

import math
import re
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
        self.problems.append(f"{self.source}: {where}{message}".translate(_ESCAPED))

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
        multi-line text); a problem names the first one found."""
        found = (_CONTROL_BUT_NEWLINE if multiline else _CONTROL).search(value)
        if found is None:
            return True
        char = found.group()
        name = _CONTROL_NAMES.get(char, "")
        self.fail(path, f"contains a control character (U+{ord(char):04X}{name}); remove it")
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

    def whole(self, table: Mapping[str, Any], key: str, path: str) -> int | None:
        """A whole number from 1 to MAX_COUNT (reps, sets, every), or None when absent or
        wrong."""
        if key not in table:
            return None
        value = table[key]
        where = join(path, key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"must be a whole number from 1 to {MAX_COUNT}, not {describe(value)}")
            return None
        if not 1 <= value <= MAX_COUNT:
            self.fail(
                where, f"{format_number(value)} is out of range: must be from 1 to {MAX_COUNT}"
            )
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
