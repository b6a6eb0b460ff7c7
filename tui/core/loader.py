"""Routine files: TOML in, frozen dataclasses out, every problem reported in one pass.

A routine file is written by hand, so a mistake in it must never become a traceback. Loading
collects every problem it finds (as `FILE: KEY.PATH: message`, or `FILE:LINE:COL: message` for
TOML syntax) and raises a single `RoutineError` holding all of them (the first 200, and a count
of the rest). The checks for single values live in tui.core.checks; this module knows the shape
of the file: which keys each table has, which schema added them, and how they fit together.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from tui.core.checks import Checks, describe, format_number, join
from tui.core.model import (
    DEFAULT_CAUTION,
    TIMING_KEYS,
    Exercise,
    Phase,
    Program,
    Routine,
    RoutineBook,
    RoutineError,
    Step,
    Timings,
    closest_match,
)
from tui.core.pictures import read_picture
from tui.core.plan import routine_length
from tui.core.program import read_program
from tui.core.progression import apply_levels, read_rule
from tui.core.timefmt import format_length

SCHEMAS = (1, 2, 3)
LATEST_SCHEMA = SCHEMAS[-1]
# Keys that a later schema added, by the table they belong to: a file of an earlier schema that
# uses one is told to declare that schema rather than that the key is unknown.
SCHEMA_2_KEYS = {
    "defaults": {"caution"},
    "phase": {"figure"},
    "routine": {"caution"},
    "step": {"progress"},
}
SCHEMA_3_KEYS = {
    "document": {"program"},
    "phase": {"pose"},
    "routine": {"per_week"},
}
LATER_KEYS = {2: SCHEMA_2_KEYS, 3: SCHEMA_3_KEYS}
# Twice a day, every day: past that a frequency is a typing mistake, not a prescription.
MOST_PER_WEEK = 14
# A routine must be playable: past these its plan takes too long to build, or to do.
MAX_SEGMENTS = 20_000
MAX_PLANNED_SECONDS = 24 * 3600.0


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
    # Some editors on Windows start a UTF-8 file with a byte order mark; TOML does not allow it.
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise RoutineError(
            source, [f"{source}: the file is empty; start it with `schema = {LATEST_SCHEMA}`"]
        )
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


class _Parser(Checks):
    """One pass over a document, gathering every problem before giving up."""

    schema = LATEST_SCHEMA  # until the file says otherwise: a bad schema is reported once

    def keys(self, table: Mapping[str, Any], path: str, kind: str, allowed: list[str]) -> None:
        """Unknown keys, and keys of a later schema than the file declares."""
        for schema, added in LATER_KEYS.items():
            if self.schema >= schema or kind not in added:
                continue
            later = [key for key in added[kind] if key in table]
            for key in later:
                self.fail(join(path, key), _needs_schema(schema))
            if later:
                table = {key: value for key, value in table.items() if key not in later}
            allowed = [key for key in allowed if key not in added[kind]]
        self.check_keys(table, path, allowed)

    def timings(self, table: Mapping[str, Any], path: str, base: Timings) -> Timings:
        changes: dict[str, float] = {}
        for key in TIMING_KEYS:
            value = self.seconds(table, key, path, allow_zero=True)
            if value is not None:
                changes[key] = value
        return replace(base, **changes) if changes else base

    # -- the document ------------------------------------------------------------------------

    def parse(self, document: Mapping[str, Any]) -> RoutineBook:
        # The schema first: it decides which keys the others may be.
        self.check_schema(document)
        top = ["schema", "program", "defaults", "exercises", "routines"]
        self.keys(document, "", "document", top)
        program: Program | None = None
        if "program" in document and self.schema >= 3:
            program = read_program(self, document["program"], "program")

        defaults, caution = Timings(), DEFAULT_CAUTION
        if "defaults" in document:
            table = self.table(document["defaults"], "defaults")
            if table is not None:
                self.keys(table, "defaults", "defaults", [*TIMING_KEYS, "caution"])
                defaults = self.timings(table, "defaults", defaults)
                caution = self.caution(table, "defaults", caution)

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
                lambda table, path: self.routine(table, path, defaults, caution, exercises),
            )
            self.check_unique_ids(document["routines"])

        if self.problem_count:
            raise RoutineError(self.source, self.reported())
        return RoutineBook(self.source, exercises, tuple(routines), self.schema, program)

    def check_schema(self, document: Mapping[str, Any]) -> None:
        if "schema" not in document:
            self.fail("schema", f"is required: put `schema = {LATEST_SCHEMA}` at the top")
            return
        schema = document["schema"]
        if isinstance(schema, bool) or not isinstance(schema, int):
            # The wording of every other whole-number key: `schema = 1.0` is not `schema = 1`.
            self.fail(
                "schema",
                f"must be a whole number from 1 to {LATEST_SCHEMA}, not {describe(schema)}",
            )
        elif schema not in SCHEMAS:
            earlier = ", ".join(str(known) for known in SCHEMAS[:-1])
            self.fail(
                "schema",
                f"unsupported schema {format_number(schema)}: this version "
                f"of backtone reads schema = {earlier} or {LATEST_SCHEMA}",
            )
        else:
            self.schema = schema

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

    def caution(self, table: Mapping[str, Any], path: str, default: str) -> str:
        if "caution" not in table or self.schema < 2:
            return default
        caution = self.raw_text(table, "caution", path, multiline=True)
        if caution is None:
            return default
        caution = caution.strip()
        if not caution:
            self.fail(join(path, "caution"), "must not be empty (leave it out for the default)")
            return default
        self.caution_fits(caution, join(path, "caution"))
        return caution

    def exercise(self, exercise_id: str, value: Any) -> Exercise | None:
        path = f"exercises.{exercise_id}"
        valid_id = self.identifier(exercise_id, path, "exercise id")
        table = self.table(value, path)
        if table is None:
            return None
        # Through keys(), like every table: a key a later schema adds is told apart.
        self.keys(table, path, "exercise", ["name", "setup", "cues", "notes", "tags", "phases"])
        before = self.problem_count
        name = self.text(table, "name", path, required=True)
        setup = self.text(table, "setup", path, multiline=True)
        notes = self.text(table, "notes", path, multiline=True)
        cues = self.texts(table, "cues", path)
        tags = self.texts(table, "tags", path)
        if "phases" not in table:
            self.fail(join(path, "phases"), "is required: one repetition is every phase in order")
            phases: list[Phase] = []
        else:
            phases = self.items(table["phases"], join(path, "phases"), self.phase)
        if not valid_id or self.problem_count > before:
            return None
        return Exercise(exercise_id, name, tuple(phases), setup, cues, notes, tags)

    def phase(self, table: Mapping[str, Any], path: str) -> Phase | None:
        self.keys(table, path, "phase", ["name", "seconds", "hold", "figure", "pose"])
        name = self.text(table, "name", path, required=True)
        seconds = self.seconds(table, "seconds", path)
        hold = table.get("hold", False)
        if not isinstance(hold, bool):
            self.fail(join(path, "hold"), f"must be true or false, not {describe(hold)}")
            hold = False
        figure, pose = read_picture(self, table, path, self.schema)
        return Phase(name, seconds, hold, figure, pose)

    def routine(
        self,
        table: Mapping[str, Any],
        path: str,
        defaults: Timings,
        caution: str,
        exercises: Mapping[str, Exercise],
    ) -> Routine | None:
        allowed = ["id", "name", "description", "caution", "per_week", "steps", *TIMING_KEYS]
        self.keys(table, path, "routine", allowed)
        before = self.problem_count
        routine_id = self.text(table, "id", path, required=True)
        if routine_id:
            self.identifier(routine_id, join(path, "id"), "routine id")
        name = self.text(table, "name", path, required=True)
        description = self.text(table, "description", path, multiline=True)
        caution = self.caution(table, path, caution)
        per_week = None
        if self.schema >= 3:
            per_week = self.whole(table, "per_week", path, most=MOST_PER_WEEK)
        timings = self.timings(table, path, defaults)
        if "steps" not in table:
            self.fail(join(path, "steps"), "is required: list the exercises to do")
            steps: list[Step] = []
        else:
            steps = self.items(
                table["steps"],
                join(path, "steps"),
                lambda step, step_path: self.step(step, step_path, timings, exercises),
            )
        if self.problem_count > before:
            return None
        routine = Routine(routine_id, name, tuple(steps), description, timings, caution, per_week)
        return routine if self.playable(routine, path) else None

    def playable(self, routine: Routine, path: str) -> bool:
        """Within the size a session can build and a person can do, at its longest: with every
        progression rule at its maximum."""
        tops = {i: s.progress.maximum for i, s in enumerate(routine.steps) if s.progress}
        length = routine_length(apply_levels(routine, tops) if tops else routine)
        at_top = " at its progression maximum" if tops else ""
        if length.segments > MAX_SEGMENTS:
            self.fail(path, f"plays {length.segments:,} segments{at_top}; at most {MAX_SEGMENTS:,}")
            return False
        if length.timed_seconds > MAX_PLANNED_SECONDS:
            limit = format_length(MAX_PLANNED_SECONDS).removesuffix(" 00 min")
            self.fail(path, f"lasts {format_length(length.timed_seconds)}{at_top}; at most {limit}")
            return False
        return True

    def step(
        self,
        table: Mapping[str, Any],
        path: str,
        timings: Timings,
        exercises: Mapping[str, Exercise],
    ) -> Step | None:
        allowed = ["exercise", "reps", "sets", "sides", "hold", "progress", *TIMING_KEYS]
        self.keys(table, path, "step", allowed)
        before = self.problem_count
        exercise_id = self.text(table, "exercise", path, required=True)
        exercise = exercises.get(exercise_id)
        if exercise_id and exercise_id not in self.known_exercises:
            guess = closest_match(exercise_id, self.known_exercises)
            hint = f" (did you mean {guess!r}?)" if guess else ""
            self.fail(join(path, "exercise"), f"unknown exercise {exercise_id!r}{hint}")
        reps = self.count(table, "reps", path)
        sets = self.count(table, "sets", path)
        sides = self.sides(table, path)
        hold = self.seconds(table, "hold", path)
        if hold is not None and exercise is not None and not any(p.hold for p in exercise.phases):
            self.fail(
                join(path, "hold"),
                f"exercise {exercise.id!r} has no phase marked `hold = true` to apply it to",
            )
        step_timings = self.timings(table, path, timings)
        if exercise is None or self.problem_count > before:
            return None
        step = Step(exercise, reps, sets, sides, hold, step_timings)
        if "progress" in table and self.schema >= 2:
            rule = read_rule(self, step, table["progress"], join(path, "progress"), "reps" in table)
            if rule is None:
                return None
            step = replace(step, progress=rule)
        return step

    def sides(self, table: Mapping[str, Any], path: str) -> tuple[str, ...]:
        if "sides" not in table:
            return ()
        where = join(path, "sides")
        sides = self.texts(table, "sides", path)
        if isinstance(table["sides"], list) and not table["sides"]:
            self.fail(where, 'must name at least one side, like ["left", "right"]')
        if any(not side for side in sides):
            self.fail(where, "side names must not be empty")
        duplicates = sorted({side for side in sides if sides.count(side) > 1})
        if duplicates:
            self.fail(where, f"side names must be distinct; repeated: {', '.join(duplicates)}")
        return sides


def _needs_schema(schema: int) -> str:
    if schema == 2:
        return "is a schema 2 key: put `schema = 2` at the top to use it"
    return f"needs schema = {schema}: put `schema = {schema}` at the top to use it"
