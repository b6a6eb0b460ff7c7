"""Routine files: TOML in, frozen dataclasses out, every problem reported in one pass.

A routine file is written by hand, so a mistake in it must never become a traceback. Loading
collects every problem it finds (as `FILE: KEY.PATH: message`, or `FILE:LINE:COL: message` for
TOML syntax) and raises a single `RoutineError` holding all of them.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from tui.core.model import (
    TIMING_KEYS,
    Exercise,
    Phase,
    Routine,
    RoutineBook,
    RoutineError,
    Step,
    Timings,
    closest_match,
)

SCHEMA_VERSION = 1
MAX_SECONDS = 3600.0
MAX_COUNT = 500
ID_PATTERN = re.compile(r"^[a-z0-9-]+$")

T = TypeVar("T")


def load_file(path: Path | str) -> RoutineBook:
    """Read and validate a routine file; raise RoutineError listing every problem."""
    path = Path(path)
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RoutineError(source, [f"{source}: no such file"]) from None
    except IsADirectoryError:
        raise RoutineError(source, [f"{source}: is a directory, not a routine file"]) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise RoutineError(source, [f"{source}: cannot read the file: {reason}"]) from None
    return load_bytes(data, source)


def load_bytes(data: bytes, source: str = "<routines>") -> RoutineBook:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise RoutineError(
            source,
            [f"{source}:{line}:{column}: the file is not UTF-8 text (save it as UTF-8)"],
        ) from None
    return load_text(text, source)


_TOML_POSITION = re.compile(
    r"^(?P<message>.*?)\s*\(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$"
)


def load_text(text: str, source: str = "<routines>") -> RoutineBook:
    if not text.strip():
        raise RoutineError(source, [f"{source}: the file is empty; start it with `schema = 1`"])
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RoutineError(source, [_syntax_message(source, text, str(error))]) from None
    except RecursionError:
        # tomllib recurses once per level of nested arrays or inline tables.
        raise RoutineError(
            source, [f"{source}: arrays or tables are nested too deeply to read"]
        ) from None
    return parse_document(document, source)


def _syntax_message(source: str, text: str, raw: str) -> str:
    match = _TOML_POSITION.match(raw)
    if not match:
        return f"{source}: TOML syntax error: {raw}"
    message = match["message"]
    if match["line"]:
        line, col = int(match["line"]), int(match["col"])
    else:
        lines = text.splitlines() or [""]
        line, col = len(lines), len(lines[-1]) + 1
    return f"{source}:{line}:{col}: TOML syntax error: {message}"


def parse_document(document: Mapping[str, Any], source: str = "<routines>") -> RoutineBook:
    """Validate an already-parsed TOML document."""
    return _Parser(source).parse(document)


def _kind(value: object) -> str:
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


def _format_seconds(value: float) -> str:
    if isinstance(value, int):
        digits = str(value)
        return digits if len(digits) <= 12 else f"{digits[:6]}... ({len(digits)} digits)"
    return f"{value:g}"


class _Parser:
    """One pass over a document, gathering every problem before giving up."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        where = f"{path}: " if path else ""
        self.problems.append(f"{self.source}: {where}{message}")

    # -- generic checks ---------------------------------------------------------------------

    def check_keys(self, table: Mapping[str, Any], path: str, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in table:
            if key in allowed:
                continue
            guess = closest_match(key, allowed)
            hint = f" (did you mean `{guess}`?)" if guess else f" (allowed: {', '.join(allowed)})"
            self.fail(_join(path, key), f"unknown key{hint}")

    def table(self, value: Any, path: str) -> Mapping[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.fail(path, f"must be a table, not {_kind(value)}")
        return None

    def text(self, table: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str:
        if key not in table:
            if required:
                self.fail(_join(path, key), "is required")
            return ""
        value = table[key]
        if not isinstance(value, str):
            self.fail(_join(path, key), f"must be a string, not {_kind(value)}")
            return ""
        if required and not value.strip():
            self.fail(_join(path, key), "must not be empty")
        return value.strip()

    def texts(self, table: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list):
            self.fail(_join(path, key), f"must be a list of strings, not {_kind(value)}")
            return ()
        result: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                result.append(item.strip())
            else:
                self.fail(f"{_join(path, key)}[{index}]", f"must be a string, not {_kind(item)}")
        return tuple(result)

    def seconds(
        self, table: Mapping[str, Any], key: str, path: str, *, allow_zero: bool = False
    ) -> float | None:
        if key not in table:
            return None
        value = table[key]
        where = _join(path, key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(where, f"must be a number of seconds, not {_kind(value)}")
            return None
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            self.fail(where, "must be a finite number of seconds")
            return None
        low = "at least 0" if allow_zero else "greater than 0"
        if value < 0 or (value == 0 and not allow_zero) or value > MAX_SECONDS:
            self.fail(
                where,
                f"{_format_seconds(value)} is out of range: seconds must be {low} "
                f"and at most {MAX_SECONDS:g}",
            )
            return None
        return float(value)

    def count(self, table: Mapping[str, Any], key: str, path: str) -> int:
        if key not in table:
            return 1
        value = table[key]
        where = _join(path, key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"must be a whole number from 1 to {MAX_COUNT}, not {_kind(value)}")
            return 1
        if not 1 <= value <= MAX_COUNT:
            self.fail(where, f"{value} is out of range: must be from 1 to {MAX_COUNT}")
            return 1
        return value

    def identifier(self, value: str, path: str, what: str) -> bool:
        if ID_PATTERN.match(value):
            return True
        self.fail(
            path,
            f"{what} {value!r} may only use lowercase letters, digits and '-' (like 'daily-back')",
        )
        return False

    def timings(self, table: Mapping[str, Any], path: str, base: Timings) -> Timings:
        changes: dict[str, float] = {}
        for key in TIMING_KEYS:
            value = self.seconds(table, key, path, allow_zero=True)
            if value is not None:
                changes[key] = value
        return replace(base, **changes)

    def items(
        self, value: Any, path: str, parse_one: Callable[[Mapping[str, Any], str], T | None]
    ) -> list[T]:
        if not isinstance(value, list):
            self.fail(path, f"must be a list, not {_kind(value)}")
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

    # -- the document ------------------------------------------------------------------------

    def parse(self, document: Mapping[str, Any]) -> RoutineBook:
        self.check_keys(document, "", ["schema", "defaults", "exercises", "routines"])
        self.check_schema(document)

        defaults = Timings()
        if "defaults" in document:
            table = self.table(document["defaults"], "defaults")
            if table is not None:
                self.check_keys(table, "defaults", TIMING_KEYS)
                defaults = self.timings(table, "defaults", defaults)

        exercises: dict[str, Exercise] = {}
        if "exercises" not in document:
            self.fail("exercises", "is required: define at least one [exercises.NAME] table")
        else:
            table = self.table(document["exercises"], "exercises")
            for exercise_id, value in (table or {}).items():
                exercise = self.exercise(exercise_id, value)
                if exercise is not None:
                    exercises[exercise_id] = exercise

        routines: list[Routine] = []
        if "routines" not in document:
            self.fail("routines", "is required: define at least one [[routines]] entry")
        else:
            self.known_exercises = set(exercises)
            if isinstance(document.get("exercises"), dict):
                self.known_exercises |= set(document["exercises"])
            routines = self.items(
                document["routines"],
                "routines",
                lambda table, path: self.routine(table, path, defaults, exercises),
            )
            self.check_unique_ids(document["routines"])

        if self.problems:
            raise RoutineError(self.source, self.problems)
        return RoutineBook(self.source, exercises, tuple(routines))

    def check_schema(self, document: Mapping[str, Any]) -> None:
        if "schema" not in document:
            self.fail("schema", f"is required: put `schema = {SCHEMA_VERSION}` at the top")
            return
        schema = document["schema"]
        if schema != SCHEMA_VERSION or isinstance(schema, bool):
            self.fail(
                "schema",
                f"unsupported schema {schema!r}: this version of backtone reads "
                f"schema = {SCHEMA_VERSION}",
            )

    def check_unique_ids(self, value: Any) -> None:
        if not isinstance(value, list):
            return
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            routine_id = item["id"].strip()
            if routine_id in seen:
                self.fail(
                    f"routines[{index}].id",
                    f"duplicate routine id {routine_id!r} "
                    f"(first used by routines[{seen[routine_id]}])",
                )
            else:
                seen[routine_id] = index

    def exercise(self, exercise_id: str, value: Any) -> Exercise | None:
        path = f"exercises.{exercise_id}"
        valid_id = self.identifier(exercise_id, path, "exercise id")
        table = self.table(value, path)
        if table is None:
            return None
        self.check_keys(table, path, ["name", "setup", "cues", "notes", "tags", "phases"])
        before = len(self.problems)
        name = self.text(table, "name", path, required=True)
        setup = self.text(table, "setup", path)
        notes = self.text(table, "notes", path)
        cues = self.texts(table, "cues", path)
        tags = self.texts(table, "tags", path)
        if "phases" not in table:
            self.fail(_join(path, "phases"), "is required: one repetition is every phase in order")
            phases: list[Phase] = []
        else:
            phases = self.items(table["phases"], _join(path, "phases"), self.phase)
        if not valid_id or len(self.problems) > before:
            return None
        return Exercise(exercise_id, name, tuple(phases), setup, cues, notes, tags)

    def phase(self, table: Mapping[str, Any], path: str) -> Phase | None:
        self.check_keys(table, path, ["name", "seconds", "hold"])
        name = self.text(table, "name", path, required=True)
        seconds = self.seconds(table, "seconds", path)
        hold = table.get("hold", False)
        if not isinstance(hold, bool):
            self.fail(_join(path, "hold"), f"must be true or false, not {_kind(hold)}")
            hold = False
        return Phase(name, seconds, hold)

    def routine(
        self,
        table: Mapping[str, Any],
        path: str,
        defaults: Timings,
        exercises: Mapping[str, Exercise],
    ) -> Routine | None:
        allowed = ["id", "name", "description", "steps", *TIMING_KEYS]
        self.check_keys(table, path, allowed)
        before = len(self.problems)
        routine_id = self.text(table, "id", path, required=True)
        if routine_id:
            self.identifier(routine_id, _join(path, "id"), "routine id")
        name = self.text(table, "name", path, required=True)
        description = self.text(table, "description", path)
        timings = self.timings(table, path, defaults)
        if "steps" not in table:
            self.fail(_join(path, "steps"), "is required: list the exercises to do")
            steps: list[Step] = []
        else:
            steps = self.items(
                table["steps"],
                _join(path, "steps"),
                lambda step, step_path: self.step(step, step_path, timings, exercises),
            )
        if len(self.problems) > before:
            return None
        return Routine(routine_id, name, tuple(steps), description, timings)

    def step(
        self,
        table: Mapping[str, Any],
        path: str,
        timings: Timings,
        exercises: Mapping[str, Exercise],
    ) -> Step | None:
        self.check_keys(table, path, ["exercise", "reps", "sets", "sides", "hold", *TIMING_KEYS])
        before = len(self.problems)
        exercise_id = self.text(table, "exercise", path, required=True)
        exercise = exercises.get(exercise_id)
        if exercise_id and exercise_id not in self.known_exercises:
            guess = closest_match(exercise_id, self.known_exercises)
            hint = f" (did you mean {guess!r}?)" if guess else ""
            self.fail(_join(path, "exercise"), f"unknown exercise {exercise_id!r}{hint}")
        reps = self.count(table, "reps", path)
        sets = self.count(table, "sets", path)
        sides = self.sides(table, path)
        hold = self.seconds(table, "hold", path)
        if hold is not None and exercise is not None and not any(p.hold for p in exercise.phases):
            self.fail(
                _join(path, "hold"),
                f"exercise {exercise.id!r} has no phase marked `hold = true` to apply it to",
            )
        step_timings = self.timings(table, path, timings)
        if exercise is None or len(self.problems) > before:
            return None
        return Step(exercise, reps, sets, sides, hold, step_timings)

    def sides(self, table: Mapping[str, Any], path: str) -> tuple[str, ...]:
        if "sides" not in table:
            return ()
        where = _join(path, "sides")
        sides = self.texts(table, "sides", path)
        if isinstance(table["sides"], list) and not table["sides"]:
            self.fail(where, 'must name at least one side, like ["left", "right"]')
        if any(not side for side in sides):
            self.fail(where, "side names must not be empty")
        duplicates = sorted({side for side in sides if sides.count(side) > 1})
        if duplicates:
            self.fail(where, f"side names must be distinct; repeated: {', '.join(duplicates)}")
        return sides


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
