"""Cues a person can tell apart without looking: how many bells, and what is said.

Two bells mean "a pause: get into position" (a get-ready, a rest between exercises or sets),
one bell any other change of phase, one at each of the last 3-2-1 seconds of a hold, three
the end. The texts are said aloud (on this machine by tui.speech, in a browser tab by the
page) and the ones for a new exercise, a rest and the end are also desktop notifications
(OSC 9, 777 or 99, which travel through SSH), never every rep: one text for the three, worked
out here without Textual; the screen only rings, writes and hands the text to the speaker.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from tui.core.engine import (
    Countdown,
    Event,
    Outcome,
    PauseChanged,
    SegmentEnded,
    SegmentStarted,
    Session,
    SessionEnded,
)
from tui.core.plan import Kind, Plan, Segment
from tui.speech import speaking_seconds

BELL_GAP = 0.3  # seconds between the bells of one cue: heard as two, not as one long ring
END_BELLS = 3
PAUSE_BELLS = 2
HALFWAY_FROM = 20.0  # holds this long or longer say "Halfway"
HALFWAY = "Halfway"
TITLE = "backtone"
ST = "\x1b\\"  # every sequence ends with ST: a BEL there would be counted as a bell
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


class NotifyMode(StrEnum):
    OFF = "off"
    AUTO = "auto"
    OSC9 = "osc9"
    OSC777 = "osc777"
    OSC99 = "osc99"


NOTIFY_MODES = tuple(mode.value for mode in NotifyMode)


@dataclass(frozen=True)
class Cue:
    """What one batch of engine events calls for.

    `speech` is what to say; `notification` is the same text where it is also a desktop
    notification. `interrupt`: the person paused, skipped, went back or stopped, so what is
    being said is stale and is cut first."""

    bells: int = 0
    notification: str | None = None
    speech: str | None = None
    interrupt: bool = False


NO_CUE = Cue()


def is_pause(segment: Segment) -> bool:
    """A get-ready, or a rest between exercises or between sets (not a rest between reps)."""
    if segment.kind is Kind.PREPARE:
        return True
    between_reps = segment.upcoming is segment.exercise and segment.rep_number > 1
    return segment.kind is Kind.REST and not between_reps


def cue_for(events: Iterable[Event], session: Session) -> Cue:
    """The cue for what the engine just did: the end outranks a new segment, which outranks
    a 3-2-1 second. A batch that crossed several segments (a late wake-up) cues the last.
    A session the person stopped ends quietly: they know."""
    events = list(events)
    interrupt = interrupted(events)
    started: Segment | None = None
    countdown = False
    for event in events:
        if isinstance(event, SessionEnded):
            if not event.completed:
                return Cue(interrupt=True)
            text = end_text(session)
            return Cue(END_BELLS, text, text, interrupt)
        if isinstance(event, SegmentStarted):
            started = event.segment
        elif isinstance(event, Countdown):
            countdown = True
    if started is not None:
        bells = PAUSE_BELLS if is_pause(started) else 1
        speech = segment_speech(session.plan, started)
        notification = speech if _is_notified(session.plan, started) else None
        return Cue(bells, notification, speech, interrupt)
    return Cue(1 if countdown else 0, interrupt=interrupt)


def interrupted(events: Sequence[Event]) -> bool:
    """Whether the person (not the clock) moved the session: a pause, a skip, a jump back or
    a stop. A segment the clock or "go on" reached follows the end of the one before, done;
    one jumped to follows a skipped one, or nothing (the engine starts it afresh)."""
    previous: Event | None = None
    for event in events:
        if isinstance(event, PauseChanged) and event.paused:
            return True
        if isinstance(event, SessionEnded) and not event.completed:
            return True
        if isinstance(event, SegmentEnded) and event.outcome is Outcome.SKIPPED:
            return True
        if isinstance(event, SegmentStarted) and not (
            isinstance(previous, SegmentEnded) and previous.outcome is Outcome.DONE
        ):
            return True
        previous = event
    return False


class SessionCues:
    """`cue_for`, and the one cue no event marks: "Halfway" through a long hold. The screen
    asks after every batch of events, and at each whole second of the countdown (an empty
    batch), which is when the halfway point is crossed."""

    def __init__(self) -> None:
        self._halfway_at: int | None = None  # the segment whose halfway is still to be said

    def after(self, events: Sequence[Event], session: Session) -> Cue:
        for event in events:
            if isinstance(event, SegmentStarted):
                segment = event.segment
                self._halfway_at = segment.index if says_halfway(segment) else None
        cue = cue_for(events, session) if events else NO_CUE
        if cue.speech is None and self._halfway_due(session):
            self._halfway_at = None
            return Cue(cue.bells, speech=HALFWAY, interrupt=cue.interrupt)
        return cue

    def _halfway_due(self, session: Session) -> bool:
        if self._halfway_at is None or not session.running:
            return False
        if session.index != self._halfway_at:
            return False
        remaining = session.remaining()
        return remaining is not None and remaining <= session.segment.planned / 2


def says_halfway(segment: Segment) -> bool:
    return segment.hold and segment.seconds is not None and segment.seconds >= HALFWAY_FROM


# -- the texts ---------------------------------------------------------------------------------


def end_text(session: Session) -> str:
    """ "Done: Daily back care, 9 minutes": nothing follows it, so it is never shortened."""
    return f"Done: {clean(session.plan.routine.name)}, {spoken_length(session.active_seconds)}"


def segment_notification(plan: Plan, segment: Segment) -> str | None:
    """The desktop notification at this segment's start: the spoken text, at a new exercise
    and at a rest between exercises or sets; None for every other segment."""
    return segment_speech(plan, segment) if _is_notified(plan, segment) else None


def segment_speech(plan: Plan, segment: Segment) -> str | None:
    """What to say as the segment starts, short enough to be said within it: "Egg. Hug your
    knees to your chest. Hold 8 seconds." at an exercise's first phase, "Rep 4 of 12" when a
    rep starts, "Rest 15 seconds, then Chair." at a rest between exercises or sets, "Switch to
    the right side." None where the bells say enough (a get-ready, a rest between reps, the
    later phases of a rep), or where not even one word fits."""
    room = segment.seconds
    if room is not None and says_halfway(segment):
        room /= 2  # "Halfway" must not queue behind the start's text
    return fit(_candidates(plan, segment), room)


def fit(candidates: Iterable[str], seconds: float | None) -> str | None:
    """The first text that can be said within `seconds` (None: no limit), or None."""
    for text in candidates:
        if seconds is None or speaking_seconds(text) <= seconds:
            return text
    return None


def _candidates(plan: Plan, segment: Segment) -> list[str]:
    """What to say, longest first: shorter ones for segments too short for the long one."""
    if segment.kind is Kind.REST and is_pause(segment):
        after = _after_rest(segment)
        return [f"Rest {_seconds(segment.seconds)}, then {after}.", f"Rest, then {after}.", "Rest."]
    if segment.kind is Kind.SWITCH:
        return [_sentence(clean(segment.label)), "Switch sides.", "Switch."]
    if segment.kind is not Kind.WORK:
        return []
    length = _length(segment)
    if _first_work_of_step(plan, segment):
        name = clean(segment.exercise.name)
        if segment.side:
            name = f"{name}, {clean(segment.side)} side"
        label = _sentence(clean(segment.label))
        held = [f"{name}. Hold.", f"{name}.", "Hold."] if segment.hold else [f"{name}."]
        return [f"{name}. {label} {length}.", f"{name}. {length}.", *held]
    if not _first_work_of_rep(plan, segment):
        return []
    if segment.rep_count > 1:
        rep = segment.rep_number
        return [f"Rep {rep} of {segment.rep_count}", f"Rep {rep}", str(rep)]
    if segment.set_count > 1:
        number = segment.set_number
        return [f"Set {number} of {segment.set_count}", f"Set {number}", str(number)]
    # one rep of one set: its first phase after a change of side
    return [f"{_sentence(clean(segment.label))} {length}.", f"{length}."]


def _is_notified(plan: Plan, segment: Segment) -> bool:
    """A new exercise or a rest between exercises or sets: never every rep."""
    if segment.kind is Kind.REST:
        return is_pause(segment)
    return segment.kind is Kind.WORK and _first_work_of_step(plan, segment)


def _after_rest(segment: Segment) -> str:
    upcoming = segment.upcoming or segment.exercise
    if upcoming is segment.exercise:
        return f"set {segment.set_number} of {clean(upcoming.name)}"
    return clean(upcoming.name)


def _length(segment: Segment) -> str:
    """ "Hold 8 seconds", "3 seconds", "When ready"."""
    if segment.seconds is None:
        return "When ready"
    return f"Hold {_seconds(segment.seconds)}" if segment.hold else _seconds(segment.seconds)


def _first_work_of_step(plan: Plan, segment: Segment) -> bool:
    for index in plan.step_range(segment.step_index):
        if plan.segments[index].kind is Kind.WORK:
            return index == segment.index
    return False


def _first_work_of_rep(plan: Plan, segment: Segment) -> bool:
    if segment.index == 0:
        return True
    before = plan.segments[segment.index - 1]
    return before.kind is not Kind.WORK or _rep_of(before) != _rep_of(segment)


def _rep_of(segment: Segment) -> tuple[int, str | None, int, int]:
    return (segment.step_index, segment.side, segment.set_number, segment.rep_number)


def _seconds(seconds: float | None) -> str:
    if seconds is None:
        return "when ready"
    return f"{seconds:g} second{'' if seconds == 1 else 's'}"


def spoken_length(seconds: float) -> str:
    """Time spent, as said: "45 seconds", "9 minutes", "1 hour 5 minutes"."""
    total = round(seconds)
    if total < 60:
        return _plural(total, "second")
    minutes = round(total / 60)
    if minutes < 60:
        return _plural(minutes, "minute")
    hours, minutes = divmod(minutes, 60)
    return _plural(hours, "hour") + (f" {_plural(minutes, 'minute')}" if minutes else "")


def _plural(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'}"


def _sentence(text: str) -> str:
    """A phase name as a sentence of its own: "Hug your knees." ("Ready?" keeps its mark)."""
    if not text:
        return text
    return text if text[-1] in ".!?" else f"{text}."


def clean(text: str) -> str:
    """Text from the routine file made safe inside an escape sequence: no control characters
    (an ESC or BEL there would end the sequence early, or reach the terminal raw)."""
    return " ".join(CONTROL.sub(" ", text).split())


# -- which notification protocol ---------------------------------------------------------------

KITTY = "osc99"
OSC9 = "osc9"
OSC777 = "osc777"
BY_TERM = {
    "xterm-kitty": KITTY,
    "xterm-ghostty": OSC9,
    "ghostty": OSC9,
    "wezterm": OSC9,
    "foot": OSC777,
    "foot-extra": OSC777,
}
BY_TERM_PROGRAM = {"iTerm.app": OSC9, "WezTerm": OSC9, "ghostty": OSC9, "kitty": KITTY}


def notify_protocol(setting: str, env: Mapping[str, str] = os.environ) -> str | None:
    """The protocol to notify with, or None for the bell alone.

    `$BACKTONE_NOTIFY` overrides the setting. `auto` has to work over SSH, which forwards
    `TERM` and the `LC_*` variables but not `TERM_PROGRAM`: so `TERM` and `LC_TERMINAL`
    (set by iTerm2) come first, and `TERM_PROGRAM` counts only where it is present."""
    chosen = env.get("BACKTONE_NOTIFY", "").strip().lower() or setting
    if chosen in (OSC9, OSC777, KITTY):
        return chosen
    if chosen != NotifyMode.AUTO:
        return None
    if env.get("BACKTONE_WEB") == "1":
        return OSC9  # a browser tab (`backtone serve`) shows OSC 9
    term = env.get("TERM", "")
    if term in BY_TERM:
        return BY_TERM[term]
    if env.get("LC_TERMINAL") == "iTerm2":
        return OSC9
    return BY_TERM_PROGRAM.get(env.get("TERM_PROGRAM", ""))


def notification_sequence(protocol: str, message: str, tmux: bool = False) -> str:
    """The escape sequence that shows `message` as a desktop notification, ended by ST, and
    wrapped for tmux's passthrough (inner ESCs doubled) inside tmux."""
    message = clean(message)
    if protocol == KITTY:
        sequence = f"\x1b]99;;{message}{ST}"
    elif protocol == OSC777:
        sequence = f"\x1b]777;notify;{TITLE};{message}{ST}"
    else:
        sequence = f"\x1b]9;{message}{ST}"
    if tmux:
        sequence = "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + ST
    return sequence
