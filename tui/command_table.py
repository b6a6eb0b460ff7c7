"""Every `backtone` command, declared once: its name, its help, the function that runs it and
its options. tui/cli.py builds the parser from this table, and reads a plain `status` command
line from it before argparse loads.

Plain data, cheap to import: `backtone status` runs at every login, and nothing here loads a
module Python has not already loaded. A handler is named "module:function" and imported only
when its command runs. To add a command: a `Command` in COMMANDS, its handler in its own module
(taking the parsed arguments, returning an exit code from tui/exit_codes.py), and a test.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which status avoids
if TYPE_CHECKING:
    from collections.abc import Iterator


class Option:
    """One argparse argument: its names (or a positional's name) and add_argument's settings.
    A setting named by a string "tui.cli:_date" is a function of the CLI, looked up when the
    parser is built (argparse's `type`)."""

    __slots__ = ("names", "settings")

    def __init__(self, *names: str, **settings: object) -> None:
        self.names = names
        self.settings = settings

    @property
    def takes_value(self) -> bool:
        return self.settings.get("action") not in ("store_true", "store_const", "help")


class Exclusive:
    """Options of which at most one may be given (argparse's mutually exclusive group)."""

    __slots__ = ("options",)

    def __init__(self, *options: Option) -> None:
        self.options = options


class Command:
    """A command (or an action under one, such as `history import`)."""

    __slots__ = (
        "actions",
        "arguments",
        "description",
        "handler",
        "help",
        "more_arguments",
        "name",
        "speech",
    )

    def __init__(
        self,
        name: str,
        *,
        help: str,
        description: str,
        handler: str,
        arguments: tuple[Option | Exclusive, ...] = (),
        more_arguments: str | None = None,
        speech: bool = False,
        actions: tuple[Command, ...] = (),
    ) -> None:
        self.name = name
        self.help = help
        self.description = description
        self.handler = handler
        self.arguments = arguments
        # "module:function" that adds options kept with the code they are for (serve's).
        self.more_arguments = more_arguments
        self.speech = speech  # takes --speech / --no-speech: it starts the app
        self.actions = actions

    def options(self) -> Iterator[Option]:
        for argument in self.arguments:
            if isinstance(argument, Exclusive):
                yield from argument.options
            else:
                yield argument


SHARED_TITLE = "options of every command (before or after its name)"

# -- shared by every command: before or after its name (`run ID --routines F` works too) -------

COMMON = (
    Option(
        "--routines",
        metavar="FILE",
        help="routine file to use (default: $BACKTONE_ROUTINES, your config's routines.toml, "
        "or the bundled routines)",
    ),
    Option(
        "--data-dir",
        metavar="DIR",
        help="where the history is kept (default: $BACKTONE_DATA or the platform data dir)",
    ),
    Option("--no-bell", action="store_true", help="start with the terminal bell off"),
    Option(
        "--no-checkin",
        action="store_true",
        help="do not ask how your back is before and after a session",
    ),
)

# For the commands that start the app: before the command, or after `run`.
SPEECH = Exclusive(
    Option(
        "--speech",
        dest="speech",
        action="store_const",
        const="on",
        help="say the cues aloud on this machine, even over SSH (default: the speech setting, "
        "auto: only when not over SSH)",
    ),
    Option(
        "--no-speech",
        dest="speech",
        action="store_const",
        const="off",
        help="do not say the cues aloud",
    ),
)

PROGRAM_DESCRIPTION = (
    "Guided back-exercise routines in your terminal. With no command, opens the app."
)
OPEN_APP = "tui.cli:open_app"  # no command at all

COMMANDS = (
    Command(
        "run",
        help="start a routine at once",
        description="Start a routine.",
        handler=OPEN_APP,
        arguments=(
            Option("routine_id", metavar="ID", help="the routine's id (see `backtone list`)"),
        ),
        speech=True,
    ),
    Command(
        "list",
        help="print the routines",
        description="Print the routines with their length.",
        handler="tui.routines_cli:list_command",
    ),
    Command(
        "check",
        help="validate a routine file",
        description="Validate a routine file and print every problem in it.",
        handler="tui.routines_cli:check_command",
        arguments=(
            Option("file", nargs="?", metavar="FILE", help="the file (default: the one in use)"),
        ),
    ),
    Command(
        "history",
        help="print or export your sessions",
        description="Print your sessions, newest first, as a table, or export them as JSON, "
        "CSV or TOML. Rows are written as they are read: pipe it to `head` freely.",
        handler="tui.history_cli:history_command",
        arguments=(
            Option(
                "--format",
                choices=["table", "json", "csv", "toml"],
                default="table",
                help="output format (default: table)",
            ),
            Option(
                "--since",
                metavar="DATE",
                type="tui.cli:parse_date",
                help="only sessions on or after DATE (YYYY-MM-DD)",
            ),
            Option(
                "--limit",
                metavar="N",
                type="tui.cli:parse_count",
                help="only the N most recent sessions",
            ),
        ),
        actions=(
            Command(
                "import",
                help="add the sessions of a JSON export to this history",
                description="Read back what `backtone history --format json` wrote (on a new "
                "server, after a reinstall) and add its sessions to the history. Sessions "
                "already there are skipped, so importing the same file twice adds nothing. All "
                "or nothing: a file with a mistake in it changes nothing, and the message says "
                "which record and field.",
                handler="tui.history_cli:import_command",
                arguments=(
                    Option(
                        "file",
                        metavar="FILE",
                        help="the JSON export to read, or - for standard input",
                    ),
                ),
            ),
        ),
    ),
    Command(
        "status",
        help="one line for a login message: done today?",
        description="Print one line: whether you practised today, your streak, this week's "
        "minutes and today's pain check-ins. Read-only: it never creates or changes the "
        "history. Exit codes: 0 you practised today; 1 not yet today, or the history cannot "
        "be read (damaged, not a file, or a data dir you cannot enter: said on stderr, unless "
        "--quiet); 2 a usage error.",
        handler="tui.cli:status_command",
        arguments=(
            Option(
                "--format",
                choices=["text", "json"],
                default="text",
                help="output format (default: text)",
            ),
            Option(
                "-q",
                "--quiet",
                action="store_true",
                help="print nothing at all; only the exit code",
            ),
        ),
    ),
    Command(
        "serve",
        help="serve the app to a web browser, locked by a token link",
        description="Serve backtone to a web browser, one app per tab, on 127.0.0.1:8000 by "
        "default. It prints one link holding a secret token: open that. Every tab uses this "
        "command's routine file, data dir and settings; the page plays a tone for each bell "
        "and speaks each notification aloud.",
        handler="tui.cli:serve_command",
        # Its own options live with the server, which owns their defaults.
        more_arguments="tui.serve.options:add_serve_options",
    ),
    Command(
        "report",
        help="write an HTML report of your sessions for your physiotherapist",
        description="Write one self-contained HTML page of the last 12 weeks (sessions, "
        "the dose kept, pain before and after, the programme's versions) to open, print or "
        "save as PDF in any browser, and print its path. Read-only on the history.",
        handler="tui.report.command:report_command",
        arguments=(
            Exclusive(
                Option(
                    "--weeks",
                    metavar="N",
                    type="tui.cli:parse_count",
                    default=12,
                    help="the last N calendar weeks, this one included (default: 12)",
                ),
                Option(
                    "--since",
                    metavar="DATE",
                    type="tui.cli:parse_date",
                    help="from DATE (YYYY-MM-DD) to today instead",
                ),
            ),
            Option(
                "-o",
                "--output",
                metavar="FILE",
                help="a file (replaced if it exists), a directory, or - for standard output "
                "(default: ./backtone-report-YYYY-MM-DD.html, never replacing one)",
            ),
        ),
    ),
    Command(
        "init",
        help="copy the bundled routines to your config, to edit",
        description="Write the bundled routines to your routines file, to edit by hand.",
        handler="tui.routines_cli:init_command",
        arguments=(Option("--force", action="store_true", help="overwrite an existing file"),),
    ),
)


def top_options() -> Iterator[Option]:
    """What may come before the command's name."""
    yield from COMMON
    yield from SPEECH.options


def command_options(command: Command) -> Iterator[Option]:
    """What may come after the command's name: the shared options and its own."""
    yield from COMMON
    if command.speech:
        yield from SPEECH.options
    yield from command.options()


def find(name: str) -> Command:
    return next(command for command in COMMANDS if command.name == name)
