"""`python -m tui.serve`: the `backtone serve` command on its own, with the same flags."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tui.serve.options import add_serve_options, app_argv
from tui.serve.server import serve_main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tui.serve",
        description="Serve backtone to a browser, locked by a token link.",
    )
    add_serve_options(parser)
    parser.add_argument("--routines", metavar="FILE", help="routine file every tab uses")
    parser.add_argument("--data-dir", metavar="DIR", help="history dir every tab uses")
    parser.add_argument("--no-bell", action="store_true", help="tabs start with the bell off")
    parser.add_argument(
        "--no-checkin", action="store_true", help="tabs ask no pain check-in questions"
    )
    args = parser.parse_args(argv)
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
        app_argv=app_argv(args.routines, args.data_dir, *flags),
    )


if __name__ == "__main__":
    sys.exit(main())
