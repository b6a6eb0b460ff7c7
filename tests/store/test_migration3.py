"""Schema 3: pain check-ins, progression levels and each segment's step, from a version-2 file."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storehelpers import MINUTE, SHORT, World, play_to_end, record, step, tz
from test_sessions import user_version

from tui.core.progression import step_identities
from tui.store.database import APPLICATION_ID, DB_NAME, MIGRATIONS, SCHEMA_VERSION
from tui.store.recorder import start_recording
from tui.store.rows import HistoryUnavailable, SessionRow, levels_from_json

V2_ROWS = """
INSERT INTO sessions (id, routine_id, routine_name, routine_digest, started_at, day, ended_at,
    status, planned_seconds, active_seconds, paused_seconds, segments_done, segments_total,
    current_segment, updated_at)
VALUES (7, 'minute', 'One minute', 'abc', '2024-06-01T07:00:00+02:00', '2024-06-01',
    '2024-06-01T07:01:00+02:00', 'completed', 60, 60, 0, 1, 1, 0, '2024-06-01T07:01:00+02:00');
INSERT INTO segments VALUES (7, 0, 'work', 'Hold the plank', 'Plank', 'Rep 1/1', 'done', 60.0,
    '2024-06-01T07:01:00+02:00');
"""


def make_version_2(path: Path) -> None:
    """Today's file before this change: migrations 1 and 2, with a session in it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    for script in MIGRATIONS[:2]:
        connection.executescript(script)
    connection.executescript(V2_ROWS)
    connection.execute("PRAGMA user_version = 2")
    connection.commit()
    connection.close()


def columns(store_connection: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in store_connection.execute(f"PRAGMA table_info({table})")]


def test_a_version_2_database_upgrades_in_place(world: World) -> None:
    path = world.data_dir / DB_NAME
    make_version_2(path)
    assert user_version(path) == 2
    store = world.open()
    assert store.warning is None and store.schema_version == SCHEMA_VERSION >= 3
    for name in ("pain_before", "pain_after", "levels", "full_steps"):
        assert name in columns(store.connection, "sessions")
    assert "step_index" in columns(store.connection, "segments")
    (old,) = store.sessions()
    assert (old.id, old.status, old.pain_before, old.pain_after, old.levels) == (
        7,
        "completed",
        None,
        None,
        None,
    )
    assert [s.step_index for s in store.segments(7)] == [None]
    store.set_pain(7, after=3)  # an old row takes a check-in like any other
    assert store.get(7) == SessionRow(*[*list(old.__dict__.values())[:13], None, 3, None])
    new = record(world, store, datetime(2025, 1, 1, 9, 0, tzinfo=tz(1)), plan=SHORT)
    assert {s.step_index for s in store.segments(new)} == {0, 1}
    store.close()
    assert user_version(path) == SCHEMA_VERSION
    again = world.open()  # migrated once: opening again changes nothing
    assert [r.id for r in again.sessions()] == [new, 7]


def test_an_old_file_is_stamped_as_backtone_s(world: World) -> None:
    path = world.data_dir / DB_NAME
    make_version_2(path)
    world.open().close()
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        connection.close()


def test_begin_keeps_the_pain_before_and_the_levels_played(world: World) -> None:
    store = world.open()
    session_id = store.begin(SHORT, "r.toml", pain_before=5, levels={0: 7.0, 3: 12})
    row = store.get(session_id)
    assert row is not None
    # By step identity; SHORT has no step 3 to keep a level for.
    egg, _ = step_identities(SHORT.routine)
    assert (row.pain_before, row.pain_after, row.levels) == (5, None, {egg: 7.0})
    store.set_pain(session_id, after=2)
    store.set_pain(session_id)  # nothing given: nothing changes
    row = store.get(session_id)
    assert row is not None and (row.pain_before, row.pain_after) == (5, 2)
    assert row.export()["pain_before"] == 5 and row.export()["pain_after"] == 2
    keys = list(row.export())
    assert keys[keys.index("segments_total") + 1 :][:2] == ["pain_before", "pain_after"]
    assert row.export()["levels"] == {egg: 7.0}


def test_start_recording_passes_the_check_in_and_levels_on(world: World) -> None:
    store = world.open()
    session = world.session()
    recorder = start_recording(store, session, pain_before=0, levels={1: 8})
    row = store.get(recorder.session_id)
    _, knee = step_identities(SHORT.routine)
    assert row is not None and (row.pain_before, row.levels) == (0, {knee: 8})


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pain=st.one_of(
        st.integers(-5, 15), st.floats(allow_nan=True), st.booleans(), st.text(max_size=3)
    )
)
def test_pain_outside_0_to_10_is_refused_and_changes_nothing(world: World, pain: object) -> None:
    store = world.stores[0] if world.stores else world.open()
    session_id = store.begin(MINUTE)
    valid = isinstance(pain, int) and not isinstance(pain, bool) and 0 <= pain <= 10
    if valid:
        store.set_pain(session_id, before=pain)  # type: ignore[arg-type]
        row = store.get(session_id)
        assert row is not None and row.pain_before == pain
        return
    with pytest.raises(ValueError, match="0 to 10"):
        store.set_pain(session_id, before=pain)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="0 to 10"):
        store.set_pain(session_id, after=pain)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="0 to 10"):
        store.begin(MINUTE, pain_before=pain)  # type: ignore[arg-type]
    row = store.get(session_id)
    assert row is not None and (row.pain_before, row.pain_after) == (None, None)


@pytest.mark.parametrize("value", [-1, 11, 2.5, "x"])
def test_the_database_itself_refuses_a_pain_off_the_scale(world: World, value: object) -> None:
    store = world.open()
    session_id = store.begin(MINUTE)
    with pytest.raises(sqlite3.IntegrityError):
        store.connection.execute(
            "UPDATE sessions SET pain_after = ? WHERE id = ?", (value, session_id)
        )


def test_each_segment_records_its_step_and_full_steps_follow_the_outcomes(world: World) -> None:
    store = world.open()
    session = world.session(SHORT)
    session_id = store.begin(SHORT)
    play_to_end(world, store, session_id, session)
    stored = {s.segment_index: s.step_index for s in store.segments(session_id)}
    assert stored == {s.index: s.step_index for s in SHORT.segments}
    assert store.connection.execute(
        "SELECT full_steps FROM sessions WHERE id = ?", (session_id,)
    ).fetchone() == (json.dumps(sorted(step_identities(SHORT.routine))),)


def test_a_skipped_work_segment_leaves_its_step_short_of_full(world: World) -> None:
    store = world.open()
    session = world.session(SHORT)
    session_id = store.begin(SHORT)
    step(store, session_id, session, session.start())
    while session.segment.kind.value != "work":
        world.tick(session.remaining() or 0.0)
        step(store, session_id, session, session.update())
    step(store, session_id, session, session.next_segment())  # skips a work segment of step 0
    play_to_end(world, store, session_id, session)
    (past,) = store.past_sessions("short")
    assert past.full_steps == frozenset({step_identities(SHORT.routine)[1]})


@pytest.mark.parametrize(
    "text", [None, "", "not json", "[1, 2]", '{"a": 1}', '{"0": "x"}', '{"0": true}']
)
def test_levels_not_as_backtone_wrote_them_read_as_none(text: str | None) -> None:
    assert levels_from_json(text) is None


def test_levels_read_back_as_written() -> None:
    assert levels_from_json('{"0": 7, "2": 12.5}') == {0: 7, 2: 12.5}


def test_a_store_never_passes_on_a_raw_sqlite_error_from_begin(world: World) -> None:
    store = world.open()
    store.connection.close()
    with pytest.raises(HistoryUnavailable, match="cannot record the session"):
        store.begin(MINUTE, pain_before=3)
