"""Timer benchmark: countdown drift, bytes written to the terminal during a hold, CPU, speech,
and how often the figure of the position is drawn.

Run it from the project:  python bench/timer.py          (everything, about 16 minutes)
                          python bench/timer.py bytes    (only (b) and (e), about 6 minutes)
                          python bench/timer.py speech   (only (d), about 3 minutes)
                          python bench/timer.py figure   (only (e), about 1 minute)
It prints figures and their goals; it never fails on a timing (the machine may be busy).
(a) to (c) run with speech off; (d) measures what speech costs.

(a) Drift. A routine of N one-second phases ("Tick", no prepare, no rests) is run with
    `backtone run ID --no-bell` in an 80x24 pty, N = 10 and N = 60 three times each (median
    and spread).
    The clock starts at the first read after which the screen shows the session (its countdown
    digits and "Rep 1/N"); the process start-up before that is printed but not counted. It stops
    when the summary screen appears ("Session summary", "routine complete"). Measured - planned
    is printed as is, and without the startup offset: the engine starts its deadlines when the
    session screen mounts, and the first frame follows after a draw time that varies from run to
    run (20 to 120 ms seen). Every "Rep k/N" change is timed too; tick k is drawn at the session's
    start + (k - 1) s + a small constant, so minus the median of the ticks' lateness against the
    first frame is that offset. Without it, what is left of the drift is the summary's draw time
    less a tick's, plus any real drift; the trend of the ticks' lateness over the 60-phase run
    shows the real drift alone (a countdown kept on deadlines has none). The goal is judged on
    what a person sees: from the session's first frame to the summary.
(b) Bytes per second written to the terminal during a 60 s hold, after the screen has settled
    for 3 s, over 20 s, at 80x24 and 200x60, with no COLORTERM (256 colours) and with
    COLORTERM=truecolor (what most desktop terminals set), for three programs: backtone
    holding a phase with no picture (routine "hold": the clock alone, the screen as measured
    before poses existed); backtone holding the same phase with `pose = "cat-arched"` (routine
    "hold-pose", schema 3: the figure beside the clock from 70 columns, which is what a
    bundled routine shows); and a minimal Textual app ticking once a second
    (set_interval(1, ...) updating a Digits and a ProgressBar(show_eta=False)). Each backtone
    figure is printed with its ratio to the minimal app's in the same size and colours; the
    goal, <= 1.5x at 80x24, is judged on both, the issue's on the one with the figure. The
    screen of the pose run is checked for the figure: the rows lit with block cells right of
    the clock's box are printed, so a figure that is not there is not taken as measured. The
    two backtone screens differ by more than the figure: with a pose the clock keeps the size
    of the session's widest countdown ("1:00" here, so "59" is drawn as small as "1:00" must
    be to leave the figure its column), so the rows its digits light are printed for each.
    The pty answers Textual's synchronized-output query like a modern terminal, so frames are
    counted too. backtone's countdown is read off the screen from its big clock.
(c) CPU (every thread's time on a CPU, from /proc/PID/task/*/schedstat, in ns) of the three
    programs of (b) over 30 s of the same hold at 80x24 (no COLORTERM), in a window after the
    bytes window, as % of one core; the goal is a ratio to the minimal app, as all are
    measured on the same machine, judged on both backtone runs.
(d) Speech, with `speech = "on"` and a `speech_command` that is a shell script logging the
    wall clock when it starts (`date +%s.%N`, a few ms after its launch) and sleeping 0.3 s.
    Delay: a routine of 10 two-second reps, each of which says "Rep k of 10" as it starts.
    The engine's phase changes fall exactly 2 s apart from the session's start, and the first
    cue is said at that start, with no timer in between: so cue k's start - the first's -
    2k s is how much later than its phase change cue k starts than the first did (the
    screen's wake-up margin, the timer's lateness, the engine's and the checkpoint's work).
    Adding the launch time (from a call in this Python to the script's first command, median
    of 10) gives the delay from the phase change to the speech program's start; it misses
    the work between the first cue's start and its call (~1 ms), so it reads a little low.
    CPU: the 60 s hold of (c) (it says "Halfway" at 30 s, inside the window), speech off and
    on alternately, twice each, over the same 30 s window as (c). Only backtone's own threads
    are counted, not the speech program's.
(e) The figure, counted: the pty's bytes cannot say which cells were the figure's, so the same
    screens run in this process, headless (App.run_test, the app built as the tests build it,
    tests/apphelpers.make_app), on a fake clock moved to each of the screen's wake-ups in turn
    (its next whole second plus the wake margin: where its own timer, stopped, would have
    fired), then `screen.catch_up()` and a Pilot pause, so every wake-up gets its frames. In
    each phase (segment) it counts:
    - "drawn": the session's figure (its SessionPose) built its rows of cells anew:
      `PoseView._current_strips` found its key (pose, side, mode, width, height, style)
      changed; the method is wrapped here, in the bench only, and each drawing is told by
      what changed (a new pose or side, a new size of its box, anything else);
    - "sent": frames whose update (what the screen hands `App._display`: a full one, or the
      spans of a partial one) covers any cell of the figure's region: cells sent to the
      terminal again, redrawn or not. A frame is counted in the phase it shows, at the
      wake-up it follows (0: as the screen came up, before the first).
    The goal, the issue's "drawn once per phase, not per second": at most one drawing in any
    phase, and no frame sending the figure's cells after the wake-up that began its phase.
    The frames that send the clock's digits are counted beside them: one each second shows
    the count sees a per-second repaint (a figure refreshed at each draw, tried by hand,
    showed as 59 frames "later in a phase" in the hold). Runs: the 60 s "hold-pose" at 80x24
    and 200x60 with no bell (as in (b)); the bundled daily-back routine from its first
    get-ready to its end at 80x24, with the bell on (it flashes the clock's box), as a
    person plays it.
"""

from __future__ import annotations

import itertools
import platform
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
from _pty import (
    MINIMAL_FOOTER_KEY,
    PtyApp,
    child_env,
    cpu_seconds,
    find_backtone,
    median,
    python_of,
    sandbox,
    spread,
    write_minimal_app,
)
from ptyscreen import clock_rows, read_countdown

from tui.ui.widgets.big_clock import digit_rows

DRIFT_RUNS = (10, 60, 10, 60, 10, 60)  # three of each, alternating (median and spread)
HOLD_SECONDS = 60
SETTLE_SECONDS = 3.0
BYTES_WINDOW = 20.0
CPU_WINDOW = 30.0
SIZES = ((24, 80), (60, 200))
COLOURS = ("", "truecolor")  # COLORTERM unset, then set
START_TIMEOUT = 30.0

HOLD_POSE = "cat-arched"  # the first pose of the bundled daily routine, on all fours
FIGURE_SESSION = "daily-back"  # the bundled routine (e) plays through
FIGURE_SIZES = ((24, 80), (60, 200))  # (e): the hold at each; the session at the first

GOAL_DRIFT_MS = 20.0
GOAL_BYTES_RATIO = 1.5  # at 80x24
GOAL_CPU_RATIO = 1.3

SPEECH_PERIOD = 2  # seconds a rep of the delay routine lasts
SPEECH_REPS = 10
SPEECH_CPU_RUNS = ("off", "on", "off", "on")
SPAWN_RUNS = 10
GOAL_SPEECH_DELAY_MS = 50.0
GOAL_SPEECH_CPU_RATIO = 1.1
FAKE_SPEECH = """\
#!/bin/sh
# A stand-in voice: logs the wall clock as it starts, and what it was given to say.
printf '%s\\t%s\\n' "$(date +%s.%N)" "$2" >> "$1"
sleep 0.3
"""

# Schema 3 for `pose`; the default caution and timings are those of schema 1.
ROUTINES = f"""\
schema = 3

[defaults]
prepare = 0
rest_between_reps = 0

[exercises.tick]
name = "Metronome"
phases = [{{ name = "Tick", seconds = 1 }}]

[exercises.still]
name = "Stillness"
phases = [{{ name = "Hold", seconds = {HOLD_SECONDS}, hold = true }}]

[exercises.still-pose]
name = "Stillness"
phases = [{{ name = "Hold", seconds = {HOLD_SECONDS}, hold = true, pose = "{HOLD_POSE}" }}]

[exercises.beat]
name = "Beat"
phases = [{{ name = "Beat", seconds = {SPEECH_PERIOD} }}]

[[routines]]
id = "tick-10"
name = "Ten ticks"
prepare = 0
rest_between_reps = 0
steps = [{{ exercise = "tick", reps = 10 }}]

[[routines]]
id = "tick-60"
name = "Sixty ticks"
prepare = 0
rest_between_reps = 0
steps = [{{ exercise = "tick", reps = 60 }}]

[[routines]]
id = "hold"
name = "One long hold"
prepare = 0
rest_between_reps = 0
steps = [{{ exercise = "still", reps = 1 }}]

[[routines]]
id = "hold-pose"
name = "One long hold"
prepare = 0
rest_between_reps = 0
steps = [{{ exercise = "still-pose", reps = 1 }}]

[[routines]]
id = "beats"
name = "Spoken beats"
prepare = 0
rest_between_reps = 0
steps = [{{ exercise = "beat", reps = {SPEECH_REPS} }}]
"""

REP = re.compile(r"Rep (\d+)/(\d+)")
SPOKEN_REP = re.compile(r"Rep (\d+) of \d+")


def backtone_env(
    root: Path, tag: str, colour: str = "", speech_command: list[str] | None = None
) -> dict[str, str]:
    """No "How is your back?" before a timed run; speech off, or on with this command."""
    env = child_env(root, tag)
    values: dict[str, object] = {"checkin": False, "speech": "off"}
    if speech_command:
        values.update(speech="on", speech_command=speech_command)
    settings = Path(env["BACKTONE_CONFIG"]) / "settings.toml"
    settings.write_text(tomli_w.dumps(values), encoding="utf-8")
    if colour:
        env["COLORTERM"] = colour
    return env


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


# -- (a) drift ---------------------------------------------------------------------------------


@dataclass
class DriftRun:
    phases: int
    startup: float = 0.0  # spawn -> first frame of the session (not counted)
    measured: float = 0.0  # first session frame -> summary on screen
    rep_seen: dict[int, float] = field(default_factory=dict)  # rep number -> time first shown
    frames: int = 0  # frames drawn between the two

    @property
    def raw_drift_ms(self) -> float:
        """Measured - planned, with the clock started at the session's first frame."""
        return (self.measured - self.phases) * 1000

    @property
    def lateness_ms(self) -> list[float]:
        """For each rep k > 1: how long after the first frame + (k - 1) s it appeared (ms)."""
        first = self.rep_seen[1]
        return [(t - first - (k - 1)) * 1000 for k, t in sorted(self.rep_seen.items()) if k > 1]

    @property
    def offset_ms(self) -> float:
        """How much later the first frame came than the ticks' cadence says the session began.

        Tick k is drawn at start + (k - 1) s + (wake margin + redraw time, a few ms); the first
        frame at start + (its own, larger and noisier, draw time). The median of the ticks'
        lateness against the first frame is minus the difference.
        """
        return -median(self.lateness_ms)

    @property
    def drift_ms(self) -> float:
        """Measured - planned with the start taken from the ticks' cadence, not the first frame:
        how late the summary came after the end the once-a-second ticks point to."""
        return self.raw_drift_ms + self.offset_ms

    def trend_ms_per_minute(self) -> float:
        """Least-squares slope of the ticks' lateness: how fast the countdown creeps."""
        late = self.lateness_ms
        if len(late) < 3:
            return 0.0
        slope, _ = statistics.linear_regression([float(k) for k in range(len(late))], late)
        return slope * 60


def run_drift(backtone: str, routines: Path, root: Path, phases: int, number: int) -> DriftRun:
    result = DriftRun(phases)
    argv = [backtone, "run", f"tick-{phases}", "--routines", str(routines), "--no-bell"]
    with PtyApp(argv, backtone_env(root, f"drift-{phases}-{number}"), 24, 80) as app:
        first_rep = f"Rep 1/{phases}"
        first = app.wait_until(
            lambda shown: first_rep in shown and read_countdown(shown) is not None,
            "the session's first frame",
            START_TIMEOUT,
        )
        result.startup = first - app.started
        result.rep_seen[1] = first
        frames_before = app.frames

        def summary_shown(shown: str) -> bool:
            match = REP.search(shown)
            if match and int(match[2]) == phases:
                result.rep_seen.setdefault(int(match[1]), time.perf_counter())
            return "Session summary" in shown and "routine complete" in shown

        end = app.wait_until(summary_shown, "the summary screen", phases + START_TIMEOUT)
        result.measured = end - first
        result.frames = app.frames - frames_before
    return result


def report_drift(runs: list[DriftRun]) -> None:
    print(
        "(a) Drift: N one-second phases, clock from the session's first frame to the summary "
        "screen (start-up before that first frame is not counted)"
    )
    for run in runs:
        print(
            f"  N = {run.phases:2d}: spawn -> first session frame {run.startup * 1000:4.0f} ms; "
            f"measured {run.measured:7.3f} s, - planned {run.raw_drift_ms:+6.1f} ms; startup "
            f"offset {run.offset_ms:4.0f} ms; drift without it {run.drift_ms:+6.1f} ms"
        )
    lengths = sorted({run.phases for run in runs})
    drift = {n: median([run.drift_ms for run in runs if run.phases == n]) for n in lengths}
    raw = {n: median([run.raw_drift_ms for run in runs if run.phases == n]) for n in lengths}
    short, long = lengths[0], lengths[-1]
    for n in lengths:
        count = sum(run.phases == n for run in runs)
        spread_ms = spread([run.raw_drift_ms for run in runs if run.phases == n], unit=" ms")
        print(
            f"  N = {n:2d} ({count} run{'s' if count > 1 else ''}, median): drift, first frame "
            f"to summary, {raw[n]:+.1f} ms (spread {spread_ms})   goal <= {GOAL_DRIFT_MS:.0f} "
            f"ms: {verdict(abs(raw[n]) <= GOAL_DRIFT_MS)}   (from the engine's start, which "
            f"is a frame's draw before the first frame: {drift[n]:+.1f} ms)"
        )
    print(
        f"  growth from {short} to {long} phases: {raw[long] - raw[short]:+.1f} ms "
        f"(from the engine's start: {drift[long] - drift[short]:+.1f} ms)   goal: none"
    )
    longest = max(runs, key=lambda run: run.phases)
    late = longest.lateness_ms
    missing = [k for k in range(1, longest.phases + 1) if k not in longest.rep_seen]
    print(
        f'  ticks of the {longest.phases}-phase run ("Rep k/{longest.phases}" first on screen, '
        f"against first frame + (k-1) s): {_ms(late[:5])} .. {_ms(late[-5:])} ms; trend "
        f"{longest.trend_ms_per_minute():+.1f} ms/min; reps never shown: {missing or 'none'}; "
        f"{longest.frames / longest.measured:.1f} frames/s"
    )
    print(
        "  startup offset = minus the median of those tick latenesses: how much later than the "
        "ticks' cadence the first frame was drawn. The drift without it still holds a small "
        "constant: the summary's draw time less a tick's."
    )


def _ms(values: list[float]) -> str:
    return ", ".join(f"{value:+.0f}" for value in values)


# -- (b) bytes and (c) CPU during a hold -------------------------------------------------------

PLAIN = "backtone"  # the hold with no picture: the clock alone
FIGURE = "backtone+figure"  # the same hold with a pose: the figure beside the clock
MINIMAL = "minimal"
HOLD_RUNS = {PLAIN: "hold", FIGURE: "hold-pose"}  # routine ids
HOLD_NAMES = {
    PLAIN: "backtone, no figure",
    FIGURE: "backtone, figure beside",
    MINIMAL: "minimal app",
}
FIGURE_CELLS = frozenset("▀▄█")  # the block cells a pose is drawn with (not in ASCII mode)


@dataclass
class HoldRun:
    label: str
    rows: int
    cols: int
    colour: str  # COLORTERM, "" for unset
    bytes_per_second: float = 0.0
    frames_per_second: float = 0.0
    cpu_percent_bytes_window: float = 0.0
    cpu_percent: float | None = None  # at 80x24, no COLORTERM only: the separate CPU window
    countdown: list[tuple[float, str]] = field(default_factory=list)  # (time, digits) changes
    # At the end of the bytes window: rows lit by the digits, and right of the clock's box
    digit_rows: int = 0
    figure_rows: int = 0

    @property
    def reads_countdown(self) -> bool:
        return self.label in HOLD_RUNS


def figure_rows_beside_clock(display: str) -> int:
    """How many rows of the clock's box (the first rounded box on screen) have block cells
    right of it: the figure of the position, drawn beside the clock."""
    lines = display.splitlines()
    for top, line in enumerate(lines):
        left, right = line.find("╭"), line.find("╮")
        if left < 0 or right < left:
            continue
        lit = 0
        for row in lines[top:]:
            lit += bool(FIGURE_CELLS.intersection(row[right + 1 :]))
            if row[left : left + 1] == "╰":
                break
        return lit
    return 0


def cpu_percent(pid: int, app: PtyApp, seconds: float, hold: HoldRun) -> tuple[float, int]:
    """Read the pty for `seconds`; the process's CPU over that time as % of one core, and the
    bytes it wrote."""

    def note_countdown(at: float, shown: str) -> None:
        digits = read_countdown(shown)
        if digits is not None and (not hold.countdown or hold.countdown[-1][1] != digits):
            hold.countdown.append((at, digits))

    cpu_before, wall_before = cpu_seconds(pid), time.perf_counter()
    written = app.follow(seconds, note_countdown if hold.reads_countdown else None)
    cpu_after, wall_after = cpu_seconds(pid), time.perf_counter()
    return (cpu_after - cpu_before) / (wall_after - wall_before) * 100, written


def run_hold(
    argv: list[str], env: dict[str, str], hold: HoldRun, markers: tuple[str, ...], cpu: bool
) -> None:
    with PtyApp(argv, env, hold.rows, hold.cols) as app:
        app.wait_until(
            lambda shown: all(marker in shown for marker in markers), "the hold", START_TIMEOUT
        )
        app.follow(SETTLE_SECONDS)
        frames_before = app.frames
        hold.cpu_percent_bytes_window, written = cpu_percent(app.pid, app, BYTES_WINDOW, hold)
        hold.bytes_per_second = written / BYTES_WINDOW
        hold.frames_per_second = (app.frames - frames_before) / BYTES_WINDOW
        if hold.reads_countdown:
            hold.digit_rows = digit_rows(clock_rows(app.text()) or [])
            hold.figure_rows = figure_rows_beside_clock(app.text())
        if cpu and (hold.rows, hold.cols) == SIZES[0] and not hold.colour:
            hold.cpu_percent, _ = cpu_percent(app.pid, app, CPU_WINDOW, hold)
        if app.eof:
            raise RuntimeError(f"{hold.label} exited during the hold; screen:\n{app.text()}")


def measure_holds(
    backtone: str, python: str, routines: Path, minimal: Path, root: Path, cpu: bool
) -> list[HoldRun]:
    """(b), and (c) with `cpu`: each program in each size and colours, one after the other."""
    holds: list[HoldRun] = []
    for (rows, cols), colour in itertools.product(SIZES, COLOURS):
        for label in (PLAIN, FIGURE, MINIMAL):
            hold = HoldRun(label, rows, cols, colour)
            tag = f"hold-{label}-{cols}x{rows}-{colour or 'unset'}"
            env = backtone_env(root, tag, colour)
            if label in HOLD_RUNS:
                argv = [backtone, "run", HOLD_RUNS[label], "--routines", str(routines)]
                run_hold([*argv, "--no-bell"], env, hold, ("Rep 1/1", "Hold"), cpu)
            else:
                markers = ("Daily back care", MINIMAL_FOOTER_KEY)
                run_hold([python, str(minimal)], env, hold, markers, cpu)
            holds.append(hold)
    return holds


def countdown_gaps(changes: list[tuple[float, str]]) -> tuple[list[str], list[float]]:
    """Steps of the countdown other than -1 s, and the times between its changes (ms)."""

    def seconds(digits: str) -> int:
        minutes, _, secs = digits.rpartition(":")
        return int(minutes or 0) * 60 + int(secs)

    odd = [
        f"{a}->{b}"
        for (_, a), (_, b) in itertools.pairwise(changes)
        if seconds(a) - seconds(b) != 1
    ]
    # the first entry is what was shown when the window opened, not a change: no gap before it
    gaps = [(t1 - t0) * 1000 for (t0, _), (t1, _) in itertools.pairwise(changes[1:])]
    return odd, gaps


def report_holds(holds: list[HoldRun]) -> None:
    print(
        f"(b) Bytes written to the terminal during a {HOLD_SECONDS} s hold: {BYTES_WINDOW:.0f} s "
        f'window after {SETTLE_SECONDS:.0f} s settling; the figure is `pose = "{HOLD_POSE}"`'
    )
    by_key = {(h.label, h.rows, h.cols, h.colour): h for h in holds}
    for rows, cols in SIZES:
        for colour in COLOURS:
            theirs = by_key[MINIMAL, rows, cols, colour]
            print(
                f"  {cols}x{rows}, COLORTERM={colour or 'unset'}: {HOLD_NAMES[MINIMAL]:24s} "
                f"{theirs.bytes_per_second:6.0f} B/s ({theirs.frames_per_second:.2f} frames/s)"
            )
            for label in HOLD_RUNS:
                ours = by_key[label, rows, cols, colour]
                ratio = ours.bytes_per_second / theirs.bytes_per_second
                goal = (
                    f"goal <= {GOAL_BYTES_RATIO}: {verdict(ratio <= GOAL_BYTES_RATIO)}"
                    if (rows, cols) == SIZES[0]
                    else "(no goal)"
                )
                goal += f"   (digits {ours.digit_rows} rows"
                if label == FIGURE:
                    goal += (
                        f", figure {ours.figure_rows} rows beside them)"
                        if ours.figure_rows
                        else "; the figure was NOT on screen: this is not the figure's cost)"
                    )
                else:
                    goal += ")"
                print(
                    f"    {HOLD_NAMES[label]:24s} {ours.bytes_per_second:6.0f} B/s "
                    f"({ours.frames_per_second:.2f} frames/s)   ratio {ratio:.2f}   {goal}"
                )
            plain = by_key[PLAIN, rows, cols, colour].bytes_per_second
            pictured = by_key[FIGURE, rows, cols, colour].bytes_per_second
            print(f"    with the figure - without: {pictured - plain:+.0f} B/s")
    print(
        "  With a pose the clock is sized for the hold's widest countdown, so its digits light "
        "fewer rows: most of the difference between the two backtone runs is the digits'; (e) "
        "counts the figure's own cells."
    )
    for rows, cols in SIZES:
        for label in HOLD_RUNS:
            changes = by_key[label, rows, cols, ""].countdown
            odd, gaps = countdown_gaps(changes)
            name = f"{HOLD_NAMES[label]}'s countdown at {cols}x{rows}"
            if len(changes) > 2:
                print(
                    f"  {name}: {changes[0][1]} .. {changes[-1][1]}, skipped or repeated: "
                    f"{', '.join(odd) or 'none'}; time between changes {median(gaps):.0f} ms "
                    f"median, {min(gaps):.0f}..{max(gaps):.0f} ms"
                )
            else:
                print(f"  {name}: not read off the screen")


def report_cpu(holds: list[HoldRun]) -> None:
    by_key = {(h.label, h.rows, h.cols, h.colour): h for h in holds}
    theirs = by_key[MINIMAL, *SIZES[0], ""]
    assert theirs.cpu_percent is not None
    print(
        f"(c) CPU during the hold, {SIZES[0][1]}x{SIZES[0][0]}, % of one core, over "
        f"{CPU_WINDOW:.0f} s after the bytes window (over the {BYTES_WINDOW:.0f} s bytes "
        "window, for comparison)"
    )
    print(
        f"  {HOLD_NAMES[MINIMAL]:24s} {theirs.cpu_percent:5.2f} % "
        f"({theirs.cpu_percent_bytes_window:.2f} %)"
    )
    for label in HOLD_RUNS:
        ours = by_key[label, *SIZES[0], ""]
        assert ours.cpu_percent is not None
        ratio = ours.cpu_percent / theirs.cpu_percent if theirs.cpu_percent else float("inf")
        print(
            f"  {HOLD_NAMES[label]:24s} {ours.cpu_percent:5.2f} % "
            f"({ours.cpu_percent_bytes_window:.2f} %)   ratio {ratio:.2f}   "
            f"goal <= {GOAL_CPU_RATIO}: {verdict(ratio <= GOAL_CPU_RATIO)}"
        )


# -- (d) speech --------------------------------------------------------------------------------


def write_fake_speech(root: Path) -> Path:
    path = root / "fake-speech.sh"
    path.write_text(FAKE_SPEECH, encoding="utf-8")
    path.chmod(0o755)
    return path


def speech_log(path: Path) -> list[tuple[float, str]]:
    """(wall clock at the start, text) of each cue the fake was given."""
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        at, _, text = line.partition("\t")
        entries.append((float(at), text))
    return entries


def launch_seconds(fake: Path, root: Path) -> float:
    """Median time from Popen in this Python to the fake's first command."""
    log = root / "speech-launch.log"
    took = []
    for _ in range(SPAWN_RUNS):
        log.unlink(missing_ok=True)
        before = time.time()
        subprocess.run([str(fake), str(log), "x"], check=True)
        took.append(speech_log(log)[0][0] - before)
    return median(took)


def run_speech_delay(backtone: str, routines: Path, root: Path, fake: Path) -> list[float]:
    """How much later than the first cue each "Rep k" starts against its phase change (s)."""
    log = root / "speech-delay.log"
    env = backtone_env(root, "speech-delay", speech_command=[str(fake), str(log), "{text}"])
    argv = [backtone, "run", "beats", "--routines", str(routines), "--no-bell"]
    with PtyApp(argv, env, 24, 80) as app:
        app.wait_until(
            lambda shown: "Session summary" in shown,
            "the summary screen",
            SPEECH_REPS * SPEECH_PERIOD + START_TIMEOUT,
        )
    said = speech_log(log)
    if not said or SPOKEN_REP.match(said[0][1]):
        raise RuntimeError(f"the first cue was not the exercise's: {said}")
    first = said[0][0]
    return [
        at - first - (int(match[1]) - 1) * SPEECH_PERIOD
        for at, text in said[1:]
        if (match := SPOKEN_REP.match(text))
    ]


def run_speech_hold(
    argv: list[str], root: Path, fake: Path, speech: str, number: int
) -> tuple[float, list[str]]:
    """backtone's CPU over the hold's window (% of a core), and what it said meanwhile."""
    log = root / f"speech-hold-{number}.log"
    command = [str(fake), str(log), "{text}"] if speech == "on" else None
    env = backtone_env(root, f"speech-hold-{speech}-{number}", speech_command=command)
    hold = HoldRun(f"speech {speech}", *SIZES[0], "")
    with PtyApp(argv, env, hold.rows, hold.cols) as app:
        app.wait_until(lambda shown: "Rep 1/1" in shown and "Hold" in shown, "the hold", 30)
        app.follow(SETTLE_SECONDS)
        percent, _written = cpu_percent(app.pid, app, CPU_WINDOW, hold)
        if app.eof:
            raise RuntimeError(f"backtone exited during the hold; screen:\n{app.text()}")
    return percent, [text for _at, text in speech_log(log)]


def measure_speech(backtone: str, routines: Path, root: Path) -> None:
    fake = write_fake_speech(root)
    launch = launch_seconds(fake, root)
    lateness = run_speech_delay(backtone, routines, root, fake)
    hold_argv = [backtone, "run", "hold", "--routines", str(routines), "--no-bell"]
    cpu: dict[str, list[float]] = {"off": [], "on": []}
    said_in_holds: list[str] = []
    for number, speech in enumerate(SPEECH_CPU_RUNS):
        percent, said = run_speech_hold(hold_argv, root, fake, speech, number)
        cpu[speech].append(percent)
        said_in_holds += said
    delays = [(late + launch) * 1000 for late in lateness]
    print('(d) Speech: `speech = "on"`, the speech program a shell script that logs when it starts')
    if delays:
        delay = median(delays)
        print(
            f"  delay from a phase change to the speech program's start, over {len(delays)} "
            f'"Rep k" cues: median {delay:.1f} ms, {min(delays):.1f}..{max(delays):.1f} ms '
            f"(later than the first cue by {median(lateness) * 1000:+.1f} ms, launch "
            f"{launch * 1000:.1f} ms)   goal < {GOAL_SPEECH_DELAY_MS:.0f} ms: "
            f"{verdict(delay < GOAL_SPEECH_DELAY_MS)}"
        )
    else:
        print('  delay: no "Rep k" cue was said')
    off, on = median(cpu["off"]), median(cpu["on"])
    ratio = on / off if off else float("inf")
    halfway = sum(text == "Halfway" for text in said_in_holds)
    print(
        f"  CPU in the {HOLD_SECONDS} s hold, {CPU_WINDOW:.0f} s window at {SIZES[0][1]}x"
        f"{SIZES[0][0]}: speech off {', '.join(f'{c:.2f}' for c in cpu['off'])} %, on "
        f'{", ".join(f"{c:.2f}" for c in cpu["on"])} % ("Halfway" said {halfway} times); '
        f"medians {off:.2f} % and {on:.2f} %, ratio {ratio:.2f}   goal <= "
        f"{GOAL_SPEECH_CPU_RATIO}: {verdict(ratio <= GOAL_SPEECH_CPU_RATIO)}"
    )


# -- (e) how often the figure is drawn ----------------------------------------------------------


PoseKey = tuple[Any, ...]  # PoseView's key: pose, mirrored, ascii_only, width, height, style


@dataclass
class FigureCount:
    """What the figure cost over one headless run, by phase (the session's segment index)."""

    what: str
    rows: int
    cols: int
    wakeups: int = 0
    phases: set[int] = field(default_factory=set)  # every segment a wake-up was in
    drawn: list[tuple[int, int, PoseKey]] = field(default_factory=list)  # (wake-up, phase, key)
    # (wake-up, phase, the figure's cells in it, the clock's cells in it), a line per frame
    frames: list[tuple[int, int, int, int]] = field(default_factory=list)

    def sent(self) -> list[tuple[int, int]]:
        """(wake-up, phase) of every frame that sent a cell of the figure."""
        return [(wakeup, phase) for wakeup, phase, figure, _ in self.frames if figure]

    def reasons(self) -> Counter[str]:
        """Why each drawing was made: the first, a new pose or side, a new box, or else."""
        why: Counter[str] = Counter()
        previous: PoseKey | None = None
        for _, _, key in self.drawn:
            if previous is None:
                why["first"] += 1
            elif key[:2] != previous[:2]:
                why["pose or side"] += 1
            elif key[3:5] != previous[3:5]:
                why["box"] += 1
            else:
                why["style or mode"] += 1
            previous = key
        return why

    def boxes(self) -> list[str]:
        """The sizes the figure was drawn at, in the order they came."""
        return list(dict.fromkeys(f"{key[3]}x{key[4]}" for _, _, key in self.drawn))


def split_by_phase(
    frames: list[tuple[int, int, int, int]], events: list[tuple[int, int]]
) -> tuple[int, int, int, int]:
    """Of these (wake-up, phase) events: how many came as the screen came up (before the
    first wake-up), how many at the wake-up that began their phase (its first frames), the most
    of those in one phase, and how many at a later wake-up of their phase."""
    began: dict[int, int] = {}  # phase -> the wake-up of its first frame (0: the first phase)
    for wakeup, phase, _, _ in frames:
        began.setdefault(phase, wakeup)
    coming_up = sum(1 for wakeup, _ in events if not wakeup)
    first = Counter(phase for wakeup, phase in events if wakeup and wakeup == began.get(phase))
    later = sum(1 for wakeup, phase in events if wakeup and wakeup != began.get(phase))
    return coming_up, sum(first.values()), max(first.values(), default=0), later


def _covered(spans: list[tuple[int, int, int]], region: Any) -> int:
    """How many cells of `region` the spans (y, x1, x2) of a partial update cover."""
    cells = 0
    for y, x1, x2 in spans:
        if region.y <= y < region.bottom:
            cells += max(0, min(x2, region.right) - max(x1, region.x))
    return cells


async def count_figure(
    routines: Path, routine: str, rows: int, cols: int, bell: bool, work: Path, what: str
) -> FigureCount:
    """Play `routine` headless to its end on a fake clock, one wake-up at a time, counting the
    figure's rebuilds and the frames that send its cells."""
    from apphelpers import make_app
    from fakeclock import FakeClock
    from textual._compositor import ChopsUpdate, LayoutUpdate
    from textual.geometry import Region
    from textual.strip import Strip

    from tui.ui.screens.player import WAKE_MARGIN, SessionScreen
    from tui.ui.widgets.pose_view import PoseView
    from tui.ui.widgets.session_pose import SessionPose

    count = FigureCount(what, rows, cols)
    clock = FakeClock()
    work.mkdir(parents=True)
    app = make_app(work, routines=routines, start_routine=routine, clock=clock, bell=bell)
    session_screen: list[SessionScreen] = []

    def where() -> int:
        return session_screen[0].session.index if session_screen else 0

    build = PoseView._current_strips

    def counted_build(view: PoseView) -> list[Strip]:
        before = view._key
        strips = build(view)
        if isinstance(view, SessionPose) and view._key is not None and view._key != before:
            count.drawn.append((count.wakeups, where(), view._key))
        return strips

    display = app._display

    def counted_display(screen: Any, renderable: Any) -> None:
        if isinstance(screen, SessionScreen) and renderable is not None:
            matches = screen.query("#pose")  # none in a routine without poses
            pose = matches.first().region if matches else Region()
            digits = screen.query_one("#countdown").region
            if isinstance(renderable, LayoutUpdate):
                cells = (pose.area, digits.area)
            elif isinstance(renderable, ChopsUpdate):
                cells = (_covered(renderable.spans, pose), _covered(renderable.spans, digits))
            else:
                cells = (0, 0)
            count.frames.append((count.wakeups, screen.session.index, *cells))
        display(screen, renderable)

    app._display = counted_display  # type: ignore[method-assign]
    PoseView._current_strips = counted_build  # type: ignore[method-assign, assignment]
    try:
        async with app.run_test(size=(cols, rows)) as pilot:
            deadline = time.perf_counter() + START_TIMEOUT
            while not isinstance(app.screen, SessionScreen):
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"{what}: no session after {START_TIMEOUT:g} s")
                await pilot.pause(0.02)
            screen = app.screen
            session_screen.append(screen)
            if screen.has_class("-caution-first"):
                await pilot.press("space")  # read: the session starts
            await pilot.pause()
            session = screen.session
            segments = session.plan.segments
            steps = 2 * len(segments) + 4 * int(sum(s.seconds or 0 for s in segments))
            for _ in range(steps):
                if session.over:
                    break
                count.phases.add(session.index)
                delay = session.next_wakeup()
                if delay is None:  # a phase that waits for the person: Space goes on
                    await pilot.press("space")
                    continue
                # The screen's own timer would fire at this very moment of the fake clock; it
                # is stopped, so that each wake-up happens once, here.
                if screen._timer is not None:
                    screen._timer.stop()
                count.wakeups += 1
                clock.advance(delay + WAKE_MARGIN)
                screen.catch_up()
                await pilot.pause()
            else:
                raise RuntimeError(f"{what}: the session did not end in {steps} steps")
    finally:
        PoseView._current_strips = build  # type: ignore[method-assign]
    return count


def measure_figure(root: Path, routines: Path) -> list[FigureCount]:
    import asyncio

    from tui.paths import bundled_routines_path

    runs = [
        (routines, "hold-pose", rows, cols, False, f"the {HOLD_SECONDS} s hold")
        for rows, cols in FIGURE_SIZES
    ]
    rows, cols = FIGURE_SIZES[0]
    runs.append((bundled_routines_path(), FIGURE_SESSION, rows, cols, True, FIGURE_SESSION))
    return [
        asyncio.run(count_figure(path, rid, rows, cols, bell, root / f"figure-{n}", what))
        for n, (path, rid, rows, cols, bell, what) in enumerate(runs)
    ]


def report_figure(counts: list[FigureCount]) -> None:
    print(
        "(e) The figure beside the clock, counted in this process (headless, fake clock, every "
        "wake-up in turn): drawn = its cells built anew; sent = frames that send its cells"
    )
    for count in counts:
        phases, drawn, sent = len(count.phases), len(count.drawn), count.sent()
        most = max(Counter(phase for _, phase, _ in count.drawn).values(), default=0)
        coming_up, first, most_first, later = split_by_phase(count.frames, sent)
        ok = bool(drawn) and most <= 1 and not later
        why = count.reasons()
        ticking = [frame for frame in count.frames if frame[0]]
        print(
            f"  {count.what}, {count.cols}x{count.rows}: figure drawn {drawn} "
            f"time{'s' if drawn != 1 else ''} over {phases} phase{'s' if phases != 1 else ''} "
            f"(goal: once per phase, and not sent again later in it): {verdict(ok)}"
            + ("" if drawn else "   (the figure was NOT drawn: nothing was measured)")
        )
        print(
            f"    {count.wakeups} wake-ups; drawn at most {most} in a phase: {why['first']} the "
            f"first time, {why['pose or side']} for a new pose or side, {why['box']} for a new "
            f"size of its box, {why['style or mode']} for anything else; its box "
            f"{', '.join(count.boxes()) or 'none'}"
        )
        print(
            f"    its cells sent in {len(sent)} frames: {coming_up} as the screen came up, "
            f"{first} at the wake-up that began a phase (at most {most_first} in one), "
            f"{later} later in a phase; the clock's digits sent in "
            f"{sum(1 for frame in ticking if frame[3])} of the {len(ticking)} frames after the "
            "first wake-up"
        )


# -- main --------------------------------------------------------------------------------------


MODES = {
    "": "everything: (a) to (e)",
    "bytes": "(b), bytes in a hold with and without the figure, and (e), the figure counted",
    "speech": "(d), what speech costs",
    "figure": "(e), the figure counted, headless",
}


def main() -> int:
    arguments = sys.argv[1:]
    mode = arguments[0] if len(arguments) == 1 else ""
    if len(arguments) > 1 or mode not in MODES:
        choices = "\n".join(f"  python bench/timer.py {m:7s} {what}" for m, what in MODES.items())
        print(f"bench/timer.py: no such measurement {' '.join(arguments)!r}; one of:\n{choices}")
        return 2

    import textual

    backtone = find_backtone()
    python = python_of(backtone)
    print(
        f"backtone timer benchmark: {backtone}\n"
        f"Python {platform.python_version()}, textual {textual.__version__}, "
        "TERM=xterm-256color, one run of each measurement"
    )
    print()
    with sandbox() as root:
        routines = root / "timer-routines.toml"
        routines.write_text(ROUTINES, encoding="utf-8")
        if mode == "speech":
            measure_speech(backtone, routines, root)
            return 0
        if mode == "figure":
            report_figure(measure_figure(root, routines))
            return 0
        minimal = write_minimal_app(root)

        if not mode:
            drifts = [run_drift(backtone, routines, root, n, i) for i, n in enumerate(DRIFT_RUNS)]
            report_drift(drifts)
            print()

        holds = measure_holds(backtone, python, routines, minimal, root, cpu=not mode)
        report_holds(holds)
        print()
        if not mode:
            report_cpu(holds)
            print()
            measure_speech(backtone, routines, root)
            print()
        report_figure(measure_figure(root, routines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
