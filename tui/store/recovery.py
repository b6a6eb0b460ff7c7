"""A damaged history file is kept aside, never overwritten."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from tui.store.history_file import NotRegular, looks_like_sqlite
from tui.store.rows import HistoryUnavailable


def check_header(path: Path) -> None:
    """Refuse a file that is neither empty nor begins as every SQLite database does.

    SQLite itself takes a file shorter than a page (a 1-byte file, say) for an empty database
    and writes over it; such a file must be moved aside and kept like any other damaged one.
    Only the header is read: a full `PRAGMA quick_check` costs ~80 ms at 10,000 sessions.
    """
    try:
        fine = looks_like_sqlite(str(path))
    except NotRegular as error:
        raise HistoryUnavailable(f"cannot use {path}: {error.strerror}") from None
    except OSError:
        return  # not readable: SQLite says what is wrong when it opens it
    if not fine:
        raise sqlite3.DatabaseError("file is not a database (no SQLite header)")


def looks_corrupt(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def move_aside(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
        counter += 1
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            sidecar.rename(target.with_name(target.name + suffix))
    return target
