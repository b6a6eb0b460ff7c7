"""Where the history is kept, and whether that place can hold it, found with the standard
library only: `backtone status` runs at every login, and platformdirs alone would cost it
about as much as Python's own start.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

APP_NAME = "backtone"
DB_NAME = "history.db"  # tui.store.database.DB_NAME, without importing the store


def resolve_data_dir(option: str | None, env: Mapping[str, str] = os.environ) -> str:
    """`--data-dir` > $BACKTONE_DATA > the platform's user data dir: tui.paths.resolve_data_dir,
    the same answer, as a string."""
    if option:
        return os.path.expanduser(option)
    if env.get("BACKTONE_DATA"):
        return os.path.expanduser(env["BACKTONE_DATA"])
    quick = _linux_user_data_dir(env)
    if quick is not None:
        return quick
    from tui import paths

    return str(paths.resolve_data_dir(None, env))


def _linux_user_data_dir(env: Mapping[str, str]) -> str | None:
    """The XDG answer for an ordinary user on Linux; None for the cases platformdirs treats
    specially (root, a relative $HOME, other systems), which are left to it."""
    if not sys.platform.startswith("linux") or os.geteuid() == 0:
        return None
    xdg = env.get("XDG_DATA_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, APP_NAME)
    home = env.get("HOME", "")
    if not os.path.isabs(home):
        return None
    return os.path.join(home.rstrip("/") or "/", ".local", "share", APP_NAME)


def source_of(option: str | None, env: Mapping[str, str] = os.environ) -> str:
    """Where the data dir was named, for a message."""
    if option:
        return "--data-dir"
    return "$BACKTONE_DATA" if env.get("BACKTONE_DATA") else "the default data dir"


def data_dir_problem(path: str) -> str | None:
    """Why `path` cannot be a data dir, or None. It need not exist yet (it is made when the
    first session is recorded), but the nearest part of it that does exist must be a directory:
    a file there would only show as an empty history."""
    probe = os.path.abspath(path)
    while not os.path.exists(probe):
        parent = os.path.dirname(probe)
        if parent == probe:
            return None
        probe = parent
    if os.path.isdir(probe):
        return None
    if probe == os.path.abspath(path):
        return f"{path} is not a directory"
    return f"{path} cannot be a directory: {probe} is a file"


def data_dir_or_complaint(option: str | None) -> str | None:
    """The data dir in use, or None after saying why it cannot be one (a usage error)."""
    directory = resolve_data_dir(option)
    problem = data_dir_problem(directory)
    if problem is None:
        return directory
    from tui.store.export import printable

    print(f"backtone: {printable(problem)} ({source_of(option)})", file=sys.stderr)
    return None
