"""What `backtone status` costs a login, against `python -c "import sqlite3"` in the same run.

Fills stores as bench/history.py does (1,000 sessions over a year, 10,000 over ten years), then
times, as subprocesses, alternating one run of each so that both see the same machine:

1. `python -c "import sqlite3"`: Python's own start and the one module status cannot avoid;
2. `backtone status` (the installed console script) with no history, and on each store.

Goal: each status at most 2x the baseline (medians). A benchmark prints figures, never asserts.

    .venv/bin/python bench/status.py
"""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from history import fill

RUNS = 21
SIZES = [(1_000, 365), (10_000, 3_650)]  # sessions, days of daily use ending yesterday


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def compare(status_argv: list[str], env: dict[str, str]) -> tuple[list[float], list[float]]:
    baseline_argv = [sys.executable, "-c", "import sqlite3"]
    timed(baseline_argv, env)  # warm the disk cache and the .pyc files
    timed(status_argv, env)
    baseline, status = [], []
    for _ in range(RUNS):
        baseline.append(timed(baseline_argv, env))
        status.append(timed(status_argv, env))
    return baseline, status


def median_ms(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return f"{statistics.median(ms):6.1f} ms [{min(ms):.0f}-{max(ms):.0f}]"


def main() -> None:
    command = str(Path(sys.executable).with_name("backtone"))
    print(
        f"backtone status benchmark: Python {platform.python_version()}, SQLite "
        f"{sqlite3.sqlite_version}, {os.cpu_count()} CPUs, median of {RUNS} alternating runs"
    )
    with tempfile.TemporaryDirectory(prefix="backtone-bench-") as temp:
        root = Path(temp)
        env = {**os.environ, "BACKTONE_CONFIG": str(root / "config")}
        env.pop("BACKTONE_DATA", None)
        # As installed: modules read from .pyc files, which the warm-up runs write (here, not
        # beside the sources), for Python's own modules and backtone's alike.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
        cases = [("no history", root / "none")]
        for sessions, days in SIZES:
            data_dir = root / f"data-{sessions}"
            fill(data_dir, sessions, days, seed=sessions)
            cases.append((f"{sessions:,} sessions", data_dir))
        print(f"{'':28}{'python -c import sqlite3':>26}{'backtone status':>26}   ratio")
        for label, data_dir in cases:
            baseline, status = compare([command, "status", "--data-dir", str(data_dir)], env)
            ratio = statistics.median(status) / statistics.median(baseline)
            print(f"{label:28}{median_ms(baseline):>26}{median_ms(status):>26}{ratio:7.2f}x")
    print("\ngoal: at most 2x the baseline")


if __name__ == "__main__":
    main()
