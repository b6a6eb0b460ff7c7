"""End to end over a real SSH server: `ssh -tt host backtone run ...`, as people use it.

A throwaway sshd listens on 127.0.0.1 (its own host key, one authorized key, everything in a
tmp dir). Each test logs in with the ssh client in a pseudo-terminal of the size under test,
runs the installed `backtone` on the "server" and reads what comes back through SSH with pyte:
the session screen, the terminal bell, and what a dropped connection leaves behind.

The only skip: no ssh/sshd/ssh-keygen here, or an sshd that cannot start or let us log in.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

import pytest
from ptyhelpers import DEFAULT_TIMEOUT, SETTLE_SECONDS, Terminal, find_backtone
from ptyscreen import read_countdown

pytestmark = pytest.mark.e2e

SIZES = [(24, 80), (20, 50)]
SIZE_IDS = ["80x24", "50x20"]
SESSION_TIMEOUT = 30.0  # a whole short routine, on a busy machine, through SSH
LOGIN_TIMEOUT = 30.0  # login, then the app's start-up
SBIN_DIRS = "/usr/sbin:/usr/local/sbin:/sbin"

# Short enough to play to the end, long enough to watch a countdown and to cut the line.
ROUTINES = """\
schema = 1

[defaults]
prepare = 1
rest = 1
rest_between_reps = 0

[exercises.egg]
name = "Egg"
setup = "Lie on your back on the mat."
cues = ["Keep the head down"]
phases = [
  { name = "Hug knees", seconds = 3, hold = true },
  { name = "Release", seconds = 1 },
]

[exercises.lift]
name = "Lift"
setup = "Lie on your front."
phases = [
  { name = "Lift and hold", seconds = 1.5, hold = true },
  { name = "Lower", seconds = 0.5 },
]

[[routines]]
id = "short"
name = "Short test"
description = "About nine seconds."
steps = [{ exercise = "egg", reps = 2 }]

[[routines]]
id = "drop"
name = "Four lifts"
description = "Four reps, to lose the connection in the middle."
steps = [{ exercise = "lift", reps = 4 }]
"""
# "short": prepare 1 s, then 2 x (Hug knees 3 s, Release 1 s): 5 segments, 5 phase starts.
SHORT_PHASES = [
    ("Get ready", "Rep 1/2"),
    ("Hug knees", "Rep 1/2"),
    ("Release", "Rep 1/2"),
    ("Hug knees", "Rep 2/2"),
    ("Release", "Rep 2/2"),
]
# "drop": prepare, then 4 x (hold, lower) = 9 segments; rep 2 starts at segment index 3.
DROP_TOTAL = 9
DONE_BEFORE_REP_2 = 3

REP = re.compile(r"Rep (\d+)/(\d+)")
OSC = re.compile(rb"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")  # OSC ... BEL|ST: a BEL ends these
BOX_DRAWING = re.compile("[\u2500-\u259f]")


# -- the throwaway server ----------------------------------------------------------------------


def _which(name: str) -> str | None:
    return shutil.which(name, path=f"{os.environ.get('PATH', '/usr/bin:/bin')}:{SBIN_DIRS}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class SshServer:
    """A running sshd on 127.0.0.1:port that lets `user` in with `key`."""

    ssh: str
    port: int
    user: str
    key: Path
    home: Path  # the ssh client's HOME (nothing of the real one is read)

    def client_args(self, remote_command: str) -> list[str]:
        return [
            "-tt",  # a pty on the server, as `ssh -t` gives
            "-F",
            "/dev/null",  # no user or system client config
            "-e",
            "none",  # no ~ escapes: every key goes to the app
            "-p",
            str(self.port),
            "-i",
            str(self.key),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=20",
            f"{self.user}@127.0.0.1",
            remote_command,
        ]

    def client_env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "TERM": "xterm-256color",  # ssh sends it to the server with the pty size
            "LANG": "C.UTF-8",
        }

    def login(self, remote_command: str, rows: int, cols: int) -> Terminal:
        """`ssh -tt user@127.0.0.1 REMOTE_COMMAND` in a local pty of rows x cols."""
        return Terminal(
            self.ssh, self.client_args(remote_command), self.client_env(), rows=rows, cols=cols
        )

    def probe(self) -> str | None:
        """Log in with a pty of 20x50 and ask its size: None if that works, else what failed."""
        with self.login("stty size", 20, 50) as terminal:
            try:
                status, killed_by = terminal.wait_exit(timeout=LOGIN_TIMEOUT)
            except AssertionError as error:
                return str(error)
            said = bytes(terminal.transcript).decode(errors="replace").strip()
        if (status, killed_by) == (0, None) and said.split() == ["20", "50"]:
            return None
        return f"ssh exit status {status}, signal {killed_by}, said {said!r}"


def _start_sshd(sshd: str, config: Path, port: int, log: Path) -> subprocess.Popen[bytes] | str:
    """sshd -D -e on a free port: the process once it answers with a banner, else why not."""
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [sshd, "-D", "-e", "-f", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=sink,
            start_new_session=True,
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"sshd exited with status {process.returncode}:\n{_tail(log)}"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
                if connection.recv(64).startswith(b"SSH-"):
                    return process
        except OSError:
            pass
        time.sleep(0.05)  # sshd is starting: poll its port, not the app
    process.kill()
    process.wait()
    return f"sshd did not answer on 127.0.0.1:{port} within 20 s:\n{_tail(log)}"


@pytest.fixture(scope="module")
def backtone() -> str:
    executable = find_backtone()
    if executable is None:
        pytest.skip("the `backtone` command is not installed beside this Python nor on the PATH")
    return os.path.abspath(executable)  # the remote command line needs a full path


@pytest.fixture(scope="module")
def sshd_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    tools = {name: _which(name) for name in ("sshd", "ssh", "ssh-keygen")}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        reason = f"SSH test skipped: {', '.join(missing)} not found (install openssh-server)"
        print(reason)
        pytest.skip(reason)
    sshd, ssh, keygen = (str(tools[name]) for name in ("sshd", "ssh", "ssh-keygen"))

    root = tmp_path_factory.mktemp("sshd")
    home = root / "client-home"
    home.mkdir()
    host_key, user_key = root / "host_ed25519", root / "user_ed25519"
    for key in (host_key, user_key):
        subprocess.run(
            [keygen, "-q", "-t", "ed25519", "-N", "", "-C", "backtone-test", "-f", str(key)],
            check=True,
            capture_output=True,
            timeout=30,
        )
    authorized = root / "authorized_keys"
    shutil.copy(user_key.with_suffix(".pub"), authorized)
    authorized.chmod(0o600)
    user = pwd.getpwuid(os.geteuid()).pw_name

    if os.geteuid() == 0:
        # sshd running as root wants its privilege separation dir.
        try:
            Path("/run/sshd").mkdir(mode=0o755, parents=True, exist_ok=True)
        except OSError as error:
            reason = f"SSH test skipped: cannot create /run/sshd for sshd: {error}"
            print(reason)
            pytest.skip(reason)

    log = root / "sshd.log"
    why = ""
    for _attempt in range(3):  # a free port can be taken between the probe and sshd
        port = _free_port()
        config = root / "sshd_config"
        config.write_text(
            "\n".join(
                [
                    "ListenAddress 127.0.0.1",
                    f"Port {port}",
                    f"HostKey {host_key}",
                    f"PidFile {root / 'sshd.pid'}",
                    f"AuthorizedKeysFile {authorized}",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PermitRootLogin yes",  # CI runs the tests as root
                    "UsePAM no",
                    "StrictModes no",  # the tmp dir's modes are not sshd's business
                    "PermitUserEnvironment no",
                    "PermitTTY yes",
                    "PrintMotd no",
                    "PrintLastLog no",
                    "UseDNS no",
                    "X11Forwarding no",
                    "LogLevel INFO",
                    "",
                ]
            )
        )
        started = _start_sshd(sshd, config, port, log)
        if not isinstance(started, str):
            break
        why = started
    else:
        reason = f"SSH test skipped: sshd cannot start: {why}"
        print(reason)
        pytest.skip(reason)
    process = started

    server = SshServer(ssh=ssh, port=port, user=user, key=user_key, home=home)
    try:
        failed = server.probe()
        if failed is not None:
            reason = (
                f"SSH test skipped: sshd started but a key login as {user!r} with a pty "
                f"failed ({failed}); sshd said:\n{_tail(log)}"
            )
            print(reason)
            pytest.skip(reason)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- one person's data on the server ------------------------------------------------------------


class Account:
    """The config and data dirs and routine file `backtone` uses on the server."""

    def __init__(self, root: Path, backtone: str) -> None:
        self.root = root
        self.backtone = backtone
        self.home = root / "home"
        self.config = root / "config"
        self.data = root / "data"
        for directory in (self.home, self.config):
            directory.mkdir(parents=True, exist_ok=True)
        self.routines = root / "routines.toml"
        self.routines.write_text(ROUTINES, encoding="utf-8")
        self.extra_env: dict[str, str] = {}
        # These tests are about the session over SSH: no check-in before it.
        (self.config / "settings.toml").write_text("checkin = false\n", encoding="utf-8")

    def env(self) -> dict[str, str]:
        return {
            "HOME": str(self.home),
            "BACKTONE_CONFIG": str(self.config),
            "BACKTONE_DATA": str(self.data),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            **self.extra_env,
        }

    def remote_run(self, routine_id: str) -> str:
        """The command line sshd runs: `env ... /abs/backtone run ID --routines F --data-dir D`."""
        words = [
            "env",
            *(f"{name}={value}" for name, value in self.env().items()),
            self.backtone,
            "run",
            routine_id,
            "--routines",
            str(self.routines),
            "--data-dir",
            str(self.data),
        ]
        return shlex.join(words)

    def app_pids(self) -> list[int]:
        """The `backtone` processes running on this account's data dir (on the "server")."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            words = [word.decode(errors="replace") for word in argv[:2]]
            if any(Path(w).name == "backtone" for w in words) and str(self.data).encode() in argv:
                pids.append(int(entry.name))
        return pids

    def history(self) -> list[dict[str, Any]]:
        """`backtone history --format json --data-dir DIR`, run locally on the same data dir."""
        result = subprocess.run(
            [self.backtone, "history", "--format", "json", "--data-dir", str(self.data)],
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **self.env()},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        sessions: list[dict[str, Any]] = json.loads(result.stdout)
        return sessions


@pytest.fixture
def account(tmp_path: Path, backtone: str) -> Iterator[Account]:
    account = Account(tmp_path, backtone)
    yield account
    for pid in account.app_pids():  # only ever ours: they run on this test's tmp data dir
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def login(sshd_server: SshServer, account: Account) -> Iterator[Callable[..., Terminal]]:
    """Log in and run `backtone run ID`; every ssh client is killed and closed afterwards."""
    started: list[Terminal] = []

    def start(routine_id: str, rows: int, cols: int) -> Terminal:
        terminal = sshd_server.login(account.remote_run(routine_id), rows, cols)
        started.append(terminal)
        return terminal

    yield start
    for terminal in started:
        terminal.close()


# -- reading the screen and the bytes -----------------------------------------------------------


def position(display: str) -> str | None:
    found = REP.search(display)
    return found.group(0) if found else None


def in_phase(display: str, phase: str) -> bool:
    """The session screen is in this phase (its name on a line of its own, digits showing)."""
    lines = [line.strip() for line in display.splitlines()]
    return phase in lines and read_countdown(display) is not None


def phase_of(display: str) -> tuple[str, str | None] | None:
    """Which phase of "short" the session screen shows, with its "Rep n/m", or None."""
    lines = {line.strip() for line in display.splitlines()}
    for name in ("Get ready", "Hug knees", "Release"):
        if name in lines and read_countdown(display) is not None:
            return name, position(display)
    return None


def flow(display: str) -> str:
    """The screen's words as one line, without borders: text wrapped over rows can be found."""
    return " ".join(BOX_DRAWING.sub(" ", display).split())


def bell_offsets(data: bytes) -> list[int]:
    """Where the terminal bells are in these bytes: BEL bytes, but not those that end an OSC
    (Textual sets the pointer shape with `ESC ] 22 ; default BEL`)."""
    ends = {found.end() - 1 for found in OSC.finditer(data)}
    return [i for i, byte in enumerate(data) if byte == 7 and i not in ends]


def wait_remote_gone(account: Account, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Poll until no `backtone` runs on the account's data dir (the server side has ended)."""
    deadline = time.monotonic() + timeout
    while account.app_pids():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"backtone still runs on the server {timeout:g} s after the connection "
                f"dropped: pids {account.app_pids()}"
            )
        time.sleep(0.05)  # polling the process table for a condition, with a deadline


def quit_and_logout(terminal: Terminal, in_session: bool = False) -> None:
    """Ctrl+Q (and y, over a session: it asks first); ssh ends with its status (0) and no
    traceback."""
    terminal.send("\x11y" if in_session else "\x11")
    status, killed_by = terminal.wait_exit(timeout=LOGIN_TIMEOUT)
    transcript = bytes(terminal.transcript)
    assert b"Traceback" not in transcript, transcript.decode(errors="replace")[-3000:]
    assert (status, killed_by) == (0, None)


# -- (a) the session screen arrives, at the client's size ----------------------------------------


@pytest.mark.parametrize(("rows", "cols"), SIZES, ids=SIZE_IDS)
def test_session_screen_and_countdown_over_ssh(
    login: Callable[..., Terminal], rows: int, cols: int
) -> None:
    terminal = login("short", rows, cols)
    shown = terminal.wait_until(
        lambda d: in_phase(d, "Hug knees"), "the hold and its countdown", timeout=LOGIN_TIMEOUT
    )
    first = read_countdown(shown)
    assert first in ("3", "2"), shown  # a 3 s hold, seen at its start
    assert "Egg" in shown
    assert position(shown) == "Rep 1/2"
    shown = terminal.wait_until(
        lambda d: in_phase(d, "Hug knees") and read_countdown(d) != first,
        f"the countdown to move on from {first}",
    )
    assert int(read_countdown(shown) or "99") < int(first or "0"), shown
    assert "Hold" in shown

    # The app drew for the client's size, which ssh passed on: the header on the top row, the
    # footer on the bottom row, the countdown's box closed on its own row.
    lines = shown.splitlines()
    assert len(lines) == rows
    assert "Short test" in lines[0], shown
    assert "Pause" in lines[-1], shown
    top = next(line for line in lines if "╭" in line)
    assert top.rstrip().endswith("╮") and len(top) <= cols, shown
    quit_and_logout(terminal, in_session=True)


# -- (b) the bells reach the client, in their pattern -------------------------------------------


def expected_bells(
    changes: list[tuple[float, tuple[str, str | None] | None, str | None]],
) -> list[int]:
    """How many bells each change of the screen must bring: two on the get-ready, one on any
    other phase change, one at each of the hold's last 2 and 1 seconds (a 3 s hold says 2, 1),
    three at the end (the last change: the summary), none at any other change."""
    expected = []
    for index, (_when, phase, digits) in enumerate(changes):
        if index == len(changes) - 1:
            expected.append(3)
        elif phase is not None and (index == 0 or phase != changes[index - 1][1]):
            expected.append(2 if phase[0] == "Get ready" else 1)
        elif phase is not None and phase[0] == "Hug knees" and digits in ("2", "1"):
            expected.append(1)
        else:
            expected.append(0)
    return expected


def play_to_the_end(terminal: Terminal) -> tuple[list[tuple[int, float]], list[Any]]:
    """Play "short" to the summary and a second past it (the end's last bells ring 0.6 s
    after it shows): when each much of the transcript arrived, and each change of the screen
    with when it was first seen."""
    start = time.monotonic()
    arrivals: list[tuple[int, float]] = []  # (transcript length, when that much had arrived)
    # (when first seen, phase and rep or None, countdown digits or None)
    changes: list[tuple[float, tuple[str, str | None] | None, str | None]] = []
    ended_at: float | None = None
    while ended_at is None or time.monotonic() - start < ended_at + 1.0:
        if time.monotonic() > start + LOGIN_TIMEOUT + SESSION_TIMEOUT:
            raise AssertionError(f"the session did not end; screen:\n{terminal.display()}")
        if not terminal.pump(SETTLE_SECONDS):
            raise AssertionError(f"ssh ended mid-session; screen:\n{terminal.display()}")
        now = time.monotonic() - start
        if not arrivals or arrivals[-1][0] != len(terminal.transcript):
            arrivals.append((len(terminal.transcript), now))
        if not terminal.settled or ended_at is not None:
            continue
        shown = terminal.display()
        if "routine complete" in shown:
            ended_at = now
            changes.append((now, None, "end"))
            continue
        state = (phase_of(shown), read_countdown(shown))
        if not changes or changes[-1][1:] != state:
            changes.append((now, *state))
    return arrivals, changes


@pytest.mark.parametrize(("rows", "cols"), SIZES, ids=SIZE_IDS)
def test_bells_reach_the_client_in_their_pattern(
    login: Callable[..., Terminal], rows: int, cols: int
) -> None:
    """Plays "short" to the end, noting when each change of the screen and each BEL arrived.

    The app writes a cue's first BEL and the frame showing its change together, and the
    other bells of the cue 0.3 s apart after it; changes are a second apart. So each BEL is
    matched with the latest change seen before it (or with the first frames, for a BEL that
    arrives just before them), and each change must have exactly the bells of its pattern:
    nothing missing, nothing doubled, nothing stray.
    """
    terminal = login("short", rows, cols)
    arrivals, changes = play_to_the_end(terminal)
    sizes = [size for size, _when in arrivals]
    rings = [0] * len(changes)
    times = [when for when, _phase, _digits in changes]
    for offset in bell_offsets(bytes(terminal.transcript)):
        when = arrivals[bisect.bisect_right(sizes, offset)][1]
        # A BEL comes with its frame (a little before or after it) or up to 0.6 s later.
        owner = max(0, bisect.bisect_right(times, when + 0.15) - 1)
        if changes[owner][1] is None and changes[owner][2] != "end" and owner + 1 < len(changes):
            owner += 1  # the first cue rings as the session screen is first drawn
        rings[owner] += 1
    report = [
        (round(when, 2), phase, digits, count)
        for (when, phase, digits), count in zip(changes, rings, strict=True)
    ]
    phase_changes = [
        phase
        for i, (_when, phase, _digits) in enumerate(changes)
        if phase is not None and (i == 0 or phase != changes[i - 1][1])
    ]
    assert phase_changes == SHORT_PHASES, report
    expected = expected_bells(changes)
    # Every bell arrived, none doubled, none stray: the counts are exact.
    assert sum(rings) == sum(expected), f"(s, screen, bells) against the pattern: {report}"
    # Each where it belongs, but for one that crossed into the change before: on a loaded
    # machine a cue's first bell can come well before its frame (the summary takes a moment to
    # build, and its first bell is written at once), and is then counted with the change before.
    early = [a - b for a, b in zip(accumulate(rings), accumulate(expected), strict=True)]
    assert set(early) <= {0, 1}, f"(s, screen, bells) against {expected}: {report}"
    quit_and_logout(terminal)


OSC_9 = re.compile(rb"\x1b\]9;([^\x07\x1b]*)(\x07|\x1b\\)")


def test_notifications_reach_the_client_through_sshd(
    sshd_server: SshServer, account: Account
) -> None:
    """With `TERM=xterm-ghostty` (as ssh passes it on), `notify = "auto"` (the default)
    writes OSC 9: at the new exercise and at the end, never at every rep, each ended by ST."""
    account.extra_env["TERM"] = "xterm-ghostty"
    with sshd_server.login(account.remote_run("short"), 24, 80) as terminal:
        play_to_the_end(terminal)
        transcript = bytes(terminal.transcript)
        quit_and_logout(terminal)
    said = [(body.decode(), end) for body, end in OSC_9.findall(transcript)]
    assert [end for _body, end in said] == [b"\x1b\\"] * len(said), said
    bodies = [body for body, _end in said]
    assert bodies[0] == "Egg. Hug knees. Hold 3 seconds.", said
    assert len(bodies) == 2 and bodies[1].startswith("Done: Short test, "), said


# -- (c) a dropped connection leaves the session to resume ---------------------------------------


@pytest.mark.parametrize(("rows", "cols"), SIZES, ids=SIZE_IDS)
def test_dropped_connection_leaves_the_session_resumable(
    login: Callable[..., Terminal], account: Account, rows: int, cols: int
) -> None:
    first = login("drop", rows, cols)
    first.wait_until(
        lambda d: in_phase(d, "Lift and hold") and position(d) == "Rep 2/4",
        "the hold of rep 2",
        timeout=LOGIN_TIMEOUT,
    )
    assert account.app_pids(), "no backtone process on the server"
    first.kill(signal.SIGKILL)  # the laptop's lid shuts, the phone loses its signal
    _status, killed_by = first.wait_exit()
    assert killed_by == signal.SIGKILL
    wait_remote_gone(account)  # sshd hangs up the pty: backtone gets SIGHUP

    [row] = account.history()
    assert row["routine_id"] == "drop"
    assert row["status"] == "active"
    assert row["segments_total"] == DROP_TOTAL
    done = row["segments_done"]  # 3, unless rep 2's hold ended before the hangup arrived
    assert DONE_BEFORE_REP_2 <= done < DROP_TOTAL, row

    second = login("drop", rows, cols)
    shown = second.wait_for("An unfinished session", timeout=LOGIN_TIMEOUT)
    assert "Four lifts" in flow(shown), shown
    rep = f"Rep {(done - 1) // 2 + 1}/4"  # prepare, then 2 segments a rep
    assert f"stopped at Lift, {rep}," in flow(shown), shown
    second.send("r")
    shown = second.wait_until(lambda d: position(d) is not None, "the session screen")
    assert position(shown) == rep, shown
    shown = second.wait_for("routine complete", timeout=SESSION_TIMEOUT)
    assert "1 exercise, 4 reps" in flow(shown), shown  # every rep done, across the two logins

    [row] = account.history()
    assert row["status"] == "completed"
    assert row["segments_done"] == row["segments_total"] == DROP_TOTAL
    quit_and_logout(second)
