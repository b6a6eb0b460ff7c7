"""Running the installed `backtone` in a pseudo-terminal and reading its screen with pyte.

The countdown is read off the screen by ptyscreen.py, which the benchmarks share.

`Terminal` spawns the real command under pexpect, feeds every byte it writes into a pyte
screen, and lets a test wait for text to appear (never a bare sleep), press keys, resize the
terminal and read the process's exit status or the signal that ended it.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pexpect
import pyte

DEFAULT_TIMEOUT = 15.0
SETTLE_SECONDS = 0.02  # no output for this long after a write: the app has drawn what it had
SYNC_QUERY = b"\x1b[?2026$p"  # DECRQM: does the terminal support synchronized output?
SYNC_SUPPORTED = b"\x1b[?2026;2$y"  # DECRPM: yes (currently reset)
SYNC_BEGIN = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"


def find_backtone() -> str | None:
    """The `backtone` installed beside this Python (the venv under test), else on the PATH."""
    beside = Path(sys.executable).parent / "backtone"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("backtone")


def clean_env(config_dir: Path, data_dir: Path, home: Path, **extra: str) -> dict[str, str]:
    """A small, predictable environment: no inherited BACKTONE_*, TEXTUAL_*, COLUMNS or LINES."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
        "BACKTONE_CONFIG": str(config_dir),
        "BACKTONE_DATA": str(data_dir),
        # Silent unless a test asks for speech: `auto` would speak aloud on a machine with
        # speakers, and start a speech program in every pty session.
        "BACKTONE_SPEECH": "off",
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    env.update(extra)
    return env


def spawn(
    args: Sequence[str], env: Mapping[str, str], rows: int = 24, cols: int = 80, **kw: Path
) -> Terminal:
    """`backtone ARGS` in a new pty (see `find_backtone`)."""
    executable = find_backtone()
    if executable is None:
        raise FileNotFoundError("the `backtone` command is not installed")
    return Terminal(executable, args, env, rows=rows, cols=cols, **kw)


class Terminal:
    """One `backtone` process in a pty of `rows` x `cols`, mirrored into a pyte screen."""

    def __init__(
        self,
        executable: str,
        args: Sequence[str],
        env: Mapping[str, str],
        rows: int = 24,
        cols: int = 80,
        cwd: Path | None = None,
    ) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.transcript = bytearray()
        self.eof = False
        self.quiet = False
        self.in_frame = False
        self._tail = b""
        self._answered_sync = False
        self.child = pexpect.spawn(
            executable,
            list(args),
            env=dict(env),
            dimensions=(rows, cols),
            cwd=str(cwd) if cwd else None,
            timeout=DEFAULT_TIMEOUT,
            # A test run started under nohup would pass on SIGHUP ignored: the hang-up tests
            # need what a login shell gives.
            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL),
        )

    # -- reading -----------------------------------------------------------------------------

    def pump(self, timeout: float = 0.05) -> bool:
        """Read what the app has written within `timeout`; False once the pty is closed."""
        if self.eof:
            return False
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            self.quiet = True
            return True
        except pexpect.EOF:
            self.eof = True
            self.in_frame = False
            return False
        self.quiet = False
        self.transcript += data
        self._follow_frames(data)
        self.stream.feed(data)
        return True

    def _follow_frames(self, data: bytes) -> None:
        """Answer the app's terminal queries; note whether a synchronized frame is half drawn.

        Like most modern terminals, this one says it supports synchronized output (mode 2026),
        so Textual brackets each frame in BSU/ESU and a test never reads half a frame.
        """
        seen = self._tail + data
        if not self._answered_sync and SYNC_QUERY in seen:
            self._answered_sync = True
            self.child.send(SYNC_SUPPORTED)
        begin, end = seen.rfind(SYNC_BEGIN), seen.rfind(SYNC_END)
        if begin != end:
            self.in_frame = begin > end
        self._tail = seen[-16:]

    @property
    def settled(self) -> bool:
        """No frame half drawn and nothing more arrived just now: the screen is consistent."""
        return self.quiet and not self.in_frame

    def display(self) -> str:
        """The screen as text, one line per row."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_until(
        self,
        predicate: Callable[[str], bool],
        description: str,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> str:
        """Keep reading until `predicate(display)` holds; fail with the screen if it never does."""
        deadline = time.monotonic() + timeout
        while True:
            if self.settled or self.eof:
                shown = self.display()
                if predicate(shown):
                    return shown
                if self.eof:
                    raise AssertionError(
                        f"the app exited while waiting for {description}; last screen:\n{shown}"
                    )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self.pump(SETTLE_SECONDS if not self.quiet else min(0.1, remaining))
        raise AssertionError(
            f"timed out after {timeout:g} s waiting for {description}; screen:\n{self.display()}"
        )

    def wait_for(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Read until `text` is on screen; returns the display."""
        return self.wait_until(lambda shown: text in shown, repr(text), timeout)

    def wait_gone(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Read until `text` is no longer on screen; returns the display."""
        return self.wait_until(lambda shown: text not in shown, f"{text!r} to go", timeout)

    def watch(self, seconds: float) -> str:
        """Keep reading for `seconds` (to check that something does *not* change)."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            if not self.pump(min(0.1, remaining)):
                break
        settle_by = time.monotonic() + 2.0
        while not (self.settled or self.eof) and time.monotonic() < settle_by:
            self.pump(SETTLE_SECONDS)
        return self.display()

    # -- acting ------------------------------------------------------------------------------

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def resize(self, rows: int, cols: int) -> None:
        """Resize the pty (the app gets SIGWINCH) and the pyte screen with it."""
        self.pump(0.01)
        self.screen.resize(rows, cols)
        self.child.setwinsize(rows, cols)

    def kill(self, number: int = signal.SIGKILL) -> None:
        """Send the process a signal (SIGKILL unless told)."""
        self.child.kill(number)

    def wait_exit(self, timeout: float = DEFAULT_TIMEOUT) -> tuple[int | None, int | None]:
        """Read until the process ends; returns (exit status, signal number)."""
        deadline = time.monotonic() + timeout
        while self.pump(0.1):
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"the app did not exit within {timeout:g} s; screen:\n{self.display()}"
                )
        while self.child.isalive():
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not exit within {timeout:g} s")
            time.sleep(0.02)  # the pty is closed; only reaping the process is left
        self.child.close()
        return self.child.exitstatus, self.child.signalstatus

    def close(self) -> None:
        """Kill the process if it still runs, and release the pty."""
        if self.child.isalive():
            self.child.kill(signal.SIGKILL)
        self.child.close(force=True)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def wait_for_all(waits: Sequence[tuple[Terminal, str]], timeout: float = DEFAULT_TIMEOUT) -> None:
    """Read from every terminal in turn until each shows its text (no one's output piles up)."""
    deadline = time.monotonic() + timeout
    pending = list(waits)
    while pending:
        pending = [
            (term, text) for term, text in pending if not (term.settled and text in term.display())
        ]
        if not pending:
            return
        if time.monotonic() > deadline:
            screens = "\n\n".join(f"waiting for {text!r}:\n{t.display()}" for t, text in pending)
            raise AssertionError(f"timed out after {timeout:g} s; screens:\n{screens}")
        for term, _text in waits:
            term.pump(SETTLE_SECONDS)
