"""The session engine, driven by a fake clock: every operation, its events and its edge cases.

Where a test compares times with ==, they are sums of binary fractions (0.25, 0.5, 2.75...)
so that "exactly" means exactly: remaining time is a deadline minus now, and with these numbers
no rounding can hide a drift. Nothing sleeps: FakeClock is moved by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from fakeclock import FakeClock

from tui.core.engine import (
    ADJUST_STEP,
    Countdown,
    Event,
    Outcome,
    PauseChanged,
    SegmentEnded,
    SegmentStarted,
    Session,
    SessionEnded,
    Status,
)
from tui.core.loader import load_text
from tui.core.model import Routine
from tui.core.plan import Kind, Plan, build_plan
from tui.core.summary import Summary, summarize
from tui.core.timefmt import format_clock

DONE, SKIPPED = Outcome.DONE, Outcome.SKIPPED
P, W, R, S = Kind.PREPARE, Kind.WORK, Kind.REST, Kind.SWITCH

DEFAULTS = """\
schema = 1

[defaults]
prepare = 2
rest = 4
rest_between_sets = 3
rest_between_reps = 1
switch_sides = 2
"""

# Two exercises. Lift has a 5 s hold and a 2 s release, twice; then Reach, one 3 s phase.
#   index  0 P 2   1 W 5 hold   2 W 2   3 R 1   4 W 5 hold   5 W 2   6 R 4   7 P 2   8 W 3
#   starts 0       2            7       9       10           15      17      21      23  (end 26)
BASIC = """
[exercises.lift]
name = "Lift"
phases = [{ name = "Lift and hold", seconds = 5, hold = true }, { name = "Lower", seconds = 2 }]

[exercises.reach]
name = "Reach"
phases = [{ name = "Reach", seconds = 3 }]

[[routines]]
id = "basic"
name = "Basic"
steps = [{ exercise = "lift", reps = 2 }, { exercise = "reach" }]
"""
BASIC_STARTS = [0, 2, 7, 9, 10, 15, 17, 21, 23]
BASIC_TOTAL = 26.0

# Two sets on each of two sides: 0 P 2, 1 Up 4 L, 2 R 3, 3 Up 4 L, 4 S 2, 5 Up 4 R, 6 R 3, 7 Up 4 R.
SIDES_SETS = """
[exercises.bridge]
name = "Bridge"
phases = [{ name = "Up", seconds = 4, hold = true }]

[[routines]]
id = "bridge"
name = "Bridge"
steps = [{ exercise = "bridge", sets = 2, sides = ["left", "right"] }]
"""

# Untimed phases: 0 P 2, 1 W untimed, 2 W 3 hold, 3 R 4, 4 W untimed (the last segment).
UNTIMED = """
[exercises.position]
name = "Position"
phases = [{ name = "Get into position" }, { name = "Hold", seconds = 3, hold = true }]

[exercises.relax]
name = "Relax"
phases = [{ name = "Relax until ready" }]

[[routines]]
id = "untimed"
name = "Untimed"
steps = [{ exercise = "position" }, { exercise = "relax", prepare = 0 }]
"""


def plan_of(body: str) -> Plan:
    book = load_text(DEFAULTS + body, "session-test.toml")
    return build_plan(book.routines[0])


def one_hold(seconds: float, *, hold: bool = True) -> Plan:
    """A plan of a single work segment (no get-ready) of `seconds`."""
    flag = "true" if hold else "false"
    return plan_of(f"""
[exercises.x]
name = "X"
phases = [{{ name = "Hold it", seconds = {seconds}, hold = {flag} }}]

[[routines]]
id = "x"
name = "X"
steps = [{{ exercise = "x", prepare = 0 }}]
""")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1000.0)


@pytest.fixture
def basic() -> Plan:
    return plan_of(BASIC)


def started(plan: Plan, clock: FakeClock, start_index: int = 0) -> Session:
    session = Session(plan, clock, start_index)
    assert session.start() == [SegmentStarted(plan.segments[session.index])]
    return session


def at(session: Session, clock: FakeClock, elapsed: float) -> list[Event]:
    """Move the clock to `elapsed` seconds after the clock's start and catch up once."""
    clock.set(clock.start + elapsed)
    return session.update()


def tick_until(
    session: Session, clock: FakeClock, elapsed: float, step: float = 0.01
) -> list[tuple[float, Event]]:
    """Update every `step` seconds up to `elapsed` (since the clock's start), and at `elapsed`.

    Each tick time is computed from a tick count, so no rounding piles up. Returns the events
    with the time (since the clock's start) of the update that returned them.
    """
    events: list[tuple[float, Event]] = []
    begin, target = clock.now, clock.start + elapsed
    tick = 1
    while begin + tick * step < target - 1e-9:
        clock.set(begin + tick * step)
        events += [(clock.elapsed, event) for event in session.update()]
        tick += 1
    clock.set(target)
    events += [(clock.elapsed, event) for event in session.update()]
    return events


def countdowns(events: Iterable[Event]) -> list[int]:
    return [e.seconds_left for e in events if isinstance(e, Countdown)]


# -- the fixture plans ----------------------------------------------------------------------------


def test_the_fixture_plans_have_the_shape_these_tests_assume(basic: Plan) -> None:
    assert [(s.kind, s.planned, s.hold) for s in basic.segments] == [
        (P, 2, False),
        (W, 5, True),
        (W, 2, False),
        (R, 1, False),
        (W, 5, True),
        (W, 2, False),
        (R, 4, False),
        (P, 2, False),
        (W, 3, False),
    ]
    assert basic.timed_seconds == BASIC_TOTAL
    sides = plan_of(SIDES_SETS)
    assert [(s.kind, s.planned, s.side, s.set_number) for s in sides.segments] == [
        (P, 2, "left", 1),
        (W, 4, "left", 1),
        (R, 3, "left", 2),
        (W, 4, "left", 2),
        (S, 2, "right", 1),
        (W, 4, "right", 1),
        (R, 3, "right", 2),
        (W, 4, "right", 2),
    ]
    untimed = plan_of(UNTIMED)
    assert [(s.kind, s.seconds) for s in untimed.segments] == [
        (P, 2),
        (W, None),
        (W, 3),
        (R, 4),
        (W, None),
    ]


# -- making a session -----------------------------------------------------------------------------


def test_a_plan_with_no_segments_cannot_be_played(clock: FakeClock) -> None:
    empty = Plan(Routine("empty", "Empty", ()), ())
    with pytest.raises(ValueError, match="no segments"):
        Session(empty, clock)


@pytest.mark.parametrize(("asked", "index"), [(-5, 0), (0, 0), (4, 4), (8, 8), (99, 8)])
def test_the_start_index_is_kept_inside_the_plan(
    basic: Plan, clock: FakeClock, asked: int, index: int
) -> None:
    session = Session(basic, clock, asked)
    assert session.index == index
    assert session.segment is basic.segments[index]


def test_a_new_session_is_ready_and_does_nothing_until_started(
    basic: Plan, clock: FakeClock
) -> None:
    session = Session(basic, clock)
    assert session.status is Status.READY
    assert not session.running and not session.waiting and not session.over
    assert session.remaining() == 2.0
    assert session.next_wakeup() is None
    clock.advance(100)
    for operation in (
        session.update,
        session.pause,
        session.resume,
        session.go_on,
        session.next_segment,
        session.previous_segment,
        session.next_exercise,
        session.previous_exercise,
        session.restart_exercise,
        lambda: session.adjust(ADJUST_STEP),
        lambda: session.adjust(-ADJUST_STEP),
    ):
        assert operation() == []
    assert session.status is Status.READY and session.index == 0 and session.outcomes == {}
    assert session.remaining() == 2.0
    progress = session.progress()
    assert (progress.phase, progress.exercise, progress.session) == (0.0, 0.0, 0.0)
    assert (progress.active_seconds, progress.paused_seconds) == (0.0, 0.0)
    assert progress.session_remaining == BASIC_TOTAL


# -- start ----------------------------------------------------------------------------------------


def test_start_plays_the_first_segment_with_its_full_time(basic: Plan, clock: FakeClock) -> None:
    session = Session(basic, clock)
    assert session.start() == [SegmentStarted(basic.segments[0])]
    assert session.status is Status.ACTIVE and session.running and not session.paused
    assert session.remaining() == 2.0
    clock.advance(0.5)
    assert session.start() == []
    assert session.remaining() == 1.5


def test_start_at_an_index_plays_from_there(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock, start_index=4)
    assert session.segment is basic.segments[4]
    assert session.remaining() == 5.0
    progress = session.progress()
    assert progress.session == pytest.approx(10 / 26)
    assert progress.session_remaining == 16.0
    assert at(session, clock, 5) == [
        SegmentEnded(basic.segments[4], DONE, 5.0),
        SegmentStarted(basic.segments[5]),
    ]
    assert session.outcomes == {4: DONE}


# -- update: time left is a deadline minus now -----------------------------------------------------


def test_update_before_the_deadline_only_counts_down(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    assert at(session, clock, 1.25) == []
    assert session.remaining() == 0.75
    assert session.index == 0


def test_update_at_the_deadline_starts_the_next_segment(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    assert at(session, clock, 2) == [
        SegmentEnded(basic.segments[0], DONE, 2.0),
        SegmentStarted(basic.segments[1]),
    ]
    assert session.index == 1 and session.remaining() == 5.0
    assert session.outcomes == {0: DONE}


def test_a_late_update_starts_the_next_segment_at_the_deadline(
    basic: Plan, clock: FakeClock
) -> None:
    session = started(basic, clock)
    events = at(session, clock, 2.75)
    assert events == [SegmentEnded(basic.segments[0], DONE, 2.0), SegmentStarted(basic.segments[1])]
    assert session.remaining() == 4.25  # not 5: the hold began at 2 s, when the get-ready ended


def test_one_update_ends_every_segment_whose_deadline_passed(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    s = basic.segments
    assert at(session, clock, 9.5) == [
        SegmentEnded(s[0], DONE, 2.0),
        SegmentStarted(s[1]),
        SegmentEnded(s[1], DONE, 5.0),
        SegmentStarted(s[2]),
        SegmentEnded(s[2], DONE, 2.0),
        SegmentStarted(s[3]),
    ]
    assert session.index == 3 and session.remaining() == 0.5
    assert session.outcomes == {0: DONE, 1: DONE, 2: DONE}


def test_remaining_reads_the_clock_between_updates(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    clock.advance(1.5)
    assert session.remaining() == 0.5
    clock.advance(10)  # past the deadline, not yet caught up: never negative
    assert session.remaining() == 0.0
    session.update()
    assert session.index == 4 and session.remaining() == 3.5


def test_playing_to_the_end_finishes_the_session(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    events = at(session, clock, 30)
    assert events[-1] == SessionEnded(completed=True)
    assert events.count(SessionEnded(completed=True)) == 1
    assert [e.segment.index for e in events if isinstance(e, SegmentStarted)] == list(range(1, 9))
    assert session.status is Status.FINISHED
    assert session.over and not session.running and not session.waiting
    assert session.outcomes == dict.fromkeys(range(9), DONE)
    assert session.index == 8 and session.remaining() == 0.0
    assert session.next_wakeup() is None
    progress = session.progress()
    assert (progress.phase, progress.exercise, progress.session) == (1.0, 1.0, 1.0)
    assert progress.session_remaining == 0.0
    # It ended at its last deadline (26 s), not when the update noticed (30 s).
    assert progress.active_seconds == BASIC_TOTAL
    clock.advance(100)
    assert session.update() == []
    assert session.progress() == progress


@pytest.mark.parametrize("elapsed", [0.0, 1.0, 3.25, 9.0, 17.5, 22.75, 25.99])
def test_one_late_update_lands_where_frequent_updates_do(
    basic: Plan, clock: FakeClock, elapsed: float
) -> None:
    frequent = started(basic, clock)
    rare = Session(basic, clock)
    rare.start()
    tick_until(frequent, clock, elapsed, step=0.25)
    rare.update()
    assert (rare.index, rare.remaining(), rare.outcomes) == (
        frequent.index,
        frequent.remaining(),
        frequent.outcomes,
    )
    start = BASIC_STARTS[rare.index]
    assert rare.remaining() == pytest.approx(start + basic.segments[rare.index].planned - elapsed)


def test_no_drift_one_update_after_1000_s_equals_an_update_every_10_ms() -> None:
    """A long plan (about 29 min): the same segment and the same remaining, to the last bit."""
    plan = plan_of("""
[exercises.long]
name = "Long"
phases = [{ name = "Hold", seconds = 7.3, hold = true }, { name = "Release", seconds = 2.1 }]

[[routines]]
id = "long"
name = "Long"
steps = [
  { exercise = "long", reps = 10, sets = 3, sides = ["left", "right"] },
  { exercise = "long", reps = 10, sets = 3, sides = ["left", "right"] },
  { exercise = "long", reps = 10, sets = 3, sides = ["left", "right"] },
]
""")
    assert plan.timed_seconds > 1500
    rare_clock, frequent_clock = FakeClock(0.0), FakeClock(0.0)
    rare, frequent = Session(plan, rare_clock), Session(plan, frequent_clock)
    rare.start()
    frequent.start()
    for tick in range(1, 100_001):
        frequent_clock.set(tick / 100)  # exactly 1000.0 at the last tick
        frequent.update()
    rare_clock.set(1000.0)
    rare.update()
    assert frequent_clock.now == rare_clock.now == 1000.0
    assert rare.index == frequent.index
    assert rare.remaining() == frequent.remaining()
    assert rare.outcomes == frequent.outcomes
    assert rare.progress() == frequent.progress()
    # And that is where the plan says 1000 s in is.
    elapsed = 0.0
    for segment in plan.segments:
        if elapsed + segment.planned > 1000.0:
            break
        elapsed += segment.planned
    assert rare.index == segment.index
    assert rare.remaining() == pytest.approx(elapsed + segment.planned - 1000.0, abs=1e-6)


# -- pause and resume ---------------------------------------------------------------------------


def test_pausing_freezes_the_time_left_exactly(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 3.25)
    assert session.remaining() == 3.75
    before = session.progress()
    assert session.pause() == [PauseChanged(paused=True)]
    assert session.paused and not session.running and session.status is Status.ACTIVE
    for _ in range(5):
        clock.advance(123.5)
        assert session.update() == []
        assert session.remaining() == 3.75
    frozen = session.progress()
    assert (frozen.remaining, frozen.phase, frozen.exercise, frozen.session) == (
        before.remaining,
        before.phase,
        before.exercise,
        before.session,
    )
    assert session.next_wakeup() is None
    assert session.resume() == [PauseChanged(paused=False)]
    assert session.remaining() == 3.75
    clock.advance(1.0)
    assert session.remaining() == 2.75


def test_pause_and_resume_only_when_they_apply(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    assert session.resume() == []
    assert session.pause() == [PauseChanged(True)]
    assert session.pause() == []
    assert session.resume() == [PauseChanged(False)]
    assert session.resume() == []


def test_paused_time_is_never_counted_as_exercise_time(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 3)  # 1 s into the 5 s hold
    session.pause()
    clock.advance(100)
    session.resume()
    clock.advance(1.5)
    session.pause()
    clock.advance(20)
    session.resume()
    at(session, clock, 126.75)  # 4.75 s of the hold played, 120 s paused
    assert session.index == 1 and session.remaining() == 0.25
    events = at(session, clock, 127.5)
    assert events[0] == SegmentEnded(basic.segments[1], DONE, 5.0)
    progress = session.progress()
    assert progress.paused_seconds == 120.0
    assert progress.active_seconds == 7.5
    assert progress.active_seconds + progress.paused_seconds == clock.elapsed
    summary = summarize(session)
    assert (summary.active_seconds, summary.paused_seconds) == (7.5, 120.0)


def test_the_session_ends_later_by_exactly_the_paused_time(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 11)
    session.pause()
    clock.advance(10)
    session.resume()
    at(session, clock, BASIC_TOTAL + 10 - 0.25)
    assert not session.over and session.remaining() == 0.25
    assert at(session, clock, BASIC_TOTAL + 10)[-1] == SessionEnded(completed=True)
    assert session.progress().active_seconds == BASIC_TOTAL
    assert session.progress().paused_seconds == 10.0


def test_pause_during_a_rest(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 18.5)
    assert session.segment.kind is R and session.segment.label == "Rest"
    assert session.pause() == [PauseChanged(True)]
    clock.advance(60)
    assert session.update() == []
    assert session.remaining() == 2.5
    assert session.progress().phase == pytest.approx(1.5 / 4)
    session.resume()
    clock.advance(2.5)
    assert session.update() == [
        SegmentEnded(basic.segments[6], DONE, 4.0),
        SegmentStarted(basic.segments[7]),
    ]
    assert session.progress().paused_seconds == 60.0


def test_pause_after_a_deadline_passed_ends_that_segment_first(
    basic: Plan, clock: FakeClock
) -> None:
    session = started(basic, clock)
    clock.advance(2.5)  # nobody called update() at 2 s
    assert session.pause() == [
        SegmentEnded(basic.segments[0], DONE, 2.0),
        SegmentStarted(basic.segments[1]),
        PauseChanged(True),
    ]
    assert session.remaining() == 4.5


def test_pause_after_the_last_deadline_finishes_instead(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock, start_index=8)
    clock.advance(4)
    events = session.pause()
    assert events == [SegmentEnded(basic.segments[8], DONE, 3.0), SessionEnded(completed=True)]
    assert session.status is Status.FINISHED and not session.paused


def test_resume_after_a_jump_while_paused_starts_from_the_full_time(
    basic: Plan, clock: FakeClock
) -> None:
    session = started(basic, clock)
    at(session, clock, 3)
    session.pause()
    assert session.next_segment() == [
        SegmentEnded(basic.segments[1], SKIPPED, 1.0),
        SegmentStarted(basic.segments[2]),
    ]
    assert session.paused
    clock.advance(50)
    assert session.remaining() == 2.0
    session.resume()
    clock.advance(0.5)
    assert session.remaining() == 1.5


# -- toggle (Space) -------------------------------------------------------------------------------


def test_toggle_starts_pauses_resumes_and_goes_on(clock: FakeClock) -> None:
    plan = plan_of(UNTIMED)
    session = Session(plan, clock)
    assert session.toggle() == [SegmentStarted(plan.segments[0])]
    assert session.toggle() == [PauseChanged(True)]
    assert session.toggle() == [PauseChanged(False)]
    at(session, clock, 2)
    assert session.waiting
    clock.advance(7)
    assert session.toggle() == [
        SegmentEnded(plan.segments[1], DONE, 7.0),
        SegmentStarted(plan.segments[2]),
    ]
    session.stop()
    assert session.toggle() == []


# -- untimed phases -------------------------------------------------------------------------------


def test_an_untimed_phase_waits_for_the_person(clock: FakeClock) -> None:
    plan = plan_of(UNTIMED)
    session = started(plan, clock)
    assert at(session, clock, 2) == [
        SegmentEnded(plan.segments[0], DONE, 2.0),
        SegmentStarted(plan.segments[1]),
    ]
    assert session.waiting and session.running
    assert session.remaining() is None
    assert session.next_wakeup() is None
    progress = session.progress()
    assert progress.remaining is None and progress.phase == 0.0
    assert progress.session_remaining == 7.0  # the hold and the rest; untimed phases count 0
    clock.advance(1000)
    assert session.update() == []
    assert session.waiting and session.index == 1
    assert session.progress().active_seconds == 1002.0
    assert session.go_on() == [
        SegmentEnded(plan.segments[1], DONE, 1000.0),
        SegmentStarted(plan.segments[2]),
    ]
    assert not session.waiting and session.remaining() == 3.0
    assert session.go_on() == []  # only an untimed phase can be gone on from


def test_go_on_from_a_last_untimed_phase_finishes(clock: FakeClock) -> None:
    plan = plan_of(UNTIMED)
    session = started(plan, clock, start_index=2)
    at(session, clock, 7)
    assert session.index == 4 and session.waiting
    clock.advance(3)
    assert session.go_on() == [
        SegmentEnded(plan.segments[4], DONE, 3.0),
        SessionEnded(completed=True),
    ]
    assert session.status is Status.FINISHED
    assert session.progress().session == 1.0


def test_a_paused_untimed_phase_is_not_waiting(clock: FakeClock) -> None:
    plan = plan_of(UNTIMED)
    session = started(plan, clock)
    at(session, clock, 2)
    assert session.pause() == [PauseChanged(True)]
    assert not session.waiting
    assert session.go_on() == []
    clock.advance(30)
    assert session.resume() == [PauseChanged(False)]
    assert session.waiting and session.remaining() is None
    clock.advance(1)
    assert session.go_on()[0] == SegmentEnded(plan.segments[1], DONE, 1.0)
    assert session.progress().paused_seconds == 30.0


def test_time_cannot_be_added_to_an_untimed_phase(clock: FakeClock) -> None:
    plan = plan_of(UNTIMED)
    session = started(plan, clock)
    at(session, clock, 2)
    assert session.adjust(ADJUST_STEP) == [] and session.adjust(-ADJUST_STEP) == []
    assert session.waiting and session.remaining() is None


def test_a_plan_of_untimed_phases_only(clock: FakeClock) -> None:
    plan = plan_of("""
[exercises.u]
name = "U"
phases = [{ name = "One" }, { name = "Two" }]

[[routines]]
id = "u"
name = "U"
steps = [{ exercise = "u", prepare = 0 }]
""")
    session = started(plan, clock)
    assert session.waiting
    assert session.progress().session == 0.0
    clock.advance(10)
    session.go_on()
    assert session.progress().session == 0.5
    assert session.go_on()[-1] == SessionEnded(completed=True)
    assert session.progress().session == 1.0


# -- next and previous segment ------------------------------------------------------------------


def test_next_segment_skips_the_rest_of_this_one(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 3)
    assert session.next_segment() == [
        SegmentEnded(basic.segments[1], SKIPPED, 1.0),
        SegmentStarted(basic.segments[2]),
    ]
    assert session.remaining() == 2.0
    assert session.outcomes == {0: DONE, 1: SKIPPED}


def test_next_segment_after_a_deadline_passed_catches_up_first(
    basic: Plan, clock: FakeClock
) -> None:
    session = started(basic, clock)
    clock.advance(2.5)  # the get-ready ended at 2 s; nobody has called update() since
    assert session.next_segment() == [
        SegmentEnded(basic.segments[0], DONE, 2.0),
        SegmentStarted(basic.segments[1]),
        SegmentEnded(basic.segments[1], SKIPPED, 0.5),
        SegmentStarted(basic.segments[2]),
    ]
    assert session.index == 2 and session.remaining() == 2.0


def test_next_segment_after_two_missed_deadlines_never_goes_back(
    basic: Plan, clock: FakeClock
) -> None:
    session = started(basic, clock)
    clock.advance(7.5)  # the get-ready and the hold are over: the release began at 7 s
    events = session.next_segment()
    assert [e.segment.index for e in events if isinstance(e, SegmentStarted)] == [1, 2, 3]
    assert session.index == 3  # not back to the hold, 1
    assert session.outcomes == {0: DONE, 1: DONE, 2: SKIPPED}  # nothing ahead is marked


def test_next_exercise_after_a_deadline_passed_catches_up_first(
    basic: Plan, clock: FakeClock
) -> None:
    session = started(basic, clock, start_index=6)  # Lift's closing rest, 4 s
    clock.advance(4.5)  # Reach's get-ready began at 4 s; nobody has called update() since
    events = session.next_exercise()
    assert events[:2] == [
        SegmentEnded(basic.segments[6], DONE, 4.0),
        SegmentStarted(basic.segments[7]),
    ]
    # Caught up, the session is in Reach, the last exercise: the next one is the end.
    assert events[-1] == SessionEnded(completed=True)
    assert session.status is Status.FINISHED


def test_skipping_past_the_end_finishes(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock, start_index=7)
    clock.advance(1)
    assert session.next_segment() == [
        SegmentEnded(basic.segments[7], SKIPPED, 1.0),
        SegmentStarted(basic.segments[8]),
    ]
    assert session.next_segment() == [
        SegmentEnded(basic.segments[8], SKIPPED, 0.0),
        SessionEnded(completed=True),
    ]
    assert session.status is Status.FINISHED and session.index == 8
    assert session.remaining() == 0.0
    assert session.progress().session == 1.0
    for operation in (
        session.next_segment,
        session.next_exercise,
        session.previous_segment,
        session.restart_exercise,
        session.go_on,
    ):
        assert operation() == []
    assert session.status is Status.FINISHED


def test_previous_segment_goes_back_one_to_do_it_again(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 8)  # 1 s into the release
    assert session.previous_segment() == [SegmentStarted(basic.segments[1])]
    assert session.index == 1 and session.remaining() == 5.0
    assert session.outcomes == {0: DONE}


def test_going_back_before_the_start_restarts_the_first_segment(
    basic: Plan, clock: FakeClock
) -> None:
    session = started(basic, clock)
    at(session, clock, 1.5)
    for _ in range(3):
        assert session.previous_segment() == [SegmentStarted(basic.segments[0])]
        assert session.index == 0 and session.remaining() == 2.0
    assert session.previous_exercise() == [SegmentStarted(basic.segments[0])]
    assert session.restart_exercise() == [SegmentStarted(basic.segments[0])]
    assert session.outcomes == {}
    assert session.progress().session == 0.0


def test_going_back_from_a_later_start_index(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock, start_index=4)
    assert session.previous_segment() == [SegmentStarted(basic.segments[3])]
    assert session.remaining() == 1.0


# -- next, previous and restart exercise ----------------------------------------------------------


def test_next_exercise_skips_everything_up_to_the_next_one(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 8)
    s = basic.segments
    assert session.next_exercise() == [
        SegmentEnded(s[2], SKIPPED, 1.0),
        SegmentEnded(s[3], SKIPPED, 0.0),
        SegmentEnded(s[4], SKIPPED, 0.0),
        SegmentEnded(s[5], SKIPPED, 0.0),
        SegmentEnded(s[6], SKIPPED, 0.0),
        SegmentStarted(s[7]),
    ]
    assert session.outcomes == {0: DONE, 1: DONE} | dict.fromkeys(range(2, 7), SKIPPED)
    assert session.segment.step_index == 1 and session.remaining() == 2.0


def test_next_exercise_in_the_last_one_finishes(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock, start_index=7)
    clock.advance(0.5)
    assert session.next_exercise() == [
        SegmentEnded(basic.segments[7], SKIPPED, 0.5),
        SegmentEnded(basic.segments[8], SKIPPED, 0.0),
        SessionEnded(completed=True),
    ]
    assert session.status is Status.FINISHED
    assert summarize(session).skipped_exercises == (("Reach", 1),)


def test_previous_exercise_goes_to_the_start_of_the_one_before(
    basic: Plan, clock: FakeClock
) -> None:
    session = started(basic, clock)
    at(session, clock, 24)
    assert session.index == 8
    assert session.previous_exercise() == [SegmentStarted(basic.segments[0])]
    assert session.outcomes == {}
    assert session.remaining() == 2.0


def test_restart_exercise_goes_to_the_start_of_this_one(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 24)
    assert session.restart_exercise() == [SegmentStarted(basic.segments[7])]
    assert session.outcomes == dict.fromkeys(range(7), DONE)


def test_the_rest_after_an_exercise_belongs_to_it(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock, start_index=6)
    assert session.restart_exercise() == [SegmentStarted(basic.segments[0])]
    session = started(basic, clock, start_index=6)
    assert session.next_exercise()[-1] == SegmentStarted(basic.segments[7])


def test_jumps_while_paused_stay_paused(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 12)
    session.pause()
    for operation in (
        session.restart_exercise,
        session.next_exercise,
        session.previous_segment,
        session.previous_exercise,
    ):
        operation()
        assert session.paused and not session.running
        clock.advance(10)
        assert session.remaining() == session.segment.planned
    assert session.progress().active_seconds == 12.0


# -- + and - --------------------------------------------------------------------------------------


def test_adding_time_moves_the_deadline(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 3)
    assert session.adjust(ADJUST_STEP) == []
    assert session.remaining() == 9.0
    assert session.progress().phase == pytest.approx(1 / 10)
    assert countdowns(at(session, clock, 11.75)) == [1]
    assert session.remaining() == 0.25
    assert at(session, clock, 12)[0] == SegmentEnded(basic.segments[1], DONE, 10.0)
    assert session.remaining() == 2.0  # the next segment is not lengthened


def test_taking_time_off_a_long_segment(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 2)
    session.adjust(ADJUST_STEP)
    clock.advance(1)
    assert session.adjust(-ADJUST_STEP) == []
    assert session.remaining() == 4.0
    assert at(session, clock, 7)[0] == SegmentEnded(basic.segments[1], DONE, 5.0)


def test_taking_more_time_than_is_left_ends_the_segment_never_below_zero(
    basic: Plan, clock: FakeClock
) -> None:
    session = started(basic, clock)
    at(session, clock, 4)  # 3 s left of the hold
    assert session.adjust(-ADJUST_STEP) == [
        SegmentEnded(basic.segments[1], DONE, 2.0),
        SegmentStarted(basic.segments[2]),
    ]
    assert session.remaining() == 2.0
    assert session.progress().session_remaining == BASIC_TOTAL - 7


def test_taking_exactly_the_time_left_ends_the_segment(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 2)
    assert session.adjust(-5.0)[0] == SegmentEnded(basic.segments[1], DONE, 0.0)
    assert session.index == 2


def test_taking_time_off_the_last_segment_finishes(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock, start_index=8)
    clock.advance(1)
    assert session.adjust(-ADJUST_STEP) == [
        SegmentEnded(basic.segments[8], DONE, 1.0),
        SessionEnded(completed=True),
    ]
    assert session.status is Status.FINISHED and session.remaining() == 0.0


def test_adjusting_while_paused_keeps_it_frozen(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 3)
    session.pause()
    assert session.adjust(ADJUST_STEP) == []
    assert session.remaining() == 9.0
    clock.advance(30)
    assert session.remaining() == 9.0
    assert session.adjust(-12.0) == [
        SegmentEnded(basic.segments[1], DONE, 1.0),
        SegmentStarted(basic.segments[2]),
    ]
    assert session.paused and session.remaining() == 2.0
    clock.advance(30)
    assert session.remaining() == 2.0
    assert session.progress().paused_seconds == 60.0


def test_adjusting_after_a_deadline_passed_applies_to_the_current_segment(
    basic: Plan, clock: FakeClock
) -> None:
    session = started(basic, clock)
    clock.advance(2.5)
    assert session.adjust(ADJUST_STEP) == [
        SegmentEnded(basic.segments[0], DONE, 2.0),
        SegmentStarted(basic.segments[1]),
    ]
    assert session.remaining() == 9.5


def test_adjusting_before_the_start_or_after_the_end_does_nothing(
    basic: Plan, clock: FakeClock
) -> None:
    session = Session(basic, clock)
    assert session.adjust(ADJUST_STEP) == []
    assert session.remaining() == 2.0
    session.start()
    session.stop()
    assert session.adjust(ADJUST_STEP) == [] and session.adjust(-ADJUST_STEP) == []
    assert session.remaining() == 2.0


# -- stop -----------------------------------------------------------------------------------------


def test_stop_ends_the_session_not_completed(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 3.5)
    assert session.stop() == [SessionEnded(completed=False)]
    assert session.status is Status.STOPPED and session.over and not session.running
    assert session.remaining() == 3.5
    assert session.next_wakeup() is None
    frozen = session.progress()
    clock.advance(100)
    assert session.progress() == frozen
    assert frozen.active_seconds == 3.5
    assert session.stop() == []
    for operation in (
        session.start,
        session.update,
        session.pause,
        session.resume,
        session.toggle,
        session.go_on,
        session.next_segment,
        session.previous_segment,
        session.next_exercise,
        session.previous_exercise,
        session.restart_exercise,
        lambda: session.adjust(ADJUST_STEP),
    ):
        assert operation() == []
    assert session.status is Status.STOPPED
    summary = summarize(session)
    assert not summary.completed and summary.segments_done == 1 and summary.segments_skipped == 0


def test_stop_before_the_start(basic: Plan, clock: FakeClock) -> None:
    session = Session(basic, clock)
    assert session.stop() == [SessionEnded(completed=False)]
    assert session.status is Status.STOPPED
    assert session.start() == []


def test_stop_while_paused_counts_the_pause(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 1)
    session.pause()
    clock.advance(9)
    assert session.stop() == [SessionEnded(completed=False)]
    progress = session.progress()
    assert (progress.active_seconds, progress.paused_seconds) == (1.0, 9.0)
    assert session.remaining() == 1.0


def test_stop_after_the_end_changes_nothing(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 30)
    assert session.stop() == []
    assert session.status is Status.FINISHED


def test_stop_after_the_last_deadline_passed_reports_the_finish(
    basic: Plan, clock: FakeClock
) -> None:
    """The clock already decided: the session ended at 26 s, before the stop at 27 s."""
    session = started(basic, clock, start_index=8)
    clock.advance(4)
    assert session.stop() == [
        SegmentEnded(basic.segments[8], DONE, 3.0),
        SessionEnded(completed=True),
    ]
    assert session.status is Status.FINISHED


# -- the 3-2-1 countdown --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hold", "expected"),
    [
        (8, [3, 2, 1]),
        (5, [3, 2, 1]),
        (3.5, [3, 2, 1]),
        (3, [2, 1]),
        (2.5, [2, 1]),
        (2, [1]),
        (1.5, [1]),
        (1, []),
        (0.5, []),
    ],
)
def test_a_hold_counts_3_2_1_once_each_below_its_length(
    clock: FakeClock, hold: float, expected: list[int]
) -> None:
    session = started(one_hold(hold), clock)
    events = tick_until(session, clock, hold + 1, step=0.01)
    said = [(e.seconds_left, when) for when, e in events if isinstance(e, Countdown)]
    assert [n for n, _ in said] == expected
    for seconds_left, when in said:
        # said at the first 10 ms tick where the clock shows that number
        remaining = hold - when
        assert seconds_left - 0.01 - 1e-9 < remaining <= seconds_left + 1e-9
        assert format_clock(remaining) == f"0:0{seconds_left}"
    assert isinstance(events[-1][1], SessionEnded)


def test_countdown_is_not_repeated_by_many_updates_in_one_second(clock: FakeClock) -> None:
    session = started(one_hold(5), clock)
    assert at(session, clock, 2.0) == [Countdown(session.segment, 3)]
    for _ in range(50):
        assert session.update() == []
        clock.advance(0.01)
    assert at(session, clock, 2.999) == []
    assert at(session, clock, 3.0) == [Countdown(session.segment, 2)]
    assert at(session, clock, 3.0) == []


def test_only_the_latest_countdown_when_several_are_crossed(clock: FakeClock) -> None:
    session = started(one_hold(5), clock)
    assert at(session, clock, 1.5) == []
    assert at(session, clock, 4.25) == [Countdown(session.segment, 1)]
    assert tick_until(session, clock, 4.99) == []


def test_countdown_is_said_when_an_update_enters_a_hold_late(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    assert at(session, clock, 4.5) == [
        SegmentEnded(basic.segments[0], DONE, 2.0),
        SegmentStarted(basic.segments[1]),
        Countdown(basic.segments[1], 3),
    ]


def test_countdown_only_for_holds(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    events = [e for _, e in tick_until(session, clock, 27, step=0.01)]
    s = basic.segments
    assert [e for e in events if isinstance(e, Countdown)] == [
        Countdown(s[1], 3),
        Countdown(s[1], 2),
        Countdown(s[1], 1),
        Countdown(s[4], 3),
        Countdown(s[4], 2),
        Countdown(s[4], 1),
    ]
    assert all(e.segment.hold for e in events if isinstance(e, Countdown))


def test_no_countdown_for_a_timed_phase_that_is_not_a_hold(clock: FakeClock) -> None:
    session = started(one_hold(6, hold=False), clock)
    assert countdowns(e for _, e in tick_until(session, clock, 7)) == []


def test_countdown_is_not_repeated_after_a_pause(clock: FakeClock) -> None:
    session = started(one_hold(5), clock)
    assert countdowns(at(session, clock, 2.5)) == [3]
    session.pause()
    clock.advance(30)
    session.resume()
    assert session.update() == []
    assert countdowns(e for _, e in tick_until(session, clock, 40)) == [2, 1]


def test_countdown_again_after_going_back_or_adding_time(clock: FakeClock) -> None:
    session = started(one_hold(5), clock)
    assert countdowns(at(session, clock, 3.5)) == [2]
    assert session.previous_segment() == [SegmentStarted(session.segment)]
    assert countdowns(e for _, e in tick_until(session, clock, 8.0)) == [3, 2, 1]
    assert session.adjust(ADJUST_STEP) == []
    assert session.remaining() == 5.5
    assert countdowns(e for _, e in tick_until(session, clock, 14)) == [3, 2, 1]


def test_a_small_addition_does_not_repeat_a_number_still_showing(clock: FakeClock) -> None:
    session = started(one_hold(5), clock)
    assert countdowns(at(session, clock, 2.5)) == [3]
    session.adjust(0.25)  # 2.75 left: still "3" on the clock
    assert session.update() == []
    assert countdowns(e for _, e in tick_until(session, clock, 6)) == [2, 1]


# -- the next wake-up -----------------------------------------------------------------------------


def test_next_wakeup_is_the_time_to_the_next_whole_second(basic: Plan, clock: FakeClock) -> None:
    session = Session(basic, clock)
    assert session.next_wakeup() is None  # not started
    session.start()
    assert session.next_wakeup() == 1.0
    clock.advance(0.25)
    assert session.next_wakeup() == 0.75
    clock.advance(0.5)
    assert session.next_wakeup() == 0.25
    session.pause()
    assert session.next_wakeup() is None
    session.resume()
    assert session.next_wakeup() == 0.25
    session.stop()
    assert session.next_wakeup() is None


def test_next_wakeup_is_none_while_waiting_and_when_finished(clock: FakeClock) -> None:
    plan = plan_of(UNTIMED)
    session = started(plan, clock)
    at(session, clock, 2)
    assert session.waiting and session.next_wakeup() is None
    session.go_on()
    assert session.next_wakeup() == 1.0
    at(session, clock, 100)
    session.go_on()
    assert session.over and session.next_wakeup() is None


def test_waking_when_asked_shows_every_second_and_every_change(
    basic: Plan, clock: FakeClock
) -> None:
    """Sleeping exactly next_wakeup() each time: one wake per shown second, nothing missed."""
    session = started(basic, clock)
    shown = [format_clock(session.remaining() or 0)]
    started_segments = []
    wakes = 0
    while not session.over:
        delay = session.next_wakeup()
        assert delay is not None and 0 < delay <= 1
        clock.advance(delay)
        wakes += 1
        events = session.update()
        started_segments += [e.segment.index for e in events if isinstance(e, SegmentStarted)]
        if not session.over:
            now_shown = format_clock(session.remaining() or 0)
            assert now_shown != shown[-1] or any(isinstance(e, SegmentStarted) for e in events)
            shown.append(now_shown)
    assert wakes == BASIC_TOTAL
    assert started_segments == list(range(1, 9))
    assert clock.elapsed == BASIC_TOTAL


def test_next_wakeup_before_fractional_seconds(clock: FakeClock) -> None:
    session = started(one_hold(2.5), clock)
    assert session.next_wakeup() == 0.5
    clock.advance(0.5)
    assert session.next_wakeup() == 1.0


def test_next_wakeup_just_before_a_deadline_is_not_a_whole_second(clock: FakeClock) -> None:
    session = started(one_hold(5), clock)
    clock.advance(5 - 5e-7)
    remaining = session.remaining()
    assert remaining is not None and 0 < remaining < 1e-6
    delay = session.next_wakeup()
    assert delay is not None and delay <= remaining + 1e-9


# -- progress -------------------------------------------------------------------------------------


def test_progress_fractions_and_times(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 3)
    progress = session.progress()
    assert progress.segment is basic.segments[1]
    assert progress.remaining == 4.0
    assert progress.phase == pytest.approx(0.2)
    assert progress.exercise == pytest.approx(3 / 21)  # Lift: 21 s, its rest included
    assert progress.session == pytest.approx(3 / 26)
    assert progress.session_remaining == 23.0
    assert (progress.active_seconds, progress.paused_seconds) == (3.0, 0.0)
    at(session, clock, 24.5)
    progress = session.progress()
    assert progress.segment is basic.segments[8]
    assert progress.phase == pytest.approx(0.5)
    assert progress.exercise == pytest.approx(3.5 / 5)
    assert progress.session == pytest.approx(24.5 / 26)
    assert progress.session_remaining == 1.5


def test_fractions_rise_steadily_while_playing(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    last = session.progress()
    for tick in range(1, 27 * 8):
        clock.set(clock.start + tick / 8)
        session.update()
        progress = session.progress()
        for value in (progress.phase, progress.exercise, progress.session):
            assert 0.0 <= value <= 1.0
        assert progress.session >= last.session
        if progress.segment == last.segment:
            assert progress.phase >= last.phase
        if progress.segment.step_index == last.segment.step_index:
            assert progress.exercise >= last.exercise
        assert progress.session == pytest.approx(min(tick / 8, 26) / 26)
        last = progress


# -- sides and sets -------------------------------------------------------------------------------


def test_sides_and_sets_play_in_order(clock: FakeClock) -> None:
    plan = plan_of(SIDES_SETS)
    session = started(plan, clock)
    events = at(session, clock, 26)
    assert [e.segment for e in events if isinstance(e, SegmentStarted)] == list(plan.segments[1:])
    assert [e.segment.position for e in events if isinstance(e, SegmentEnded)] == [
        "Set 1/2 · Rep 1/1 · Left",  # the get-ready names the first side
        "Set 1/2 · Rep 1/1 · Left",
        "Set 2/2 · Rep 1/1 · Left",
        "Set 2/2 · Rep 1/1 · Left",
        "Set 1/2 · Rep 1/1 · Right",
        "Set 1/2 · Rep 1/1 · Right",
        "Set 2/2 · Rep 1/1 · Right",
        "Set 2/2 · Rep 1/1 · Right",
    ]
    assert events[-1] == SessionEnded(completed=True)
    assert [e.active_seconds for e in events if isinstance(e, SegmentEnded)] == [
        s.planned for s in plan.segments
    ]


def test_skipping_through_the_switch_and_restarting_the_exercise(clock: FakeClock) -> None:
    plan = plan_of(SIDES_SETS)
    session = started(plan, clock)
    at(session, clock, 13.5)
    assert session.segment.kind is S and session.segment.label == "Switch to the right side"
    assert session.next_segment() == [
        SegmentEnded(plan.segments[4], SKIPPED, 0.5),
        SegmentStarted(plan.segments[5]),
    ]
    assert session.segment.side == "right" and session.remaining() == 4.0
    assert countdowns(at(session, clock, 16)) == [2]
    assert session.restart_exercise() == [SegmentStarted(plan.segments[0])]
    assert session.outcomes == {}
    assert session.next_exercise()[-1] == SessionEnded(completed=True)
    assert summarize(session).skipped_exercises == (("Bridge", 4),)


# -- the summary ----------------------------------------------------------------------------------


def test_summary_of_a_full_session(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 100)
    assert summarize(session) == Summary(
        routine_name="Basic",
        completed=True,
        active_seconds=26.0,
        paused_seconds=0.0,
        segments_done=9,
        segments_skipped=0,
        segments_total=9,
        skipped_exercises=(),
    )


def test_summary_counts_skipped_work_per_exercise(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    session.next_segment()  # the get-ready: skipped, but not work
    session.next_segment()  # the first hold
    at(session, clock, 2)  # the first release, done
    session.pause()
    clock.advance(5)
    session.resume()
    session.next_exercise()  # the rest of Lift: rest, hold, release, rest
    session.next_segment()  # Reach's get-ready
    clock.advance(3)
    session.update()
    summary = summarize(session)
    assert summary.completed
    assert summary.segments_done == 2 and summary.segments_skipped == 7
    assert summary.skipped_exercises == (("Lift", 3),)
    assert (summary.active_seconds, summary.paused_seconds) == (5.0, 5.0)


def test_summary_of_a_session_in_progress(basic: Plan, clock: FakeClock) -> None:
    session = started(basic, clock)
    at(session, clock, 8)
    session.pause()
    clock.advance(2)
    summary = summarize(session)
    assert not summary.completed
    assert (summary.active_seconds, summary.paused_seconds) == (8.0, 2.0)
    assert (summary.segments_done, summary.segments_total) == (2, 9)
