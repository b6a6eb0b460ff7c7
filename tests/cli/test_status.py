"""`backtone status`: its line, JSON and exit codes against fixed histories; read-only opening
(nothing created, older files read); the quick path past argparse; what it imports."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import platformdirs
import pytest
from fakeclock import FakeClock
from hypothesis import given
from hypothesis import strategies as st

from tui import data_dir as data_dir_module
from tui import status as status_module
from tui.cli import build_parser, main, quick_status_arguments
from tui.core.engine import Session
from tui.core.loader import load_text
from tui.core.plan import Plan, build_plan
from tui.status import read_status, run_status, status_line
from tui.store.database import DB_NAME, MIGRATIONS
from tui.store.sessions import HistoryStore

CET = timezone(timedelta(hours=1))
NOW = datetime(2025, 1, 15, 20, 0, tzinfo=CET)  # a Wednesday: the week began Monday the 13th

BOOK = load_text(
    """\
schema = 1

[exercises.plank]
name = "Plank"
phases = [{ name = "Hold the plank", seconds = 60, hold = true }]

[[routines]]
id = "minute"
name = "One minute"
prepare = 0
steps = [{ exercise = "plank" }]

[[routines]]
id = "two"
name = "Two minutes"
prepare = 0
steps = [{ exercise = "plank", reps = 2 }]
"""
)
MINUTE = build_plan(BOOK.routine("minute"))
TWO = build_plan(BOOK.routine("two"))


class History:
    """A data dir filled through HistoryStore, each session begun at a given wall time."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.when = NOW
        self.clock = FakeClock()
        self.store = HistoryStore.open(data_dir, now=lambda: self.when)

    def play(self, when: datetime, plan: Plan = MINUTE, finished: bool = True) -> int:
        """A session begun at `when`: played to the end, or stopped before a segment ended."""
        self.when = when
        session = Session(plan, clock=self.clock)
        session_id = self.store.begin(plan)
        self.store.checkpoint(session_id, session, session.start())
        while not session.over:
            seconds = (session.remaining() or 0.0) if finished else 20.0
            self.clock.advance(seconds)
            self.when += timedelta(seconds=seconds)
            events = session.update() if finished else session.stop()
            self.store.checkpoint(session_id, session, events)
        return session_id

    def pain(self, session_id: int, before: int | None, after: int | None) -> None:
        self.store.connection.execute(
            "UPDATE sessions SET pain_before = ?, pain_after = ? WHERE id = ?",
            (before, after, session_id),
        )

    def close(self) -> None:
        self.store.close()


def at(day: int, hour: int = 7) -> datetime:
    return datetime(2025, 1, day, hour, 30, tzinfo=CET)


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    filled = History(tmp_path / "data")
    yield filled
    filled.close()


@pytest.fixture(autouse=True)
def unicode_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKTONE_ASCII", "0")


def status(capsys: pytest.CaptureFixture[str], data_dir: Path, *options: str) -> tuple[int, str]:
    fmt = "json" if "json" in options else "text"
    code = run_status(str(data_dir), fmt, "--quiet" in options, now=lambda: NOW)
    captured = capsys.readouterr()
    assert captured.err == ""
    return code, captured.out


# -- the line and the exit code -----------------------------------------------------------------


def test_done_today_with_a_streak_the_week_and_pain(history: History, capsys) -> None:
    for day in (13, 14):
        history.play(at(day))
    today = history.play(at(15), TWO)
    history.pain(today, 4, 3)
    assert status(capsys, history.data_dir) == (
        0,
        "backtone: done today (Two minutes, 2 min) · streak 3 days · 4 min this week · pain 4→3\n",
    )


def test_not_yet_today_keeps_yesterdays_streak(history: History, capsys) -> None:
    for day in (12, 13, 14):
        history.play(at(day))
    assert status(capsys, history.data_dir) == (1, "backtone: not yet today · streak 3 days\n")


def test_not_yet_and_no_streak(history: History, capsys) -> None:
    history.play(at(10))
    assert status(capsys, history.data_dir) == (1, "backtone: not yet today\n")


def test_a_session_with_nothing_finished_is_not_done(history: History, capsys) -> None:
    history.play(at(14))
    history.play(at(15), finished=False)
    assert status(capsys, history.data_dir) == (1, "backtone: not yet today · streak 1 day\n")


def test_two_sessions_today_and_one_check_in_missed(history: History, capsys) -> None:
    first = history.play(at(15, 7))
    history.pain(first, 5, 4)
    latest = history.play(at(15, 18))
    history.pain(latest, 3, None)  # the check-in after was skipped
    code, out = status(capsys, history.data_dir)
    assert (code, out) == (
        0,
        "backtone: done today (One minute and 1 more, 2 min) · streak 1 day · "
        "2 min this week · pain 3→?\n",
    )


def test_no_check_ins_no_pain(history: History, capsys) -> None:
    history.play(at(15))
    assert status(capsys, history.data_dir)[1] == (
        "backtone: done today (One minute, 1 min) · streak 1 day · 1 min this week\n"
    )


def test_ascii_terminals_get_ascii(history: History, capsys) -> None:
    history.pain(history.play(at(15)), 2, 2)
    run_status(str(history.data_dir), now=lambda: NOW, ascii_only=True)
    assert capsys.readouterr().out == (
        "backtone: done today (One minute, 1 min) - streak 1 day - 1 min this week - pain 2->2\n"
    )


def test_no_history_at_all(tmp_path: Path, capsys) -> None:
    data_dir = tmp_path / "nowhere"
    assert status(capsys, data_dir) == (1, "backtone: no sessions yet\n")
    assert not data_dir.exists()  # nothing created
    assert status(capsys, data_dir, "--quiet") == (1, "")


def test_an_empty_history(history: History, capsys) -> None:
    assert status(capsys, history.data_dir) == (1, "backtone: no sessions yet\n")


def test_quiet_prints_nothing(history: History, capsys) -> None:
    history.play(at(15))
    assert status(capsys, history.data_dir, "--quiet") == (0, "")
    assert status(capsys, history.data_dir, "--quiet", "json") == (0, "")


def test_json_gives_the_same_facts(history: History, capsys) -> None:
    history.play(at(14))
    today = history.play(at(15), TWO)
    history.pain(today, 6, 4)
    code, out = status(capsys, history.data_dir, "json")
    assert code == 0
    assert json.loads(out) == {
        "today": "2025-01-15",
        "has_history": True,
        "done_today": True,
        "sessions_today": 1,
        "routine_today": "Two minutes",
        "minutes_today": 2.0,
        "streak_days": 2,
        "week_minutes": 3.0,
        "week_sessions": 2,
        "pain_before": 6,
        "pain_after": 4,
        "unreadable_sessions": 0,
    }


def test_json_of_no_history(tmp_path: Path, capsys) -> None:
    code, out = status(capsys, tmp_path / "none", "json")
    data = json.loads(out)
    assert code == 1
    assert (data["has_history"], data["done_today"], data["streak_days"]) == (False, False, 0)
    assert data["today"] == "2025-01-15"


def test_names_from_the_database_are_shown_not_obeyed(history: History, capsys) -> None:
    session_id = history.play(at(15))
    history.store.connection.execute(
        "UPDATE sessions SET routine_name = ? WHERE id = ?", ("Cat [/]\x1b[2J\x07", session_id)
    )
    out = status(capsys, history.data_dir)[1]
    assert "(Cat [/]\\x1b[2J\\x07, 1 min)" in out
    assert "\x1b" not in out and "\x07" not in out


# -- read-only ----------------------------------------------------------------------------------


def snapshot(directory: Path) -> dict[str, str]:
    """Every file and directory under `directory`, with each file's digest."""
    return {
        str(path.relative_to(directory)): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        )
        for path in directory.rglob("*")
    }


def version_2_file(data_dir: Path) -> None:
    """A history as backtone wrote it before the pain check-ins: schema 2, no pain columns."""
    data_dir.mkdir()
    connection = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    for migration in MIGRATIONS[:2]:
        connection.executescript(migration)
    connection.execute("PRAGMA user_version = 2")
    for day, done in ((13, 1), (14, 1), (15, 1), (15, 0)):
        stamp = at(day).isoformat()
        connection.execute(
            "INSERT INTO sessions (routine_id, routine_name, routine_digest, started_at, day,"
            " ended_at, status, planned_seconds, active_seconds, segments_done, segments_total,"
            " updated_at) VALUES ('minute', 'One minute', 'x', ?, ?, ?, 'completed', 60, 60, ?,"
            " 1, ?)",
            (stamp, stamp[:10], stamp, done, stamp),
        )
    connection.close()


def test_an_older_file_reads_and_is_left_as_it_was(tmp_path: Path, capsys) -> None:
    data_dir = tmp_path / "data"
    version_2_file(data_dir)
    before = snapshot(data_dir)
    assert status(capsys, data_dir) == (
        0,
        "backtone: done today (One minute, 1 min) · streak 3 days · 3 min this week\n",
    )
    assert snapshot(data_dir) == before  # not migrated, no -wal or -shm left behind
    connection = sqlite3.connect(data_dir / DB_NAME)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
    connection.close()


def test_a_closed_history_is_left_exactly_as_it_was(history: History, capsys) -> None:
    # A read-only connection to a WAL file would make -wal and -shm files and leave them.
    history.play(at(15))
    history.close()
    before = snapshot(history.data_dir)
    assert DB_NAME in before and f"{DB_NAME}-wal" not in before
    assert status(capsys, history.data_dir)[0] == 0
    assert snapshot(history.data_dir) == before


def test_reads_while_another_backtone_has_it_open(history: History, capsys) -> None:
    # The store is open, in WAL mode, with the last commit perhaps only in the -wal file.
    history.play(at(15))
    assert (history.data_dir / f"{DB_NAME}-wal").exists()
    assert status(capsys, history.data_dir)[0] == 0
    later = history.play(at(15, 9), TWO)
    history.pain(later, 7, 5)
    assert status(capsys, history.data_dir)[1].endswith("pain 7→5\n")


def test_a_page_changed_under_an_immutable_read_is_read_again(
    history: History, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A backtone may start writing between the look for its -wal file and the read.
    history.play(at(15))
    history.close()
    opened: list[bool] = []
    open_read_only, read_status = status_module.open_read_only, status_module.read_status

    def recorded(path: str, immutable: bool = True) -> sqlite3.Connection:
        opened.append(immutable)
        return open_read_only(path, immutable)

    def torn_once(connection: sqlite3.Connection, today: date) -> status_module.Status:
        if len(opened) == 1:
            raise sqlite3.DatabaseError("database disk image is malformed")
        return read_status(connection, today)

    monkeypatch.setattr(status_module, "open_read_only", recorded)
    monkeypatch.setattr(status_module, "read_status", torn_once)
    assert status(capsys, history.data_dir)[0] == 0
    assert opened == [True, False]


def test_a_history_that_cannot_be_written_still_reads(history: History, capsys) -> None:
    history.play(at(15))
    history.close()
    os.chmod(history.data_dir, 0o500)
    try:
        assert status(capsys, history.data_dir)[0] == 0
    finally:
        os.chmod(history.data_dir, 0o700)


def test_a_file_that_is_not_a_history(tmp_path: Path, capsys) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / DB_NAME).write_bytes(b"not a database at all" * 100)
    code = run_status(str(data_dir), now=lambda: NOW)
    captured = capsys.readouterr()
    assert (code, captured.out) == (1, "")
    assert captured.err.startswith(f"backtone status: cannot read {data_dir / DB_NAME}: ")


def test_a_database_of_another_program(tmp_path: Path, capsys) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    connection = sqlite3.connect(data_dir / DB_NAME)
    connection.execute("CREATE TABLE notes (text)")
    connection.close()
    assert run_status(str(data_dir), now=lambda: NOW) == 1
    assert capsys.readouterr().err == (
        f"backtone status: cannot read {data_dir / DB_NAME}: it is not a backtone history\n"
    )


@pytest.mark.parametrize("kind", ["file", "inside a file"])
def test_a_data_dir_that_is_a_file_is_a_usage_error(tmp_path: Path, capsys, kind: str) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("hello")
    data_dir = a_file if kind == "file" else a_file / "data"
    assert main(["status", "--data-dir", str(data_dir)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(data_dir) in captured.err and "--data-dir" in captured.err


def test_read_status_of_an_empty_store(history: History) -> None:
    facts = read_status(history.store.connection, NOW.date())
    assert not facts.has_history and status_line(facts) == "backtone: no sessions yet"


# -- the command line ---------------------------------------------------------------------------


def test_main_gives_the_exit_code(
    history: History, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.status.local_now", lambda: NOW)
    history.play(at(15))
    assert main(["status", "--data-dir", str(history.data_dir), "-q"]) == 0
    assert main(["--data-dir", str(history.data_dir), "status", "--format=json"]) == 0
    assert json.loads(capsys.readouterr().out)["done_today"] is True
    monkeypatch.setattr("tui.status.local_now", lambda: NOW + timedelta(days=1))
    assert main(["status", "--data-dir", str(history.data_dir), "--quiet"]) == 1


def test_the_data_dir_comes_from_the_environment(
    history: History, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.status.local_now", lambda: NOW)
    monkeypatch.setenv("BACKTONE_DATA", str(history.data_dir))
    history.play(at(15))
    assert main(["status"]) == 0
    assert capsys.readouterr().out.startswith("backtone: done today")


@pytest.mark.parametrize(
    "argv, complaint",
    [
        (["status", "--format", "xml"], "invalid choice: 'xml'"),
        (["status", "--bogus"], "unrecognized arguments: --bogus"),
        (["--quiet", "status"], "unrecognized arguments: --quiet"),
        (["status", "extra"], "unrecognized arguments: extra"),
        (["status", "--data-dir"], "expected one argument"),
    ],
)
def test_usage_errors_exit_2(capsys, argv: list[str], complaint: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: backtone") and complaint in err


def test_help(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["status", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: backtone status") and "--quiet" in out and "--format" in out


TOKENS = st.sampled_from(
    ["status", "--quiet", "-q", "--format", "json", "text", "--format=json", "--format=xml",
     "--data-dir", "D", "--data-dir=E", "--routines", "F", "--no-bell", "--no-checkin",
     "--speech", "--no-speech", "--no-bell=1",
     "--quie", "--data", "list", "-h", "x", "--"]
)  # fmt: skip


@given(st.lists(TOKENS, max_size=7))
def test_the_quick_path_reads_what_argparse_reads(argv: list[str]) -> None:
    quick = quick_status_arguments(argv)
    if quick is None:
        return  # argparse has it, as for every other command
    args = build_parser().parse_args(argv)
    assert args.command == "status"
    assert quick == (args.data_dir, args.format, args.quiet)


def test_an_option_added_to_the_table_reaches_the_quick_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A new shared option is declared once, in the command table: argparse and the quick
    path both know it, with no list of options to keep by hand."""
    from tui import command_table

    extra = command_table.Option("--fresh-option", action="store_true", help="new")
    monkeypatch.setattr(command_table, "COMMON", (*command_table.COMMON, extra))
    for argv in (["--fresh-option", "status"], ["status", "--fresh-option", "-q"]):
        quick = quick_status_arguments(argv)
        args = build_parser().parse_args(argv)
        assert quick is not None and quick == (args.data_dir, args.format, args.quiet)
    assert quick_status_arguments(["status", "--stale-option"]) is None


def test_status_loads_neither_textual_nor_the_cli(tmp_path: Path) -> None:
    code = (
        "import sys; from tui.cli import main; code = main(['status', '--data-dir', sys.argv[1]]);"
        " print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('textual', 'rich', 'argparse', 'platformdirs', 'tomli_w', 'pathlib')"
        " or m in ('tui.core.loader', 'tui.store.database', 'tui.routines_cli')))"
    )
    env = {k: v for k, v in os.environ.items() if k != "BACKTONE_DATA"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "d")],
        capture_output=True, text=True, timeout=60, env=env, check=True,
    )  # fmt: skip
    assert result.stdout.splitlines() == ["backtone: no sessions yet", "[]"]


@pytest.mark.parametrize(
    "env",
    [
        {"HOME": "/home/someone"},
        {"HOME": "/home/someone/", "XDG_DATA_HOME": "/srv/data"},
        {"HOME": "/home/someone", "XDG_DATA_HOME": "relative/ignored"},
        {"HOME": "/home/someone", "XDG_DATA_HOME": "   "},
        {"HOME": "/"},
    ],
)
def test_the_default_data_dir_is_platformdirs(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    for name in ("HOME", "XDG_DATA_HOME", "BACKTONE_DATA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    expected = str(platformdirs.user_data_path("backtone"))
    assert data_dir_module.resolve_data_dir(None) == expected


# -- a history that cannot be read --------------------------------------------------------------


def damaged_file(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / DB_NAME).write_bytes(b"\xde\xad\xbe\xef" * 500)
    return data_dir


def test_quiet_prints_nothing_at_all_on_a_damaged_history(tmp_path: Path, capsys) -> None:
    # It printed "cannot read ..." at every login all the same.
    data_dir = damaged_file(tmp_path)
    assert run_status(str(data_dir), quiet=True, now=lambda: NOW) == 1
    assert capsys.readouterr() == ("", "")
    assert main(["status", "--quiet", "--data-dir", str(data_dir)]) == 1
    assert main(["--data-dir", str(data_dir), "status", "-q", "--format", "json"]) == 1
    assert capsys.readouterr() == ("", "")


def test_a_damaged_history_is_said_to_be_damaged_and_left_as_it_is(tmp_path: Path, capsys) -> None:
    data_dir = damaged_file(tmp_path)
    before = snapshot(data_dir)
    assert run_status(str(data_dir), now=lambda: NOW) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"backtone status: cannot read {data_dir / DB_NAME}: the history file is damaged\n"
    )
    assert snapshot(data_dir) == before


def test_quiet_usage_problems_print_nothing_either(tmp_path: Path, capsys) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("hello")
    assert run_status(str(a_file), quiet=True) == 2
    assert capsys.readouterr() == ("", "")


def test_an_empty_history_file_is_no_sessions_yet(tmp_path: Path, capsys) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / DB_NAME).touch()
    assert status(capsys, data_dir) == (1, "backtone: no sessions yet\n")


def test_help_gives_the_exit_codes(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["status", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert (
        "Exit codes: 0 you practised today; 1 not yet today, or the history cannot be read" in out
    )
    assert "2 a usage error" in out


def test_an_older_file_counts_nothing_left_out(tmp_path: Path, capsys) -> None:
    data_dir = tmp_path / "data"
    version_2_file(data_dir)
    code, out = status(capsys, data_dir, "json")
    assert code == 0 and json.loads(out)["unreadable_sessions"] == 0
