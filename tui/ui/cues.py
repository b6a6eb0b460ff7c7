"""Cues a person can tell apart without looking: how many bells, and what a desktop
notification says.

Two bells mean "a pause: get into position" (a get-ready, a rest between exercises or sets),
one bell any other change of phase, one at each of the last 3-2-1 seconds of a hold, three
the end. Notifications (OSC 9, 777 or 99) travel through SSH to terminals that show them; they
are written at a new exercise, a rest and the end, never at every rep. The pattern is worked
out here without Textual; the screen only rings and writes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from tui.core.engine import Countdown, Event, SegmentStarted, Session, SessionEnded
from tui.core.plan import Kind, Plan, Segment
from tui.core.timefmt import format_length

BELL_GAP = 0.3  # seconds between the bells of one cue: heard as two, not as one long ring
END_BELLS = 3
PAUSE_BELLS = 2
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
    """What one batch of engine events calls for."""

    bells: int = 0
    notification: str | None = None


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
    started: Segment | None = None
    countdown = False
    for event in events:
        if isinstance(event, SessionEnded):
            return Cue(END_BELLS, end_notification(session)) if event.completed else Cue()
        if isinstance(event, SegmentStarted):
            started = event.segment
        elif isinstance(event, Countdown):
            countdown = True
    if started is not None:
        bells = PAUSE_BELLS if is_pause(started) else 1
        return Cue(bells, segment_notification(session.plan, started))
    return Cue(1) if countdown else Cue()


def end_notification(session: Session) -> str:
    minutes = format_length(session.active_seconds)
    return f"Done: {clean(session.plan.routine.name)}, {minutes}"


def segment_notification(plan: Plan, segment: Segment) -> str | None:
    """ "Egg: hug your knees, hold 8 s" at the first phase of an exercise, "Rest 15 s, then
    Chair" at a rest between exercises or sets; None for every other segment."""
    if segment.kind is Kind.REST and is_pause(segment):
        upcoming = segment.upcoming or segment.exercise
        after = (
            f"set {segment.set_number} of {upcoming.name}"
            if upcoming is segment.exercise
            else upcoming.name
        )
        return f"Rest {_seconds(segment.seconds)}, then {clean(after)}"
    if segment.kind is not Kind.WORK or not _first_work_of_step(plan, segment):
        return None
    length = _seconds(segment.seconds)
    what = f"hold {length}" if segment.hold and segment.timed else length
    return f"{clean(segment.exercise.name)}: {_lower_first(clean(segment.label))}, {what}"


def _first_work_of_step(plan: Plan, segment: Segment) -> bool:
    for index in plan.step_range(segment.step_index):
        if plan.segments[index].kind is Kind.WORK:
            return index == segment.index
    return False


def _seconds(seconds: float | None) -> str:
    return "when ready" if seconds is None else f"{seconds:g} s"


def _lower_first(text: str) -> str:
    """ "Hug your knees" reads "hug your knees" after a colon; "TV stretch" stays as it is."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


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
