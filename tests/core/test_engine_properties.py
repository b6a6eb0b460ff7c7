"""Random routines, played with random operations at random moments: the engine's invariants.

Every routine here is written as TOML text and loaded the way a person's routine file is, so
only valid routines are played. After every step (an operation or a move of the clock) the
player checks what must always hold: time left never negative, fractions within 0..1 and never
falling while the session plays on, active + paused seconds equal to the wall time, paused time
never counted as exercise time, consistent events; and at the end, that enough time (and a "go
on" for each untimed phase) always finishes the session.
"""

from __future__ import annotations

import math

import pytest
from fakeclock import FakeClock
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from tui.core.engine import (
    ADJUST_STEP,
    Countdown,
    Event,
    Outcome,
    PauseChanged,
    Progress,
    SegmentEnded,
    SegmentStarted,
    Session,
    SessionEnded,
    Status,
)
from tui.core.loader import load_text
from tui.core.model import TIMING_KEYS
from tui.core.plan import Plan, build_plan
from tui.core.summary import summarize

EPS = 1e-6
SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SECONDS = st.sampled_from([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 7.25])
PAUSES = st.sampled_from([0, 0, 1, 2.5, 4])


@st.composite
def routine_texts(draw: st.DrawFn, untimed: bool = True, small: bool = False) -> str:
    """A valid routine file with one routine: 1-3 exercises of 1-3 phases, 1-3 steps."""
    lines = ["schema = 1", "", "[defaults]"]
    lines += [f"{key} = {draw(PAUSES)}" for key in TIMING_KEYS]
    has_hold: set[int] = set()
    exercise_count = draw(st.integers(1, 3))
    for e in range(exercise_count):
        phases = []
        for p in range(draw(st.integers(1, 2 if small else 3))):
            parts = [f'name = "Exercise {e} phase {p}"']
            if not (untimed and draw(st.integers(0, 5)) == 0):
                parts.append(f"seconds = {draw(SECONDS)}")
            if draw(st.booleans()):
                parts.append("hold = true")
                has_hold.add(e)
            phases.append("{ " + ", ".join(parts) + " }")
        lines += [
            "",
            f"[exercises.e{e}]",
            f'name = "Exercise {e}"',
            f"phases = [{', '.join(phases)}]",
        ]
    steps = []
    for _ in range(draw(st.integers(1, 2 if small else 3))):
        e = draw(st.integers(0, exercise_count - 1))
        parts = [
            f'exercise = "e{e}"',
            f"reps = {draw(st.integers(1, 2 if small else 3))}",
            f"sets = {draw(st.integers(1, 2))}",
        ]
        sides = draw(st.sampled_from(["", '["left"]', '["left", "right"]']))
        if sides:
            parts.append(f"sides = {sides}")
        if e in has_hold and draw(st.booleans()):
            parts.append(f"hold = {draw(SECONDS)}")
        for key in TIMING_KEYS:
            if draw(st.integers(0, 4)) == 0:
                parts.append(f"{key} = {draw(PAUSES)}")
        steps.append("{ " + ", ".join(parts) + " }")
    lines += ["", "[[routines]]", 'id = "random"', 'name = "Random"', "steps = ["]
    lines += [f"  {step}," for step in steps]
    lines += ["]", ""]
    return "\n".join(lines)


def plan_from(text: str) -> Plan:
    return build_plan(load_text(text, "random.toml").routine("random"))


OPERATIONS = [
    "update",
    "update",
    "update",
    "start",
    "pause",
    "resume",
    "toggle",
    "toggle",
    "go_on",
    "go_on",
    "next_segment",
    "previous_segment",
    "next_exercise",
    "previous_exercise",
    "restart_exercise",
    "add",  # +5 s, the + key
    "take",  # -5 s, the - key
    "adjust",  # any amount, either way
    "stop",
]
ADVANCES = st.one_of(
    st.sampled_from([0.0, 0.004, 0.5, 1.0, 2.5, 3.0, 10.0, 60.0]),
    st.floats(0, 30, allow_nan=False, allow_infinity=False),
)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), ADVANCES),
        st.tuples(st.sampled_from(OPERATIONS), st.floats(-8, 8, allow_nan=False)),
    ),
    max_size=40,
)

# Operations after which the session is no further back than before (fractions never fall).
FORWARD = {"advance", "update", "start", "pause", "resume", "toggle", "go_on", "stop"}
FORWARD |= {"next_segment", "next_exercise", "take"}
ADJUSTS = {"add", "take", "adjust"}

# The engine catches up with the clock before a skip; the player need not do it first.
SKIPS_CATCH_UP_FIRST = True


class Player:
    """Plays one session on a fake clock, checking the invariants after every step."""

    def __init__(self, plan: Plan, start_index: int = 0) -> None:
        self.plan = plan
        self.clock = FakeClock(500.0)
        self.session = Session(plan, self.clock, start_index)
        self.started_at: float | None = None
        self.model_active = 0.0  # what a stopwatch would say, kept by this player
        self.model_paused = 0.0
        self.lowest = self.session.index  # the lowest index the session has been at
        self.said = math.inf  # the last countdown number said in this visit of a segment
        self.visit_adjusted = False  # time was added or taken during this visit
        self.may_repeat = False  # time was added since the last countdown number
        self.check(
            [], "new", self.session.progress(), was_over=False, index_before=self.session.index
        )

    # -- steps ------------------------------------------------------------------------------

    def advance(self, seconds: float) -> None:
        session = self.session
        before = session.progress()
        if session.status is Status.ACTIVE:
            if session.paused:
                self.model_paused += seconds
            else:
                self.model_active += seconds
        self.clock.advance(seconds)
        if session.paused or session.status is not Status.ACTIVE:
            after = session.progress()
            # Nothing moves while paused, not started or over, however long that lasts.
            assert after.remaining == before.remaining
            assert (after.phase, after.exercise, after.session) == (
                before.phase,
                before.exercise,
                before.session,
            )
            assert after.active_seconds == before.active_seconds
            if session.status is not Status.ACTIVE:
                assert after == before
        self.check([], "advance", before, was_over=session.over, index_before=session.index)

    def do(self, name: str, value: float = 0.0) -> list[Event]:
        session = self.session
        if name in ("next_segment", "next_exercise") and not SKIPS_CATCH_UP_FIRST:
            self.do("update")
        before = session.progress()
        was_over, index_before = session.over, session.index
        if name in ADJUSTS:
            amount = {"add": ADJUST_STEP, "take": -ADJUST_STEP}.get(name, value)
            events = session.adjust(amount)
        else:
            events = getattr(session, name)()
        if session.status is Status.ACTIVE and self.started_at is None:
            self.started_at = self.clock.now
        self.check(events, name, before, was_over=was_over, index_before=index_before)
        if name in ADJUSTS:  # it may have changed the time of the segment now playing
            self.visit_adjusted = self.may_repeat = True
        return events

    def step(self, name: str, value: float) -> None:
        if name == "advance":
            self.advance(value)
        else:
            self.do(name, value)

    def finish(self) -> None:
        """No more operations: enough time, and a go-on for each untimed phase, finish it."""
        session = self.session
        if session.status is Status.STOPPED:
            self.advance(1000)
            assert session.status is Status.STOPPED and session.update() == []
            return
        if session.status is Status.READY:
            self.do("start")
        if session.paused:
            self.do("resume")
        for _ in range(len(self.plan.segments) + 2):
            if session.over:
                break
            self.advance(session.progress().session_remaining + 1.0)
            self.do("update")
            if session.over:
                break
            # Enough time has passed for every timed segment: only an untimed phase waits.
            assert session.waiting, "the session neither finished nor waits for the person"
            self.do("go_on")
        assert session.status is Status.FINISHED
        progress = session.progress()
        assert progress.phase == 1.0
        assert progress.session == pytest.approx(1.0)
        assert progress.exercise == pytest.approx(1.0)
        assert progress.session_remaining == 0.0
        summary = summarize(session)
        assert summary.completed
        assert summary.segments_total == len(self.plan.segments)
        assert summary.segments_done + summary.segments_skipped == len(session.outcomes)
        assert summary.paused_seconds == pytest.approx(self.model_paused, abs=EPS)
        assert summary.active_seconds <= self.model_active + EPS

    # -- the invariants -----------------------------------------------------------------------

    def check(
        self,
        events: list[Event],
        name: str,
        before: Progress,
        *,
        was_over: bool,
        index_before: int,
    ) -> None:
        session, plan = self.session, self.plan
        status = session.status
        self.lowest = min(self.lowest, session.index)

        # The state flags agree with one another.
        assert session.running == (status is Status.ACTIVE and not session.paused)
        assert session.waiting == (session.running and not session.segment.timed)
        assert session.over == (status in (Status.FINISHED, Status.STOPPED))
        assert 0 <= session.index < len(plan.segments)
        assert session.segment is plan.segments[session.index]

        # Time left is never negative; None exactly for untimed phases.
        remaining = session.remaining()
        assert (remaining is None) == (not session.segment.timed)
        assert remaining is None or remaining >= 0.0

        # Fractions within 0..1; times never negative.
        progress = session.progress()
        assert progress.segment is session.segment
        assert progress.remaining == remaining
        for fraction in (progress.phase, progress.exercise, progress.session):
            assert 0.0 <= fraction <= 1.0
        assert progress.session_remaining >= 0.0
        assert progress.active_seconds >= 0.0 and progress.paused_seconds >= 0.0

        # Active + paused is the wall time; paused time is never counted as exercise time.
        assert progress.paused_seconds == pytest.approx(self.model_paused, abs=EPS)
        if status is Status.READY:
            assert (progress.active_seconds, progress.paused_seconds) == (0.0, 0.0)
        elif status is Status.ACTIVE:
            assert self.started_at is not None
            wall = self.clock.now - self.started_at
            assert progress.active_seconds == pytest.approx(self.model_active, abs=EPS)
            assert progress.active_seconds + progress.paused_seconds == pytest.approx(wall, abs=EPS)
        else:  # over: it ended at its last deadline, at the latest now
            assert progress.active_seconds <= self.model_active + EPS

        # Fractions never fall while the session plays on.
        if name in FORWARD:
            assert progress.session >= before.session - 1e-9
            if progress.segment is before.segment:
                assert progress.phase >= before.phase - 1e-9
            if progress.segment.step_index == before.segment.step_index:
                assert progress.exercise >= before.exercise - 1e-9

        # The next wake-up: only while a timed segment runs, never after its deadline.
        wakeup = session.next_wakeup()
        if not session.running or remaining is None:
            assert wakeup is None
        else:
            assert wakeup is not None and 0.0 < wakeup <= 1.0
            if remaining > 1e-6:
                assert wakeup <= remaining + 1e-9

        # Outcomes: every segment from the lowest reached up to the current one has one.
        indexes = set(session.outcomes)
        if status is Status.READY:
            assert indexes == set()
        elif status is Status.FINISHED:
            assert session.index == len(plan.segments) - 1
            assert indexes == set(range(self.lowest, len(plan.segments)))
        else:
            assert indexes == set(range(self.lowest, session.index))

        self.check_events(events, name, was_over=was_over, index_before=index_before)

    def check_events(
        self, events: list[Event], name: str, *, was_over: bool, index_before: int
    ) -> None:
        session, plan = self.session, self.plan
        if was_over:
            assert events == [], f"{name} changed a session that was over"
            return

        # SessionEnded: once, last, exactly when the session became over.
        ended = [e for e in events if isinstance(e, SessionEnded)]
        if session.over:
            assert ended == [events[-1]]
            assert ended[0].completed == (session.status is Status.FINISHED)
        else:
            assert ended == []

        # PauseChanged: last, and it says what the session now is.
        changes = [e for e in events if isinstance(e, PauseChanged)]
        assert len(changes) <= 1
        if changes:
            assert events[-1] == changes[0] and changes[0].paused == session.paused

        # SegmentStarted at every segment change, the last one naming the current segment.
        started = [e for e in events if isinstance(e, SegmentStarted)]
        if not session.over and session.index != index_before:
            assert started, f"{name} changed the segment without SegmentStarted"
        if started and not session.over:
            assert started[-1].segment is session.segment

        # Walk the events: segments end in order, start after the one that ended (or,
        # going back, without one ending), countdowns only for the segment playing.
        current = index_before
        next_end = index_before
        last_was_end = False
        for event in events:
            if isinstance(event, SegmentEnded | SegmentStarted | Countdown):
                assert event.segment is plan.segments[event.segment.index]
            if isinstance(event, SegmentEnded):
                segment = event.segment
                assert segment.index == next_end
                assert session.outcomes.get(segment.index, event.outcome) == event.outcome
                assert event.active_seconds >= 0.0
                if segment.index != current:  # passed over by a skip
                    assert event.outcome is Outcome.SKIPPED and event.active_seconds == 0.0
                checked = name not in ADJUSTS and not self.visit_adjusted
                if checked and segment.timed and segment.index == current:
                    if event.outcome is Outcome.DONE:
                        # Ended by its deadline: exactly its planned time, pauses not counted.
                        assert event.active_seconds == pytest.approx(segment.planned, abs=EPS)
                    else:
                        assert event.active_seconds <= segment.planned + EPS
                next_end = segment.index + 1
                last_was_end = True
            elif isinstance(event, SegmentStarted):
                index = event.segment.index
                if last_was_end:
                    assert index == next_end, "a segment ended and another one than the next began"
                else:
                    assert index <= current or name == "start"
                current = next_end = index
                last_was_end = False
                self.said, self.visit_adjusted, self.may_repeat = math.inf, False, False
            elif isinstance(event, Countdown):
                assert event.segment.index == current and event.segment.hold
                assert event.seconds_left in (1, 2, 3)
                if not self.may_repeat:
                    assert event.seconds_left < self.said, "a countdown number said twice"
                if not self.visit_adjusted:
                    assert event.seconds_left < event.segment.planned
                self.said = event.seconds_left
                self.may_repeat = False

        # An update says the number the clock shows, once it is 3, 2 or 1 of a hold.
        remaining = session.remaining()
        if (
            name == "update"
            and session.running
            and session.segment.hold
            and remaining is not None
            and not self.visit_adjusted
        ):
            shown = math.ceil(remaining)
            if remaining > 0 and shown <= 3 and shown < session.segment.planned:
                assert self.said == shown


# -- the properties -------------------------------------------------------------------------------


@SETTINGS
@given(data=st.data(), text=routine_texts(), steps=STEPS)
def test_random_operations_keep_every_invariant(
    data: st.DataObject, text: str, steps: list[tuple[str, float]]
) -> None:
    plan = plan_from(text)
    start_index = data.draw(st.integers(-1, len(plan.segments)), label="start_index")
    player = Player(plan, start_index)
    if data.draw(st.integers(0, 4), label="autostart") > 0:
        player.do("start")
    for name, value in steps:
        player.step(name, value)
    player.finish()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=routine_texts(untimed=False),
    moments=st.lists(st.floats(0, 400, allow_nan=False), max_size=30),
    end=st.floats(0, 400, allow_nan=False),
)
def test_how_often_update_is_called_never_changes_where_the_session_is(
    text: str, moments: list[float], end: float
) -> None:
    plan = plan_from(text)
    often_clock, once_clock = FakeClock(0.0), FakeClock(0.0)
    often, once = Session(plan, often_clock), Session(plan, once_clock)
    often.start()
    once.start()
    for moment in sorted(min(moment, end) for moment in moments):
        often_clock.set(moment)
        often.update()
    often_clock.set(end)
    often.update()
    once_clock.set(end)
    once.update()
    assert (once.status, once.index, once.outcomes) == (often.status, often.index, often.outcomes)
    assert once.remaining() == often.remaining()
    assert once.progress() == often.progress()
    if end >= plan.timed_seconds + EPS:
        assert once.status is Status.FINISHED
    elif end < plan.timed_seconds - EPS:
        assert once.status is Status.ACTIVE


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=routine_texts(untimed=False),
    pauses=st.lists(
        st.tuples(st.floats(0, 100, allow_nan=False), st.floats(0, 100, allow_nan=False)),
        max_size=6,
    ),
)
def test_pauses_delay_the_end_by_exactly_their_length(
    text: str, pauses: list[tuple[float, float]]
) -> None:
    plan = plan_from(text)
    clock = FakeClock(0.0)
    session = Session(plan, clock)
    session.start()
    paused = 0.0
    for at, length in sorted(pauses):
        clock.set(max(clock.now, at + paused))
        if session.pause()[-1:] == [PauseChanged(True)]:
            clock.advance(length)
            paused += length
            session.resume()
        if session.over:
            break
    end = plan.timed_seconds + paused
    if not session.over:
        clock.set(max(clock.now, end - 0.001))
        session.update()
        assert not session.over, "it ended before its time"
        clock.set(end + 1e-6)
        session.update()
    assert session.status is Status.FINISHED
    progress = session.progress()
    assert progress.active_seconds == pytest.approx(plan.timed_seconds, abs=EPS)
    assert progress.paused_seconds == pytest.approx(paused, abs=EPS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=routine_texts(untimed=False, small=True),
    gaps=st.lists(st.floats(0.05, 0.9), min_size=1, max_size=12),
)
def test_frequent_enough_updates_say_3_2_1_for_every_hold(text: str, gaps: list[float]) -> None:
    """Updates at most 0.9 s apart: each hold says each number below its length, once."""
    plan = plan_from(text)
    clock = FakeClock(0.0)
    session = Session(plan, clock)
    visits: list[tuple[int, list[int]]] = []
    for event in session.start():
        assert isinstance(event, SegmentStarted)
        visits.append((event.segment.index, []))
    turn = 0
    while not session.over:
        clock.advance(gaps[turn % len(gaps)])
        turn += 1
        for event in session.update():
            if isinstance(event, SegmentStarted):
                visits.append((event.segment.index, []))
            elif isinstance(event, Countdown):
                visits[-1][1].append(event.seconds_left)
    assert [index for index, _ in visits] == list(range(len(plan.segments)))
    for index, said in visits:
        segment = plan.segments[index]
        expected = [n for n in (3, 2, 1) if n < segment.planned] if segment.hold else []
        assert said == expected, segment


@settings(max_examples=25, deadline=None, database=None, phases=[Phase.generate])  # no shrinking
@given(text=routine_texts(), late=st.floats(0, 0.99))
def test_a_skip_after_a_missed_deadline_moves_on(text: str, late: float) -> None:
    plan = plan_from(text)
    assume(len(plan.segments) >= 3 and plan.segments[0].timed)
    clock = FakeClock(0.0)
    session = Session(plan, clock)
    session.start()
    second = plan.segments[1]
    clock.advance(plan.segments[0].planned + late * (second.planned if second.timed else 1.0))
    events = session.next_segment()
    started = [e.segment.index for e in events if isinstance(e, SegmentStarted)]
    assert started == [1, 2]
    assert session.index == 2
    assert session.outcomes == {0: Outcome.DONE, 1: Outcome.SKIPPED}
