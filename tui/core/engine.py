"""The session engine: a state machine that plays a plan against an injected monotonic clock.

Time left is always a deadline minus now. When the engine notices late that a deadline has
passed (a slow frame, a busy machine), the next segment starts at that deadline, not at the
moment it noticed, so lateness never accumulates. Every call returns the events it caused; the
UI turns them into a bell and a redraw, the history store into checkpoints.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from tui.core.plan import Plan, Segment

Clock = Callable[[], float]
ADJUST_STEP = 5.0
COUNTDOWN_FROM = 3


class Status(StrEnum):
    READY = "ready"
    ACTIVE = "active"
    FINISHED = "finished"
    STOPPED = "stopped"


class Outcome(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SegmentStarted:
    segment: Segment


@dataclass(frozen=True)
class SegmentEnded:
    segment: Segment
    outcome: Outcome
    active_seconds: float


@dataclass(frozen=True)
class Countdown:
    """A timed hold is about to end: `seconds_left` is 3, 2 or 1."""

    segment: Segment
    seconds_left: int


@dataclass(frozen=True)
class SessionEnded:
    completed: bool  # False: the person stopped before the end


@dataclass(frozen=True)
class PauseChanged:
    paused: bool


Event = SegmentStarted | SegmentEnded | Countdown | SessionEnded | PauseChanged


@dataclass(frozen=True)
class Progress:
    """What the screen shows, computed for one moment."""

    segment: Segment
    remaining: float | None  # None while an untimed phase waits for the person
    phase: float
    exercise: float
    session: float
    session_remaining: float  # planned seconds left, untimed phases not counted
    active_seconds: float
    paused_seconds: float


class Session:
    def __init__(self, plan: Plan, clock: Clock = time.monotonic, start_index: int = 0) -> None:
        if not plan.segments:
            raise ValueError("a plan with no segments cannot be played")
        self.plan = plan
        self.clock = clock
        self.status = Status.READY
        self.paused = False
        self.index = min(max(start_index, 0), len(plan.segments) - 1)
        self.outcomes: dict[int, Outcome] = {}
        self.active_seconds = 0.0
        self.paused_seconds = 0.0
        self.segment_active = 0.0
        self._duration = self._planned(self.index)
        self._remaining = self._duration
        self._deadline: float | None = None
        self._mark = 0.0  # time already counted into active or paused seconds
        self._countdown_said = math.inf

    @classmethod
    def restore(
        cls,
        plan: Plan,
        *,
        index: int,
        outcomes: Mapping[int, Outcome],
        active_seconds: float,
        paused_seconds: float,
        clock: Clock = time.monotonic,
    ) -> Session:
        """A session picked up where an interrupted one stopped: at the segment that was
        playing, with what was done before it and the time already spent."""
        session = cls(plan, clock=clock, start_index=index)
        session.outcomes = {i: o for i, o in outcomes.items() if 0 <= i < session.index}
        session.active_seconds = active_seconds
        session.paused_seconds = paused_seconds
        return session

    # -- reading the state -----------------------------------------------------------------

    @property
    def segment(self) -> Segment:
        return self.plan.segments[self.index]

    @property
    def running(self) -> bool:
        return self.status is Status.ACTIVE and not self.paused

    @property
    def waiting(self) -> bool:
        """An untimed phase is playing: the session goes on when the person says so."""
        return self.running and not self.segment.timed

    @property
    def over(self) -> bool:
        return self.status in (Status.FINISHED, Status.STOPPED)

    def remaining(self) -> float | None:
        if not self.segment.timed:
            return None
        if self._deadline is not None and self.running:
            return max(0.0, self._deadline - self.clock())
        return max(0.0, self._remaining)

    def progress(self) -> Progress:
        remaining = self.remaining()
        if remaining is None or self._duration <= 0:
            phase = 1.0 if self.index in self.outcomes else 0.0
        else:
            phase = min(1.0, max(0.0, 1.0 - remaining / self._duration))
        if self.over and self.status is Status.FINISHED:
            phase = 1.0
        step = self.plan.step_range(self.segment.step_index)
        later = self.plan.timed_seconds - self.plan.seconds_before[self.index + 1]
        now = self.clock()
        active, paused = self.active_seconds, self.paused_seconds
        if self.status is Status.ACTIVE:
            if self.paused:
                paused += now - self._mark
            else:
                active += now - self._mark
        return Progress(
            segment=self.segment,
            remaining=remaining,
            phase=phase,
            exercise=self._fraction(step.start, step.stop, phase),
            session=self._fraction(0, len(self.plan.segments), phase),
            session_remaining=(remaining or 0.0) + later,
            active_seconds=active,
            paused_seconds=paused,
        )

    def next_wakeup(self) -> float | None:
        """Seconds until the countdown shows a new whole second; None if nothing will change."""
        remaining = self.remaining()
        if not self.running or remaining is None:
            return None
        fraction = remaining - math.floor(remaining)
        return fraction if fraction > 0 else 1.0

    # -- operations --------------------------------------------------------------------------

    def start(self) -> list[Event]:
        if self.status is not Status.READY:
            return []
        now = self.clock()
        self.status = Status.ACTIVE
        self._mark = now
        return self._enter(self.index, now)

    def update(self) -> list[Event]:
        """Catch up with the clock: end every segment whose deadline has passed."""
        events: list[Event] = []
        now = self.clock()
        while self.running and self._deadline is not None and now >= self._deadline:
            deadline = self._deadline
            events += self._leave(Outcome.DONE, deadline)
            events += self._advance(deadline)
        if self.running and self.segment.hold and self._deadline is not None:
            events += self._countdown(self._deadline - now)
        return events

    def pause(self) -> list[Event]:
        if not self.running:
            return []
        events = self.update()
        if not self.running:
            return events
        now = self.clock()
        self._account(now)
        if self._deadline is not None:
            self._remaining = max(0.0, self._deadline - now)
        self._deadline = None
        self.paused = True
        return [*events, PauseChanged(True)]

    def resume(self) -> list[Event]:
        if self.status is not Status.ACTIVE or not self.paused:
            return []
        now = self.clock()
        self._account(now)
        self.paused = False
        if self.segment.timed:
            self._deadline = now + self._remaining
        return [PauseChanged(False)]

    def toggle(self) -> list[Event]:
        """Space: start, go on from an untimed phase, pause or resume, whichever applies."""
        if self.status is Status.READY:
            return self.start()
        if self.waiting:
            return self.go_on()
        return self.resume() if self.paused else self.pause()

    def go_on(self) -> list[Event]:
        """The person is ready: end the untimed phase as done."""
        if not self.waiting:
            return []
        now = self.clock()
        return [*self._leave(Outcome.DONE, now), *self._advance(now)]

    # Targets are computed after catching up with the clock: a deadline that passed unseen
    # has already moved the session on, and a skip must move on from there.

    def next_segment(self) -> list[Event]:
        return self._jump_forward(lambda: self.index + 1)

    def previous_segment(self) -> list[Event]:
        return self._jump_back(lambda: max(0, self.index - 1))

    def next_exercise(self) -> list[Event]:
        def target() -> int:
            step = self.segment.step_index + 1
            if step >= len(self.plan.routine.steps):
                return len(self.plan.segments)
            return self.plan.step_range(step).start

        return self._jump_forward(target)

    def previous_exercise(self) -> list[Event]:
        return self._jump_back(
            lambda: self.plan.step_range(max(0, self.segment.step_index - 1)).start
        )

    def restart_exercise(self) -> list[Event]:
        return self._jump_back(lambda: self.plan.step_range(self.segment.step_index).start)

    def adjust(self, seconds: float) -> list[Event]:
        """Add (or, negative, take) seconds from the current timed segment."""
        if self.status is not Status.ACTIVE or not self.segment.timed:
            return []
        events = self.update()
        if self.over or not self.segment.timed:
            return events
        now = self.clock()
        remaining = self.remaining() or 0.0
        remaining = max(0.0, remaining + seconds)
        self._duration = max(0.0, self._duration + seconds)
        if remaining <= 0:
            self._account(now)
            return [*events, *self._leave(Outcome.DONE, now), *self._advance(now)]
        self._remaining = remaining
        if self._deadline is not None:
            self._deadline = now + remaining
        if self.segment.hold and remaining > self._countdown_said:
            self._countdown_said = math.inf
        return events

    def stop(self) -> list[Event]:
        if self.over:
            return []
        events = self.update() if self.status is Status.ACTIVE else []
        if self.over:
            return events
        now = self.clock()
        if self.status is Status.ACTIVE:
            self._account(now)
            if self._deadline is not None:
                self._remaining = max(0.0, self._deadline - now)
        self._deadline = None
        self.status = Status.STOPPED
        return [*events, SessionEnded(completed=False)]

    # -- inside ------------------------------------------------------------------------------

    def _planned(self, index: int) -> float:
        return self.plan.segments[index].planned

    def _account(self, now: float) -> None:
        spent = max(0.0, now - self._mark)
        if self.paused:
            self.paused_seconds += spent
        else:
            self.active_seconds += spent
            self.segment_active += spent
        self._mark = max(self._mark, now)

    def _enter(self, index: int, at: float) -> list[Event]:
        self.index = index
        self._duration = self._planned(index)
        self._remaining = self._duration
        self.segment_active = 0.0
        self._countdown_said = math.inf
        self.outcomes.pop(index, None)
        self._deadline = at + self._duration if self.running and self.segment.timed else None
        return [SegmentStarted(self.segment)]

    def _leave(self, outcome: Outcome, at: float) -> list[Event]:
        if self.status is Status.ACTIVE:
            self._account(at)
        self.outcomes[self.index] = outcome
        return [SegmentEnded(self.segment, outcome, self.segment_active)]

    def _advance(self, at: float) -> list[Event]:
        if self.index + 1 >= len(self.plan.segments):
            return self._finish()
        return self._enter(self.index + 1, at)

    def _finish(self) -> list[Event]:
        """The only way to FINISHED: the last segment is over, or everything left was skipped."""
        self.index = len(self.plan.segments) - 1
        self._deadline = None
        self._remaining = 0.0
        self.status = Status.FINISHED
        return [SessionEnded(completed=True)]

    def _jump_forward(self, target_of: Callable[[], int]) -> list[Event]:
        """Skip ahead to the target, marking what is passed over as skipped."""
        if self.status is not Status.ACTIVE:
            return []
        events = self.update()
        if self.over:
            return events
        target = target_of()
        now = self.clock()
        self._account(now)
        events += self._leave(Outcome.SKIPPED, now)
        for index in range(self.index + 1, min(target, len(self.plan.segments))):
            self.outcomes[index] = Outcome.SKIPPED
            events.append(SegmentEnded(self.plan.segments[index], Outcome.SKIPPED, 0.0))
        if target >= len(self.plan.segments):
            return [*events, *self._finish()]
        return [*events, *self._enter(target, now)]

    def _jump_back(self, target_of: Callable[[], int]) -> list[Event]:
        """Go back to the target, to do it again; nothing passed over is marked."""
        if self.status is not Status.ACTIVE:
            return []
        events = self.update()
        if self.over:
            return events
        target = target_of()
        now = self.clock()
        self._account(now)
        for index in range(target, self.index + 1):
            self.outcomes.pop(index, None)
        return [*events, *self._enter(target, now)]

    def _countdown(self, remaining: float) -> list[Event]:
        if remaining <= 0:
            return []
        second = math.ceil(remaining)
        if second > COUNTDOWN_FROM or second >= math.ceil(self._duration):
            return []
        if second >= self._countdown_said:
            return []
        self._countdown_said = second
        return [Countdown(self.segment, second)]

    def _fraction(self, start: int, stop: int, phase: float) -> float:
        before = self.plan.seconds_before
        total = before[stop] - before[start]
        position = self.index - start
        if total <= 0:
            count = stop - start
            done = position + (phase if self.segment.timed else 0.0)
            if self.index in self.outcomes:
                done = position + 1
            return min(1.0, max(0.0, done / count)) if count > 0 else 1.0
        done = before[self.index] - before[start] + self.segment.planned * phase
        return min(1.0, max(0.0, done / total))
