"""The `backtone` command: opens the app, or lists, checks and sets up routine files."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from tui import paths, settings, terminal
from tui.core.loader import load_file
from tui.core.model import RoutineBook, RoutineError
from tui.core.plan import routine_length

EXIT_OK = 0
EXIT_BAD_DATA = 1
EXIT_USAGE = 2


class _VersionAction(argparse.Action):
    """--version, reading the installed metadata only when asked (it costs start-up time)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("backtone")
        except PackageNotFoundError:
            number = "unknown"
        parser.exit(message=f"backtone {number}\n")


def _common_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """Options accepted before or after the command name: `run ID --routines F` works too."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--routines",
        metavar="FILE",
        default=default,
        help="routine file to use (default: $BACKTONE_ROUTINES, your config's routines.toml, "
        "or the bundled routines)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="where the history is kept (default: $BACKTONE_DATA or the platform data dir)",
    )
    parser.add_argument(
        "--no-bell",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="start with the terminal bell off",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backtone",
        description="Guided back-exercise routines in your terminal. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action=_VersionAction)
    _common_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="start a routine at once", description="Start a routine.")
    run.add_argument("routine_id", metavar="ID", help="the routine's id (see `backtone list`)")
    _common_options(run, top=False)

    listing = commands.add_parser(
        "list", help="print the routines", description="Print the routines with their length."
    )
    _common_options(listing, top=False)

    check = commands.add_parser(
        "check",
        help="validate a routine file",
        description="Validate a routine file and print every problem in it.",
    )
    check.add_argument("file", nargs="?", metavar="FILE", help="the file (default: the one in use)")
    _common_options(check, top=False)

    history = commands.add_parser(
        "history",
        help="print or export your sessions",
        description="Print your sessions as a table, or export every one as JSON, CSV or TOML.",
    )
    history.add_argument(
        "--format",
        choices=["table", "json", "csv", "toml"],
        default="table",
        help="output format (default: table)",
    )
    history.add_argument(
        "--since", metavar="DATE", type=_date, help="only sessions on or after DATE (YYYY-MM-DD)"
    )
    _common_options(history, top=False)

    init = commands.add_parser(
        "init",
        help="copy the bundled routines to your config, to edit",
        description="Write the bundled routines to your routines file, to edit by hand.",
    )
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    _common_options(init, top=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {
        None: _open_app,
        "run": _open_app,
        "list": _list,
        "check": _check,
        "init": _init,
        "history": _history,
    }
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        return 130


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def _history(args: argparse.Namespace) -> int:
    from tui.store.database import DB_NAME
    from tui.store.export import export
    from tui.store.rows import HistoryUnavailable, SessionRow
    from tui.store.sessions import HistoryStore

    data_dir = paths.resolve_data_dir(args.data_dir)
    rows: list[SessionRow] = []
    if (data_dir / DB_NAME).exists():
        try:
            store = HistoryStore.open(data_dir)
        except HistoryUnavailable as error:
            print(f"backtone: {error}", file=sys.stderr)
            return EXIT_BAD_DATA
        if store.warning:
            print(f"backtone: {store.warning}", file=sys.stderr)
        rows = store.sessions(since=args.since)
        store.close()
    if args.format != "table":
        export(rows, args.format, sys.stdout)
        return EXIT_OK
    if not rows:
        print("No sessions recorded yet." if args.since is None else "No sessions since then.")
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    from tui.core.timefmt import format_duration

    table = Table(title=f"Sessions in {data_dir / DB_NAME}", title_justify="left")
    for column, justify in [
        ("Started", "left"),
        ("Routine", "left"),
        ("Time", "right"),
        ("Done", "right"),
        ("Ended", "left"),
    ]:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(
            row.started_at.replace("T", " ")[:16],
            row.routine_name,
            format_duration(row.active_seconds),
            f"{row.completion:.0%}",
            row.status,
        )
    Console().print(table)
    return EXIT_OK


def _load(args: argparse.Namespace) -> RoutineBook:
    return load_file(paths.resolve_routines_path(args.routines))


def _print_problems(error: RoutineError, file: TextIO | None = None) -> None:
    for problem in error.problems:
        print(problem, file=file or sys.stderr)


def _list(args: argparse.Namespace) -> int:
    try:
        book = _load(args)
    except RoutineError as error:
        _print_problems(error)
        return EXIT_BAD_DATA
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Routines in {book.source}", title_justify="left")
    table.add_column("ID", style="bold")
    table.add_column("Name")
    table.add_column("Length", justify="right")
    table.add_column("Exercises", justify="right")
    for routine in book.routines:
        table.add_row(
            routine.id, routine.name, routine_length(routine).text(), str(len(routine.steps))
        )
    Console().print(table)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    path = Path(args.file) if args.file else paths.resolve_routines_path(args.routines)
    try:
        book = load_file(path)
    except RoutineError as error:
        _print_problems(error, sys.stdout)
        count = len(error.problems)
        print(f"{path}: {count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return EXIT_BAD_DATA
    exercises = len(book.exercises)
    routines = len(book.routines)
    print(
        f"{path}: OK, {routines} routine{'s' if routines != 1 else ''}, "
        f"{exercises} exercise{'s' if exercises != 1 else ''}"
    )
    return EXIT_OK


INIT_HEADER = """\
# Your backtone routines. backtone reads this file instead of the bundled one.
#
# Edit it by hand (or press `e` in the app), then check it with:  backtone check
# Times are in seconds. Each [exercises.ID] lists phases done in order for one repetition;
# each [[routines]] entry lists steps with reps, sets, sides and an optional hold override.

"""


def _init(args: argparse.Namespace) -> int:
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


def _open_app(args: argparse.Namespace) -> int:
    routines_path = paths.resolve_routines_path(args.routines)
    book: RoutineBook | None = None
    problem: RoutineError | None = None
    try:
        book = load_file(routines_path)
    except RoutineError as error:
        problem = error
    routine_id: str | None = getattr(args, "routine_id", None)
    if routine_id is not None:
        if problem is not None:
            _print_problems(problem)
            print(
                f"Fix the file, then check it with: backtone check {routines_path}", file=sys.stderr
            )
            return EXIT_BAD_DATA
        assert book is not None
        if not any(r.id == routine_id for r in book.routines):
            guess = book.suggest(routine_id)
            hint = f" (did you mean {guess!r}?)" if guess else ""
            print(
                f"backtone: no routine {routine_id!r} in {routines_path}{hint}; "
                "`backtone list` shows them",
                file=sys.stderr,
            )
            return EXIT_USAGE
    if not sys.stdout.isatty() and not os.environ.get("BACKTONE_ALLOW_NO_TTY"):
        print(
            "backtone: the app needs a terminal; try `backtone list` or `--help`", file=sys.stderr
        )
        return EXIT_USAGE

    from tui.ui.app import BacktoneApp

    app = BacktoneApp(
        routines_path=routines_path,
        book=book,
        problem=problem,
        data_dir=paths.resolve_data_dir(args.data_dir),
        bell=False if args.no_bell else None,
        start_routine=routine_id,
        ascii_only=terminal.terminal_is_ascii(),
    )
    app.run()
    return app.return_code or EXIT_OK
