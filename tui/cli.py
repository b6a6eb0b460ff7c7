"""The `backtone` command: the parser, and each command sent to the module that does it.

Nothing is imported at the top beyond what Python has already loaded: `backtone status` runs
at every login and is sent on before argparse, platformdirs or the routine loader load.
"""

from __future__ import annotations

import os
import sys

from tui import command_table
from tui.data_dir import data_dir_or_complaint
from tui.exit_codes import EXIT_BAD_DATA, EXIT_OK, EXIT_USAGE

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which status avoids
if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping, Sequence
    from datetime import date
    from typing import Any

    from tui.core.model import RoutineBook, RoutineError
    from tui.ui.app import BacktoneApp


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    quick = quick_status_arguments(arguments)
    try:
        if quick is not None:
            from tui.status import run_status

            code = run_status(*quick)
        else:
            args = build_parser().parse_args(arguments)
            code = _imported(args.handler)(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the flush at exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `backtone history | head`: the reader has all it wanted. Python's docs: point stdout
        # at devnull, or the flush at exit raises again, with a traceback.
        _silence_stdout()
        return EXIT_OK


def _imported(name: str) -> Any:
    """The function a table entry names as "module:function", imported now."""
    module, _, function = name.partition(":")
    return getattr(__import__(module, fromlist=[function]), function)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file (a test's capture): nothing to flush
        pass


# -- `status`, before argparse ----------------------------------------------------------------


def quick_status_arguments(argv: Sequence[str]) -> tuple[str | None, str, bool] | None:
    """(data dir, format, quiet) for a plain `status` command line, read without argparse,
    which alone costs the login line a tenth of its time. Anything else (another command,
    --help, an abbreviation, a mistake) is None, and goes through argparse like every command.
    The options it knows are the table's, before the command's name and after it."""
    if "status" not in argv:
        return None
    before = {name: option for option in command_table.top_options() for name in option.names}
    after = {
        name: option
        for option in command_table.command_options(command_table.find("status"))
        for name in option.names
    }
    values: dict[str, str] = {}
    known = before
    tokens = iter(argv)
    for token in tokens:
        if token == "status" and known is before:
            known = after
            continue
        name, equals, value = token.partition("=")
        option = known.get(name)
        if option is None:
            return None
        if option.takes_value:
            if not equals:
                value = next(tokens, "-")
            if value.startswith("-"):
                return None
        elif equals:
            return None
        values[option.names[-1]] = value
    fmt = values.get("--format", "text")
    if known is before or fmt not in ("text", "json"):
        return None
    return values.get("--data-dir"), fmt, "--quiet" in values


def status_command(args: argparse.Namespace) -> int:
    from tui.status import run_status

    return run_status(args.data_dir, args.format, args.quiet)


# -- the parser, from the table ---------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="backtone",
        description=command_table.PROGRAM_DESCRIPTION,
        parents=[_shared_parser(top=True, speech=True)],
    )
    parser.add_argument("--version", action=_version_action(), nargs=0, help="show the version")
    parser.set_defaults(handler=command_table.OPEN_APP)
    _add_commands(parser, command_table.COMMANDS, dest="command", metavar="COMMAND")
    return parser


def _add_commands(
    parser: argparse.ArgumentParser,
    commands: Sequence[command_table.Command],
    *,
    dest: str,
    metavar: str,
) -> None:
    subparsers = parser.add_subparsers(dest=dest, metavar=metavar)
    for command in commands:
        sub = subparsers.add_parser(
            command.name,
            help=command.help,
            description=command.description,
            parents=[_shared_parser(top=False, speech=command.speech)],
        )
        _add_arguments(sub, command.arguments)
        if command.more_arguments is not None:
            _imported(command.more_arguments)(sub)
        sub.set_defaults(handler=command.handler)
        if command.actions:
            _add_commands(sub, command.actions, dest=f"{command.name}_action", metavar="ACTION")


def _shared_parser(*, top: bool, speech: bool) -> argparse.ArgumentParser:
    """The options every command shares, as a parent parser. Given before the command's name
    they are set there; after it, the command's copy is set only if given (SUPPRESS), so that
    `--routines F run ID` keeps F."""
    import argparse

    shared = argparse.ArgumentParser(add_help=False)
    default = None if top else argparse.SUPPRESS
    # A group of their own: a command's help lists its own options first, then these.
    group = shared.add_argument_group(command_table.SHARED_TITLE)
    _add_arguments(group, command_table.COMMON, default)
    if speech:  # with the command's own options (argparse copies no exclusive group in a group)
        _add_arguments(shared, (command_table.SPEECH,), default)
    return shared


_NOT_SET = object()


def _add_arguments(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    arguments: Sequence[command_table.Option | command_table.Exclusive],
    default: object = _NOT_SET,
) -> None:
    for argument in arguments:
        if isinstance(argument, command_table.Exclusive):
            _add_arguments(parser.add_mutually_exclusive_group(), argument.options, default)
            continue
        settings = dict(argument.settings)
        if isinstance(settings.get("type"), str):
            settings["type"] = _imported(str(settings["type"]))
        if default is not _NOT_SET:
            flag = settings.get("action") == "store_true"
            settings["default"] = False if flag and default is None else default
        parser.add_argument(*argument.names, **settings)  # type: ignore[arg-type]


def serve_command(args: argparse.Namespace) -> int:
    from tui.serve.options import app_argv
    from tui.serve.server import serve_main

    data_dir = data_dir_or_complaint(args.data_dir)
    if data_dir is None:
        return EXIT_USAGE
    flags = [
        *(["--no-bell"] if args.no_bell else []),
        *(["--no-checkin"] if args.no_checkin else []),
    ]
    return serve_main(
        host=args.host,
        port=args.port,
        lan=args.lan,
        token_file=args.token_file,
        max_tabs=args.max_tabs,
        app_argv=app_argv(args.routines, data_dir, *flags),
    )


def _version_action() -> type[argparse.Action]:
    import argparse

    class VersionAction(argparse.Action):
        """--version, reading the installed metadata only when asked (it costs start-up)."""

        def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
            from importlib.metadata import PackageNotFoundError, version

            try:
                number = version("backtone")
            except PackageNotFoundError:
                number = "unknown"
            parser.exit(message=f"backtone {number}\n")

    return VersionAction


def parse_date(text: str) -> date:
    import argparse
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


MAX_COUNT_OPTION = 10**9  # beyond any history; SQLite's integers stop at 2**63 - 1


def parse_count(text: str) -> int:
    import argparse

    try:
        number = int(text)
    except ValueError:
        # int() refuses more than 4,300 digits: that is a number, only too large.
        number = MAX_COUNT_OPTION + 1 if text.strip().isdigit() else 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    if number > MAX_COUNT_OPTION:
        raise argparse.ArgumentTypeError(f"too large: {text[:30]!r} (at most {MAX_COUNT_OPTION:,})")
    return number


# -- the app ----------------------------------------------------------------------------------


def terminal_problem(env: Mapping[str, str] = os.environ) -> str | None:
    """Why the app cannot run here, or None. With stdin at /dev/null and a terminal on stdout,
    Textual would spin on end-of-file for ever. A browser driver (`backtone serve`, which sets
    TEXTUAL_DRIVER) runs it over pipes, and tests may say so too."""
    if env.get("TEXTUAL_DRIVER") or env.get("BACKTONE_ALLOW_NO_TTY"):
        return None
    if not sys.stdout.isatty():
        return "the app needs a terminal; try `backtone list` or `--help`"
    if not sys.stdin.isatty():
        return (
            "the app needs a terminal on stdin too (it reads keys from it); "
            "try `backtone list` or `--help`"
        )
    return None


def open_app(args: argparse.Namespace) -> int:
    import gc

    # What start-up allocates (modules, the routines, the app) lives as long as the app: the
    # collector would only scan it again and again, 36 ms of a 290 ms start. It is paused
    # while that is built, and what was built is kept out of later collections.
    gc.disable()
    try:
        app = _build_app(args)
        if isinstance(app, int):
            return app
        gc.freeze()
    finally:
        gc.enable()
    app.run()
    return app.return_code or EXIT_OK


def _build_app(args: argparse.Namespace) -> BacktoneApp | int:
    """The app to run, or the exit code when there is none to run."""
    from pathlib import Path

    from tui import paths, terminal
    from tui.core.loader import load_file
    from tui.core.model import RoutineError

    data_dir = data_dir_or_complaint(args.data_dir)
    if data_dir is None:
        return EXIT_USAGE
    routines_path = paths.resolve_routines_path(args.routines)
    book: RoutineBook | None = None
    problem: RoutineError | None = None
    try:
        book = load_file(routines_path)
    except RoutineError as error:
        problem = error
    routine_id: str | None = getattr(args, "routine_id", None)
    if routine_id is not None:
        refusal = _refuse_to_start(routine_id, routines_path, book, problem)
        if refusal is not None:
            return refusal
    no_terminal = terminal_problem()
    if no_terminal is not None:
        print(f"backtone: {no_terminal}", file=sys.stderr)
        return EXIT_USAGE

    from tui.ui.app import BacktoneApp

    app = BacktoneApp(
        routines_path=routines_path,
        book=book,
        problem=problem,
        data_dir=Path(data_dir),
        bell=False if args.no_bell else None,
        start_routine=routine_id,
        ascii_only=terminal.terminal_is_ascii(),
        checkin=False if args.no_checkin else None,
        speech=getattr(args, "speech", None),
    )
    return app


def _refuse_to_start(
    routine_id: str, routines_path: object, book: RoutineBook | None, problem: RoutineError | None
) -> int | None:
    """`run ID` with a bad file or an unknown ID: the exit code, after saying why."""
    # Imported only to refuse: a good `run` goes straight to its first frame.
    if problem is not None:
        from tui.routines_cli import print_problems
        from tui.store.export import printable

        print_problems(problem)
        print(
            printable(f"Fix the file, then check it with: backtone check {routines_path}"),
            file=sys.stderr,
        )
        return EXIT_BAD_DATA
    assert book is not None
    if any(r.id == routine_id for r in book.routines):
        return None
    from tui.store.export import printable

    guess = book.suggest(routine_id)
    hint = f" (did you mean {guess!r}?)" if guess else ""
    message = f"no routine {routine_id!r} in {routines_path}{hint}; `backtone list` shows them"
    print(f"backtone: {printable(message)}", file=sys.stderr)
    return EXIT_USAGE
