"""What lies at the history's path, looked at without opening it.

Opening a FIFO named history.db blocks until something writes into it (for ever: the app froze,
deaf to q and Ctrl+C, and `backtone history` hung), and a device or socket is no better. So the
path is looked at with lstat first, and anything but a regular file is refused, named, and
never opened. A data dir that cannot be entered (another user's, mode 0700) is said as such.

Stdlib only, and quick to import: `backtone status` looks here at every login.
"""

from __future__ import annotations

import errno
import os
import stat

SQLITE_HEADER = b"SQLite format 3\x00"

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class NotRegular(OSError):
    """The path turned into something other than a regular file after it was looked at."""


def kind_of(mode: int) -> str:
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def inspect(path: str) -> tuple[bool, str | None]:
    """(whether something is at `path`, why it cannot be used as the history or None).

    (False, None): nothing yet; (True, None): a regular file; anything else comes with a
    message for a person that names the path.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False, None
    except PermissionError:
        return False, permission_problem(os.path.dirname(os.path.abspath(path)))
    except OSError as error:
        return False, f"cannot use {path}: {error.strerror or error}"
    if stat.S_ISLNK(info.st_mode):
        return True, (
            f"{path} is a symbolic link; backtone keeps its history only in a file of its own:"
            " remove the link, or choose another --data-dir"
        )
    if not stat.S_ISREG(info.st_mode):
        return True, (
            f"cannot use {path}: it is {kind_of(info.st_mode)}, not a history file, so backtone"
            " will not open it: move it away, or choose another --data-dir"
        )
    return True, None


def permission_problem(directory: str) -> str:
    """`directory` (or the folder above it that stops the way) cannot be entered: which, and
    why, as far as can be told."""
    blocked = first_closed(directory) or directory
    try:
        info = os.stat(blocked)
    except OSError:
        return f"{blocked}: permission denied: backtone cannot enter it; choose another --data-dir"
    me = os.geteuid() if hasattr(os, "geteuid") else info.st_uid
    if info.st_uid != me:
        return (
            f"{blocked}: permission denied: it belongs to {_user(info.st_uid)}, and"
            f" {_user(me)} may not enter it; choose another --data-dir"
        )
    return (
        f"{blocked}: permission denied: its mode {stat.S_IMODE(info.st_mode):04o} does not let"
        " you enter it; `chmod u+rwx` it, or choose another --data-dir"
    )


def first_closed(directory: str) -> str | None:
    """The outermost folder on the way to `directory` that exists and cannot be searched."""
    parts = os.path.abspath(directory).split(os.sep)
    for end in range(2, len(parts) + 1):
        prefix = os.sep.join(parts[:end]) or os.sep
        if not os.path.isdir(prefix):
            return None  # the way ends here (it is made later), or is no folder at all
        if not os.access(prefix, os.X_OK):
            return prefix
    return None


def _user(uid: int) -> str:
    try:
        import pwd

        return f"{pwd.getpwuid(uid).pw_name} (uid {uid})"
    except (ImportError, KeyError):
        return f"uid {uid}"


def read_head(path: str, size: int = len(SQLITE_HEADER)) -> bytes:
    """The first bytes of the file, opened so that nothing can make the open wait (a FIFO
    swapped in since it was looked at) or follow a link; NotRegular if it is not a file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(errno.EINVAL, f"it is {kind_of(mode)}, not a history file", path)
        return os.read(descriptor, size)
    finally:
        os.close(descriptor)


def looks_like_sqlite(path: str) -> bool:
    """Whether the file is empty or begins as every SQLite database does. SQLite itself takes
    a file shorter than a page (a 1-byte file, say) for an empty database and writes over it."""
    head = read_head(path)
    return not head or head == SQLITE_HEADER
