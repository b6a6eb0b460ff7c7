"""`backtone history`: every session, newest first, streamed as a table, JSON, CSV or TOML.

Rows go out as the cursor reads them: the first line shows at once, memory stays flat at any
length of history, and a reader that stops early (`| head`) ends it quietly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from tui.data_dir import data_dir_or_complaint
from tui.exit_codes import EXIT_BAD_DATA, EXIT_OK, EXIT_USAGE
from tui.store.database import DB_NAME
from tui.store.export import export, stream_sessions, write_table
from tui.store.rows import HistoryUnavailable, SessionRow
from tui.store.sessions import HistoryStore
from tui.terminal import terminal_is_ascii


def history_command(args: argparse.Namespace) -> int:
    directory = data_dir_or_complaint(args.data_dir)
    if directory is None:
        return EXIT_USAGE
    data_dir = Path(directory)
    if not (data_dir / DB_NAME).exists():  # printing creates nothing
        return _write(iter(()), args, data_dir)
    try:
        store = HistoryStore.open(data_dir)
    except HistoryUnavailable as error:
        print(f"backtone: {error}", file=sys.stderr)
        return EXIT_BAD_DATA
    try:
        if store.warning:
            print(f"backtone: {store.warning}", file=sys.stderr)
        rows = stream_sessions(store.connection, since=args.since, limit=args.limit)
        return _write(rows, args, data_dir)
    finally:
        store.close()


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
