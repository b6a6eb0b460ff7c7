"""Start-up benchmark: backtone's first full frame and peak memory beside a minimal Textual app,
and the time to load a generated 500-routine file and work out the lengths its list shows
(a session builds the timeline of its one routine only; building all 500 is shown apart).

Run it from the project:  python bench/startup.py
It prints figures and their goals; it never fails on a timing (the machine may be busy).

"First full frame": the program runs in an 80x24 pseudo-terminal whose output is fed to a pyte
screen; the clock (started just before the process is spawned) stops at the first read after
which the screen shows the routine name "Daily back care" and the Footer's key descriptions
(Textual fills the Footer in after the first refresh). The peak resident memory (VmHWM) is read
from /proc right then, before the process is killed. Runs are interleaved, alternating which
program goes first, after one unmeasured warm-up run of each; the figures are medians.
"""

from __future__ import annotations

import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from _pty import (
    MINIMAL_FOOTER_KEY,
    PtyApp,
    child_env,
    find_backtone,
    median,
    peak_rss_kib,
    python_of,
    sandbox,
    spread,
    write_minimal_app,
)

RUNS = 5
ROWS, COLS = 24, 80
ROUTINE_NAME = "Daily back care"
BACKTONE_KEYS = ("Filter", "Quit")
BIG_FILE_ROUTINES = 500
FRAME_TIMEOUT = 30.0

GOAL_STARTUP_RATIO = 1.3
GOAL_MEMORY_RATIO = 1.5
GOAL_BIG_FILE_MS = 200.0


@dataclass(frozen=True)
class Program:
    label: str
    argv: list[str]
    markers: tuple[str, ...]  # all on screen = the first full frame


@dataclass(frozen=True)
class Start:
    seconds: float  # process spawn -> first full frame
    peak_kib: int  # VmHWM at that moment


def first_frame(program: Program, env: dict[str, str]) -> Start:
    with PtyApp(program.argv, env, ROWS, COLS) as app:
        drawn = app.wait_until(
            lambda shown: all(marker in shown for marker in program.markers),
            f"{program.label}'s first full frame",
            FRAME_TIMEOUT,
        )
        return Start(drawn - app.started, peak_rss_kib(app.pid))


def measure_starts(programs: Sequence[Program], root: Path) -> dict[str, list[Start]]:
    """One warm-up each, then RUNS rounds, alternating which program goes first."""
    results: dict[str, list[Start]] = {program.label: [] for program in programs}
    for program in programs:
        first_frame(program, child_env(root, f"warm-{program.label}"))
    for round_number in range(RUNS):
        order = programs if round_number % 2 == 0 else list(reversed(programs))
        for program in order:
            env = child_env(root, f"run{round_number}-{program.label}")
            results[program.label].append(first_frame(program, env))
    return results


# -- the 500-routine file ----------------------------------------------------------------------

BIG_FILE_HEAD = """\
schema = 1

[defaults]
prepare = 5
rest = 15
rest_between_sets = 20
rest_between_reps = 0
switch_sides = 5

[exercises.cat]
name = "Cat"
setup = "Kneel on all fours."
cues = ["Move slowly", "Breathe"]
phases = [
  { name = "Arch up", seconds = 5, hold = true },
  { name = "Belly down", seconds = 5 },
]

[exercises.egg]
name = "Egg"
setup = "Lie on your back."
phases = [
  { name = "Hug the knees", seconds = 8, hold = true },
  { name = "Let go", seconds = 4 },
]

[exercises.chair]
name = "Chair"
phases = [
  { name = "Bend forward", seconds = 8, hold = true },
  { name = "Roll back up", seconds = 5 },
]

[exercises.bridge]
name = "Bridge"
tags = ["strength"]
phases = [
  { name = "Lift the hips", seconds = 6, hold = true },
  { name = "Lower slowly", seconds = 3 },
  { name = "Ready when you are" },
]

[exercises.side-stretch]
name = "Side stretch"
phases = [{ name = "Lean over", seconds = 10, hold = true }]
"""

STEP_KINDS = (
    '{ exercise = "cat", reps = 12 }',
    '{ exercise = "egg", reps = 10, hold = 7.5 }',
    '{ exercise = "chair", sets = 2, reps = 5 }',
    '{ exercise = "bridge", reps = 8, hold = 4 }',
    '{ exercise = "side-stretch", reps = 3, sides = ["left", "right"] }',
)


def big_routine_file(count: int) -> str:
    """`count` routines of 3-5 steps each over the five exercises above."""
    parts = [BIG_FILE_HEAD]
    for number in range(count):
        steps = ",\n  ".join(
            STEP_KINDS[(number + i) % len(STEP_KINDS)] for i in range(3 + number % 3)
        )
        parts.append(
            f'\n[[routines]]\nid = "routine-{number:03d}"\nname = "Routine number {number}"\n'
            f'description = "Generated routine {number} for the benchmark."\n'
            f"rest = {10 + number % 10}\n"
            f"steps = [\n  {steps},\n]\n"
        )
    return "".join(parts)


@dataclass(frozen=True)
class BigFileTimes:
    load: list[float]
    lengths: list[float]  # what the Routines screen works out for its list
    plans: list[float]  # every timeline built, which the app never does at once
    segments: int


def time_big_file(root: Path) -> BigFileTimes:
    from tui.core.loader import load_file
    from tui.core.plan import build_plan, routine_length

    path = root / "routines-500.toml"
    path.write_text(big_routine_file(BIG_FILE_ROUTINES), encoding="utf-8")
    loads, lengths, plans, segments = [], [], [], 0
    for _ in range(RUNS):
        began = time.perf_counter()
        book = load_file(path)
        loaded = time.perf_counter()
        for routine in book.routines:
            routine_length(routine).text()
        measured = time.perf_counter()
        built = [build_plan(routine) for routine in book.routines]
        done = time.perf_counter()
        loads.append(loaded - began)
        lengths.append(measured - loaded)
        plans.append(done - measured)
        segments = sum(len(plan.segments) for plan in built)
        assert len(book.routines) == BIG_FILE_ROUTINES
    return BigFileTimes(loads, lengths, plans, segments)


# -- report ------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> int:
    import textual

    backtone = find_backtone()
    python = python_of(backtone)
    print(
        f"backtone start-up benchmark: {backtone}\n"
        f"Python {platform.python_version()}, textual {textual.__version__}, "
        f"{COLS}x{ROWS} pty, TERM=xterm-256color; {RUNS} interleaved runs each, medians "
        "(min..max)"
    )
    with sandbox() as root:
        minimal_path = write_minimal_app(root)
        programs = [
            Program("backtone", [backtone], (ROUTINE_NAME, *BACKTONE_KEYS)),
            Program("minimal", [python, str(minimal_path)], (ROUTINE_NAME, MINIMAL_FOOTER_KEY)),
        ]
        starts = measure_starts(programs, root)
        big = time_big_file(root)

    ours, theirs = starts["backtone"], starts["minimal"]
    our_time = median([s.seconds for s in ours])
    their_time = median([s.seconds for s in theirs])
    our_peak = median([s.peak_kib for s in ours]) / 1024
    their_peak = median([s.peak_kib for s in theirs]) / 1024
    time_ratio = our_time / their_time
    memory_ratio = our_peak / their_peak
    row = "  {:<52}{:>9}  {}"

    print()
    print(f'First full frame: spawn -> "{ROUTINE_NAME}" and the Footer\'s keys on screen')
    print(
        row.format(
            "backtone (Routines screen, bundled routines)",
            f"{our_time * 1000:.0f} ms",
            f"({spread([s.seconds for s in ours], 1000, ' ms')})",
        )
    )
    print(
        row.format(
            "minimal app (Header, Digits, ProgressBar, Footer)",
            f"{their_time * 1000:.0f} ms",
            f"({spread([s.seconds for s in theirs], 1000, ' ms')})",
        )
    )
    print(
        row.format(
            "ratio",
            f"{time_ratio:.2f}x",
            f"goal <= {GOAL_STARTUP_RATIO}x: {verdict(time_ratio <= GOAL_STARTUP_RATIO)}",
        )
    )
    print()
    print("Peak memory: VmHWM when the first full frame is on screen")
    print(
        row.format(
            "backtone",
            f"{our_peak:.1f} MiB",
            f"({spread([s.peak_kib for s in ours], 1 / 1024, ' MiB', 1)})",
        )
    )
    print(
        row.format(
            "minimal app",
            f"{their_peak:.1f} MiB",
            f"({spread([s.peak_kib for s in theirs], 1 / 1024, ' MiB', 1)})",
        )
    )
    print(
        row.format(
            "ratio",
            f"{memory_ratio:.2f}x",
            f"goal <= {GOAL_MEMORY_RATIO}x: {verdict(memory_ratio <= GOAL_MEMORY_RATIO)}",
        )
    )
    print()
    totals = [a + b for a, b in zip(big.load, big.lengths, strict=True)]
    total_ms = median(totals) * 1000
    print(
        f"{BIG_FILE_ROUTINES}-routine file: {BIG_FILE_ROUTINES} routines of 3-5 steps, "
        f"{big.segments} segments in all; in this process, median of {RUNS}"
    )
    print(
        row.format(
            "tui.core.loader.load_file",
            f"{median(big.load) * 1000:.0f} ms",
            f"({spread(big.load, 1000, ' ms')})",
        )
    )
    print(
        row.format(
            "tui.core.plan.routine_length of each (the list)",
            f"{median(big.lengths) * 1000:.0f} ms",
            f"({spread(big.lengths, 1000, ' ms')})",
        )
    )
    print(
        row.format(
            "load and list lengths",
            f"{total_ms:.0f} ms",
            f"({spread(totals, 1000, ' ms')})  goal < {GOAL_BIG_FILE_MS:.0f} ms: "
            f"{verdict(total_ms < GOAL_BIG_FILE_MS)}",
        )
    )
    print(
        row.format(
            f"for comparison: build_plan of all {BIG_FILE_ROUTINES}",
            f"{median(big.plans) * 1000:.0f} ms",
            f"({spread(big.plans, 1000, ' ms')}; "
            f"{median(big.plans) / big.segments * 1e6:.1f} us a segment)",
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
