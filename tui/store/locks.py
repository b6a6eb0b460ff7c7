"""Advisory locks on small files beside the database: which sessions belong to a live process.

A running session holds its lock for the process's life; a session left `active` whose lock is
free belongs to a process that is gone.

A session whose recording failed for good (the disk full, the file locked for long) leaves a
marker instead, `session-N.unrecorded`: its row may still say `active` at some early segment,
and it must not be offered for a resume "after 0:00". An empty file needs no free block, so
the marker can be made on a full disk.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # no advisory locks there: every lock succeeds


class SessionLocks:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._held: dict[int, IO[bytes]] = {}

    def holds(self, session_id: int) -> bool:
        return session_id in self._held

    def _path(self, session_id: int) -> Path:
        return self.directory / f"session-{session_id}.lock"

    def _marker(self, session_id: int) -> Path:
        return self.directory / f"session-{session_id}.unrecorded"

    def mark_unrecorded(self, session_id: int) -> bool:
        """Leave word that this session's row is not to be trusted (or resumed)."""
        try:
            self._marker(session_id).touch()
        except OSError:
            return False
        return True

    def unrecorded(self, session_id: int) -> bool:
        return self._marker(session_id).exists()

    def clear_unrecorded(self, session_id: int) -> None:
        with contextlib.suppress(OSError):
            self._marker(session_id).unlink()

    def take(self, session_id: int) -> bool:
        """Lock the session for this process; False if another process holds it."""
        if session_id in self._held:
            return True
        path = self._path(session_id)
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
            handle = open(path, "a+b")  # noqa: SIM115 - held for the session's life
        except OSError:
            return False
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                return False
        self._held[session_id] = handle
        return True

    def release(self, session_id: int, *, keep_file: bool = False) -> None:
        handle = self._held.pop(session_id, None)
        if handle is not None:
            handle.close()
            if not keep_file:
                with contextlib.suppress(OSError):
                    self._path(session_id).unlink()

    def is_free(self, session_id: int) -> bool:
        """Whether no live process holds the session (tested by taking and releasing it)."""
        if self.take(session_id):
            self.release(session_id, keep_file=True)
            return True
        return False

    def release_all(self) -> None:
        for handle in self._held.values():
            handle.close()
        self._held.clear()
