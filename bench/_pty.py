"""Shared helpers for the benchmarks: a program in a pseudo-terminal, mirrored into pyte.

`PtyApp` spawns a command under pexpect at a fixed size, reads everything it writes, counts
the bytes and frames, feeds the bytes into a pyte screen, and notes *when* the screen first
satisfied a condition. It answers Textual's query for synchronized output (mode 2026) the way
a modern terminal does, so every frame arrives bracketed in BSU/ESU and can be counted.

The `/proc` readers give a process's peak resident memory and CPU time (Linux only).
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pexpect
import pyte

# The countdown is read off the screen by tests/ptyscreen.py, shared with the pty tests.
REPO = Path(__file__).resolve().parents[1]
for _folder in (str(REPO), str(REPO / "tests")):
    if _folder not in sys.path:
        sys.path.append(_folder)

SYNC_QUERY = b"\x1b[?2026$p"  # DECRQM: does the terminal support synchronized output?
SYNC_ANSWER = b"\x1b[?2026;2$y"  # DECRPM: yes (currently reset)
SYNC_BEGIN = b"\x1b[?2026h"  # BSU: one per frame once the app knows the terminal supports it
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# -- finding the programs ----------------------------------------------------------------------


def find_backtone() -> str:
    """The `backtone` installed beside this Python (its venv), else the one on the PATH."""
    beside = Path(sys.executable).parent / "backtone"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("backtone")
    if found is None:
        raise SystemExit("bench: the `backtone` command is not installed beside this Python")
    return found


def python_of(script: str) -> str:
    """The interpreter a console script runs with (its #! line), so a minimal Textual app can
    run on the very same Python and textual; this Python if the line can't be read."""
    try:
        with open(script, "rb") as file:
            first = file.readline().decode(errors="replace").strip()
    except OSError:
        return sys.executable
    if first.startswith("#!"):
        interpreter = first[2:].split()[0] if first[2:].split() else ""
        if interpreter and os.access(interpreter, os.X_OK) and "env" not in Path(interpreter).name:
            return interpreter
    return sys.executable


@contextmanager
def sandbox() -> Iterator[Path]:
    """A temporary directory for config, data, HOME and generated files; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="backtone-bench-") as name:
        yield Path(name)


def child_env(root: Path, tag: str) -> dict[str, str]:
    """A small, predictable environment whose config and data dirs live under `root/tag`."""
    home = root / tag
    for sub in ("config", "data", "home"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home / "home"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
        "BACKTONE_CONFIG": str(home / "config"),
        "BACKTONE_DATA": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "home" / ".config"),
        "XDG_DATA_HOME": str(home / "home" / ".local" / "share"),
    }


# -- a minimal Textual app to compare with -----------------------------------------------------

MINIMAL_APP = '''\
"""The smallest app with backtone's ingredients: Header, Digits, ProgressBar, Footer."""

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Digits, Footer, Header, ProgressBar

TOTAL = 60


class Minimal(App[None]):
    TITLE = "Daily back care"
    BINDINGS = [Binding("q", "quit", "Quit"), Binding("space", "noop", "Pause")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Digits("1:00")
        yield ProgressBar(total=TOTAL, show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.left = TOTAL
        self.set_interval(1, self.tick)

    def tick(self) -> None:
        self.left = max(0, self.left - 1)
        self.query_one(Digits).update(f"{self.left // 60}:{self.left % 60:02d}")
        self.query_one(ProgressBar).advance(1)

    def action_noop(self) -> None:
        pass


if __name__ == "__main__":
    Minimal().run()
'''
MINIMAL_FOOTER_KEY = "Quit"


def write_minimal_app(directory: Path) -> Path:
    """The minimal app (ticking once a second with set_interval) as a script in `directory`."""
    path = directory / "minimal_textual_app.py"
    path.write_text(MINIMAL_APP, encoding="utf-8")
    return path


# -- a program in a pty ------------------------------------------------------------------------


class PtyApp:
    """One program in a `rows` x `cols` pseudo-terminal, its output mirrored into pyte."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        rows: int = 24,
        cols: int = 80,
        *,
        answer_sync: bool = True,
    ) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes_read = 0
        self.frames = 0  # BSU markers seen: frames, once the app uses synchronized output
        self.eof = False
        self._answer_sync = answer_sync
        self._tail = b""
        self.started = time.perf_counter()
        self.child = pexpect.spawn(
            argv[0], list(argv[1:]), env=dict(env), dimensions=(rows, cols), timeout=30
        )
        # pexpect sleeps 50 ms before every send by default: it was in each key's latency.
        self.child.delaybeforesend = None

    @property
    def pid(self) -> int:
        return int(self.child.pid)

    def read(self, timeout: float) -> int:
        """Read what arrives within `timeout` s; the number of bytes (0 on timeout or EOF)."""
        if self.eof:
            return 0
        try:
            data: bytes = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return 0
        except pexpect.EOF:
            self.eof = True
            return 0
        seen = self._tail + data
        if self._answer_sync and SYNC_QUERY in seen:
            self._answer_sync = False
            self.child.send(SYNC_ANSWER)
        self.frames += seen.count(SYNC_BEGIN) - self._tail.count(SYNC_BEGIN)
        self._tail = seen[-(len(SYNC_BEGIN) - 1) :]
        self.bytes_read += len(data)
        self.stream.feed(data)
        return len(data)

    def text(self) -> str:
        """The screen as text, one line per row."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_until(self, predicate: Callable[[str], bool], what: str, timeout: float) -> float:
        """Read until `predicate(screen text)` holds; the perf_counter time of the read that
        made it hold. Raises TimeoutError (with the screen) if it never does."""
        deadline = time.perf_counter() + timeout
        if predicate(self.text()):
            return time.perf_counter()
        while (left := deadline - time.perf_counter()) > 0 and not self.eof:
            if self.read(min(0.5, left)) and predicate(self.text()):
                return time.perf_counter()
        state = "exited" if self.eof else f"timed out after {timeout:g} s"
        raise TimeoutError(f"{state} waiting for {what}; screen:\n{self.text()}")

    def follow(self, seconds: float, on_change: Callable[[float, str], None] | None = None) -> int:
        """Keep reading for `seconds`; call `on_change(time, text)` after each read. Returns
        the bytes read in that time."""
        before = self.bytes_read
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0 and not self.eof:
            if self.read(min(0.25, left)) and on_change is not None:
                on_change(time.perf_counter(), self.text())
        return self.bytes_read - before

    def close(self) -> None:
        """Kill the program (SIGKILL) if it still runs and release the pty."""
        if self.child.isalive():
            self.child.kill(signal.SIGKILL)
        self.child.close(force=True)

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


# -- /proc -------------------------------------------------------------------------------------


def peak_rss_kib(pid: int) -> int:
    """VmHWM (peak resident set size) in KiB, from /proc/PID/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for process {pid}")


def cpu_seconds(pid: int) -> float:
    """CPU time of the process: its threads' time on a CPU, in nanoseconds, from
    /proc/PID/task/*/schedstat; where the kernel keeps no such figure, user + system time
    from /proc/PID/stat, counted in clock ticks (10 ms: 0.03 % of a core over 30 s, the
    size of the whole difference this measures)."""
    on_cpu = 0
    for task in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            on_cpu += int(task.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue  # a thread that ended between the listing and the read
    if on_cpu:
        return on_cpu / 1e9
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the name in parentheses may hold spaces
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / CLOCK_TICKS


# -- figures -----------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float], scale: float = 1.0, unit: str = "", digits: int = 0) -> str:
    """'min..max' of the values, for showing the noise beside a median."""
    return f"{min(values) * scale:.{digits}f}..{max(values) * scale:.{digits}f}{unit}"
