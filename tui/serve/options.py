"""The `serve` command's flags and the command line each tab runs: cheap to import (no
aiohttp), so the CLI can build its parser without loading the server."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_TABS = 4
# Tabs import `tui` from where this server's own copy lives, never from the tab's working
# directory (which `python -c` would put first): the same code serves and plays.
PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
APP_LAUNCHER = (
    f"import sys; sys.path.insert(0, {PACKAGE_ROOT!r}); from tui.cli import main; sys.exit(main())"
)


def app_argv(routines: str | None, data_dir: str | None, *flags: str) -> list[str]:
    """backtone on this Python with the server's routine file, data dir and flags; the
    settings travel in the environment ($BACKTONE_CONFIG), which every tab inherits."""
    argv = [sys.executable, "-c", APP_LAUNCHER, *flags]
    if routines is not None:
        argv += ["--routines", str(Path(routines).resolve())]
    if data_dir is not None:
        argv += ["--data-dir", str(Path(data_dir).resolve())]
    return argv


def positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default: {DEFAULT_HOST}; another one needs --lan)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on (default: {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--lan",
        action="store_true",
        help="allow a --host others on your network can reach: anyone there with the link "
        "can see your history",
    )
    parser.add_argument(
        "--token-file",
        metavar="FILE",
        type=Path,
        help="keep the link's token in FILE (made with mode 0600) so the link outlives restarts",
    )
    parser.add_argument(
        "--max-tabs",
        type=positive,
        default=DEFAULT_MAX_TABS,
        metavar="N",
        help=f"most browser tabs served at once (default: {DEFAULT_MAX_TABS})",
    )
