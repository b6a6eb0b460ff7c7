"""The `backtone` command: the parser, and each command sent to the module that does it.

Nothing is imported at the top beyond what Python has already loaded: `backtone status` runs
at every login and is sent on before argparse, platformdirs or the routine loader load.
"""

from __future__ import annotations

import os
import sys

from tui.data_dir import data_dir_or_complaint
from tui.exit_codes import EXIT_BAD_DATA, EXIT_OK, EXIT_USAGE

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which status avoids
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Mapping, Sequence
    from datetime import date

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
            code = _handler(args.command, getattr(args, "history_action", None))(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the flush at exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `backtone history | head`: the reader has all it wanted. Python's docs: point stdout
        # at devnull, or the flush at exit raises again, with a traceback.
        _silence_stdout()
        return EXIT_OK


def _handler(
    command: str | None, history_action: str | None = None
) -> Callable[[argparse.Namespace], int]:
    if command == "history":
        from tui import history_cli

        if history_action == "import":
            return history_cli.import_command
        return history_cli.history_command
    if command == "report":
        from tui.report.command import report_command

        return report_command
    if command == "status":
        return _status
    if command == "serve":
        return _serve
    if command in ("list", "check", "init"):
        from tui import routines_cli

        handlers: dict[str, Callable[[argparse.Namespace], int]] = {
            "list": routines_cli.list_command,
            "check": routines_cli.check_command,
            "init": routines_cli.init_command,
        }
        return handlers[command]
    return _open_app


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file (a test's capture): nothing to flush
        pass


# -- `status`, before argparse ----------------------------------------------------------------

_VALUED = {"--routines", "--data-dir", "--format"}
_FLAGS = {"--no-bell", "--no-checkin", "--quiet", "-q"}
_STATUS_ONLY = {"--format", "--quiet", "-q"}


def quick_status_arguments(argv: Sequence[str]) -> tuple[str | None, str, bool] | None:
    """(data dir, format, quiet) for a plain `status` command line, read without argparse,
    which alone costs the login line a tenth of its time. Anything else (another command,
    --help, an abbreviation, a mistake) is None, and goes through argparse like every command.
    """
    if "status" not in argv:
        return None
    values: dict[str, str] = {}
    seen_command = False
    tokens = iter(argv)
    for token in tokens:
        if token == "status" and not seen_command:
            seen_command = True
            continue
        name, equals, value = token.partition("=")
        if name in _STATUS_ONLY and not seen_command:
            return None
        if name in _VALUED:
            if not equals:
                value = next(tokens, "-")
            if value.startswith("-"):
                return None
            values[name] = value
        elif token in _FLAGS:
            values[token] = ""
        else:
            return None
    fmt = values.get("--format", "text")
    if not seen_command or fmt not in ("text", "json"):
        return None
    return values.get("--data-dir"), fmt, "--quiet" in values or "-q" in values


def _status(args: argparse.Namespace) -> int:
    from tui.status import run_status

    return run_status(args.data_dir, args.format, args.quiet)


# -- the parser -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="backtone",
        description="Guided back-exercise routines in your terminal. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action=_version_action(), nargs=0, help="show the version")
    _common_options(parser, top=True)
    _speech_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="start a routine at once", description="Start a routine.")
    run.add_argument("routine_id", metavar="ID", help="the routine's id (see `backtone list`)")
    _common_options(run, top=False)
    _speech_options(run, top=False)

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

    _history_parser(commands)
    _status_parser(commands)
    _serve_parser(commands)
    _report_parser(commands)

    init = commands.add_parser(
        "init",
        help="copy the bundled routines to your config, to edit",
        description="Write the bundled routines to your routines file, to edit by hand.",
    )
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    _common_options(init, top=False)
    return parser


def _report_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser(
        "report",
        help="write an HTML report of your sessions for your physiotherapist",
        description="Write one self-contained HTML page of the last 12 weeks (sessions, "
        "the dose kept, pain before and after, the programme's versions) to open, print or "
        "save as PDF in any browser, and print its path. Read-only on the history.",
    )
    span = report.add_mutually_exclusive_group()
    span.add_argument(
        "--weeks",
        metavar="N",
        type=_positive,
        default=12,
        help="the last N calendar weeks, this one included (default: 12)",
    )
    span.add_argument(
        "--since", metavar="DATE", type=_date, help="from DATE (YYYY-MM-DD) to today instead"
    )
    report.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="a file (replaced if it exists), a directory, or - for standard output "
        "(default: ./backtone-report-YYYY-MM-DD.html, never replacing one)",
    )
    _common_options(report, top=False)


def _history_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    history = commands.add_parser(
        "history",
        help="print or export your sessions",
        description="Print your sessions, newest first, as a table, or export them as JSON, "
        "CSV or TOML. Rows are written as they are read: pipe it to `head` freely.",
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
    history.add_argument(
        "--limit", metavar="N", type=_positive, help="only the N most recent sessions"
    )
    _common_options(history, top=False)
    actions = history.add_subparsers(dest="history_action", metavar="ACTION")
    importing = actions.add_parser(
        "import",
        help="add the sessions of a JSON export to this history",
        description="Read back what `backtone history --format json` wrote (on a new server, "
        "after a reinstall) and add its sessions to the history. Sessions already there are "
        "skipped, so importing the same file twice adds nothing. All or nothing: a file with "
        "a mistake in it changes nothing, and the message says which record and field.",
    )
    importing.add_argument(
        "file", metavar="FILE", help="the JSON export to read, or - for standard input"
    )
    _common_options(importing, top=False)


def _status_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    status = commands.add_parser(
        "status",
        help="one line for a login message: done today?",
        description="Print one line: whether you practised today, your streak, this week's "
        "minutes and today's pain check-ins. Read-only: it never creates or changes the "
        "history. Exit codes: 0 you practised today; 1 not yet today, or the history cannot "
        "be read (damaged, not a file, or a data dir you cannot enter: said on stderr, unless "
        "--quiet); 2 a usage error.",
    )
    status.add_argument(
        "--format", choices=["text", "json"], default="text", help="output format (default: text)"
    )
    status.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing at all; only the exit code"
    )
    _common_options(status, top=False)


def _serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from tui.serve.options import add_serve_options

    serve = commands.add_parser(
        "serve",
        help="serve the app to a web browser, locked by a token link",
        description="Serve backtone to a web browser, one app per tab, on 127.0.0.1:8000 by "
        "default. It prints one link holding a secret token: open that. Every tab uses this "
        "command's routine file, data dir and settings; the page plays a tone for each bell "
        "and speaks each notification aloud.",
    )
    add_serve_options(serve)
    _common_options(serve, top=False)


def _serve(args: argparse.Namespace) -> int:
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


def _common_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """Options accepted before or after the command name: `run ID --routines F` works too."""
    import argparse

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
    flag = False if top else argparse.SUPPRESS
    parser.add_argument(
        "--no-bell", action="store_true", default=flag, help="start with the terminal bell off"
    )
    parser.add_argument(
        "--no-checkin",
        action="store_true",
        default=flag,
        help="do not ask how your back is before and after a session",
    )


def _speech_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--speech / --no-speech, for the commands that start the app (before or after `run`)."""
    import argparse

    default = None if top else argparse.SUPPRESS
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument(
        "--speech",
        dest="speech",
        action="store_const",
        const="on",
        default=default,
        help="say the cues aloud on this machine, even over SSH (default: the speech setting, "
        "auto: only when not over SSH)",
    )
    choice.add_argument(
        "--no-speech",
        dest="speech",
        action="store_const",
        const="off",
        default=default,
        help="do not say the cues aloud",
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


def _date(text: str) -> date:
    import argparse
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


MAX_COUNT_OPTION = 10**9  # beyond any history; SQLite's integers stop at 2**63 - 1


def _positive(text: str) -> int:
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


def _open_app(args: argparse.Namespace) -> int:
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
