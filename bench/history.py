"""How long the history takes to show with years of sessions in it.

Fills two stores in a temp dir, straight through SQL in bulk transactions on the schema that
HistoryStore itself creates: 10,000 sessions over ten years of daily use and 1,000 over one year,
each with its segment rows (40-60 a session). Then, median of 5 for each size:

1. the History screen, headless (App.run_test, 80x24): from app.show_history() to the first
   frame drawn with the sessions table filled and the trend chart and calendar laid out (the
   sessions carry check-ins on two in three, so the chart has points). Timed two ways: by a
   hook on App._display (the frame itself), and by `await pilot.pause()` until the table has
   rows (which includes Pilot's idle wait, at least one 20 ms sleep; that wait alone is
   printed too); the chart's own parts (its store read, its layout) are timed apart;
2. `backtone history --format json --data-dir DIR` as a subprocess (start-up included).

Goal: both under 500 ms, and the screen growing well under linearly (it reads one page of 100
rows, and 12 weeks for the chart, not all). A benchmark prints figures and never asserts.

    /work/venv/bin/python bench/history.py
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import textual  # noqa: E402

from tui.core.loader import load_file  # noqa: E402
from tui.core.plan import Plan, build_plan  # noqa: E402
from tui.paths import bundled_routines_path  # noqa: E402
from tui.store.database import DB_NAME  # noqa: E402
from tui.store.sessions import HistoryStore  # noqa: E402

RUNS = 5
SIZES = [(1_000, 365), (10_000, 3_650)]  # sessions, days of daily use ending yesterday
BATCH = 500  # sessions a transaction
STATUSES = ["completed"] * 17 + ["stopped"] * 2 + ["interrupted"]  # no active: no resume offer

SESSION_SQL = (
    "INSERT INTO sessions (id, routine_id, routine_name, routine_digest, routines_file,"
    " started_at, day, ended_at, status, planned_seconds, active_seconds, paused_seconds,"
    " segments_done, segments_total, current_segment, host, pid, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
SEGMENT_SQL = (
    "INSERT INTO segments (session_id, segment_index, kind, label, exercise, position, outcome,"
    " active_seconds, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


# -- filling a store ---------------------------------------------------------------------------


def start_times(sessions: int, days: int, rng: random.Random) -> list[datetime]:
    """`sessions` start times spread over the `days` days before today, every day used."""
    zone = datetime.now().astimezone().tzinfo
    first = datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    first -= timedelta(days=days)
    per_day = [0] * days
    for n in range(sessions):
        per_day[n * days // sessions] += 1
    times = []
    for day, count in enumerate(per_day):
        midnight = first + timedelta(days=day)
        for minute in sorted(rng.sample(range(6 * 60, 22 * 60), count)):
            times.append(midnight + timedelta(minutes=minute, seconds=rng.randrange(60)))
    return times


def session_rows(
    session_id: int, started: datetime, plan: Plan, digest: str, rng: random.Random
) -> tuple[tuple[object, ...], list[tuple[object, ...]]]:
    status = rng.choice(STATUSES)
    total = rng.randint(40, 60)
    played = total if status == "completed" else rng.randint(total // 3, total - 1)
    segments = []
    clock = started
    active = 0.0
    done = 0
    for index in range(played):
        segment = plan.segments[index % len(plan.segments)]
        outcome = "skipped" if rng.random() < 0.04 else "done"
        seconds = 0.0 if outcome == "skipped" else (segment.seconds or rng.uniform(2, 8))
        active += seconds
        done += outcome == "done"
        clock += timedelta(seconds=seconds)
        segments.append(
            (
                session_id,
                index,
                segment.kind.value,
                segment.label,
                segment.exercise.name,
                segment.position,
                outcome,
                round(seconds, 3),
                clock.isoformat(timespec="seconds"),
            )
        )
    paused = rng.choice([0.0, 0.0, 0.0, rng.uniform(5, 120)])
    ended = (clock + timedelta(seconds=paused)).isoformat(timespec="seconds")
    session = (
        session_id,
        plan.routine.id,
        plan.routine.name,
        digest,
        str(bundled_routines_path()),
        started.isoformat(timespec="seconds"),
        started.date().isoformat(),
        ended,
        status,
        plan.timed_seconds,
        active,
        paused,
        done,
        total,
        min(played, total - 1),
        "bench",
        4242,
        ended,
    )
    return session, segments


def fill(data_dir: Path, sessions: int, days: int, seed: int) -> tuple[float, int]:
    """Returns (seconds taken, segment rows written)."""
    started = time.perf_counter()
    HistoryStore.open(data_dir).close()  # the real schema, migrations and all
    plans = [build_plan(r) for r in load_file(bundled_routines_path()).routines]
    digests = {plan.routine.id: plan.digest() for plan in plans}
    rng = random.Random(seed)
    connection = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    connection.execute("PRAGMA synchronous = OFF")
    segment_count = 0
    times = start_times(sessions, days, rng)
    for batch_start in range(0, sessions, BATCH):
        session_batch, segment_batch = [], []
        for n in range(batch_start, min(batch_start + BATCH, sessions)):
            plan = plans[0] if rng.random() < 0.7 else rng.choice(plans)
            digest = digests[plan.routine.id]
            session, segments = session_rows(n + 1, times[n], plan, digest, rng)
            session_batch.append(session)
            segment_batch += segments
        connection.execute("BEGIN")
        connection.executemany(SESSION_SQL, session_batch)
        connection.executemany(SEGMENT_SQL, segment_batch)
        connection.execute("COMMIT")
        segment_count += len(segment_batch)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return time.perf_counter() - started, segment_count


def add_check_ins(data_dir: Path, seed: int) -> None:
    """Check-ins before (and mostly after) two sessions in three, and a programme version a
    quarter, as the History screen's chart and the report read them."""
    rng = random.Random(seed)
    connection = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    changes = []
    for session_id, day in connection.execute("SELECT id, day FROM sessions").fetchall():
        before = rng.randint(0, 10) if rng.random() < 2 / 3 else None
        after = None if before is None else min(10, max(0, before + rng.randint(-3, 3)))
        version = str(datetime.fromisoformat(day).toordinal() // 90)
        changes.append((before, after, version, session_id))
    connection.execute("BEGIN")
    connection.executemany(
        "UPDATE sessions SET pain_before = ?, pain_after = ?, program_version = ? WHERE id = ?",
        changes,
    )
    connection.execute("COMMIT")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


# -- measuring ---------------------------------------------------------------------------------


async def screen_once(data_dir: Path, work: Path) -> tuple[float, float, int, int]:
    """(first frame with rows and the chart, by pause(), rows in the table, sessions in the
    store)."""
    from apphelpers import make_app
    from textual.widgets import DataTable

    from tui.ui.screens.history_view import HistoryScreen
    from tui.ui.widgets.trend_chart import TrendChart

    work.mkdir()
    app = make_app(work, data_dir=data_dir)
    drawn: list[float] = []
    display = app._display

    def watch_display(screen: object, renderable: object) -> None:
        display(screen, renderable)  # type: ignore[arg-type]
        if (
            not drawn
            and renderable is not None
            and isinstance(screen, HistoryScreen)
            and screen.query_one("#sessions", DataTable).row_count
            and screen.query_one(TrendChart).layouts  # the chart was drawn in this frame
        ):
            drawn.append(time.perf_counter())

    app._display = watch_display  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        while app.store is None:  # the store opens after the first refresh
            await pilot.pause()
        await pilot.pause()
        pushed = time.perf_counter()
        app.show_history()
        while True:
            await pilot.pause()
            screen = app.screen
            if isinstance(screen, HistoryScreen):
                table = screen.query_one("#sessions", DataTable)
                if table.row_count:
                    break
        paused = time.perf_counter() - pushed
        rows, total = table.row_count, screen.total
    return drawn[0] - pushed if drawn else float("nan"), paused, rows, total


async def idle_pause_once(work: Path) -> float:
    """What one `await pilot.pause()` costs with nothing to do."""
    from apphelpers import make_app

    work.mkdir()
    app = make_app(work, data_dir=work / "empty-data")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await pilot.pause()
        started = time.perf_counter()
        await pilot.pause()
        return time.perf_counter() - started


def store_reads_once(data_dir: Path) -> float:
    """What the History screen asks the store for: stats, the trend, the chart's 12 weeks,
    count and the first page."""
    from tui.store.chart_rows import chart_sessions

    store = HistoryStore.open(data_dir)
    started = time.perf_counter()
    store.stats()
    store.pain_trend()
    chart_sessions(store.connection, store.now().date())
    store.count()
    store.sessions(limit=100)
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed


def chart_once(data_dir: Path) -> tuple[float, float, int]:
    """(the chart's store read, its layout at 80x24 and 120x40, sessions in its 12 weeks)."""
    from tui.core.trend_chart import trend_rows
    from tui.store.chart_rows import chart_sessions

    store = HistoryStore.open(data_dir)
    started = time.perf_counter()
    history = chart_sessions(store.connection, store.now().date())
    read = time.perf_counter() - started
    store.close()
    started = time.perf_counter()
    trend_rows(history.sessions, history.period, 78, 11)
    trend_rows(history.sessions, history.period, 118, 15)
    return read, time.perf_counter() - started, len(history.sessions)


def cli_once(data_dir: Path, config_dir: Path) -> tuple[float, int]:
    command = Path(sys.executable).with_name("backtone")
    env = {**os.environ, "BACKTONE_CONFIG": str(config_dir)}
    env.pop("BACKTONE_DATA", None)
    started = time.perf_counter()
    result = subprocess.run(
        [str(command), "history", "--format", "json", "--data-dir", str(data_dir)],
        capture_output=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        print(f"  (exit {result.returncode}: {result.stderr.decode()[:200]})")
    return elapsed, len(result.stdout)


def median_of(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return f"{statistics.median(ms):6.0f} ms  [{min(ms):.0f}-{max(ms):.0f}]"


async def main() -> None:
    print(
        f"backtone history benchmark: Python {platform.python_version()}, textual "
        f"{textual.__version__}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, "
        f"median of {RUNS} [min-max]"
    )
    with tempfile.TemporaryDirectory(prefix="backtone-bench-") as temp:
        root = Path(temp)
        stores: dict[int, Path] = {}
        for sessions, days in SIZES:
            data_dir = root / f"data-{sessions}"
            seconds, segments = fill(data_dir, sessions, days, seed=sessions)
            add_check_ins(data_dir, seed=sessions)
            size = (data_dir / DB_NAME).stat().st_size / 2**20
            print(
                f"filled {sessions:>6,} sessions over {days:,} days, {segments:,} segment rows, "
                f"{size:.1f} MiB, in {seconds:.1f} s"
            )
            stores[sessions] = data_dir

        idle = [await idle_pause_once(root / f"idle-{n}") for n in range(RUNS)]
        screen: dict[int, tuple[list[float], list[float]]] = {}
        cli: dict[int, tuple[list[float], int]] = {}
        reads: dict[int, list[float]] = {}
        charts: dict[int, tuple[list[float], list[float], int]] = {}
        for sessions, data_dir in stores.items():
            frames, pauses = [], []
            for n in range(RUNS):
                frame, paused, rows, total = await screen_once(
                    data_dir, root / f"app-{sessions}-{n}"
                )
                frames.append(frame)
                pauses.append(paused)
            screen[sessions] = (frames, pauses)
            reads[sessions] = [store_reads_once(data_dir) for _ in range(RUNS)]
            chart_runs = [chart_once(data_dir) for _ in range(RUNS)]
            charts[sessions] = (
                [read for read, _, _ in chart_runs],
                [layout for _, layout, _ in chart_runs],
                chart_runs[0][2],
            )
            print(f"History screen on {total:,} sessions: {rows} rows in the table")
            cli_once(data_dir, root / "config")  # warm the disk cache and .pyc files
            samples = []
            for _ in range(RUNS):
                elapsed, size = cli_once(data_dir, root / "config")
                samples.append(elapsed)
            cli[sessions] = (samples, size)

    small, big = (n for n, _ in SIZES)
    print()
    print(f"{'':44}{small:>8,} sessions       {big:>8,} sessions       ratio")
    lines = [
        ("History screen: push to first frame", screen[small][0], screen[big][0]),
        ("History screen: push to rows, by pause()", screen[small][1], screen[big][1]),
        ("store reads alone (stats, chart, a page)", reads[small], reads[big]),
        ("  the chart's 12 weeks, read", charts[small][0], charts[big][0]),
        ("  the chart laid out, 80x24 and 120x40", charts[small][1], charts[big][1]),
        ("backtone history --format json", cli[small][0], cli[big][0]),
    ]
    for label, a, b in lines:
        ratio = statistics.median(b) / statistics.median(a)
        print(f"{label:44}{median_of(a):>24}{median_of(b):>24}{ratio:8.2f}x")
    print(f"{'  sessions in the chart':44}{charts[small][2]:>24,}{charts[big][2]:>24,}")
    print(f"{'  json output':44}{cli[small][1] / 1024:>17,.0f} KiB{cli[big][1] / 1024:>20,.0f} KiB")
    print(f"{'one idle pilot.pause(), for reference':44}{median_of(idle):>24}")
    print()
    print(
        "goal: each under 500 ms, the first frame with the chart included; the screen (one page"
        " of 100 rows, 12 weeks of chart) growing well under 10x"
    )


if __name__ == "__main__":
    asyncio.run(main())


# -- `backtone history` streamed, up to 100,000 sessions (issue 12, item 20) -------------------

STREAM_SIZES = [(10_000, 3_650), (100_000, 36_500)]  # 100,000: ten a day for ten years


def stream_once(data_dir: Path, fmt: str, config_dir: Path, first_line: bool) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of `backtone history --format FMT`: to its first line read and
    the pipe closed, as `| head -1` does, or to the end, written into a pipe read to the end."""
    command = Path(sys.executable).with_name("backtone")
    env = {**os.environ, "BACKTONE_CONFIG": str(config_dir)}
    env.pop("BACKTONE_DATA", None)
    # As installed: modules read from .pyc files (which the warm-up run writes, in the temp dir).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(config_dir.parent / "pycache")
    argv = [str(command), "history", "--format", fmt, "--data-dir", str(data_dir)]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert process.stdout is not None
    if first_line:
        process.stdout.readline()
        elapsed = time.perf_counter() - started
        process.stdout.close()
    else:
        while process.stdout.read(1 << 16):
            pass
        elapsed = time.perf_counter() - started
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        print(f"  ({' '.join(argv[1:4])}: exit {process.returncode})")
    return elapsed, usage.ru_maxrss


def stream_main() -> None:
    print()
    print(f"backtone history, streamed: median of {RUNS}, peak RSS of the process")
    with tempfile.TemporaryDirectory(prefix="backtone-bench-") as temp:
        root = Path(temp)
        results: dict[int, dict[str, tuple[list[float], int]]] = {}
        for sessions, days in STREAM_SIZES:
            data_dir = root / f"data-{sessions}"
            seconds, _ = fill(data_dir, sessions, days, seed=sessions)
            print(f"filled {sessions:,} sessions in {seconds:.1f} s")
            results[sessions] = {}
            for label, fmt, first in [
                ("table: first line (| head -1)", "table", True),
                ("table: every line", "table", False),
                ("json: every line", "json", False),
            ]:
                stream_once(data_dir, fmt, root / "config", first)  # warm the caches
                runs = [stream_once(data_dir, fmt, root / "config", first) for _ in range(RUNS)]
                results[sessions][label] = ([s for s, _ in runs], max(rss for _, rss in runs))
    small, big = (n for n, _ in STREAM_SIZES)
    print(f"{'':34}{small:>12,} sessions{big:>25,} sessions   ratio")
    for label in results[small]:
        a, a_rss = results[small][label]
        b, b_rss = results[big][label]
        ratio = statistics.median(b) / statistics.median(a)
        print(f"{label:34}{median_of(a):>24}{median_of(b):>24}{ratio:8.2f}x")
        print(f"{'  peak RSS':34}{a_rss / 1024:>21.1f} MiB{b_rss / 1024:>20.1f} MiB")
    print("goal: first line under 300 ms; the whole table in about the JSON's time; RSS flat")


if __name__ == "__main__":
    stream_main()


# -- the store's pain trend, pain rises and progression history (issue 11) ---------------------


def trend_main() -> None:
    """pain_trend, recent_pain_rises and past_sessions at 10,000 sessions, with check-ins on
    two sessions in three. Goal: each under 50 ms."""
    print()
    print(f"store reads for issue 11 at 10,000 sessions: median of {RUNS * 4} [min-max]")
    with tempfile.TemporaryDirectory(prefix="backtone-bench-") as temp:
        data_dir = Path(temp) / "data"
        fill(data_dir, 10_000, 3_650, seed=11)
        rng = random.Random(11)
        connection = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
        connection.execute("BEGIN")
        for (session_id,) in connection.execute("SELECT id FROM sessions").fetchall():
            if rng.random() < 2 / 3:
                before = rng.randint(0, 10)
                after = min(10, max(0, before + rng.randint(-3, 3)))
                connection.execute(
                    "UPDATE sessions SET pain_before = ?, pain_after = ?, full_steps = ?"
                    " WHERE id = ?",
                    (before, after, "[0, 1, 2]", session_id),
                )
        connection.execute("COMMIT")
        connection.close()
        store = HistoryStore.open(data_dir)
        routine = store.sessions(limit=1)[0].routine_id
        for label, work in [
            ("pain_trend (12 weeks)", lambda: store.pain_trend()),
            ("recent_pain_rises (last 3)", lambda: store.recent_pain_rises()),
            (f"past_sessions ({routine})", lambda: store.past_sessions(routine)),
        ]:
            samples = []
            for _ in range(RUNS * 4):
                started = time.perf_counter()
                work()
                samples.append(time.perf_counter() - started)
            print(f"{label:44}{median_of(samples):>24}")
        store.close()


if __name__ == "__main__":
    trend_main()


# -- `backtone report`: 12 weeks out of 1,000 to 100,000 sessions (issue 20, item 6) -----------

# One density (about 2.7 sessions a day) at every size, so that each report's 12 weeks hold
# the same sessions and only the history around them grows: what the report reads and keeps
# should stay the same.
REPORT_SIZES = [(1_000, 365), (10_000, 3_650), (100_000, 36_500)]
VERSIONS_EVERY_DAYS = 90  # a new programme version each quarter
NOTES = ["Stiff in the morning", "Knee sore, went gently", "Felt good after the walk"]


def add_report_columns(data_dir: Path, seed: int) -> int:
    """Check-ins on two sessions in three, a programme version by quarter, a note now and
    then; returns the sessions in the report's 12 weeks."""
    from tui.core.adherence import Period

    rng = random.Random(seed)
    connection = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    rows = connection.execute("SELECT id, day FROM sessions").fetchall()
    changes = []
    epoch = datetime(2000, 1, 3).date()
    for session_id, day in rows:
        checked = rng.random() < 2 / 3
        before = rng.randint(0, 10) if checked else None
        after = None if before is None else min(10, max(0, before + rng.randint(-3, 3)))
        version = str((datetime.fromisoformat(day).date() - epoch).days // VERSIONS_EVERY_DAYS)
        note = rng.choice(NOTES) if rng.random() < 0.1 else None
        changes.append((before, after, version, note, session_id))
    connection.execute("BEGIN")
    connection.executemany(
        "UPDATE sessions SET pain_before = ?, pain_after = ?, program_version = ?, note = ?"
        " WHERE id = ?",
        changes,
    )
    connection.execute("COMMIT")
    today = datetime.now().astimezone().date()
    period = Period.last_weeks(today, 12)
    (inside,) = connection.execute(
        "SELECT count(*) FROM sessions WHERE day >= ? AND day <= ?",
        (period.start.isoformat(), today.isoformat()),
    ).fetchone()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return int(inside)


def report_in_process(data_dir: Path, trace: bool) -> tuple[float, int, int]:
    """(seconds, peak bytes allocated by Python while it ran (0 untraced), bytes of HTML) of
    build_report on the history opened read-only, as the command does."""
    import tracemalloc

    from tui.report import build_report
    from tui.store.database import open_read_only

    book = load_file(bundled_routines_path())
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    opened = open_read_only(data_dir / DB_NAME)
    try:
        html = build_report(opened.connection, book)
    finally:
        opened.connection.close()
    elapsed = time.perf_counter() - started
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return elapsed, peak, len(html.encode())


# `backtone report` as the console script runs it, then its own high-water mark of memory. The
# rusage of a child would not do: it counts the forked copy of this (much bigger) process
# from before the exec.
RUN_AND_MEASURE = """
import sys
from tui.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
with open("/proc/self/status") as status:
    peak = next(line for line in status if line.startswith("VmHWM:"))
sys.stderr.write(peak.split()[1] + "\\n")
sys.exit(code)
"""


def report_command_once(data_dir: Path, config_dir: Path) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of `backtone report -o -` read to the end."""
    env = {**os.environ, "BACKTONE_CONFIG": str(config_dir)}
    env.pop("BACKTONE_DATA", None)
    env.pop("BACKTONE_ROUTINES", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(config_dir.parent / "pycache")
    argv = [sys.executable, "-c", RUN_AND_MEASURE, "report", "-o", "-", "--data-dir", str(data_dir)]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None and process.stderr is not None
    while process.stdout.read(1 << 16):
        pass
    elapsed = time.perf_counter() - started
    said = process.stderr.read().decode()
    if process.wait() != 0:
        print(f"  (backtone report: exit {process.returncode}: {said[-200:]})")
        return elapsed, 0
    return elapsed, int(said.split()[-1])


def report_main() -> None:
    print()
    print(f"backtone report, the last 12 weeks: median of {RUNS} [min-max]")
    with tempfile.TemporaryDirectory(prefix="backtone-bench-") as temp:
        root = Path(temp)
        lines = []
        for sessions, days in REPORT_SIZES:
            data_dir = root / f"data-{sessions}"
            seconds, _ = fill(data_dir, sessions, days, seed=sessions)
            inside = add_report_columns(data_dir, seed=sessions)
            print(f"filled {sessions:,} sessions ({inside} in the 12 weeks) in {seconds:.1f} s")
            report_in_process(data_dir, trace=False)  # warm the disk cache
            timed = [report_in_process(data_dir, trace=False)[0] for _ in range(RUNS)]
            _, peak, size = report_in_process(data_dir, trace=True)
            report_command_once(data_dir, root / "config")  # warm the .pyc files
            runs = [report_command_once(data_dir, root / "config") for _ in range(RUNS)]
            lines.append(
                (sessions, timed, peak, size, [s for s, _ in runs], max(r for _, r in runs))
            )
    print(
        f"{'sessions':>10}{'build_report':>26}{'Python peak':>14}{'HTML':>10}"
        f"{'backtone report -o -':>28}{'peak RSS':>11}"
    )
    for sessions, timed, peak, size, command, rss in lines:
        print(
            f"{sessions:>10,}{median_of(timed):>26}{peak / 2**20:>10.1f} MiB{size / 1024:>6.0f} KiB"
            f"{median_of(command):>28}{rss / 1024:>7.1f} MiB"
        )
    print("goal: 12 weeks in under 1 s at 100,000 sessions; memory flat in the number of sessions")


if __name__ == "__main__":
    report_main()
