"""`backtone history`: every session, newest first, streamed as a table, JSON, CSV or TOML.

Rows go out as the cursor reads them: the first line shows at once, memory stays flat at any
length of history, and a reader that stops early (`| head`) ends it quietly.

It only reads: the history is opened read-only (nothing migrated, stamped, moved aside or left
beside it), and one it cannot read (damaged, a FIFO, a data dir it cannot enter) is said, with
its path, and exit 1: never an empty success. Sessions that cannot be read are left out of the
output, counted on stderr, and exit 1 too, after everything that could be read was written.

`backtone history import FILE` (or - for standard input) reads back what `--format json` wrote,
all or nothing (tui/store/importer.py): the whole file is checked before the history is opened,
so a bad file changes nothing, not even a data dir that did not exist; then the new sessions go
in at once. Exit 0 after "Imported N sessions (M already there).", 1 for a file that cannot be
imported (which record and field, said on stderr) or a history that cannot be written.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from tui.data_dir import data_dir_or_complaint
from tui.exit_codes import EXIT_BAD_DATA, EXIT_OK, EXIT_USAGE
from tui.store.database import DB_NAME
from tui.store.errors import reason
from tui.store.export import export, printable, stream_export, stream_sessions, write_table
from tui.store.readable import sessions_text
from tui.store.rows import HistoryUnavailable, NoHistory, SessionRow
from tui.store.sessions import HistoryStore
from tui.terminal import terminal_is_ascii


def history_command(args: argparse.Namespace) -> int:
    directory = data_dir_or_complaint(args.data_dir)
    if directory is None:
        return EXIT_USAGE
    data_dir = Path(directory)
    try:
        store = HistoryStore.open_read_only(data_dir)
    except NoHistory:
        return _write(iter(()), args, data_dir)
    except HistoryUnavailable as error:
        return _complain(str(error))
    try:
        if args.format == "table":
            rows = stream_sessions(store.connection, since=args.since, limit=args.limit)
            code = _write(rows, args, data_dir)
        else:
            export(stream_export(store.connection, args.since, args.limit), args.format, sys.stdout)
            sys.stdout.flush()
            code = EXIT_OK
        left_out = store.unreadable()
    except sqlite3.Error as error:  # met as the rows stream: a page damaged deep in the file
        return _complain(f"cannot read {store.path}: {reason(error, store.path)}")
    except HistoryUnavailable as error:
        return _complain(str(error))
    finally:
        store.close()
    if left_out:
        they = "it is" if left_out == 1 else "they are"
        return _complain(f"{store.path}: {sessions_text(left_out)}; {they} left out")
    return code


def _complain(message: str) -> int:
    sys.stdout.flush()  # what was written comes before the complaint, in a terminal
    print(f"backtone: {printable(message)}", file=sys.stderr)
    return EXIT_BAD_DATA


def _write(sessions: Iterator[SessionRow], args: argparse.Namespace, data_dir: Path) -> int:
    if args.format != "table":
        export(sessions, args.format, sys.stdout)
        sys.stdout.flush()
        return EXIT_OK
    first = next(sessions, None)
    if first is None:
        print("No sessions recorded yet." if args.since is None else "No sessions since then.")
        return EXIT_OK
    title = f"Sessions in {data_dir / DB_NAME}"
    write_table(chain([first], sessions), sys.stdout, title, terminal_is_ascii())
    sys.stdout.flush()  # a closed pipe is found here, inside main()'s BrokenPipeError handler
    return EXIT_OK


# -- import -----------------------------------------------------------------------------------


def import_command(args: argparse.Namespace) -> int:
    from tui.store.importer import ImportRefused, import_sessions, read_export

    if getattr(args, "format", "table") in ("csv", "toml"):
        wrote = "what `history --format json` wrote"
        print(f"backtone: history import reads {wrote}, not {args.format.upper()}", file=sys.stderr)
        return EXIT_USAGE
    directory = data_dir_or_complaint(args.data_dir)
    if directory is None:
        return EXIT_USAGE
    source = "standard input" if args.file == "-" else args.file
    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as error:
        return _complain(f"cannot read {source}: {error.strerror or error}")
    try:
        sessions = read_export(data)
    except ImportRefused as error:
        return _complain(f"{source} cannot be imported: {error}. Nothing was imported.")
    try:
        store = HistoryStore.open(Path(directory))
    except HistoryUnavailable as error:
        return _complain(f"{error}. Nothing was imported.")
    try:
        if store.warning is not None and not store.read_only:
            print(f"backtone: {printable(store.warning)}", file=sys.stderr)
        result = import_sessions(store, sessions)
    except HistoryUnavailable as error:
        return _complain(f"{error}. Nothing was imported.")
    finally:
        store.close()
    print(result.sentence())
    return EXIT_OK
