"""Recording never blocks the countdown: locks and a full disk are ridden out, the end is
written from a worker thread, and a session whose recording failed is never left to resume."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storehelpers import SHORT, FakeClock, World, engine_outcomes, stored_outcomes
from test_sessions import OPERATIONS, FailingCommit, operation

import tui.store.errors as errors_module
from tui.core.engine import Event, Outcome, Session
from tui.store.checkpoint import worth_writing
from tui.store.database import BUSY_TIMEOUT_MS, DB_NAME
from tui.store.recorder import (
    GIVE_UP_AFTER_SECONDS,
    KEPT,
    RECORDING_BUSY_TIMEOUT_MS,
    Recorder,
    note_line,
    resume_session,
    start_recording,
)
from tui.store.rows import NOTE_MAX_CHARACTERS, HistoryBusy, HistoryUnavailable
from tui.store.sessions import HistoryStore


@contextmanager
def held_exclusively(path: Path) -> Iterator[sqlite3.Connection]:
    """Another process's connection, holding the write lock until the block ends."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield holder
    finally:
        holder.execute("ROLLBACK")
        holder.close()


class Playing:
    """A session being played and recorded, one segment change at a time."""

    def __init__(self, world: World, store: HistoryStore) -> None:
        self.world = world
        self.store = store
        self.session = world.session(SHORT)
        self.recorder_clock = FakeClock(0.0)
        self.recorder = Recorder(store, store.begin(SHORT), clock=self.recorder_clock)
        self.warnings: list[str] = []
        self.apply(self.session.start())

    def apply(self, events: list[Event]) -> str | None:
        warning = self.recorder.record(self.session, events)
        if warning:
            self.warnings.append(warning)
        return warning

    def next_change(self, seconds_later: float = 0.0) -> str | None:
        """Let the segment run out (or go on from an untimed one)."""
        self.recorder_clock.advance(seconds_later)
        if self.session.waiting:
            self.world.tick(1.0)
            return self.apply(self.session.go_on())
        self.world.tick(self.session.remaining() or 0.0)
        return self.apply(self.session.update())

    def row(self) -> tuple[str, int, int]:
        row = self.store.get(self.recorder.session_id)
        assert row is not None
        return row.status, row.current_segment, row.segments_done


def finish_in_a_thread(recorder: Recorder, session: Session, events: list[Event]) -> str | None:
    """As the UI does it: a worker thread, where the store's own connection cannot be used."""
    result: list[str | None] = []
    worker = threading.Thread(target=lambda: result.append(recorder.finish(session, events)))
    worker.start()
    worker.join(timeout=30)
    assert result, "finish() raised in its thread"
    return result[0]


# -- a lock held by another process ------------------------------------------------------------


def test_a_locked_history_costs_the_countdown_tens_of_ms_and_is_caught_up(world: World) -> None:
    store = world.open()
    playing = Playing(world, store)
    playing.next_change()
    before = playing.row()
    with held_exclusively(store.path):
        started = time.perf_counter()
        warning = playing.next_change()
        waited = time.perf_counter() - started
        assert waited < 1.0, f"the countdown waited {waited:.2f} s"  # not the 5 s busy timeout
        assert warning is not None and "holding the history locked" in warning
        assert "try again" in warning
        assert playing.next_change() is None  # said once while it lasts
        assert playing.row() == before  # nothing written meanwhile
        assert "could not be written just now" in playing.recorder.status_text()
    playing.next_change()  # the lock is gone: everything kept is written now
    assert playing.recorder.pending == [] and playing.recorder.failure is None
    status, current, _ = playing.row()
    assert (status, current) == ("active", playing.session.index)
    assert stored_outcomes(store, playing.recorder.session_id) == engine_outcomes(playing.session)
    assert playing.recorder.status_text() == KEPT
    assert store.connection.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS


def test_the_recorder_s_wait_for_a_lock_is_short(world: World) -> None:
    assert 10 <= RECORDING_BUSY_TIMEOUT_MS <= 100
    assert BUSY_TIMEOUT_MS >= 1000  # the final write in its worker can afford to wait


def test_only_a_failure_that_persists_stops_recording(world: World) -> None:
    store = world.open()
    playing = Playing(world, store)
    with held_exclusively(store.path):
        for _ in range(5):  # a burst of short segments: many failures, but only for seconds
            playing.next_change(seconds_later=2.0)
        assert playing.recorder.failure is None
        playing.next_change(seconds_later=GIVE_UP_AFTER_SECONDS)  # over 30 s, 6 in a row
        assert playing.recorder.failure is not None
        assert playing.warnings[-1].startswith("History stopped recording this session")
        assert "holding the history locked" in playing.warnings[-1]
        assert "may be missing" in playing.recorder.status_text()
    assert playing.next_change() is None  # stopped: no more tries on the UI thread
    assert playing.row()[0] == "active"
    while not playing.session.over:
        playing.next_change()
    assert playing.row()[0] == "active"
    # The end, in a worker: everything kept since the first failure is written after all.
    assert finish_in_a_thread(playing.recorder, playing.session, []) is None
    assert playing.row() == ("completed", len(SHORT.segments) - 1, len(SHORT.segments))
    assert stored_outcomes(store, playing.recorder.session_id) == engine_outcomes(playing.session)
    assert playing.recorder.failure is None and playing.recorder.status_text() == KEPT
    assert not store.locks.unrecorded(playing.recorder.session_id)


def test_a_long_single_segment_does_not_give_up_on_one_failure(world: World) -> None:
    store = world.open()
    playing = Playing(world, store)
    with held_exclusively(store.path):
        playing.next_change(seconds_later=100.0)  # one failure, however long after
        playing.next_change(seconds_later=100.0)
        assert playing.recorder.failure is None
        playing.next_change(seconds_later=100.0)
        assert playing.recorder.failure is not None


def test_a_session_whose_recording_failed_is_kept_as_interrupted_not_offered(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = world.open()
    playing = Playing(world, store)
    playing.next_change()
    real = store.connection
    monkeypatch.setattr(store, "connection", FailingCommit(real))
    for _ in range(4):
        playing.next_change(seconds_later=15.0)
    assert playing.recorder.failure is not None and "the disk is full" in playing.warnings[-1]
    assert "I/O" not in playing.warnings[-1]
    playing.apply(playing.session.stop())

    def disk_still_full(*args: object, **kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("tui.store.recorder.connect", disk_still_full)
    warning = finish_in_a_thread(playing.recorder, playing.session, [])
    assert warning is not None and "the disk is full" in warning
    monkeypatch.undo()
    store.close()  # the process ends; its row still says active, at an early segment
    later = world.open()
    assert later.orphans() == []  # not offered as a resume "after 0:00"
    row = later.get(playing.recorder.session_id)
    assert row is not None and row.status == "interrupted"
    assert not later.locks.unrecorded(playing.recorder.session_id)


def test_without_the_marker_such_a_row_would_be_offered(world: World) -> None:
    """The test above can fail: the same row, with no marker, is an ordinary orphan."""
    store = world.open()
    playing = Playing(world, store)
    playing.next_change()
    store.close()
    assert [r.id for r in world.open().orphans()] == [playing.recorder.session_id]


def test_an_unrecorded_session_that_cannot_be_marked_now_is_kept_back_and_marked_later(
    world: World,
) -> None:
    store = world.open()
    playing = Playing(world, store)
    store.locks.mark_unrecorded(playing.recorder.session_id)
    store.close()  # the process ends with the marker left
    later = HistoryStore.open(world.data_dir, now=world.now, busy_timeout_ms=20)
    world.stores.append(later)
    with held_exclusively(later.path):
        assert later.orphans() == []  # neither offered nor an error
    assert later.locks.unrecorded(playing.recorder.session_id)
    assert later.orphans() == []
    row = later.get(playing.recorder.session_id)
    assert row is not None and row.status == "interrupted"
    assert not later.locks.unrecorded(playing.recorder.session_id)


# -- a full disk ------------------------------------------------------------------------------


def test_a_full_disk_is_retried_at_the_next_segment_and_said_plainly(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = world.open()
    playing = Playing(world, store)
    real = store.connection
    monkeypatch.setattr(store, "connection", FailingCommit(real))
    warning = playing.next_change()
    assert warning is not None and "the disk is full" in warning and "I/O" not in warning
    playing.next_change()
    monkeypatch.setattr(store, "connection", real)
    assert not real.in_transaction  # the failed commit was rolled back
    playing.next_change()
    assert playing.recorder.failure is None and playing.recorder.pending == []
    assert stored_outcomes(store, playing.recorder.session_id) == engine_outcomes(playing.session)
    assert playing.row()[1] == playing.session.index


def test_an_io_error_on_a_nearly_full_disk_is_called_a_full_disk(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    error = sqlite3.OperationalError("disk I/O error")
    assert errors_module.reason(error, tmp_path / DB_NAME) == "a disk I/O error"
    monkeypatch.setattr(errors_module, "disk_nearly_full", lambda path: True)
    assert errors_module.reason(error, tmp_path / DB_NAME) == "the disk is full"
    assert isinstance(errors_module.unavailable(error, "x"), HistoryBusy)


@pytest.mark.parametrize(
    ("message", "transient", "said"),
    [
        ("database or disk is full", True, "the disk is full"),
        ("database is locked", True, "another program is holding the history locked"),
        ("disk I/O error", True, "a disk I/O error"),
        ("attempt to write a readonly database", False, "the history file is read-only"),
        ("no such table: sessions", False, "no such table: sessions"),
    ],
)
def test_sqlite_errors_in_words(message: str, transient: bool, said: str) -> None:
    failure = errors_module.unavailable(sqlite3.OperationalError(message), "record the session")
    assert isinstance(failure, HistoryUnavailable)
    assert failure.transient is transient
    assert str(failure) == f"cannot record the session: {said}" and failure.reason == said


# -- the end, from a worker thread ------------------------------------------------------------


def test_finish_writes_the_end_from_another_thread(world: World) -> None:
    store = world.open()
    playing = Playing(world, store)
    playing.next_change()
    events = playing.session.stop()
    assert finish_in_a_thread(playing.recorder, playing.session, events) is None
    assert playing.row()[0] == "stopped"
    assert not store.locks.holds(playing.recorder.session_id)
    assert store.orphans() == []


def test_finish_waits_for_a_lock_the_ui_thread_would_not(world: World) -> None:
    store = world.open()
    playing = Playing(world, store)
    events = playing.session.stop()
    result: list[str | None] = []
    with held_exclusively(store.path):
        worker = threading.Thread(
            target=lambda: result.append(playing.recorder.finish(playing.session, events))
        )
        worker.start()  # waits on the lock (up to 5 s) while it is held
    worker.join(timeout=30)
    assert result == [None]
    assert playing.row()[0] == "stopped"


def test_an_end_given_to_record_that_fails_is_still_finished_by_finish(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = world.open()
    playing = Playing(world, store)
    real = store.connection
    monkeypatch.setattr(store, "connection", FailingCommit(real))
    warning = playing.apply(playing.session.stop())  # no next segment to retry at
    assert warning is not None and warning.startswith("History stopped recording")
    assert store.locks.unrecorded(playing.recorder.session_id)
    monkeypatch.setattr(store, "connection", real)
    assert finish_in_a_thread(playing.recorder, playing.session, []) is None
    assert playing.row()[0] == "stopped"
    assert not store.locks.unrecorded(playing.recorder.session_id)


def test_finish_with_nothing_waiting_writes_nothing(world: World) -> None:
    store = world.open()
    playing = Playing(world, store)
    playing.apply(playing.session.stop())
    assert playing.row()[0] == "stopped"
    assert finish_in_a_thread(playing.recorder, playing.session, []) is None


def test_pain_after_is_recorded_from_a_worker_thread(world: World) -> None:
    store = world.open()
    playing = Playing(world, store)
    playing.apply(playing.session.stop())
    result: list[str | None] = []
    worker = threading.Thread(target=lambda: result.append(playing.recorder.set_pain_after(4)))
    worker.start()
    worker.join(timeout=30)
    assert result == [None]
    row = store.get(playing.recorder.session_id)
    assert row is not None and row.pain_after == 4
    with pytest.raises(ValueError):
        playing.recorder.set_pain_after(11)


def test_pain_after_that_cannot_be_written_is_a_warning(world: World) -> None:
    store = world.open()
    playing = Playing(world, store)
    store.path = store.path.with_name("gone") / DB_NAME  # the data dir went away, say
    warning = playing.recorder.set_pain_after(3)
    assert warning is not None and warning.startswith("How your back feels now was not recorded")


def in_a_thread(write: Callable[[], str | None]) -> str | None:
    """As the UI runs the check-in's and the note's writes: in a worker thread."""
    result: list[str | None] = []
    worker = threading.Thread(target=lambda: result.append(write()))
    worker.start()
    worker.join(timeout=30)
    assert result, "the write raised in its thread"
    return result[0]


def test_the_note_is_recorded_from_a_worker_thread(world: World) -> None:
    store = world.open()
    playing = Playing(world, store)
    playing.apply(playing.session.stop())
    assert in_a_thread(lambda: playing.recorder.set_note("  Easier [bold]today[/]  ")) is None
    row = store.get(playing.recorder.session_id)
    assert row is not None and row.note == "Easier [bold]today[/]"
    assert in_a_thread(lambda: playing.recorder.set_note("   ")) is None  # blank: no note
    row = store.get(playing.recorder.session_id)
    assert row is not None and row.note is None


def test_control_characters_are_taken_out_of_a_note_not_refused(world: World) -> None:
    store = world.open()
    playing = Playing(world, store)
    assert playing.recorder.set_note("tight\thips\x1b[31m\x07\r\nred\u202e\u200b") is None
    row = store.get(playing.recorder.session_id)
    assert row is not None and row.note == "tight hips[31m  red"
    assert note_line("a\u00a0b\u2028c") == "a b c"


def test_a_note_over_the_store_s_limit_is_the_caller_s_mistake(world: World) -> None:
    store = world.open()
    playing = Playing(world, store)
    with pytest.raises(ValueError):
        playing.recorder.set_note("x" * (NOTE_MAX_CHARACTERS + 1))


def test_a_history_that_cannot_take_the_check_in_or_the_note_says_why_once(
    world: World,
) -> None:
    store = world.open()
    playing = Playing(world, store)
    store.path = store.path.with_name("gone") / DB_NAME  # the data dir went away, say
    pain = playing.recorder.set_pain_after(3)
    note = playing.recorder.set_note("fine")
    assert pain is not None and pain.startswith("How your back feels now was not recorded: ")
    assert note == "Your note was not recorded either."


def test_a_note_that_fails_alone_names_the_reason(world: World) -> None:
    store = world.open()
    playing = Playing(world, store)
    assert playing.recorder.set_pain_after(3) is None
    real = store.path
    store.path = real.with_name("gone") / DB_NAME
    warning = playing.recorder.set_note("fine")
    assert warning is not None and warning.startswith("Your note was not recorded: ")
    assert warning != "Your note was not recorded either."


def test_after_recording_stopped_the_check_in_and_the_note_do_not_repeat_why(
    world: World,
) -> None:
    store = world.open()
    playing = Playing(world, store)
    store.path = store.path.with_name("gone") / DB_NAME
    stopped = finish_in_a_thread(playing.recorder, playing.session, playing.session.stop())
    assert stopped is not None and stopped.startswith("History stopped recording")
    assert playing.recorder.set_pain_after(2) == "How your back feels now was not recorded either."
    assert playing.recorder.set_note("ok") == "Your note was not recorded either."


@pytest.mark.parametrize("version", ["2.1", None])
def test_the_programme_version_is_passed_to_the_new_row(world: World, version: str | None) -> None:
    store = world.open()
    session = world.session(SHORT)
    recorder = start_recording(store, session, "routines.toml", program_version=version)
    row = store.get(recorder.session_id)
    assert row is not None and row.program_version == version


def test_a_resumed_session_keeps_its_programme_version(world: World) -> None:
    store = world.open()
    session = world.session(SHORT)
    recorder = start_recording(store, session, program_version="1")
    recorder.record(session, session.start())
    store.close()  # the process is gone, the session left active
    again = world.open()
    (row,) = again.orphans()
    assert again.claim(row.id)
    _session, resumed = resume_session(again, row, SHORT, world.clock)
    assert resumed.session_id == row.id
    stored = again.get(row.id)
    assert stored is not None and stored.program_version == "1"


# -- whatever fails when, the record ends up whole ---------------------------------------------


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(
        st.tuples(operation, st.booleans(), st.sampled_from([0.0, 5.0, 20.0])), max_size=40
    )
)
def test_under_any_run_of_failed_writes_the_finished_record_is_the_engine_s(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str | float, bool, float]]
) -> None:
    """Each checkpoint either fails (the disk full) or not, and time passes for the recorder's
    patience; written or caught up later or by finish(), the end is what the engine did."""
    world = World(tmp_path_factory.mktemp("data"))
    try:
        store = world.open()
        real = store.connection
        playing = Playing(world, store)
        for op, fails, later in steps:
            if playing.session.over:
                break
            store.connection = FailingCommit(real) if fails else real  # type: ignore[assignment]
            playing.recorder_clock.advance(later)
            if isinstance(op, float):
                world.tick(op)
                events = playing.session.update()
            else:
                events = OPERATIONS[op](playing.session)
            playing.apply(events)
            if worth_writing(events) and not fails and playing.recorder.failure is None:
                assert playing.recorder.pending == []  # a write that works catches up at once
        store.connection = real
        events = [] if playing.session.over else playing.session.stop()
        assert finish_in_a_thread(playing.recorder, playing.session, events) is None
        row = store.get(playing.recorder.session_id)
        assert row is not None
        assert stored_outcomes(store, row.id) == engine_outcomes(playing.session)
        assert row.segments_done == list(playing.session.outcomes.values()).count(Outcome.DONE)
        assert row.status in ("completed", "stopped") and row.ended_at is not None
        assert row.current_segment == playing.session.index
        assert row.active_seconds == pytest.approx(playing.session.progress().active_seconds)
        assert store.orphans() == [] and not store.locks.unrecorded(row.id)
    finally:
        world.close_all()
