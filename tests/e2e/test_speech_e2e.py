"""End to end: the real `backtone run` in a pseudo-terminal, speaking through the fake speech
program of fakespeech.py (its `speech_command`), which logs what it says and when.

It waits for what the log and the screen show, never for a fixed time, and reads the pty all
the while (an app whose terminal is not read stalls on its writes).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import fakespeech
import pytest
import tomli_w
from fakespeech import Utterance, alive, utterances
from ptyhelpers import Terminal, clean_env, find_backtone

pytestmark = pytest.mark.e2e

# Holds, a rest, reps. At the fake's 0.4 s a word every text fits its segment, as at the 2.5
# words a second the texts are fitted to; "Rest 2 seconds, then Chair." (2.4 s with its
# breaths) does not fit its 2 s, and is said shorter.
ROUTINES = """\
schema = 1

[defaults]
prepare = 0
rest = 2
rest_between_reps = 0

[exercises.egg]
name = "Egg"
phases = [
  { name = "Hug your knees", seconds = 4, hold = true },
  { name = "Release", seconds = 1 },
]

[exercises.chair]
name = "Chair"
phases = [{ name = "Fold forward", seconds = 4, hold = true }]

[[routines]]
id = "spoken"
name = "Two exercises for the back, the hips and the legs"
steps = [{ exercise = "egg", reps = 2 }, { exercise = "chair" }]
"""
EGG = "Egg. Hug your knees. Hold 4 seconds."
CHAIR = "Chair. Fold forward. Hold 4 seconds."
DONE = "Done: Two exercises for the back, the hips and the legs, "
TIMEOUT = 30.0


@pytest.fixture(scope="module")
def backtone() -> str:
    executable = find_backtone()
    if executable is None:
        pytest.skip("the `backtone` command is not installed beside this Python nor on the PATH")
    return executable


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "said.jsonl"


@pytest.fixture
def start(backtone: str, tmp_path: Path, log: Path) -> Iterator[Callable[..., Terminal]]:
    """`backtone run spoken` speaking through the fake at `per_word` seconds a word."""
    started: list[Terminal] = []

    def run(per_word: float) -> Terminal:
        config, data, home = (tmp_path / name for name in ("config", "data", "home"))
        for directory in (config, home):
            directory.mkdir(exist_ok=True)
        command = fakespeech.command(log, "--per-word", str(per_word))
        values = {"checkin": False, "speech": "on", "speech_command": command}
        (config / "settings.toml").write_text(tomli_w.dumps(values), encoding="utf-8")
        routines = tmp_path / "routines.toml"
        routines.write_text(ROUTINES, encoding="utf-8")
        env = clean_env(config, data, home, BACKTONE_SPEECH="")  # the setting decides
        terminal = Terminal(backtone, ["run", "spoken", "--routines", str(routines)], env)
        started.append(terminal)
        return terminal

    yield run
    for terminal in started:
        terminal.close()


def wait_said(
    terminal: Terminal,
    log: Path,
    predicate: Callable[[list[Utterance]], bool],
    what: str,
) -> list[Utterance]:
    """Read the pty until the fake's log satisfies `predicate`."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        said = utterances(log)
        if predicate(said):
            return said
        if time.monotonic() > deadline:
            raise AssertionError(
                f"not within {TIMEOUT:g} s: {what}; said {said}; screen:\n{terminal.display()}"
            )
        terminal.pump(0.02)


def assert_one_voice_at_a_time(said: list[Utterance]) -> None:
    for before, after in itertools.pairwise(said):
        assert before.end is not None and after.start >= before.end, (before, after)


def test_the_cues_are_said_in_order_a_pause_cuts_and_quitting_cuts_the_last(
    start: Callable[..., Terminal], log: Path
) -> None:
    terminal = start(per_word=0.4)
    wait_said(terminal, log, lambda said: len(said) == 1, "the first exercise's text")
    paused_at = time.monotonic()
    terminal.send(" ")
    [egg] = wait_said(terminal, log, lambda said: said[0].end is not None, "the pause's cut")
    assert egg.text == EGG and egg.cut and egg.end is not None
    assert egg.end - paused_at < 1.0
    terminal.wait_for("PAUSED")
    terminal.send(" ")
    said = wait_said(terminal, log, lambda said: said[-1].text.startswith("Done"), "the end")
    terminal.wait_for("Session summary")
    assert [u.text for u in said[:-1]] == [EGG, "Rep 2 of 2", "Rest, then Chair.", CHAIR]
    assert said[-1].text.startswith(DONE) and said[-1].text.endswith(" seconds")
    assert_one_voice_at_a_time(said[:-1])
    assert not any(u.cut for u in said[1:-1])
    # The end is said over the summary (5.6 s of it): quitting cuts it, and leaves nothing.
    terminal.send("\x11")  # Ctrl+Q
    assert terminal.wait_exit() == (0, None)
    done = utterances(log)[-1]
    assert done.cut and done.start >= said[-2].end  # type: ignore[operator]
    assert not [u.pid for u in utterances(log) if alive(u.pid)]


def test_a_skip_drops_the_cue_waiting_for_a_slow_voice(
    start: Callable[..., Terminal], log: Path
) -> None:
    """A voice slower than the texts were fitted to: "Rep 2 of 2" waits behind the first text;
    the skip to the next exercise cuts that, drops the waiting one, and says the chair."""
    terminal = start(per_word=1.5)
    wait_said(terminal, log, lambda said: len(said) == 1, "the first exercise's text")
    terminal.wait_for("Rep 2/2")  # 5 s in; the first text takes 9 s
    assert len(utterances(log)) == 1
    terminal.send("]")
    said = wait_said(terminal, log, lambda said: len(said) == 2, "the chair's text")
    egg, chair = said
    assert (egg.text, chair.text) == (EGG, CHAIR)
    assert egg.cut and egg.end is not None and chair.start >= egg.end
    terminal.send("\x11")  # Ctrl+Q asks first over a session, and pauses it: that cuts
    said = wait_said(terminal, log, lambda said: said[1].end is not None, "the chair cut")
    assert said[1].cut
    terminal.send("\x11")  # a second Ctrl+Q means yes
    assert terminal.wait_exit() == (0, None)
    assert [u.text for u in utterances(log)] == [EGG, CHAIR]
    assert not [u.pid for u in utterances(log) if alive(u.pid)]
