"""End to end: the installed `backtone` command in a real pseudo-terminal, read through pyte.

These run the real program (start-up, terminal driver, signals, SQLite on disk) the way a
person does, so they wait for what the screen shows, never for a fixed time. Each run gets its
own config, data and home dirs under tmp_path.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ptyhelpers import Terminal, clean_env, find_backtone, wait_for_all
from ptyscreen import read_countdown

pytestmark = pytest.mark.e2e

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BAD_VALUES = """\
# Several errors at once: all of them must be reported in one pass.
schema = 1

[exercises.egg]
name = "Egg"
phases = [{ name = "Hug", seconds = -3 }]

[[routines]]
id = "Bad Id"
name = "Bad values"
steps = [{ exercise = "egg", reps = "ten", rep = 10 }]
"""

# Short enough to play to the end in a test, long enough to be watched and interrupted.
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
id = "reps"
name = "Six lifts"
description = "Six reps to interrupt in the middle."
steps = [{ exercise = "lift", reps = 6 }]

[[routines]]
id = "duo"
name = "Two lifts"
steps = [{ exercise = "lift", reps = 2 }]
"""
# "reps": prepare, then 6 x (hold, lower) = 13 segments; rep 3 starts at segment index 5.
REPS_TOTAL = 13
DONE_BEFORE_REP_3 = 5

SESSION_TIMEOUT = 20.0
REP = re.compile(r"Rep (\d+)/(\d+)")
TIMES = re.compile(r"Elapsed (\d+):(\d\d) · Left (\d+):(\d\d)")
SHORT_SECONDS = 9  # prepare 1 + 2 x (3 + 1)


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backtone() -> str:
    executable = find_backtone()
    if executable is None:
        pytest.skip(
            "the `backtone` command is not installed beside this Python nor on the PATH "
            "(pip install -e '.[test]' first)"
        )
    return executable


class Home:
    """A person's private config, data and home dirs, and a routine file in them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.config = root / "config"
        self.data = root / "data"
        for directory in (self.home, self.config):
            directory.mkdir(parents=True, exist_ok=True)
        self.routines = root / "routines.toml"
        self.routines.write_text(ROUTINES, encoding="utf-8")
        # These tests play routines; the check-ins have tests of their own.
        (self.config / "settings.toml").write_text(
            'checkin = false\nspeech = "off"\n', encoding="utf-8"
        )

    def env(self) -> dict[str, str]:
        return clean_env(self.config, self.data, self.home)


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path)


@pytest.fixture
def spawn(backtone: str, home: Home) -> Iterator[Callable[..., Terminal]]:
    """Start `backtone ARGS` in a pty; every terminal is killed and closed after the test."""
    started: list[Terminal] = []

    def start(*args: str, rows: int = 24, cols: int = 80, cwd: Path | None = None) -> Terminal:
        terminal = Terminal(backtone, args, home.env(), rows=rows, cols=cols, cwd=cwd)
        started.append(terminal)
        return terminal

    yield start
    for terminal in started:
        terminal.close()


def run_cli(
    backtone: str, home: Home, *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """A non-interactive `backtone` command, with stdout and stderr apart."""
    return subprocess.run(
        [backtone, *args],
        env=home.env(),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def history(backtone: str, home: Home) -> list[dict[str, Any]]:
    result = run_cli(backtone, home, "history", "--format", "json", "--data-dir", str(home.data))
    assert result.returncode == 0, result.stderr
    sessions: list[dict[str, Any]] = json.loads(result.stdout)
    return sessions


# -- reading the session screen ---------------------------------------------------------------


def position(display: str) -> str | None:
    """The session screen's "Rep 3/6" label, if one is on screen."""
    found = REP.search(display)
    return found.group(0) if found else None


def times(display: str) -> tuple[int, int] | None:
    """The "Elapsed m:ss · Left m:ss" line, in seconds."""
    found = TIMES.search(display)
    if found is None:
        return None
    em, es, lm, ls = (int(n) for n in found.groups())
    return em * 60 + es, lm * 60 + ls


def in_phase(display: str, phase: str) -> bool:
    """The session screen is in this phase (its name on a line of its own, digits showing)."""
    lines = [line.strip() for line in display.splitlines()]
    return phase in lines and read_countdown(display) is not None


BOX_DRAWING = re.compile("[\u2500-\u259f]")  # borders, scrollbars, half blocks


def flow(display: str) -> str:
    """The screen's words as one line, without borders: text wrapped over rows can be found."""
    return " ".join(BOX_DRAWING.sub(" ", display).split())


def quit_cleanly(terminal: Terminal, status: int = 0) -> None:
    """q on a screen that quits; the process ends with `status` and no traceback (1 while the
    routine file has problems, as `backtone check` exits)."""
    terminal.send("q")
    ended, killed_by = terminal.wait_exit()
    transcript = bytes(terminal.transcript)
    assert b"Traceback" not in transcript, transcript.decode(errors="replace")[-3000:]
    assert (ended, killed_by) == (status, None)


# -- 1. the routines screen -------------------------------------------------------------------


def test_start_screen_lists_bundled_routines_and_quits(spawn: Callable[..., Terminal]) -> None:
    terminal = spawn()
    shown = terminal.wait_until(
        lambda d: "Pregnancy: cat only" in d and "q Quit" in d, "the routines and the footer"
    )
    for name in ("Daily back care", "Short and gentle", "Pregnancy: cat only"):
        assert name in shown
    footer = shown.splitlines()[-1]
    for key in ("Start", "/ Filter", "h History", "? Help", "q Quit"):
        assert key in footer, footer
    quit_cleanly(terminal)


# -- 2. a whole session: countdown, pause, summary ----------------------------------------------


def test_session_counts_down_pauses_and_ends_in_summary(
    spawn: Callable[..., Terminal], home: Home
) -> None:
    terminal = spawn("run", "short", "--routines", str(home.routines))
    shown = terminal.wait_until(
        lambda d: in_phase(d, "Hug knees") and read_countdown(d) == "3",
        "the hold's countdown at 3",
    )
    assert position(shown) in ("Rep 1/2", "Rep 2/2")
    shown = terminal.wait_until(
        lambda d: in_phase(d, "Hug knees") and read_countdown(d) == "2",
        "the hold's countdown at 2",
    )
    assert "Hold" in shown

    terminal.send(" ")
    shown = terminal.wait_for("PAUSED")
    frozen = (read_countdown(shown), position(shown), times(shown))
    assert frozen[0] is not None
    shown = terminal.watch(1.3)  # more than a second: a running countdown would move
    assert "PAUSED" in shown
    assert (read_countdown(shown), position(shown), times(shown)) == frozen, shown

    terminal.send(" ")
    terminal.wait_gone("PAUSED")
    shown = terminal.wait_for("routine complete", timeout=SESSION_TIMEOUT)
    assert "Session summary" in shown
    assert "1 exercise, 2 reps" in shown

    terminal.send("\r")
    shown = terminal.wait_until(
        lambda d: "Short test" in d and "/ Filter" in d, "the routines screen again"
    )
    assert "routine complete" not in shown
    quit_cleanly(terminal)


# -- 3. a killed process: the session is kept and resumed ---------------------------------------


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGHUP], ids=["kill-9", "sighup-ssh-drop"])
def test_killed_session_is_resumed_where_it_stopped(
    spawn: Callable[..., Terminal], home: Home, backtone: str, how: signal.Signals
) -> None:
    first = spawn("run", "reps", "--routines", str(home.routines))
    first.wait_until(lambda d: position(d) == "Rep 3/6", "Rep 3/6", timeout=SESSION_TIMEOUT)
    first.kill(how)
    _status, killed_by = first.wait_exit()
    assert killed_by == how

    [row] = history(backtone, home)
    assert row["routine_id"] == "reps"
    assert row["status"] == "active"
    assert row["segments_total"] == REPS_TOTAL
    assert row["segments_done"] >= DONE_BEFORE_REP_3

    second = spawn("run", "reps", "--routines", str(home.routines))
    shown = second.wait_for("An unfinished session")
    assert "Six lifts" in shown
    assert "stopped at Lift, Rep 3/6," in flow(shown), shown
    second.send("r")
    shown = second.wait_until(lambda d: position(d) is not None, "the session screen")
    assert position(shown) == "Rep 3/6", shown
    shown = second.wait_for("routine complete", timeout=SESSION_TIMEOUT)
    assert "1 exercise, 6 reps" in shown

    [row] = history(backtone, home)
    assert row["status"] == "completed"
    assert row["segments_done"] == row["segments_total"] == REPS_TOTAL
    quit_cleanly(second)


# -- 4. two sessions at once in one data dir -----------------------------------------------------


def test_two_sessions_at_once_are_both_recorded(
    spawn: Callable[..., Terminal], home: Home, backtone: str
) -> None:
    one = spawn("run", "duo", "--routines", str(home.routines))
    one.wait_until(lambda d: position(d) is not None, "the first session playing")
    two = spawn("run", "duo", "--routines", str(home.routines))
    # The first session is alive: the second process must not offer to resume it.
    shown = two.wait_until(lambda d: position(d) is not None, "the second session playing")
    assert "unfinished" not in shown

    wait_for_all([(one, "routine complete"), (two, "routine complete")], SESSION_TIMEOUT)
    assert "unfinished" not in bytes(two.transcript).decode(errors="replace")

    sessions = history(backtone, home)
    assert len(sessions) == 2, sessions
    assert len({row["id"] for row in sessions}) == 2
    for row in sessions:
        assert row["status"] == "completed", row
        assert row["segments_done"] == row["segments_total"] == 5
    quit_cleanly(one)
    quit_cleanly(two)


# -- 5. mistakes: an unknown routine, a broken file --------------------------------------------


def test_run_unknown_routine_exits_2_with_a_hint(backtone: str, home: Home) -> None:
    result = run_cli(backtone, home, "run", "nope")
    assert result.returncode == 2
    assert "no routine 'nope'" in result.stderr
    assert "backtone list" in result.stderr
    assert "Traceback" not in result.stderr

    result = run_cli(backtone, home, "run", "dialy-back")
    assert result.returncode == 2
    assert "did you mean 'daily-back'?" in result.stderr
    assert result.stdout == ""


def test_broken_routine_file_shows_every_problem(
    spawn: Callable[..., Terminal], home: Home, backtone: str
) -> None:
    bad = home.root / "bad-values.toml"
    example = EXAMPLES / "bad-values.toml"
    if example.exists():
        shutil.copy(example, bad)
    else:
        bad.write_text(BAD_VALUES, encoding="utf-8")
    checked = run_cli(backtone, home, "check", bad.name, cwd=home.root)
    assert checked.returncode == 1
    problems = [line.split(": ", 1)[1] for line in checked.stdout.splitlines() if line.strip()]
    assert len(problems) == 4, checked.stdout

    terminal = spawn("--routines", bad.name, cwd=home.root)
    shown = terminal.wait_until(
        lambda d: "4 problems" in d and "q Quit" in d, "the problems screen"
    )
    flowing = flow(shown)
    for problem in problems:
        assert " ".join(problem.split()) in flowing, f"{problem!r} not on screen:\n{shown}"
    quit_cleanly(terminal, status=1)


# -- 6. a small terminal, then a resize mid-session ---------------------------------------------


def test_small_terminal_then_resize_keeps_the_session_going(
    spawn: Callable[..., Terminal], home: Home
) -> None:
    terminal = spawn("run", "short", "--routines", str(home.routines), rows=12, cols=40)
    shown = terminal.wait_until(lambda d: in_phase(d, "Hug knees"), "the hold at 40x12")
    assert position(shown) is not None
    assert "Pause" in shown.splitlines()[-1]  # the footer is still there

    terminal.resize(24, 80)
    shown = terminal.wait_until(
        lambda d: "Elapsed" in d and "Session" in d and read_countdown(d) is not None,
        "the full session layout at 80x24",
    )
    assert "routine complete" not in shown
    assert len(shown.splitlines()[0]) <= 80
    shown = terminal.wait_for("routine complete", timeout=SESSION_TIMEOUT)
    assert "1 exercise, 2 reps" in shown
    quit_cleanly(terminal)


# -- elapsed time and the phone-sized screen ------------------------------------------------


def test_elapsed_and_left_add_up_to_the_routine_length(
    spawn: Callable[..., Terminal], home: Home
) -> None:
    terminal = spawn("run", "short", "--routines", str(home.routines))
    shown = terminal.wait_until(
        lambda d: in_phase(d, "Hug knees") and read_countdown(d) == "2" and times(d) is not None,
        "the hold's countdown at 2",
    )
    elapsed, left = times(shown) or (0, 0)
    terminal.send("\x11y")  # Ctrl+Q, and yes to quitting (the session is saved as stopped)
    assert terminal.wait_exit() == (0, None)
    if elapsed + left != SHORT_SECONDS:
        raise AssertionError(
            f"Elapsed {elapsed} s + Left {left} s != {SHORT_SECONDS} s on this screen:\n{shown}"
        )


def test_whole_session_screen_fits_at_50x20(spawn: Callable[..., Terminal], home: Home) -> None:
    terminal = spawn("run", "short", "--routines", str(home.routines), rows=20, cols=50)
    shown = terminal.wait_until(
        lambda d: in_phase(d, "Hug knees") and "Elapsed" in d, "the session at 50x20"
    )
    terminal.send("\x11y")
    assert terminal.wait_exit() == (0, None)
    missing = [
        text
        for text in (
            "Hug knees",
            "Hold",
            "Phase",
            "Session",
            "Elapsed",
            "Keep the head down",
            "Next:",
        )
        if text not in shown
    ]
    if missing:
        raise AssertionError(f"not on screen at 50x20: {missing}\n{shown}")
