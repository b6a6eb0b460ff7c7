"""Speech: which program speaks where, and the speaker: one voice at a time, the newest text
only, cut on demand, never stalled or left running by a program that fails, hangs or ignores
SIGTERM. The session screen's part runs under Pilot, with the fake speech program of
fakespeech.py; the real espeak-ng checks how long the texts really take to say."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import fakespeech
import pytest
import tomli_w
from apphelpers import ManualClock, make_app, wait_until, write_routines
from fakespeech import alive, utterances, wait_for, wait_gone

from tui import paths, settings, speech
from tui.core.engine import Session
from tui.core.loader import load_file
from tui.core.plan import build_plan
from tui.speech import Engine, Speaker, speaking_seconds
from tui.ui import cues
from tui.ui.screens import player
from tui.ui.screens.player import SessionScreen

LONG = "one two three four five six seven eight nine ten"  # 4 s at 0.4 s a word


def fake(log: Path, *options: str) -> Engine:
    engine = speech.command_engine(fakespeech.command(log, *options))
    assert engine is not None
    return engine


@pytest.fixture
def speakers() -> Iterator[list[Speaker]]:
    """Speakers made by a test, closed (and their processes reaped) after it."""
    made: list[Speaker] = []
    yield made
    for speaker in made:
        speaker.close()
        assert speaker.join(5.0)


def make_speaker(made: list[Speaker], engine: Engine, **options: object) -> Speaker:
    speaker = Speaker(engine, **options)  # type: ignore[arg-type]
    made.append(speaker)
    return speaker


# -- which program, and whether to speak at all --------------------------------------------


def which_of(*names: str) -> Callable[[str], str | None]:
    """A `shutil.which` for a PATH holding just these programs."""
    return lambda name: f"/usr/bin/{name}" if name in names else None


@pytest.mark.parametrize(
    "on_path, platform, expected",
    [
        (("spd-say", "espeak-ng", "espeak"), "linux", "spd-say"),
        (("espeak-ng", "espeak"), "linux", "espeak-ng"),
        (("espeak",), "linux", "espeak"),
        (("say",), "darwin", "say"),
        (("say",), "linux", None),  # a `say` elsewhere is not macOS's
        (("powershell",), "win32", "PowerShell"),
        ((), "linux", None),
    ],
)
def test_the_engine_found_on_the_path(
    on_path: tuple[str, ...], platform: str, expected: str | None
) -> None:
    engine = speech.find_engine(which_of(*on_path), platform)
    assert (engine.name if engine else None) == expected


def test_spd_say_waits_and_is_cancelled_and_powershell_never_gets_the_text_as_code() -> None:
    spd = speech.find_engine(which_of("spd-say"), "linux")
    assert spd is not None
    assert spd.command("Rep 2 of 5") == (["/usr/bin/spd-say", "-w", "Rep 2 of 5"], None)
    assert spd.cancel_argv == ("/usr/bin/spd-say", "-C")
    shell = speech.find_engine(which_of("powershell"), "win32")
    assert shell is not None
    argv, env = shell.command("Egg'); Remove-Item x; ('")
    assert all("Remove-Item" not in argument for argument in argv)
    assert env is not None and env[speech.POWERSHELL_TEXT] == "Egg'); Remove-Item x; ('"


def test_a_speech_command_puts_the_text_where_it_says() -> None:
    engine = speech.command_engine(
        ["espeak-ng", "-s", "150", "--text={text}"], which_of("espeak-ng")
    )
    assert engine is not None and engine.name == "espeak-ng"
    assert engine.command("Halfway")[0] == ["/usr/bin/espeak-ng", "-s", "150", "--text=Halfway"]
    assert speech.command_engine(["nowhere", "{text}"], which_of()) is None


LOCAL: dict[str, str] = {}
OVER_SSH = {"SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"}


@pytest.mark.parametrize(
    "mode, env, headless, status",
    [
        ("auto", LOCAL, False, "speech: espeak-ng"),
        ("auto", OVER_SSH, False, "speech off: over SSH; use `backtone serve` in a browser"),
        ("auto", {"SSH_TTY": "/dev/pts/3"}, False, "speech off: over SSH"),
        ("auto", {"BACKTONE_WEB": "1"}, False, "speech off here: the browser page speaks"),
        ("auto", LOCAL, True, "speech off: no terminal in front of anyone (headless)"),
        ("on", OVER_SSH, True, "speech: espeak-ng"),
        ("off", LOCAL, False, "speech off: turned off"),
    ],
)
def test_auto_speaks_only_where_the_person_hears_this_machine(
    mode: str, env: dict[str, str], headless: bool, status: str
) -> None:
    choice = speech.choose(mode, None, env, headless=headless, which=which_of("espeak-ng"))
    assert choice.status.startswith(status)
    assert (choice.engine is not None) == status.startswith("speech:")


def test_the_status_says_what_is_missing() -> None:
    assert speech.choose("auto", None, LOCAL, which=which_of()).status == (
        "speech off: no speech program found (install espeak-ng)"
    )
    assert speech.choose("on", ["gone", "{text}"], LOCAL, which=which_of()).status == (
        "speech off: speech_command's program 'gone' not found"
    )
    assert speech.choose(
        "auto", ["espeak-ng", "{text}"], LOCAL, which=which_of("espeak-ng")
    ).status == ("speech: espeak-ng (speech_command)")
    assert speech.speech_status("off") == speech.choose("off").status


def test_settings_know_the_same_modes() -> None:
    assert settings.SPEECH_MODES == speech.SPEECH_MODES
    assert settings.SPEECH_TEXT == speech.TEXT


def test_texts_made_speakable_and_their_length() -> None:
    assert speech.speakable("--Egg\x1b[31m\n now") == "Egg [31m now"
    assert speaking_seconds("one two three four five") == pytest.approx(2.0)
    assert speaking_seconds("Hold 1.5 seconds.") == pytest.approx(5 / 2.5 + 0.2)


# -- the speaker --------------------------------------------------------------------------


def test_it_says_a_text(tmp_path: Path, speakers: list[Speaker]) -> None:
    log = tmp_path / "said.jsonl"
    speaker = make_speaker(speakers, fake(log, "--per-word", "0.01"))
    speaker.say("Rep 2 of 12")
    assert speaker.wait_idle(10)
    [said] = utterances(log)
    assert (said.text, said.cut) == ("Rep 2 of 12", False) and said.end is not None


def test_the_newest_text_replaces_one_waiting_and_voices_never_overlap(
    tmp_path: Path, speakers: list[Speaker]
) -> None:
    log = tmp_path / "said.jsonl"
    speaker = make_speaker(speakers, fake(log, "--per-word", "0.2"))
    speaker.say(LONG)
    wait_for(log, lambda said: len(said) == 1, "the first text begun")
    speaker.say("stale")
    speaker.say("newest")
    assert speaker.wait_idle(10)
    first, second = utterances(log)
    assert [first.text, second.text] == [LONG, "newest"]
    assert first.end is not None and second.start >= first.end


def test_cancel_cuts_what_is_said_and_drops_what_waits(
    tmp_path: Path, speakers: list[Speaker]
) -> None:
    log = tmp_path / "said.jsonl"
    speaker = make_speaker(speakers, fake(log, "--per-word", "1"))
    speaker.say(LONG)
    [said] = wait_for(log, lambda said: len(said) == 1, "the text begun")
    speaker.say("stale")
    cut_at = time.monotonic()
    speaker.cancel()
    [said] = wait_for(log, lambda said: said[0].end is not None, "the text cut")
    assert said.cut and said.end is not None and said.end - cut_at < 1.0
    speaker.say("after")
    assert speaker.wait_idle(10)
    assert [u.text for u in utterances(log)] == [LONG, "after"]
    assert not alive(said.pid)


def test_a_program_that_ignores_sigterm_is_killed_and_reaped(
    tmp_path: Path, speakers: list[Speaker]
) -> None:
    log = tmp_path / "said.jsonl"
    speaker = make_speaker(speakers, fake(log, "--per-word", "10", "--ignore-term"))
    speaker.say(LONG)
    [said] = wait_for(log, lambda said: len(said) == 1, "the text begun")
    speaker.cancel()
    assert speaker.wait_idle(speech.KILL_AFTER + 5)
    assert not alive(said.pid)  # killed and reaped: not even a zombie
    assert utterances(log)[0].end is None and speaker.failure is None


def test_a_cut_runs_the_engines_cancel_command(tmp_path: Path, speakers: list[Speaker]) -> None:
    """spd-say: killing the client leaves speech-dispatcher speaking, so `spd-say -C` follows."""
    log = tmp_path / "said.jsonl"
    cancel = fakespeech.command(log, "--per-word", "0")
    engine = Engine("server", fake(log, "--per-word", "1").argv, cancel_argv=tuple(cancel))
    speaker = make_speaker(speakers, engine)
    speaker.say(LONG)
    wait_for(log, lambda said: len(said) == 1, "the text begun")
    speaker.cancel()
    said = wait_for(log, lambda said: len(said) == 2, "the cancel command")
    assert said[1].text == "{text}" and said[0].cut


def test_a_missing_program_is_reported_once_and_say_stays_instant(
    tmp_path: Path, speakers: list[Speaker]
) -> None:
    failures: list[str] = []
    engine = Engine("nothing", (str(tmp_path / "no-such-program"), speech.TEXT))
    speaker = make_speaker(speakers, engine, on_failure=failures.append)
    speaker.say("Rep 1 of 2")
    assert speaker.join(5.0)  # nothing left to do: the thread has ended
    speaker.say("Rep 2 of 2")
    assert len(failures) == 1 and failures[0].startswith("nothing could not be started")


def test_a_failing_program_is_reported_once_with_its_last_words(
    tmp_path: Path, speakers: list[Speaker]
) -> None:
    failures: list[str] = []
    log = tmp_path / "said.jsonl"
    engine = fake(log, "--per-word", "0", "--exit", "3", "--stderr", "ALSA\nno audio device")
    speaker = make_speaker(speakers, engine, on_failure=failures.append)
    speaker.say("Rep 1 of 2")
    assert speaker.join(5.0)
    speaker.say("Rep 2 of 2")
    assert failures == [f"{engine.name} failed (exit status 3: no audio device)"]
    assert [u.text for u in utterances(log)] == ["Rep 1 of 2"]


def test_a_program_that_hangs_is_killed_at_its_deadline_and_reported(
    tmp_path: Path, speakers: list[Speaker], monkeypatch: pytest.MonkeyPatch
) -> None:
    started = spy_on_processes(monkeypatch)
    failures: list[str] = []
    log = tmp_path / "said.jsonl"
    engine = fake(log, "--per-word", "30")
    speaker = make_speaker(speakers, engine, on_failure=failures.append, timeout_margin=0.2)
    speaker.say("Halfway")  # 0.4 s to say, 0.6 s allowed
    assert speaker.join(10.0)
    [pid] = started
    assert not alive(pid)  # killed and reaped
    assert failures == [f"{engine.name} took over 1 s to say 'Halfway'"]
    # On a loaded machine the fake's Python may not even have started within the 0.6 s (the
    # deadline counts from the launch), or not have written its "cut" before the SIGKILL that
    # follows: whatever it began was never finished.
    said = utterances(log)
    assert [u.pid for u in said] in ([], [pid]), said
    assert all(u.cut or u.end is None for u in said), said


def spy_on_processes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pid of every program the speaker starts, from the moment it is started."""
    started: list[int] = []
    real_popen = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        process: subprocess.Popen[bytes] = real_popen(*args, **kwargs)
        started.append(process.pid)
        return process

    monkeypatch.setattr(speech.subprocess, "Popen", popen)
    return started


def test_say_returns_at_once_even_while_a_program_speaks(
    tmp_path: Path, speakers: list[Speaker]
) -> None:
    log = tmp_path / "said.jsonl"
    speaker = make_speaker(speakers, fake(log, "--per-word", "1"))
    speaker.say(LONG)
    wait_for(log, lambda said: len(said) == 1, "the text begun")
    took = []
    for number in range(200):
        before = time.perf_counter()
        speaker.say(f"Rep {number} of 200")
        took.append(time.perf_counter() - before)
    assert statistics.median(took) < 0.001  # measured: a few microseconds


def test_close_cuts_and_reaps_and_close_finishing_lets_the_last_words_be_said(
    tmp_path: Path,
) -> None:
    log = tmp_path / "said.jsonl"
    speaker = Speaker(fake(log, "--per-word", "1"))
    speaker.say(LONG)
    [said] = wait_for(log, lambda said: len(said) == 1, "the text begun")
    speaker.close()
    assert speaker.join(5.0) and not alive(said.pid)
    assert utterances(log)[0].cut
    speaker.say("ignored after close")

    finishing = tmp_path / "finish.jsonl"
    speaker = Speaker(fake(finishing, "--per-word", "0.1"))
    speaker.say("Done: Daily back care, 9 minutes")
    speaker.close(finish=True)
    assert speaker.join(5.0)
    [said] = utterances(finishing)
    assert not said.cut and said.end is not None


def test_no_speech_process_outlives_the_program(tmp_path: Path) -> None:
    """A Python that exits while its speaker speaks: the process is cut and reaped at exit."""
    log = tmp_path / "said.jsonl"
    script = (
        "import sys; sys.path[:0] = sys.argv[1:3]; import fakespeech; from pathlib import Path;"
        "from tui.speech import Speaker, command_engine;"
        "log = Path(sys.argv[3]);"
        "s = Speaker(command_engine(fakespeech.command(log, '--per-word', '5')));"
        f"s.say({LONG!r});"
        "fakespeech.wait_for(log, lambda said: len(said) == 1, 'begun')"
    )
    tests, repo = str(Path(__file__).parents[1]), str(Path(__file__).parents[2])
    subprocess.run([sys.executable, "-c", script, tests, repo, str(log)], check=True, timeout=30)
    [said] = utterances(log)
    assert said.cut and not alive(said.pid)


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng): the texts' real lengths",
)
def test_the_real_espeak_ng_says_every_text_within_its_segment(
    tmp_path: Path, speakers: list[Speaker]
) -> None:
    """Through the speaker and the real voice, written to a WAV file: each bundled text, and
    the shortened ones, is said within its segment, and about as fast as estimated."""
    wav = tmp_path / "cue.wav"
    engine = speech.command_engine(["espeak-ng", "-w", str(wav), speech.TEXT])
    assert engine is not None
    failures: list[str] = []
    speaker = make_speaker(speakers, engine, on_failure=failures.append)
    book = load_file(paths.bundled_routines_path())
    texts: dict[str, float] = {cues.HALFWAY: cues.HALFWAY_FROM / 2}
    for routine in book.routines:
        plan = build_plan(routine)
        for segment in plan.segments:
            text = cues.segment_speech(plan, segment)
            if text is not None and segment.seconds is not None:
                texts[text] = min(texts.get(text, segment.seconds), segment.seconds)
    texts["Egg. Hold."] = 1.5  # a hold too short for anything longer
    texts["Rep 7"] = 1.0
    session = Session(build_plan(book.routines[0]))
    session.active_seconds = 540
    texts[cues.end_text(session)] = 60  # nothing follows it
    for text, seconds in texts.items():
        wav.unlink(missing_ok=True)
        speaker.say(text)
        assert speaker.wait_idle(15), text
        with wave.open(str(wav)) as sound:
            said = sound.getnframes() / sound.getframerate()
        assert said <= seconds, f"{text!r} takes {said:.2f} s, in a segment of {seconds:g} s"
        assert said <= speaking_seconds(text) + 0.5, f"{text!r}: {said:.2f} s, estimated less"
    assert failures == []


# -- the session screen -----------------------------------------------------------------------


def write_settings(tmp_path: Path, **values: object) -> None:
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "settings.toml").write_text(tomli_w.dumps(values))


async def test_the_session_speaks_cuts_at_a_pause_and_stops_with_the_app(tmp_path: Path) -> None:
    log = tmp_path / "said.jsonl"
    write_settings(tmp_path, speech="on", speech_command=fakespeech.command(log, "--per-word", "1"))
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # "Short test": a 2 s get-ready (bells only), the Egg
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        clock.advance(2.0)
        screen.catch_up()
        await wait_until(pilot, lambda: len(utterances(log)) == 1, "the Egg's text")
        assert utterances(log)[0].text == "Egg. Hug knees to chest. Hold 6 seconds."
        await pilot.press("space")
        await wait_until(pilot, lambda: utterances(log)[0].cut, "the pause to cut it")
        await pilot.press("space")
        clock.advance(6.0 + 2.0)
        screen.catch_up()
        await wait_until(pilot, lambda: len(utterances(log)) == 2, "the second rep")
        assert utterances(log)[1].text == "Rep 2 of 2"
    # The screen's end asks the speaker to stop; its thread cuts and reaps the program.
    said = wait_for(log, lambda said: said[1].end is not None, "the app's end to cut it")
    assert said[1].cut
    wait_gone(said[1].pid)


async def test_a_failing_speech_program_is_one_notification_and_the_session_goes_on(
    tmp_path: Path,
) -> None:
    log = tmp_path / "said.jsonl"
    command = fakespeech.command(log, "--per-word", "0", "--exit", "2", "--stderr", "no voice")
    write_settings(tmp_path, speech="on", speech_command=command)
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)

    def speech_notices() -> list[str]:
        return [n.message for n in app._notifications if n.message.startswith("Speech stopped")]

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        clock.advance(2.0)
        screen.catch_up()
        await wait_until(pilot, lambda: bool(speech_notices()), "the notification")
        clock.advance(6.0 + 2.0)
        screen.catch_up()
        await pilot.pause()
        assert screen.session.segment.rep_number == 2
        assert speech_notices() == [
            f"Speech stopped: {Path(sys.executable).name} failed (exit status 2: no voice). "
            "The bell goes on."
        ]
    assert [u.text for u in utterances(log)] == ["Egg. Hug knees to chest. Hold 6 seconds."]


async def test_in_a_browser_tab_every_spoken_cue_goes_to_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page speaks what it gets as OSC 9: the reps too, not only the notifications."""
    written: list[str] = []
    monkeypatch.setattr(player, "write_to_terminal", lambda _app, data: written.append(data))
    monkeypatch.setenv("BACKTONE_WEB", "1")
    monkeypatch.delenv("TMUX", raising=False)
    clock = ManualClock()
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        clock.advance(2.0)
        screen.catch_up()
        clock.advance(6.0 + 2.0)
        screen.catch_up()
        await pilot.pause()
    assert written == [
        "\x1b]9;Egg. Hug knees to chest. Hold 6 seconds.\x1b\\",
        "\x1b]9;Rep 2 of 2\x1b\\",
    ]


HOLD_20 = """\
schema = 1

[defaults]
prepare = 0

[exercises.plank]
name = "Plank"
phases = [{ name = "Hold the plank", seconds = 20, hold = true }]

[[routines]]
id = "plank"
name = "Plank"
steps = [{ exercise = "plank" }]
"""


async def test_halfway_is_said_at_a_whole_second_that_brings_no_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []
    monkeypatch.setattr(player, "write_to_terminal", lambda _app, data: written.append(data))
    monkeypatch.setenv("BACKTONE_WEB", "1")
    monkeypatch.delenv("TMUX", raising=False)
    clock = ManualClock()
    app = make_app(tmp_path, write_routines(tmp_path, HOLD_20), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        clock.advance(9.0)
        screen.catch_up()
        assert written == ["\x1b]9;Plank. Hold the plank. Hold 20 seconds.\x1b\\"]
        clock.advance(1.0)
        screen.catch_up()
        assert written[1:] == ["\x1b]9;Halfway\x1b\\"]


def test_the_environment_overrides_the_setting() -> None:
    assert speech.choose("on", env={"BACKTONE_SPEECH": "off"}).engine is None
    off = speech.choose("auto", env={"BACKTONE_SPEECH": " OFF "})
    assert "turned off" in off.status


@pytest.mark.parametrize(
    "env, said",
    [
        ({"SSH_CONNECTION": "10.0.0.2 5555 10.0.0.1 22"}, "over SSH; use `backtone serve`"),
        ({}, "Speech: fake"),
    ],
)
async def test_help_says_whether_cues_are_spoken_here_and_how_to_get_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], said: str
) -> None:
    from tui.ui.screens.help import HelpScreen

    for name in ("SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT", "BACKTONE_SPEECH", "BACKTONE_WEB"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(
        speech, "find_engine", lambda *_, **__: Engine("fake", ("true", speech.TEXT))
    )
    app = make_app(tmp_path)
    app.speech = "auto"
    async with app.run_test(size=(80, 24)) as pilot:
        # As in a terminal: a headless app is one nobody hears.
        with monkeypatch.context() as patched:
            patched.setattr(type(app), "is_headless", property(lambda self: False))
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        line = str(app.screen.query_one("#help-speech").render())
        assert said in line, line
