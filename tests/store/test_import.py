"""`backtone history import FILE`: what `history --format json` wrote, read back.

An export imported into an empty history exports the same again (segments, levels, notes,
versions and all), so the History detail, the report and progression come back; a second
import adds nothing; a bad file changes nothing and says which record and field; a file from a
newer backtone is refused naming both versions; an export from before the format's version
(the first thirteen fields) imports with no segments.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ptyhelpers import Terminal, clean_env, find_backtone
from storehelpers import MINUTE, SHORT, World, play_to_end, record, step, tz

import tui.store.database as database_module
from tui.cli import main, quick_status_arguments
from tui.store.database import DB_NAME
from tui.store.export import EXPORT_FIELDS, EXPORT_VERSION, export_text, stream_export
from tui.store.importer import ImportRefused, import_sessions, read_export
from tui.store.report_rows import stream_report_sessions
from tui.store.rows import HistoryUnavailable
from tui.store.sessions import HistoryStore

CET = tz(1)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2025, 1, day, hour, 0, tzinfo=CET)


def exported(data_dir: Path) -> list[dict[str, Any]]:
    store = HistoryStore.open_read_only(data_dir)
    try:
        records: list[dict[str, Any]] = json.loads(
            export_text(stream_export(store.connection), "json")
        )
    finally:
        store.close()
    return records


def as_imported(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What an import makes of a session still playing: interrupted at its last checkpoint."""
    result = []
    for record_ in records:
        if record_["status"] == "active":
            record_ = {
                **record_,
                "status": "interrupted",
                "ended_at": (
                    record_["ended_at"] or record_.get("updated_at") or record_["started_at"]
                ),
            }
        result.append(record_)
    return result


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def import_file(
    capsys: pytest.CaptureFixture[str], path: Path, data_dir: Path
) -> tuple[int, str, str]:
    return run(capsys, "history", "import", str(path), "--data-dir", str(data_dir))


@pytest.fixture
def source(world: World) -> World:
    """A history of every kind of session: whole, skipped through, stopped, still playing,
    with check-ins, levels, a note, a programme version and a routine file."""
    store = world.open()
    world.now.set(at(1))
    session = world.session()
    whole = store.begin(SHORT, "/home/me/r.toml", pain_before=4, levels={0: 8}, program_version="2")
    play_to_end(world, store, whole, session)
    store.set_pain(whole, after=3)
    store.set_note(whole, "Easier today.\nLeft knee fine.")
    world.now.set(at(2))
    session = world.session()
    skipped = store.begin(SHORT, program_version="2")
    step(store, skipped, session, session.start())
    while not session.over:
        step(store, skipped, session, session.next_segment())
    record(world, store, at(3), SHORT, "stop-after-one")
    record(world, store, at(4), MINUTE)
    world.now.set(at(5))
    session = world.session()
    playing = store.begin(SHORT, pain_before=6)
    step(store, playing, session, session.start())
    world.tick(2.0)
    step(store, playing, session, session.update())
    store.close()  # gone mid-session: left active
    return world


# -- the round trip -----------------------------------------------------------------------------


def test_an_export_imported_into_an_empty_history_exports_the_same(
    source: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = exported(source.data_dir)
    assert len(original) == 5 and {r["status"] for r in original} >= {"active", "completed"}
    path = tmp_path / "sessions.json"
    path.write_text(json.dumps(original), encoding="utf-8")
    target = tmp_path / "new" / "data"  # does not exist yet
    assert import_file(capsys, path, target) == (0, "Imported 5 sessions (0 already there).\n", "")
    assert exported(target) == as_imported(original)
    assert import_file(capsys, path, target) == (0, "Imported 0 sessions (5 already there).\n", "")
    assert exported(target) == as_imported(original)
    assert (target.stat().st_mode & 0o777) == 0o700  # made as `run` makes it


def test_the_detail_the_report_and_progression_come_back(
    source: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sessions.json"
    path.write_text(json.dumps(exported(source.data_dir)), encoding="utf-8")
    target = tmp_path / "new"
    assert import_file(capsys, path, target)[0] == 0
    before = HistoryStore.open(source.data_dir, source.now)
    after = HistoryStore.open(target, source.now)
    try:
        (orphan,) = before.orphans()
        assert before.mark_interrupted(orphan.id)  # as the import keeps it
        for row in before.sessions():
            assert after.segments(row.id) == before.segments(row.id)
            assert after.get(row.id) == row
        assert after.past_sessions("short") == before.past_sessions("short")
        first, last = at(1).date(), at(5).date()
        report = list(stream_report_sessions(after.connection, first, last))
        assert report == list(stream_report_sessions(before.connection, first, last))
        assert [s.id for s in report if s.skipped] == [2]
        assert [s.note for s in report if s.note] == ["Easier today.\nLeft knee fine."]
        assert [s.program_version for s in report][:2] == ["2", "2"]
        assert after.orphans() == []  # nothing here is playing what was playing there
    finally:
        before.close()
        after.close()


def test_ids_are_kept_where_free_and_segments_follow_new_ones(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = world.open()
    first = record(world, store, at(1), SHORT)
    second = record(world, store, at(2), SHORT)
    store.close()
    records = exported(world.data_dir)
    path = tmp_path / "sessions.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    target = World(tmp_path / "other")
    other = target.open()
    taken = record(target, other, at(10), MINUTE)  # id 1, taken
    other.close()
    assert (taken, first, second) == (1, 1, 2)
    assert import_file(capsys, path, target.data_dir)[1] == (
        "Imported 2 sessions (0 already there).\n"
    )
    reopened = target.open()
    by_start = {row.started_at: row.id for row in reopened.sessions()}
    assert by_start[at(2).isoformat()] == 2  # free: kept
    moved = by_start[at(1).isoformat()]
    assert moved == 3  # taken: a new one, after every kept id
    assert len(reopened.segments(moved)) == 12 and len(reopened.segments(taken)) == 1


def test_a_session_in_the_bin_counts_as_there(world: World) -> None:
    store = world.open()
    gone = record(world, store, at(1))
    data = export_text(stream_export(store.connection), "json").encode()
    store.delete(gone)
    assert import_sessions(store, read_export(data)).sentence() == (
        "Imported 0 sessions (1 already there)."
    )
    assert store.restore(gone) and store.count() == 1  # restored: still one of it


def test_the_same_session_twice_in_a_file_is_imported_once(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = world.open()
    record(world, store, at(1))
    store.close()
    (one,) = exported(world.data_dir)
    path = tmp_path / "sessions.json"
    path.write_text(json.dumps([one, {**one, "id": 99}]), encoding="utf-8")
    code, out, _ = import_file(capsys, path, tmp_path / "new")
    assert (code, out) == (0, "Imported 1 session (1 already there).\n")


def test_another_host_s_session_at_the_same_instant_is_another_session(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = world.open()
    record(world, store, at(1))
    store.close()
    (one,) = exported(world.data_dir)
    path = tmp_path / "sessions.json"
    path.write_text(json.dumps([{**one, "host": "laptop"}]), encoding="utf-8")
    assert import_file(capsys, path, world.data_dir)[1] == "Imported 1 session (0 already there).\n"
    path.write_text(json.dumps([{**one, "host": ""}]), encoding="utf-8")  # no host: any matches
    assert (
        import_file(capsys, path, world.data_dir)[1] == "Imported 0 sessions (1 already there).\n"
    )


# -- an export from before the version ------------------------------------------------------------

OLD_FIELDS = EXPORT_FIELDS[:13]


def test_an_export_from_the_last_release_imports_without_segments(
    source: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = exported(source.data_dir)
    old = [{key: r[key] for key in OLD_FIELDS} for r in original]  # what it wrote
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old, indent=2), encoding="utf-8")
    target = tmp_path / "new"
    assert import_file(capsys, path, target)[1] == "Imported 5 sessions (0 already there).\n"
    imported = exported(target)
    assert [{key: r[key] for key in OLD_FIELDS} for r in imported] == as_imported(old)
    for record_ in imported:
        assert record_["segments"] == [] and record_["routine_digest"] == ""
        assert record_["day"] == record_["started_at"][:10]
    # The new export of the same history finds each of them there (no host was known).
    path.write_text(json.dumps(original), encoding="utf-8")
    assert import_file(capsys, path, target)[1] == "Imported 0 sessions (5 already there).\n"


def test_an_old_export_without_pain_fields_imports(tmp_path: Path) -> None:
    (session,) = read_export(
        json.dumps(
            [
                {
                    "id": 1, "routine_id": "minute", "routine_name": "One minute",
                    "started_at": "2024-06-01T07:00:00+02:00",
                    "ended_at": "2024-06-01T07:01:00+02:00", "status": "completed",
                    "planned_seconds": 60, "active_seconds": 60.0, "paused_seconds": 0,
                    "segments_done": 1, "segments_total": 1,
                }
            ]
        ).encode()
    )  # fmt: skip
    assert session.values["pain_before"] is None and session.values["day"] == "2024-06-01"
    assert session.values["planned_seconds"] == 60.0 and session.segments == ()


# -- refused ------------------------------------------------------------------------------------


def a_record(**changes: object) -> dict[str, Any]:
    record_: dict[str, Any] = {
        "id": 5, "routine_id": "minute", "routine_name": "One minute",
        "started_at": "2025-01-01T07:00:00+01:00", "ended_at": "2025-01-01T07:01:00+01:00",
        "status": "completed", "planned_seconds": 60.0, "active_seconds": 60.0,
        "paused_seconds": 0.0, "segments_done": 1, "segments_total": 1, "pain_before": 4,
        "pain_after": 3, "program_version": None, "note": None, "routine_digest": "v2:ab",
        "day": "2025-01-01", "levels": None, "full_steps": [], "current_segment": 0,
        "routines_file": "", "host": "pi", "updated_at": "2025-01-01T07:01:00+01:00",
        "segments": [
            {"segment_index": 0, "kind": "work", "label": "Hold", "exercise": "Plank",
             "position": "Rep 1/1", "outcome": "done", "active_seconds": 60.0,
             "ended_at": "2025-01-01T07:01:00+01:00", "step_index": 0},
        ],
        "export_version": EXPORT_VERSION,
    }  # fmt: skip
    record_.update(changes)
    return record_


def a_segment(**changes: object) -> dict[str, Any]:
    return {**a_record()["segments"][0], **changes}


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"pain_before": 11}, "pain_before must be null or a whole number from 0 to 10, not 11"),
        ({"pain_after": "3"}, 'pain_after must be null or a whole number from 0 to 10, not "3"'),
        ({"pain_after": True}, "pain_after must be null or a whole number"),
        ({"started_at": "yesterday"}, "started_at must be a date and time with its UTC offset"),
        ({"started_at": "2025-01-01T07:00:00"}, "started_at must be a date and time with its"),
        ({"started_at": "2025-02-30T07:00:00+01:00"}, "started_at must be a date and time"),
        ({"ended_at": 5}, "ended_at must be null or a date and time"),
        ({"day": "2025-02-30"}, 'day must be a date (YYYY-MM-DD), not "2025-02-30"'),
        ({"status": "paused"}, "status must be one of active, completed, interrupted, stopped"),
        ({"status": ["completed"]}, "status must be one of"),
        ({"segments_done": 2}, "segments_done must be at most segments_total (1), not 2"),
        ({"segments_total": -1}, "segments_total must be a whole number from 0, not -1"),
        ({"active_seconds": -1}, "active_seconds must be a number of seconds from 0"),
        ({"planned_seconds": 1e300}, "planned_seconds must be a number of seconds"),
        ({"routine_id": ""}, "routine_id must be the routine's id (text)"),
        ({"routine_name": None}, "routine_name must be text, not null"),
        ({"note": "bell\x07"}, "note must be a note: a note cannot hold control characters"),
        ({"note": "x" * 2001}, "note must be a note: a note is at most 2000 characters"),
        ({"levels": {"egg/3fa85f64": 0}}, "levels must be null or an object of levels"),
        ({"levels": {"egg": 5}}, "levels must be null or an object of levels"),
        ({"full_steps": ["egg"]}, "full_steps must be null or a list of steps"),
        ({"id": 0}, "id must be a whole number from 1, not 0"),
        ({"segments": {}}, "segments must be a list of segments"),
        ({"segments": [a_segment(outcome="maybe")]}, "segment 1: outcome must be one of done"),
        ({"segments": [a_segment(kind=None)]}, "segment 1: kind must be one of prepare, rest"),
        ({"segments": [a_segment(), a_segment()]}, "two segments have the index 0"),
        ({"segments": [a_segment(ended_at="now")]}, "segment 1: ended_at must be a date"),
        ({"segments": [a_segment(active_seconds="5")]}, "active_seconds must be a number"),
        ({"segments": ["x"]}, "record 2: segment 1 is not an object"),
    ],
)
def test_a_bad_record_is_named_with_its_field(changes: dict[str, object], said: str) -> None:
    data = json.dumps([a_record(), a_record(**changes)]).encode()
    with pytest.raises(ImportRefused) as refused:
        read_export(data)
    assert "record 2" in str(refused.value)
    assert said in str(refused.value)


def test_a_missing_field_is_said_to_be_missing() -> None:
    record_ = a_record()
    del record_["started_at"]
    with pytest.raises(ImportRefused, match=r"record 1 \(id 5\): started_at is missing"):
        read_export(json.dumps([record_]).encode())


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"", "it is not a backtone export"),
        (b"id,routine_id\n1,x\n", "it is not a backtone export"),
        (b"[{", "it is not valid JSON (line 1, column 3"),
        (b'[{"planned_seconds": NaN}]', "NaN is not a number JSON allows"),
        (b"\xff\xfe[]", "it is not UTF-8 text"),
        (b'{"sessions": []}', "it is not a backtone export (a list of sessions)"),
        (b"[1]", "record 1 is not an object"),
        (b"[" * 100_000 + b"]" * 100_000, "it is not valid JSON"),
    ],
)
def test_what_is_no_export_is_refused(data: bytes, said: str) -> None:
    with pytest.raises(ImportRefused) as refused:
        read_export(data)
    assert said in str(refused.value)


def test_a_newer_version_is_refused_naming_both() -> None:
    newer = EXPORT_VERSION + 1
    for data in (
        json.dumps([a_record(), a_record(export_version=newer, status="whatever")]),
        json.dumps({"backtone_history": newer, "sessions": []}),
    ):
        with pytest.raises(ImportRefused) as refused:
            read_export(data.encode())
        assert f"export version {newer}" in str(refused.value)
        assert f"reads export versions 1 to {EXPORT_VERSION}" in str(refused.value)
        assert "upgrade backtone" in str(refused.value)


def test_a_bad_file_changes_nothing(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([a_record(), a_record(id=6, pain_before=12)]), encoding="utf-8")
    nowhere = tmp_path / "not" / "yet"
    code, out, err = import_file(capsys, path, nowhere)
    assert (code, out) == (1, "")
    assert err == (
        f"backtone: {path} cannot be imported: record 2 (id 6): pain_before must be null or a"
        " whole number from 0 to 10, not 12. Nothing was imported.\n"
    )
    assert not nowhere.parent.exists()  # not even the data dir was made
    store = world.open()
    record(world, store, at(1))
    store.close()
    before = (world.data_dir / DB_NAME).read_bytes()
    assert import_file(capsys, path, world.data_dir)[0] == 1
    assert (world.data_dir / DB_NAME).read_bytes() == before


def test_a_write_that_fails_half_way_leaves_nothing(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.store.importer as importer

    sessions = read_export(json.dumps([a_record(), a_record(id=6, host="b")]).encode())
    store = world.open()
    real = importer._insert_one
    calls = []

    def failing(connection: sqlite3.Connection, session: Any, session_id: int | None) -> None:
        calls.append(session_id)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        real(connection, session, session_id)

    monkeypatch.setattr(importer, "_insert_one", failing)
    with pytest.raises(HistoryUnavailable, match="cannot import the sessions"):
        import_sessions(store, sessions)
    assert store.count() == 0 and calls == [5, 6]
    monkeypatch.setattr(importer, "_insert_one", real)
    assert import_sessions(store, sessions).sentence() == "Imported 2 sessions (0 already there)."


def test_a_read_only_history_is_refused(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    world.open().close()
    path = tmp_path / "sessions.json"
    path.write_text(json.dumps([a_record()]), encoding="utf-8")
    real = os.access
    monkeypatch.setattr(
        database_module.os,
        "access",
        lambda p, mode, **kw: False if mode & os.W_OK else real(p, mode),
    )
    code, out, err = import_file(capsys, path, world.data_dir)
    assert (code, out) == (1, "")
    assert err == (
        f"backtone: cannot import the sessions: the history at {world.data_dir / DB_NAME} is"
        " read-only. Nothing was imported.\n"
    )


def test_a_file_that_cannot_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.json"
    code, out, err = import_file(capsys, missing, tmp_path / "data")
    assert (code, out) == (1, "")
    assert err == f"backtone: cannot read {missing}: No such file or directory\n"
    assert import_file(capsys, tmp_path, tmp_path / "data")[0] == 1  # a directory


def test_standard_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.dumps([a_record()]).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(capsys, "history", "import", "-", "--data-dir", str(tmp_path / "d"))
    assert (code, out) == (0, "Imported 1 session (0 already there).\n")


def test_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["history", "import"])
    assert info.value.code == 2
    assert "the following arguments are required: FILE" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["history", "import", "--help"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("usage: backtone history import")
    assert run(capsys, "history", "--format", "csv", "import", "f.csv")[:2] == (2, "")
    a_file = tmp_path / "f"
    a_file.write_text("x")
    assert import_file(capsys, a_file, a_file / "data")[0] == 2  # a data dir under a file
    # `status` as a file's name is not the `status` command
    assert quick_status_arguments(["history", "import", "status"]) is None
    assert import_file(capsys, tmp_path / "status", tmp_path / "d")[2].startswith(
        "backtone: cannot read"
    )


def test_the_history_command_itself_is_unchanged(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    store = world.open()
    record(world, store, at(1))
    store.close()
    code, out, _ = run(capsys, "history", "--data-dir", str(world.data_dir), "--format", "json")
    assert code == 0 and [r["export_version"] for r in json.loads(out)] == [EXPORT_VERSION]
    code, out, _ = run(capsys, "history", "--data-dir", str(world.data_dir), "--limit", "1")
    assert code == 0 and "One minute" in out


# -- generated histories --------------------------------------------------------------------------

ZONES = st.sampled_from([tz(14), tz(-10), tz(5, 30), tz(0), tz(-3, -30), tz(1)])
INSTANTS = st.builds(
    lambda moment, zone: moment.replace(tzinfo=zone).isoformat(timespec="seconds"),
    st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1)),
    ZONES,
)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
SECONDS = st.floats(0, 10**6, allow_nan=False)
PAIN = st.none() | st.integers(0, 10)
IDENTITIES = st.from_regex(r"[a-z0-9-]{1,8}/[0-9a-f]{8}", fullmatch=True)
NOTES = st.none() | st.text(
    st.characters(whitelist_categories=("L", "N", "P"), whitelist_characters=" \n\t"), max_size=40
)


@st.composite
def sessions(draw: st.DrawFn) -> dict[str, Any]:
    started = draw(INSTANTS)
    total = draw(st.integers(0, 6))
    segments = [
        {
            "segment_index": index, "kind": draw(st.sampled_from(["prepare", "work", "rest"])),
            "label": draw(TEXT), "exercise": draw(TEXT), "position": draw(TEXT),
            "outcome": draw(st.sampled_from(["done", "skipped"])),
            "active_seconds": round(draw(SECONDS), 3), "ended_at": draw(INSTANTS),
            "step_index": draw(st.none() | st.integers(0, 5)),
        }
        for index in draw(st.sets(st.integers(0, 20), max_size=total)) if index >= 0
    ]  # fmt: skip
    levels = draw(st.none() | st.dictionaries(IDENTITIES, st.integers(1, 3600), max_size=2))
    return {
        "routine_id": draw(st.sampled_from(["minute", "short", "a-b"])),
        "routine_name": draw(TEXT),
        "routine_digest": draw(st.sampled_from(["", "0123456789abcdef", "v2:1234"])),
        "routines_file": draw(TEXT),
        "started_at": started,
        "day": started[:10],
        "ended_at": draw(st.none() | INSTANTS),
        "status": draw(st.sampled_from(["completed", "stopped", "interrupted"])),
        "planned_seconds": draw(SECONDS),
        "active_seconds": draw(SECONDS),
        "paused_seconds": draw(SECONDS),
        "segments_done": 0,
        "segments_total": total,
        "current_segment": draw(st.integers(0, 6)),
        "host": draw(st.sampled_from(["", "pi", "laptop"])),
        "updated_at": draw(INSTANTS),
        "pain_before": draw(PAIN),
        "pain_after": draw(PAIN),
        "levels": json.dumps(levels, sort_keys=True) if levels else None,
        "full_steps": json.dumps(sorted(draw(st.sets(IDENTITIES, max_size=2)))),
        "program_version": draw(st.none() | st.sampled_from(["1", "2.1", ""])),
        "note": (draw(NOTES) or "").strip() or None,
        "segments": segments,
    }


def write_rows(data_dir: Path, rows: list[dict[str, Any]]) -> None:
    """The sessions straight into a history, as backtone would have stored them."""
    HistoryStore.open(data_dir).close()
    connection = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    connection.execute("BEGIN")
    for number, row in enumerate(rows, 1):
        columns = [key for key in row if key != "segments"]
        connection.execute(
            f"INSERT INTO sessions (id, {', '.join(columns)})"
            f" VALUES (?, {', '.join('?' for _ in columns)})",
            (number * 3, *(row[key] for key in columns)),
        )
        for segment in row["segments"]:
            connection.execute(
                f"INSERT INTO segments (session_id, {', '.join(segment)})"
                f" VALUES (?, {', '.join('?' for _ in segment)})",
                (number * 3, *segment.values()),
            )
    connection.execute("COMMIT")
    connection.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sessions(), max_size=5, unique_by=lambda r: (r["routine_id"], r["started_at"])))
def test_any_history_survives_an_export_and_an_import(rows: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "a", Path(folder) / "b"
        write_rows(source, rows)
        original = exported(source)
        data = json.dumps(original).encode()
        store = HistoryStore.open(target)
        try:
            first = import_sessions(store, read_export(data))
            again = import_sessions(store, read_export(data))
        finally:
            store.close()
        assert (first.imported, first.already_there) == (len(rows), 0)
        assert (again.imported, again.already_there) == (0, len(rows))
        assert exported(target) == original


# -- end to end: the real command, in a terminal ----------------------------------------------


@pytest.mark.e2e
def test_the_installed_command_exports_and_imports_twice(source: World, tmp_path: Path) -> None:
    backtone = find_backtone()
    if backtone is None:
        pytest.skip("the `backtone` command is not installed beside this Python nor on the PATH")
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "config").mkdir()
    target = tmp_path / "new-server"
    env = clean_env(tmp_path / "config", target, home)

    def history_json(data_dir: Path) -> str:
        result = subprocess.run(
            [backtone, "history", "--format", "json", "--data-dir", str(data_dir)],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    path = tmp_path / "sessions.json"
    path.write_text(history_json(source.data_dir), encoding="utf-8")
    for already in (0, 5):
        with Terminal(backtone, ["history", "import", str(path)], env) as terminal:
            terminal.wait_for(f"Imported {5 - already} sessions ({already} already there).")
            assert terminal.wait_exit() == (0, None)
            assert b"Traceback" not in bytes(terminal.transcript)
    assert json.loads(history_json(target)) == as_imported(json.loads(path.read_text()))


def test_when_a_session_started_is_not_the_day_it_is_filed_under() -> None:
    """The day a session is filed under is kept as the export says, not worked out again."""
    (session,) = read_export(json.dumps([a_record(day="2024-12-31")]).encode())
    assert session.values["day"] == "2024-12-31"
    assert datetime.fromisoformat(str(session.values["started_at"])).date().isoformat() == (
        "2025-01-01"
    )
