"""`backtone history` streamed: the same bytes as dumping the whole list, written a row at a time
before the next is read, memory flat in the number of sessions, a closed pipe ended quietly,
the table's fixed columns, --limit, and text from the database printed as text."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import sqlite3
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from tui import cli
from tui.store.database import DB_NAME
from tui.store.export import (
    EXPORT_FIELDS,
    HISTORY_COLUMNS,
    cell_width,
    export,
    export_record,
    export_text,
    fit,
    history_cells,
    pain_text,
    printable,
    started_text,
    stream_export,
    table_line,
    write_table,
)
from tui.store.rows import SessionRow
from tui.store.sessions import HistoryStore

PAIN = st.none() | st.integers(0, 10)
STAMP = st.sampled_from(["2025-01-01T07:00:00+01:00", "2024-12-31T23:30:00+14:00"])


@st.composite
def session_rows(draw: st.DrawFn) -> SessionRow:
    total = draw(st.integers(0, 80))
    return SessionRow(
        draw(st.integers(1, 10**6)),
        draw(st.text(max_size=12)),
        draw(st.text(max_size=40)),
        "digest",
        draw(STAMP),
        draw(st.none() | STAMP),
        draw(st.sampled_from(["completed", "stopped", "interrupted", "active"])),
        draw(st.floats(0, 1e5, allow_nan=False)),
        draw(st.floats(0, 1e5, allow_nan=False)),
        draw(st.floats(0, 1e4, allow_nan=False)),
        draw(st.integers(0, total)),
        total,
        0,
        draw(PAIN),
        draw(PAIN),
    )


def whole_list(rows: list[SessionRow], fmt: str) -> str:
    """What export wrote before it streamed: the whole list built, then dumped at once."""
    records = [export_record(row) for row in rows]
    if fmt == "json":
        return json.dumps(records, indent=2) + "\n"
    if fmt == "toml":
        cleaned = [without_nulls(record) for record in records]
        return tomli_w.dumps({"sessions": cleaned})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_FIELDS)
    for record in records:
        cells = [
            json.dumps(cell, ensure_ascii=False) if isinstance(cell, dict | list) else cell
            for cell in (record[key] for key in EXPORT_FIELDS)
        ]
        if any(isinstance(cell, str) and "\r" in cell for cell in cells):  # see _write_csv
            csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow(cells)
        else:
            writer.writerow(cells)
    return out.getvalue()


def without_nulls(record: dict[str, Any]) -> dict[str, Any]:
    """TOML has no null: a missing value is left out, in a segment too."""
    return {
        key: [without_nulls(s) for s in value] if key == "segments" else value
        for key, value in record.items()
        if value is not None
    }


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(session_rows(), max_size=4))
def test_csv_reads_back_whatever_the_names_hold(rows: list[SessionRow]) -> None:
    # A lone carriage return in a name ended the line for every CSV reader.
    records = list(csv.DictReader(io.StringIO(export_text(iter(rows), "csv"), newline="")))
    assert [record["routine_name"] for record in records] == [row.routine_name for row in rows]


@pytest.mark.parametrize("fmt", ["json", "csv", "toml"])
@settings(max_examples=60, deadline=None)
@given(rows=st.lists(session_rows(), max_size=4))
def test_streamed_bytes_are_the_whole_lists(fmt: str, rows: list[SessionRow]) -> None:
    assert export_text(iter(rows), fmt) == whole_list(rows, fmt)


def test_every_format_has_the_pain_fields() -> None:
    row = SessionRow(1, "r", "R", "d", "2025-01-01T07:00:00+01:00", None, "completed",
                     60.0, 60.0, 0.0, 1, 1, 0, 7, 2)  # fmt: skip
    assert EXPORT_FIELDS[11:13] == ["pain_before", "pain_after"]  # where they have always been
    assert '"pain_before": 7,\n    "pain_after": 2,\n' in export_text([row], "json")
    assert ",1,1,7,2," in export_text([row], "csv").splitlines()[1]
    assert "pain_before = 7\npain_after = 2\n" in export_text([row], "toml")
    assert pain_text(row.pain_before, row.pain_after) in history_cells(row)


# -- a row at a time --------------------------------------------------------------------------


def counted_rows(count: int, out: io.StringIO, seen: list[int]) -> Iterator[SessionRow]:
    """Rows made on demand; before making each, note how much output there is."""
    for n in range(count):
        seen.append(len(out.getvalue()))
        stamp = "2025-01-01T07:00:00+01:00"
        yield SessionRow(
            n, "minute", f"Routine {n}", "d", stamp, stamp, "completed", 60.0, 60.0, 0.0, 1, 1, 0
        )


@pytest.mark.parametrize("fmt", ["json", "csv", "toml", "table"])
def test_each_row_is_written_before_the_next_is_read(fmt: str) -> None:
    out = io.StringIO()
    seen: list[int] = []
    rows = counted_rows(5, out, seen)
    if fmt == "table":
        write_table(rows, out, "Sessions")
    else:
        export(rows, fmt, out)
    assert len(seen) == 5
    # the first row was out before the second was made, and so on
    assert all(later > earlier for earlier, later in itertools.pairwise(seen))


def peak_bytes(count: int, fmt: str) -> int:
    sink = open(os.devnull, "w")  # noqa: SIM115 - closed below
    rows = counted_rows(count, io.StringIO(), [])
    tracemalloc.start()
    try:
        if fmt == "table":
            write_table(rows, sink, "Sessions")
        else:
            export(rows, fmt, sink)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        sink.close()


@pytest.mark.parametrize("fmt", ["json", "csv", "toml", "table"])
def test_memory_is_flat_in_the_number_of_sessions(fmt: str) -> None:
    small, big = peak_bytes(200, fmt), peak_bytes(4_000, fmt)
    assert big < small * 1.5 + 64_000, (small, big)  # twenty times the rows, not the memory


# -- the table ---------------------------------------------------------------------------------


def test_the_table_has_fixed_columns_and_plain_text() -> None:
    rows = [
        SessionRow(2, "m", "Cat [/] [bold]x[/bold]\x1b[2J", "d", "2025-01-01T07:00:00+01:00",
                   None, "active", 60.0, 12.345, 0.04, 0, 1, 0, 4, None),
        SessionRow(1, "s", "日本語の名前はとても長いです", "d", "2024-12-31T23:30:00+14:00",
                   "2024-12-31T23:31:00+14:00", "completed", 33.0, 3636.0, 1.2, 12, 12, 11,
                   10, 10),
    ]  # fmt: skip
    out = io.StringIO()
    write_table(rows, out, "Sessions in /x/history.db")
    assert out.getvalue() == (
        "Sessions in /x/history.db\n"
        "Started           Routine                      Time  Done  Pain    Ended\n"
        "────────────────  ────────────────────────  ───────  ────  ──────  ───────────\n"
        "2025-01-01 07:00  Cat [/] [bold]x[/bold]\\…     0:12    0%  4→      playing\n"
        "2024-12-31 23:30  日本語の名前はとても長…   1:00:36  100%  10→10   in full\n"
    )
    assert sum(column.width for column in HISTORY_COLUMNS) + 2 * 5 <= 80


def test_the_ascii_table() -> None:
    row = SessionRow(1, "s", "A name longer than the column is", "d", "2024-12-31T23:30:00+14:00",
                     None, "stopped", 33.0, 5.0, 0.0, 1, 4, 1, 10, 9)  # fmt: skip
    line = table_line(history_cells(row, ascii_only=True), ascii_only=True)
    assert line == "2024-12-31 23:30  A name longer than th...     0:05   25%  10->9   stopped\n"
    assert line.isascii()


@given(st.text(max_size=60), st.integers(4, 30))
def test_fit_never_overflows_and_keeps_what_fits(text: str, width: int) -> None:
    shown = fit(printable(text), width)
    assert cell_width(shown) <= width
    if cell_width(printable(text)) <= width:
        assert shown == printable(text)


@given(st.text())
def test_printable_leaves_no_control_character(text: str) -> None:
    shown = printable(text)
    assert not any(0 <= ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in shown)
    assert not any(c in shown for c in "\u2028\u2029\u202e\u2066")
    if text.isprintable():
        assert shown == text


def test_started_text_is_the_local_time_it_was_recorded_in() -> None:
    assert started_text("2024-12-31T23:30:00+14:00") == "2024-12-31 23:30"


# -- the command -------------------------------------------------------------------------------


def fill(data_dir: Path, count: int, name: str = "One minute") -> None:
    """`count` sessions, a day apart, straight through SQL on the schema HistoryStore makes."""
    HistoryStore.open(data_dir).close()
    connection = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    connection.execute("BEGIN")
    for n in range(count):
        stamp = f"20{10 + n // 365:02d}-01-01T07:00:00+01:00"
        day = f"20{10 + n // 365:02d}-01-01"
        connection.execute(
            "INSERT INTO sessions (routine_id, routine_name, routine_digest, started_at, day,"
            " ended_at, status, planned_seconds, active_seconds, segments_done, segments_total,"
            " updated_at, pain_before) VALUES ('m', ?, 'd', ?, ?, ?, 'completed', 60, 60, 1, 1,"
            " ?, ?)",
            (name, stamp, day, stamp, stamp, n % 11),
        )
    connection.execute("COMMIT")
    connection.close()


def run_history(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["history", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_limit_keeps_the_newest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(tmp_path / "d", 5)
    code, out, _ = run_history(capsys, "--data-dir", str(tmp_path / "d"), "--format", "json",
                               "--limit", "2")  # fmt: skip
    assert code == 0
    assert [r["id"] for r in json.loads(out)] == [5, 4]
    code, out, _ = run_history(capsys, "--data-dir", str(tmp_path / "d"), "--limit", "1")
    assert code == 0 and len(out.splitlines()) == 4  # title, header, rule, one row


@pytest.mark.parametrize("limit", ["0", "-1", "x"])
def test_limit_must_be_positive(capsys: pytest.CaptureFixture[str], limit: str) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["history", "--limit", limit])
    assert info.value.code == 2
    assert "not a positive whole number" in capsys.readouterr().err


@pytest.mark.parametrize("limit", ["9223372036854775808", "1000000001", "9" * 5000])
def test_a_limit_too_large_is_a_usage_error(capsys: pytest.CaptureFixture[str], limit: str) -> None:
    # SQLite's integers stop at 2**63 - 1: the largest ended in an OverflowError.
    with pytest.raises(SystemExit) as info:
        cli.main(["history", "--limit", limit])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --limit: too large" in err and "at most 1,000,000,000" in err
    assert "Traceback" not in err and len(err) < 1000


def test_a_limit_as_large_as_allowed_lists_everything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(tmp_path / "d", 3)
    code, out, _ = run_history(capsys, "--data-dir", str(tmp_path / "d"), "--format", "json",
                               "--limit", "1000000000")  # fmt: skip
    assert code == 0 and [r["id"] for r in json.loads(out)] == [3, 2, 1]


def test_the_table_prints_names_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(tmp_path / "d", 1, name="Cat [/]\x1b]0;pwned\x07")
    code, out, err = run_history(capsys, "--data-dir", str(tmp_path / "d"))
    assert (code, err) == (0, "")
    assert "Cat [/]\\x1b]0;pwned\\x07" in out
    assert "\x1b" not in out and "\x07" not in out


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_data_dir_that_is_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    a_file = tmp_path / "history.txt"
    a_file.write_text("x")
    code, out, err = run_history(capsys, "--data-dir", str(a_file), "--format", fmt)
    assert (code, out) == (2, "")
    assert err == f"backtone: {a_file} is not a directory (--data-dir)\n"


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    fill(tmp_path / "d", 3_000)
    for fmt in ("table", "json"):
        process = subprocess.Popen(
            [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())",
             "history", "--data-dir", str(tmp_path / "d"), "--format", fmt],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()  # like `head -1`
        err = process.stderr.read()
        assert process.wait(timeout=60) == 0, err
        assert err == b""
        assert first.startswith(b"Sessions in " if fmt == "table" else b"[")


def test_the_table_tells_done_in_full_from_skipped_to_the_end_and_stopped() -> None:
    from tui.store.export import outcome_text

    def row(status: str, done: int, total: int = 14) -> SessionRow:
        return SessionRow(
            1, "r", "R", "d", "2025-01-01T07:00:00+01:00", None, status, 0.0, 0.0, 0.0,
            done, total, 0,
        )  # fmt: skip

    assert outcome_text(row("completed", 14)) == "in full"
    assert outcome_text(row("completed", 2)) == "with skips"
    assert outcome_text(row("stopped", 2)) == "stopped"
    assert outcome_text(row("active", 2)) == "playing"
    assert export_record(row("completed", 2))["status"] == "completed"  # the data keeps its word


# -- what an import needs, streamed too ---------------------------------------------------------


def fill_with_segments(data_dir: Path, count: int, segments: int = 12) -> None:
    """`count` sessions as fill() makes them, each with `segments` segments."""
    fill(data_dir, count)
    connection = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO segments (session_id, segment_index, kind, label, exercise, position,"
        " outcome, active_seconds, ended_at, step_index) VALUES (?, ?, 'work', 'Hold the"
        " plank', 'Plank', 'Rep 1/1', 'done', 5.0, '2010-01-01T07:01:00+01:00', 0)",
        [(session, index) for session in range(1, count + 1) for index in range(segments)],
    )
    connection.execute("COMMIT")
    connection.close()


def export_peak_bytes(data_dir: Path, fmt: str) -> int:
    store = HistoryStore.open_read_only(data_dir)
    sink = open(os.devnull, "w")  # noqa: SIM115 - closed below
    tracemalloc.start()
    try:
        export(stream_export(store.connection), fmt, sink)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        sink.close()
        store.close()


@pytest.fixture(scope="module")
def small_and_big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    small, big = tmp_path_factory.mktemp("small"), tmp_path_factory.mktemp("big")
    fill_with_segments(small, 50)
    fill_with_segments(big, 1_000)  # twenty times the sessions, not the memory
    return small, big


@pytest.mark.parametrize("fmt", ["json", "csv", "toml"])
def test_the_export_with_segments_is_flat_in_memory_too(
    small_and_big: tuple[Path, Path], fmt: str
) -> None:
    small, big = (export_peak_bytes(data_dir, fmt) for data_dir in small_and_big)
    assert big < small * 1.5 + 64_000, (small, big)


def test_each_session_is_exported_with_its_segments_in_order(tmp_path: Path) -> None:
    fill_with_segments(tmp_path / "d", 3, segments=4)
    store = HistoryStore.open_read_only(tmp_path / "d")
    try:
        records = json.loads(export_text(stream_export(store.connection), "json"))
    finally:
        store.close()
    assert [r["id"] for r in records] == [3, 2, 1]
    for record in records:
        assert [s["segment_index"] for s in record["segments"]] == [0, 1, 2, 3]
        assert record["segments"][0] == {
            "segment_index": 0, "kind": "work", "label": "Hold the plank", "exercise": "Plank",
            "position": "Rep 1/1", "outcome": "done", "active_seconds": 5.0,
            "ended_at": "2010-01-01T07:01:00+01:00", "step_index": 0,
        }  # fmt: skip
        assert (record["day"], record["export_version"]) == (record["started_at"][:10], 2)
