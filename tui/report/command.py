"""`backtone report [--weeks N | --since DATE] [-o FILE]`: write the report, print its path.
The options are declared in tui/cli.py, which imports this module only to run the command.

The history is opened read-only (nothing created, migrated or changed); no history yet is an
empty report. A routine file that cannot be read leaves the programme, the doses and the
cautions out, with a warning, and the report is still written.

Where it goes: `-o -` is standard output. Without `-o`, ./backtone-report-YYYY-MM-DD.html,
and never over an existing file: a second report the same day is -2.html, then -3.html. With
`-o FILE` the person named the file, and it is replaced (written beside it, then renamed
over it, so a failure leaves the old one whole); `-o DIR` puts the default name in DIR. The
file is readable by its owner only, as the history is: it is health data.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from tui import paths
from tui.core.loader import load_file
from tui.core.model import RoutineBook, RoutineError
from tui.data_dir import data_dir_or_complaint
from tui.exit_codes import EXIT_BAD_DATA, EXIT_OK, EXIT_USAGE
from tui.report import DEFAULT_WEEKS, build_report, report_file_name
from tui.report.sections import exercise_poses
from tui.store.database import DB_NAME, open_read_only
from tui.store.export import printable
from tui.store.rows import HistoryUnavailable, NoHistory

MAX_WEEKS = 520  # ten years: past that a period is better given with --since
SAME_DAY_NAMES = 1000  # -2 .. -999 before giving up on finding a free default name


def report_command(args: argparse.Namespace, now: datetime | None = None) -> int:
    directory = data_dir_or_complaint(args.data_dir)
    if directory is None:
        return EXIT_USAGE
    moment = now or datetime.now().astimezone()
    today = moment.date()
    if args.weeks > MAX_WEEKS:
        _say(f"--weeks {args.weeks}: at most {MAX_WEEKS} (use --since DATE for longer)")
        return EXIT_USAGE
    if args.since is not None and args.since > today:
        _say(f"--since {args.since.isoformat()} is after today ({today.isoformat()})")
        return EXIT_USAGE
    book = _book(args.routines)
    try:
        html = report_html(
            Path(directory) / DB_NAME, book, now=moment, weeks=args.weeks, since=args.since
        )
    except HistoryUnavailable as error:
        _say(str(error))
        return EXIT_BAD_DATA
    if args.output == "-":
        sys.stdout.write(html)
        return EXIT_OK
    try:
        written = write_report_file(html, args.output, today)
    except OSError as error:
        target = args.output or report_file_name(today)
        _say(f"cannot write the report to {target}: {error.strerror or error}")
        return EXIT_BAD_DATA
    print(printable(str(written)))
    return EXIT_OK


def _say(message: str) -> None:
    print(f"backtone: {printable(message)}", file=sys.stderr)


def _book(option: str | None) -> RoutineBook | None:
    source = paths.resolve_routines_path(option)
    try:
        return load_file(source)
    except RoutineError as error:
        count = len(error.problems)
        _say(
            f"{source} cannot be read ({count} problem{'s' if count != 1 else ''};"
            " `backtone check` lists them): the report leaves out the programme and its doses"
        )
        return None


def report_html(
    history: Path,
    book: RoutineBook | None,
    *,
    now: datetime,
    weeks: int = DEFAULT_WEEKS,
    since: date | None = None,
) -> str:
    """The report of the history file at `history`, opened read-only (none there yet: the
    report of no sessions). The command and the History screen's `r` both write this.
    HistoryUnavailable when the history cannot be read."""
    try:
        opened = open_read_only(history)
    except NoHistory:
        return build_report(
            None, book, weeks=weeks, since=since, now=now, pose_figures=exercise_poses
        )
    try:
        return build_report(
            opened.connection, book, weeks=weeks, since=since, now=now, pose_figures=exercise_poses
        )
    finally:
        opened.connection.close()


def write_report_file(html: str, output: str | None, today: date) -> Path:
    """Write the report; returns where. Without `output`, today's default name in the current
    directory, never over an existing file (-2.html, -3.html, ... the same day); a folder
    `output` takes the default name in it; any other `output` is replaced whole. Readable by
    its owner only. OSError (FileExistsError past 999 reports a day) when it cannot."""
    data = html.encode("utf-8")
    if output is not None and not Path(output).is_dir():
        return _replace(Path(output), data)
    folder = Path(output) if output is not None else Path.cwd()
    name = report_file_name(today)
    stem = name.removesuffix(".html")
    for number in range(1, SAME_DAY_NAMES):
        target = folder / (name if number == 1 else f"{stem}-{number}.html")
        try:
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()
            raise
        return target
    raise FileExistsError(0, f"{SAME_DAY_NAMES - 1} reports of today are there already")


def _replace(target: Path, data: bytes) -> Path:
    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent if str(target.parent) else ".", prefix=".backtone-report-"
    )
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target
