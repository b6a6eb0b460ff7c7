"""Speaking the cues aloud on this machine: which program speaks, and one speaker that says
one thing at a time, off the UI thread. No Textual here.

`Speaker.say` only hands the text over (it returns in microseconds). A daemon thread owns at
most one speech process at a time: a new text replaces one still waiting (the queue holds the
newest alone), so two voices never overlap and a late cue is never said at all; `cancel`
drops what waits and cuts what is being said (SIGTERM, then SIGKILL). A program that is
missing, fails or hangs past its text's length and a margin never stalls the countdown: the
speaker stops speaking, reports it once, and the session goes on with the bell.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SPEECH_MODES = ("auto", "on", "off")
TEXT = "{text}"  # where the text goes in a speech command's arguments
WORDS_PER_SECOND = 2.5  # a calm voice; espeak-ng's default (175 words a minute) is a bit faster
TIMEOUT_MARGIN = 4.0  # seconds a program may take beyond its text's length (a server starting)
KILL_AFTER = 0.5  # seconds a cut program has to end on SIGTERM before SIGKILL
POLL_SECONDS = 0.02  # while a program speaks: how soon its end is noticed
CANCEL_TIMEOUT = 2.0
LONGEST_TEXT = 1000  # characters: a command line has room, and nobody waits for more
INSTALL_HINT = "install espeak-ng"
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
DECIMAL = re.compile(r"\d+\.\d+")
BREATH = re.compile(r"[.,:;!?](?=\s|$)")  # not the point in "1.5"
BREATH_SECONDS = 0.2
# PowerShell reads the text from the environment: text from the routine file never becomes
# part of a command line that PowerShell would parse.
POWERSHELL_TEXT = "BACKTONE_SPEECH_TEXT"
POWERSHELL_SCRIPT = (
    "Add-Type -AssemblyName System.Speech; "
    "(New-Object System.Speech.Synthesis.SpeechSynthesizer).Speak($env:BACKTONE_SPEECH_TEXT)"
)


def speaking_seconds(text: str) -> float:
    """How long a voice takes to say `text`: its words ("1.5" is "one point five"), and a
    breath at each full stop or comma (espeak-ng's take 0.2 to 0.3 s)."""
    words = sum(3 if DECIMAL.search(word) else 1 for word in text.split())
    return words / WORDS_PER_SECOND + len(BREATH.findall(text)) * BREATH_SECONDS


def speakable(text: str) -> str:
    """One line, no control characters, and no leading dash a program would take for an
    option."""
    return " ".join(CONTROL.sub(" ", text).split()).lstrip("-").strip()[:LONGEST_TEXT]


# -- the engine --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Engine:
    """A speech program: `argv` with TEXT where the text goes; `cancel_argv` run after a cut,
    for a speech server that would go on speaking what its client sent (speech-dispatcher);
    `text_variable`, if set, carries the text in the environment instead of the arguments."""

    name: str
    argv: tuple[str, ...]
    cancel_argv: tuple[str, ...] = ()
    text_variable: str | None = None

    def command(self, text: str) -> tuple[list[str], dict[str, str] | None]:
        """The arguments and, if the text travels in it, the environment to say `text`."""
        if self.text_variable is not None:
            return list(self.argv), {**os.environ, self.text_variable: text}
        return [argument.replace(TEXT, text) for argument in self.argv], None


Which = Callable[[str], str | None]


def find_engine(which: Which = shutil.which, platform: str = sys.platform) -> Engine | None:
    """The first speech program on the PATH: speech-dispatcher's spd-say (it queues and
    cancels for every program on the desktop), espeak-ng, espeak, macOS's say, Windows
    PowerShell's System.Speech."""
    spd_say = which("spd-say")
    if spd_say:
        # -w: wait until said, so the process lives as long as the voice and cutting it
        # means something; -C then silences what the server was still saying.
        return Engine("spd-say", (spd_say, "-w", TEXT), cancel_argv=(spd_say, "-C"))
    for name in ("espeak-ng", "espeak"):
        found = which(name)
        if found:
            return Engine(name, (found, TEXT))
    if platform == "darwin" and (found := which("say")):
        return Engine("say", (found, TEXT))
    if platform == "win32" and (found := which("powershell")):
        argv = (found, "-NoProfile", "-NonInteractive", "-Command", POWERSHELL_SCRIPT)
        return Engine("PowerShell", argv, text_variable=POWERSHELL_TEXT)
    return None


def command_engine(command: Sequence[str], which: Which = shutil.which) -> Engine | None:
    """The `speech_command` setting as an engine, or None if its program cannot be found."""
    program = which(command[0])
    if program is None:
        return None
    return Engine(Path(command[0]).name, (program, *command[1:]))


@dataclass(frozen=True)
class Choice:
    """Whether and with what to speak here, and why, in words for the help and `--help`."""

    engine: Engine | None
    status: str  # "speech: espeak-ng", "speech off: over SSH; ..."


def choose(
    mode: str,
    command: Sequence[str] | None = None,
    env: Mapping[str, str] = os.environ,
    *,
    headless: bool = False,
    which: Which = shutil.which,
    platform: str = sys.platform,
) -> Choice:
    """`auto` speaks only where the person hears this machine's speakers: not over SSH, not in
    a browser tab (its page speaks), not in a headless app; `on` speaks anyway; `off` never.
    `$BACKTONE_SPEECH` overrides the setting, as `$BACKTONE_NOTIFY` does for notifications."""
    mode = env.get("BACKTONE_SPEECH", "").strip().lower() or mode
    if mode == "off":
        return Choice(None, "speech off: turned off (the speech setting or --no-speech)")
    if mode != "on":
        if env.get("BACKTONE_WEB") == "1":
            return Choice(None, "speech off here: the browser page speaks")
        if env.get("SSH_CONNECTION") or env.get("SSH_TTY"):
            return Choice(None, "speech off: over SSH; use `backtone serve` in a browser")
        if headless:
            return Choice(None, "speech off: no terminal in front of anyone (headless)")
    if command:
        engine = command_engine(command, which)
        if engine is None:
            return Choice(None, f"speech off: speech_command's program {command[0]!r} not found")
        return Choice(engine, f"speech: {engine.name} (speech_command)")
    engine = find_engine(which, platform)
    if engine is None:
        return Choice(None, f"speech off: no speech program found ({INSTALL_HINT})")
    return Choice(engine, f"speech: {engine.name}")


def speech_status(
    mode: str,
    command: Sequence[str] | None = None,
    env: Mapping[str, str] = os.environ,
    *,
    headless: bool = False,
) -> str:
    """One short line on whether backtone speaks here, and why not."""
    return choose(mode, command, env, headless=headless).status


# -- the speaker -------------------------------------------------------------------------------

_live: set[Speaker] = set()  # speakers whose thread still runs, closed at exit


def _close_all_at_exit() -> None:
    """No speech process outlives backtone: what is being said when it exits is cut, and the
    process reaped (daemon threads would just be frozen, leaving it running)."""
    for speaker in list(_live):
        speaker.close()
    for speaker in list(_live):
        speaker.join(KILL_AFTER + CANCEL_TIMEOUT + 1.0)


atexit.register(_close_all_at_exit)


class Speaker:
    """Says one text at a time with `engine`, in a thread of its own (see the module)."""

    def __init__(
        self,
        engine: Engine,
        on_failure: Callable[[str], None] | None = None,
        *,
        timeout_margin: float = TIMEOUT_MARGIN,
    ) -> None:
        self.engine = engine
        self.on_failure = on_failure
        self.failure: str | None = None  # why speech stopped for good, once it has
        self._margin = timeout_margin
        self._wake = threading.Condition()
        self._next: str | None = None  # the newest text not yet begun
        self._speaking = False
        self._generation = 0  # moved on by cancel: what was begun before it is cut
        self._closing = False
        self._finish_before_closing = False
        self._thread = threading.Thread(target=self._run, name="backtone-speech", daemon=True)
        _live.add(self)
        self._thread.start()

    # -- from the UI thread: each returns at once ------------------------------------------------

    def say(self, text: str) -> None:
        """Say `text` when the voice is free, instead of anything still waiting."""
        text = speakable(text)
        if not text:
            return
        with self._wake:
            if self._closing or self.failure is not None:
                return
            self._next = text
            self._wake.notify_all()

    def cancel(self) -> None:
        """Drop what waits and cut what is being said."""
        with self._wake:
            self._next = None
            self._generation += 1
            self._wake.notify_all()

    def close(self, *, finish: bool = False) -> None:
        """Say nothing more: cut what is being said, or with `finish` let it (and a text still
        waiting) be said first. The thread then ends, its process reaped."""
        with self._wake:
            # A close that cuts is not undone by a later one that would finish.
            cut_before = self._closing and not self._finish_before_closing
            self._finish_before_closing = finish and not cut_before
            self._closing = True
            if not finish:
                self._next = None
                self._generation += 1
            self._wake.notify_all()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end (after `close`); whether it has."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is waiting or being said; whether that came within `timeout`."""
        with self._wake:
            return self._wake.wait_for(lambda: self._next is None and not self._speaking, timeout)

    # -- the thread ------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while (job := self._next_job()) is not None:
                text, generation = job
                try:
                    self._speak(text, generation)
                finally:
                    with self._wake:
                        self._speaking = False
                        self._wake.notify_all()
        finally:
            _live.discard(self)

    def _next_job(self) -> tuple[str, int] | None:
        """The next text and the generation it belongs to; None when the speaker is done."""
        with self._wake:
            while self._next is None and not self._closing and self.failure is None:
                self._wake.wait()
            text, self._next = self._next, None
            if text is None or self.failure is not None:
                return None
            if self._closing and not self._finish_before_closing:
                return None
            self._speaking = True
            return text, self._generation

    def _cut(self, generation: int) -> bool:
        return self._generation != generation or (self._closing and not self._finish_before_closing)

    def _speak(self, text: str, generation: int) -> None:
        argv, env = self.engine.command(text)
        timeout = speaking_seconds(text) + self._margin
        with tempfile.TemporaryFile() as errors:  # a file: a chatty program never blocks
            try:
                process = subprocess.Popen(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=errors,
                    env=env,
                )
            except OSError as error:
                self._fail(f"{self.engine.name} could not be started ({error.strerror or error})")
                return
            ending = self._wait(process, generation, time.monotonic() + timeout)
            if ending != "done":
                _end(process)
                if self.engine.cancel_argv:
                    _run_quietly(self.engine.cancel_argv)
            if ending == "late":
                self._fail(f"{self.engine.name} took over {timeout:.0f} s to say {text!r}")
            elif ending == "done" and process.returncode != 0:
                errors.seek(0)
                self._fail(_exit_problem(self.engine.name, process.returncode, errors.read()))

    def _wait(self, process: subprocess.Popen[bytes], generation: int, deadline: float) -> str:
        """ "done" when the program ended, "cut" when cancelled first, "late" past the deadline."""
        while process.poll() is None:
            with self._wake:
                if self._cut(generation):
                    return "cut"
                left = deadline - time.monotonic()
                if left <= 0:
                    return "late"
                self._wake.wait(min(POLL_SECONDS, left))
        return "done"

    def _fail(self, problem: str) -> None:
        with self._wake:
            if self.failure is not None:
                return
            self.failure = problem
            self._next = None
        if self.on_failure is not None:
            # A report that cannot be delivered (the app closing) must not print a traceback
            # over the screen from this thread.
            with contextlib.suppress(Exception):
                self.on_failure(problem)


def _end(process: subprocess.Popen[bytes]) -> None:
    """Terminate the process, kill it if it ignores that, and reap it."""
    process.terminate()
    try:
        process.wait(KILL_AFTER)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _run_quietly(argv: Sequence[str]) -> None:
    # The process was cut already; a server that will not listen finishes its sentence.
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=CANCEL_TIMEOUT,
            check=False,
        )


def _exit_problem(name: str, code: int, errors: bytes) -> str:
    lines = [line.strip() for line in errors.decode(errors="replace").splitlines()]
    last = speakable(next((line for line in reversed(lines) if line), ""))[:120]
    how = f"exit status {code}" if code > 0 else f"signal {-code}"
    return f"{name} failed ({how}{': ' + last if last else ''})"
