"""Cues: how many bells each change gets, what notifications say, and how they are written."""

from __future__ import annotations

import re

import pytest
from apphelpers import SHORT_ROUTINES, ManualClock
from hypothesis import given
from hypothesis import strategies as st

from tui.core.engine import Countdown, SegmentStarted, Session, SessionEnded
from tui.core.loader import load_text
from tui.core.plan import Kind, build_plan
from tui.ui import cues

SETS = """\
schema = 1

[defaults]
prepare = 2
rest = 3
rest_between_sets = 4
rest_between_reps = 1

[exercises.egg]
name = "Egg"
phases = [
  { name = "Hug your knees", seconds = 8, hold = true },
  { name = "Release", seconds = 2 },
]

[exercises.chair]
name = "Chair"
phases = [{ name = "Fold forward", seconds = 5, hold = true }]

[[routines]]
id = "sets"
name = "Daily back care"
steps = [{ exercise = "egg", reps = 2, sets = 2 }, { exercise = "chair" }]
"""


def session_of(text: str, routine: str) -> Session:
    book = load_text(text, "test.toml")
    return Session(build_plan(book.routine(routine)), clock=ManualClock())


def test_each_kind_of_change_has_its_own_number_of_bells() -> None:
    session = session_of(SETS, "sets")
    bells = {
        (s.kind, s.label): cues.cue_for([SegmentStarted(s)], session).bells
        for s in session.plan.segments
    }
    assert bells[Kind.PREPARE, "Get ready"] == 2
    assert bells[Kind.REST, "Rest"] == 2  # between exercises
    assert bells[Kind.REST, "Rest between sets"] == 2
    assert bells[Kind.REST, "Rest between reps"] == 1
    assert bells[Kind.WORK, "Hug your knees"] == 1
    assert bells[Kind.WORK, "Release"] == 1


def test_the_end_rings_three_and_no_phase_bell() -> None:
    session = session_of(SETS, "sets")
    last = session.plan.segments[-1]
    events = [SegmentStarted(last), Countdown(last, 1), SessionEnded(completed=True)]
    cue = cues.cue_for(events, session)
    assert cue.bells == 3
    assert cue.notification is not None and cue.notification.startswith("Done: Daily back care")
    assert cues.cue_for([SessionEnded(completed=False)], session) == cues.Cue()


def test_countdown_rings_once_and_nothing_else_rings_nothing() -> None:
    session = session_of(SETS, "sets")
    hold = session.plan.segments[1]
    assert cues.cue_for([Countdown(hold, 2)], session) == cues.Cue(1)
    assert cues.cue_for([], session) == cues.Cue()


def test_notifications_at_a_new_exercise_a_rest_and_never_at_every_rep() -> None:
    session = session_of(SETS, "sets")
    said = [
        (s.index, cues.cue_for([SegmentStarted(s)], session).notification)
        for s in session.plan.segments
    ]
    texts = [text for _index, text in said if text]
    assert texts == [
        "Egg: hug your knees, hold 8 s",
        "Rest 4 s, then set 2 of Egg",
        "Rest 3 s, then Chair",
        "Chair: fold forward, hold 5 s",
    ]


def test_untimed_first_phase_says_when_ready() -> None:
    session = session_of(SHORT_ROUTINES, "short")
    knee = next(s for s in session.plan.segments if s.label == "Get into position")
    assert (
        cues.segment_notification(session.plan, knee) == "Knee hug: get into position, when ready"
    )


@pytest.mark.parametrize(
    "setting, env, protocol",
    [
        ("off", {"TERM": "xterm-kitty"}, None),
        ("auto", {"TERM": "xterm-kitty"}, "osc99"),
        ("auto", {"TERM": "xterm-ghostty"}, "osc9"),
        ("auto", {"TERM": "foot"}, "osc777"),
        ("auto", {"TERM": "wezterm"}, "osc9"),
        ("auto", {"TERM": "xterm-256color", "LC_TERMINAL": "iTerm2"}, "osc9"),
        ("auto", {"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, "osc9"),
        ("auto", {"TERM": "xterm-256color"}, None),
        ("auto", {}, None),
        ("auto", {"TERM": "xterm-256color", "BACKTONE_WEB": "1"}, "osc9"),
        ("osc777", {"TERM": "xterm-256color"}, "osc777"),
        ("off", {"BACKTONE_NOTIFY": "osc9"}, "osc9"),
        ("osc9", {"BACKTONE_NOTIFY": "off"}, None),
    ],
)
def test_notify_protocol(setting: str, env: dict[str, str], protocol: str | None) -> None:
    assert cues.notify_protocol(setting, env) == protocol


def test_sequences_end_with_st_never_bel() -> None:
    assert cues.notification_sequence("osc9", "Rest 15 s") == "\x1b]9;Rest 15 s\x1b\\"
    assert cues.notification_sequence("osc99", "Done") == "\x1b]99;;Done\x1b\\"
    assert cues.notification_sequence("osc777", "Done") == "\x1b]777;notify;backtone;Done\x1b\\"


def test_tmux_gets_a_passthrough_with_inner_escapes_doubled() -> None:
    wrapped = cues.notification_sequence("osc9", "Done", tmux=True)
    assert wrapped == "\x1bPtmux;\x1b\x1b]9;Done\x1b\x1b\\\x1b\\"


@given(st.text())
def test_text_from_the_file_cannot_break_out_of_a_sequence(name: str) -> None:
    sequence = cues.notification_sequence("osc9", name)
    body = sequence[len("\x1b]9;") : -2]
    assert not re.search(r"[\x00-\x1f\x7f-\x9f]", body)
    assert "\x07" not in sequence
