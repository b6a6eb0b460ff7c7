"""SQLite's errors in a person's words, and the guard that keeps them inside the store.

Every public method of HistoryStore that the UI calls is wrapped by `guarded`: a sqlite3.Error
leaves it as HistoryUnavailable (HistoryBusy when it may pass), never as itself.
"""

from __future__ import annotations

import functools
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from tui.store.rows import HistoryBusy, HistoryUnavailable

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26
TRANSIENT_CODES = {SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL}

# Below this much free space an I/O error is taken for a full disk: SQLite reports a write that
# failed with ENOSPC as SQLITE_IOERR ("disk I/O error") as often as SQLITE_FULL.
NEARLY_FULL_BYTES = 1 << 20


def _code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    # Errors raised by hand (tests, wrappers) carry no code: read SQLite's standard wording.
    text = str(error).lower()
    for words, guessed in (
        ("disk is full", SQLITE_FULL),
        ("database is locked", SQLITE_BUSY),
        ("database table is locked", SQLITE_LOCKED),
        ("disk i/o error", SQLITE_IOERR),
        ("readonly database", SQLITE_READONLY),
        ("unable to open", SQLITE_CANTOPEN),
    ):
        if words in text:
            return guessed
    return None


def is_transient(error: sqlite3.Error) -> bool:
    """Whether the same write may succeed in a moment: a lock, a full disk, an I/O error."""
    return _code(error) in TRANSIENT_CODES


def disk_nearly_full(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def reason(error: sqlite3.Error, path: Path | None = None) -> str:
    """What went wrong, as a person would say it: "the disk is full", not "disk I/O error"."""
    code = _code(error)
    if code == SQLITE_FULL or (code == SQLITE_IOERR and disk_nearly_full(path)):
        return "the disk is full"
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return "another program is holding the history locked"
    if code == SQLITE_READONLY:
        return "the history file is read-only"
    if code == SQLITE_IOERR:
        return "a disk I/O error"
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return "the history file is damaged"
    if isinstance(error, sqlite3.ProgrammingError):
        return f"the history is closed ({error})"
    return str(error)


def unavailable(error: sqlite3.Error, doing: str, path: Path | None = None) -> HistoryUnavailable:
    """The store's exception for this error: HistoryBusy when it may pass."""
    kind = HistoryBusy if is_transient(error) else HistoryUnavailable
    said = reason(error, path)
    return kind(f"cannot {doing}: {said}", said)


class _HasPath(Protocol):
    path: Path


S = TypeVar("S", bound=_HasPath)
P = ParamSpec("P")
T = TypeVar("T")


def guarded(
    doing: str,
) -> Callable[[Callable[Concatenate[S, P], T]], Callable[Concatenate[S, P], T]]:
    """Turn a sqlite3.Error raised by the method into HistoryUnavailable ("cannot {doing}")."""

    def decorate(method: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], T]:
        @functools.wraps(method)
        def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as error:
                raise unavailable(error, doing, self.path) from error

        return wrapper

    return decorate
