"""The history store's test world: a short routine's plans, a fake engine clock and a fake wall
clock, a data dir with every store opened on it, and sessions recorded in a line. The `world`
fixture (conftest.py) gives each test one."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tui.core.engine import Event, Session, Status
from tui.core.loader import load_text
from tui.core.plan import Plan, build_plan
from tui.store.sessions import HistoryStore

ROUTINES = """\
schema = 1

[defaults]
prepare = 2
rest = 3
switch_sides = 2

[exercises.egg]
name = "Egg"
phases = [
  { name = "Hug knees to chest", seconds = 6, hold = true },
  { name = "Release", seconds = 2 },
]

[exercises.knee]
name = "Knee hug"
phases = [{ name = "Get into position" }, { name = "Hug one knee", seconds = 4, hold = true }]

[exercises.plank]
name = "Plank"
phases = [{ name = "Hold the plank", seconds = 60, hold = true }]

[[routines]]
id = "short"
name = "Short test"
steps = [
  { exercise = "egg", reps = 2 },
  { exercise = "knee", sides = ["left", "right"] },
]

[[routines]]
id = "minute"
name = "One minute"
prepare = 0
steps = [{ exercise = "plank" }]
"""

BOOK = load_text(ROUTINES)
SHORT = build_plan(BOOK.routine("short"))  # 12 segments, two of them untimed
MINUTE = build_plan(BOOK.routine("minute"))  # one 60 s segment

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def tz(hours: int, minutes: int = 0) -> timezone:
    return timezone(timedelta(hours=hours, minutes=minutes))


class FakeClock:
    """The engine's monotonic clock: it moves only when a test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.value = start

    def __call__(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds


class FakeNow:
    """Wall time for the store: an aware datetime a test sets or moves."""

    def __init__(self, when: datetime) -> None:
        self.when = when

    def __call__(self) -> datetime:
        return self.when

    def set(self, when: datetime) -> None:
        self.when = when

    def advance(self, seconds: float) -> None:
        self.when += timedelta(seconds=seconds)


class World:
    """One data dir, a fake clock and a fake now, and every store opened on it."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.clock = FakeClock()
        self.now = FakeNow(datetime(2025, 1, 15, 8, 0, tzinfo=tz(1)))
        self.stores: list[HistoryStore] = []

    def open(self) -> HistoryStore:
        store = HistoryStore.open(self.data_dir, now=self.now)
        self.stores.append(store)
        return store

    def tick(self, seconds: float) -> None:
        """Time passes for the engine and on the wall alike."""
        self.clock.advance(seconds)
        self.now.advance(seconds)

    def session(self, plan: Plan = SHORT) -> Session:
        return Session(plan, clock=self.clock)

    def close_all(self) -> None:
        for store in self.stores:
            with contextlib.suppress(sqlite3.Error):  # closed already
                store.close()


def stored_outcomes(store: HistoryStore, session_id: int) -> dict[int, str]:
    return {s.segment_index: s.outcome for s in store.segments(session_id)}


def engine_outcomes(session: Session) -> dict[int, str]:
    return {index: outcome.value for index, outcome in session.outcomes.items()}


def step(store: HistoryStore, session_id: int, session: Session, events: list[Event]) -> None:
    store.checkpoint(session_id, session, events)


def play_to_end(world: World, store: HistoryStore, session_id: int, session: Session) -> None:
    """Start if needed, then let every timed segment run out and go on from untimed ones."""
    if session.status is Status.READY:
        step(store, session_id, session, session.start())
    while not session.over:
        if session.waiting:
            world.tick(1.5)
            events = session.go_on()
        else:
            world.tick(session.remaining() or 0.0)
            events = session.update()
        step(store, session_id, session, events)


def record(
    world: World,
    store: HistoryStore,
    when: datetime,
    plan: Plan = MINUTE,
    how: str = "complete",
) -> int:
    """A whole session begun at `when`: completed, stopped after one segment, or stopped at once."""
    world.now.set(when)
    session = world.session(plan)
    session_id = store.begin(plan)
    if how == "complete":
        play_to_end(world, store, session_id, session)
    elif how == "stop-after-one":
        step(store, session_id, session, session.start())
        world.tick(session.remaining() or 0.0)
        step(store, session_id, session, session.update())
        step(store, session_id, session, session.stop())
    elif how == "stop-at-once":
        step(store, session_id, session, session.start())
        world.tick(20.0)
        step(store, session_id, session, session.stop())
    else:  # pragma: no cover
        raise ValueError(how)
    return session_id


def expected_status(session: Session) -> str:
    return {
        Status.READY: "active",
        Status.ACTIVE: "active",
        Status.FINISHED: "completed",
        Status.STOPPED: "stopped",
    }[session.status]
