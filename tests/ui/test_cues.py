"""Cues: how many bells each change gets, what is said and notified (one text for both), how
long it takes to say against the segment it is said in, and how notifications are written."""

from __future__ import annotations

import re

import pytest
from apphelpers import SHORT_ROUTINES, ManualClock
from hypothesis import given
from hypothesis import strategies as st

from tui import paths
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
from tui.core.loader import load_file, load_text
from tui.core.plan import Kind, build_plan
from tui.speech import speaking_seconds
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


def session_of(text: str, routine: str, clock: ManualClock | None = None) -> Session:
    book = load_text(text, "test.toml")
    return Session(build_plan(book.routine(routine)), clock=clock or ManualClock())


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
    assert cue.speech == cue.notification
    assert cues.cue_for([SessionEnded(completed=False)], session) == cues.Cue(interrupt=True)


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
        "Egg. Hug your knees. Hold 8 seconds.",
        "Rest 4 seconds, then set 2 of Egg.",
        "Rest 3 seconds, then Chair.",
        "Chair. Fold forward. Hold 5 seconds.",
    ]


def test_what_is_said_at_each_segment_and_the_notifications_are_the_same_words() -> None:
    session = session_of(SETS, "sets")
    said = []
    for segment in session.plan.segments:
        cue = cues.cue_for([SegmentStarted(segment)], session)
        assert cue.notification in (None, cue.speech)
        if cue.speech:
            said.append((segment.label, cue.speech, cue.notification is not None))
    assert said == [
        ("Hug your knees", "Egg. Hug your knees. Hold 8 seconds.", True),
        ("Hug your knees", "Rep 2 of 2", False),  # after a 1 s rest between reps
        ("Rest between sets", "Rest 4 seconds, then set 2 of Egg.", True),
        ("Hug your knees", "Rep 1 of 2", False),
        ("Hug your knees", "Rep 2 of 2", False),
        ("Rest", "Rest 3 seconds, then Chair.", True),
        ("Fold forward", "Chair. Fold forward. Hold 5 seconds.", True),
    ]


def test_sides_and_an_untimed_first_phase() -> None:
    session = session_of(SHORT_ROUTINES, "short")
    plan = session.plan
    knee = next(s for s in plan.segments if s.label == "Get into position")
    assert cues.segment_notification(plan, knee) == (
        "Knee hug, left side. Get into position. When ready."
    )
    switch = next(s for s in plan.segments if s.kind is Kind.SWITCH)
    assert cues.segment_speech(plan, switch) == "Switch to the right side."
    assert cues.segment_notification(plan, switch) is None  # a switch is no new exercise
    right = plan.segments[switch.index + 1]
    assert cues.segment_speech(plan, right) == "Get into position. When ready."


def test_a_phase_too_short_for_its_text_gets_a_shorter_one() -> None:
    text = SETS.replace("seconds = 8, hold = true", "seconds = 1.5, hold = true").replace(
        "reps = 2, sets = 2", "reps = 12"
    )
    session = session_of(text, "sets")
    said = [cues.segment_speech(session.plan, s) for s in session.plan.segments]
    # "Egg. Hug your knees. Hold 1.5 seconds." takes 4 s, "Egg. Hold 1.5 seconds." 2.8 s
    assert said[1] == "Egg. Hold."
    reps = [text for text in said if text and text.startswith("Rep")]
    assert reps[:2] == ["Rep 2", "Rep 3"]  # "Rep 2 of 12" takes 1.6 s
    assert cues.fit(["one two three"], 1.2) == "one two three"  # 3 words at 2.5 a second
    assert cues.fit(["one two three four"], 1.2) is None
    assert cues.fit(["one two three four"], None) == "one two three four"  # untimed


@pytest.mark.parametrize("routine", ["daily-back", "gentle-short", "pregnancy-cat"])
def test_every_bundled_text_is_said_within_its_segment(routine: str) -> None:
    plan = build_plan(load_file(paths.bundled_routines_path()).routine(routine))
    for segment in plan.segments:
        text = cues.segment_speech(plan, segment)
        if text is not None and segment.seconds is not None:
            assert speaking_seconds(text) <= segment.seconds, (segment.label, text)


@pytest.mark.parametrize(
    "seconds, said",
    [
        (0, "0 seconds"),
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (540, "9 minutes"),
        (3600, "1 hour"),
        (3900, "1 hour 5 minutes"),
        (7260, "2 hours 1 minute"),
    ],
)
def test_spoken_lengths(seconds: float, said: str) -> None:
    assert cues.spoken_length(seconds) == said


def test_the_end_says_the_routine_and_the_time_in_words() -> None:
    session = session_of(SETS, "sets")
    session.active_seconds = 540.0
    assert cues.end_text(session) == "Done: Daily back care, 9 minutes"


LONG_HOLD = """\
schema = 1

[defaults]
prepare = 0

[exercises.plank]
name = "Plank"
phases = [{ name = "Hold the plank", seconds = 20, hold = true }, { name = "Rest", seconds = 2 }]

[exercises.short]
name = "Short"
phases = [{ name = "Hold it", seconds = 19, hold = true }]

[[routines]]
id = "long"
name = "Long holds"
steps = [{ exercise = "plank", reps = 2 }, { exercise = "short" }]
"""


def test_halfway_through_a_hold_of_20_seconds_once_and_not_while_paused() -> None:
    clock = ManualClock()
    session = session_of(LONG_HOLD, "long", clock)
    watch = cues.SessionCues()
    first = watch.after(session.start(), session)
    assert first.speech == "Plank. Hold the plank. Hold 20 seconds."
    said = []

    def tick(seconds: float) -> None:
        clock.advance(seconds)
        said.append(watch.after(session.update(), session).speech)

    for _ in range(9):
        tick(1.0)
    assert said == [None] * 9
    assert watch.after(session.pause(), session).speech is None  # at 11 s left
    clock.advance(30)
    assert watch.after([], session).speech is None
    watch.after(session.resume(), session)
    tick(1.0)  # 10 s left: halfway
    tick(1.0)
    assert said[-2:] == ["Halfway", None]
    tick(11.0)  # the 9 s left, the 2 s release: rep 2 starts
    assert session.segment.rep_number == 2 and said[-1] == "Rep 2 of 2"
    watch.after(session.previous_segment(), session)
    watch.after(session.previous_segment(), session)  # back to rep 1's hold: halfway again
    assert session.index == 0
    clock.advance(10.0)
    assert watch.after(session.update(), session).speech == "Halfway"


def test_no_halfway_in_a_hold_under_20_seconds() -> None:
    clock = ManualClock()
    session = session_of(LONG_HOLD, "long", clock)
    watch = cues.SessionCues()
    watch.after(session.start(), session)
    watch.after(session.next_exercise(), session)
    assert session.segment.label == "Hold it"
    said = []
    for _ in range(19):
        clock.advance(1.0)
        said.append(watch.after(session.update(), session).speech)
    assert "Halfway" not in said


def test_a_long_hold_leaves_room_for_halfway_after_its_first_text() -> None:
    text = LONG_HOLD.replace('name = "Hold the plank"', 'name = "' + " ".join(["word"] * 24) + '"')
    session = session_of(text, "long")
    assert cues.segment_speech(session.plan, session.plan.segments[0]) == (
        "Plank. Hold 20 seconds."  # the whole text (11.2 s) would run past the halfway
    )


def test_the_person_moving_the_session_cuts_what_is_said_the_clock_does_not() -> None:
    clock = ManualClock()
    session = session_of(SETS, "sets", clock)
    assert cues.interrupted(session.start())  # nothing is being said yet: harmless
    clock.advance(2.0)  # the get-ready ends
    assert not cues.interrupted(session.update())
    assert cues.interrupted(session.pause())
    assert not cues.interrupted(session.resume())
    assert cues.interrupted(session.next_segment())
    assert cues.interrupted(session.previous_segment())
    assert cues.interrupted(session.restart_exercise())
    clock.advance(1.0)
    assert not cues.interrupted(session.adjust(5))  # more time: nothing said is stale
    assert cues.interrupted(session.stop())


def test_going_on_from_a_phase_that_waits_is_not_an_interruption() -> None:
    session = session_of(SHORT_ROUTINES, "short")
    session.start()
    session.next_exercise()
    while session.segment.timed:
        session.next_segment()
    assert session.waiting
    assert not cues.interrupted(session.go_on())


def test_a_cue_that_interrupts_still_rings_and_says_the_new_segment() -> None:
    session = session_of(SETS, "sets")
    session.start()
    events: list[Event] = session.next_segment()
    assert any(isinstance(e, SegmentEnded) and e.outcome is Outcome.SKIPPED for e in events)
    cue = cues.cue_for(events, session)
    assert cue.interrupt and cue.bells == 1
    assert cue.speech == "Egg. Hug your knees. Hold 8 seconds."
    assert cues.cue_for([PauseChanged(True)], session) == cues.Cue(interrupt=True)


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
