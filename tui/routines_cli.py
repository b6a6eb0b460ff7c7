"""`backtone list`, `check` and `init`: the routine file from the command line.

Text from the file is printed as text: never read as Rich markup (a name such as `Cat [/]`),
and with its control characters made visible rather than sent to the terminal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from tui import paths, settings
from tui.core.loader import load_file
from tui.core.model import RoutineBook, RoutineError
from tui.core.plan import routine_length
from tui.exit_codes import EXIT_BAD_DATA, EXIT_OK
from tui.store.export import Column, cell_width, printable, table_line

INIT_HEADER = """\
# Your backtone routines. backtone reads this file instead of the bundled one.
#
# Edit it by hand (or press `e` in the app), then check it with:  backtone check
# Times are in seconds. Each [exercises.ID] lists phases done in order for one repetition;
# each [[routines]] entry lists steps with reps, sets, sides and an optional hold override.

"""


def print_problems(error: RoutineError, file: TextIO | None = None) -> None:
    for problem in error.problems:
        print(printable(problem), file=file or sys.stderr)


def _load(args: argparse.Namespace) -> RoutineBook:
    return load_file(paths.resolve_routines_path(args.routines))


def list_command(args: argparse.Namespace) -> int:
    try:
        book = _load(args)
    except RoutineError as error:
        print_problems(error)
        return EXIT_BAD_DATA
    write_routine_table(book, sys.stdout)
    return EXIT_OK


def write_routine_table(book: RoutineBook, out: TextIO) -> None:
    """A line a routine, written as it is worked out: a file of 20,000 routines lists in the
    time it takes to load, where a Rich table was built whole first."""
    names = [printable(routine.name) for routine in book.routines]
    lengths = [routine_length(routine).text() for routine in book.routines]
    columns = (
        Column("ID", min(30, max([2, *(len(r.id) for r in book.routines)]))),
        Column("Name", min(40, max([4, *(cell_width(name) for name in names)]))),
        Column("Length", max([6, *(len(length) for length in lengths)]), right=True),
        Column("Exercises", 9, right=True),
    )
    out.write(printable(f"Routines in {book.source}") + "\n")
    out.write(table_line((column.title for column in columns), columns=columns))
    for routine, name, length in zip(book.routines, names, lengths, strict=True):
        out.write(table_line((routine.id, name, length, str(len(routine.steps))), columns=columns))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def check_command(args: argparse.Namespace) -> int:
    path = Path(args.file) if args.file else paths.resolve_routines_path(args.routines)
    shown = printable(str(path))
    try:
        book = load_file(path)
    except RoutineError as error:
        print_problems(error, sys.stdout)
        print(f"{shown}: {_plural(len(error.problems), 'problem')} found", file=sys.stderr)
        return EXIT_BAD_DATA
    print(
        f"OK: {shown} (schema {book.schema}): {_plural(len(book.routines), 'routine')}, "
        f"{_plural(len(book.exercises), 'exercise')}"
    )
    return EXIT_OK


def init_command(args: argparse.Namespace) -> int:
    target = paths.user_routines_path()
    if target.exists() and not args.force:
        print(
            f"{target} already exists; not overwriting it. Use `backtone init --force` to replace "
            "it with the bundled routines.",
            file=sys.stderr,
        )
        return EXIT_BAD_DATA
    content = INIT_HEADER + paths.bundled_routines_path().read_text(encoding="utf-8")
    try:
        settings.write_atomically(target, content.encode("utf-8"))
    except OSError as error:
        print(f"Could not write {target}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_DATA
    print(f"Wrote the bundled routines to {target}")
    print("Edit it, then run `backtone check` to validate it.")
    return EXIT_OK
