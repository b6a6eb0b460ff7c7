"""A stand-in speech program for the tests: it "says" a text by sleeping, and logs each text
with when it started and how it ended, one JSON line per event, to the log file.

    python fakespeech.py LOG [--per-word S] [--ignore-term] [--exit N] [--stderr TEXT] -- TEXT

Events: {"event": "start" | "end" | "cut", "text", "pid", "at"} with `at` from
time.monotonic() (one clock for every process on Linux, so a test compares it with its own).
"cut" is written on SIGTERM, unless --ignore-term, which leaves only SIGKILL to stop it.

The tests import it too, for the command line that runs it and for reading its log.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

WAIT_SECONDS = 15.0


def command(log: Path, *options: str) -> list[str]:
    """A `speech_command` that runs this fake with this Python, logging to `log`."""
    return [sys.executable, str(Path(__file__).resolve()), str(log), *options, "--", "{text}"]


@dataclass(frozen=True)
class Utterance:
    text: str
    pid: int
    start: float
    end: float | None  # None while it is being said, or if it was killed
    cut: bool  # ended by SIGTERM


def utterances(log: Path) -> list[Utterance]:
    """What the fake has said so far, in the order it began."""
    if not log.exists():
        return []
    records = [
        json.loads(line)
        for line in log.read_text(encoding="utf-8").splitlines()
        if line.endswith("}")  # not a line still being written
    ]
    said = []
    for start in (r for r in records if r["event"] == "start"):
        ends = [r for r in records if r["pid"] == start["pid"] and r["event"] != "start"]
        end = ends[0] if ends else None
        said.append(
            Utterance(
                text=start["text"],
                pid=start["pid"],
                start=start["at"],
                end=end["at"] if end else None,
                cut=bool(end and end["event"] == "cut"),
            )
        )
    return sorted(said, key=lambda u: u.start)


def wait_for(
    log: Path,
    predicate: Callable[[list[Utterance]], bool],
    what: str,
    timeout: float = WAIT_SECONDS,
) -> list[Utterance]:
    """Read the log until `predicate(utterances)` holds; fail, saying what was said, if not."""
    deadline = time.monotonic() + timeout
    while True:
        said = utterances(log)
        if predicate(said):
            return said
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:g} s: {what}; said: {said}")
        time.sleep(0.01)  # polling a file another process writes: nothing to wait on


def wait_gone(pid: int, timeout: float = WAIT_SECONDS) -> None:
    """Wait until the process no longer exists (ended and reaped); fail if it still does."""
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() > deadline:
            raise AssertionError(f"process {pid} still there after {timeout:g} s")
        time.sleep(0.01)


def alive(pid: int) -> bool:
    """Whether a process (a zombie too) still exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("log", type=Path)
    parser.add_argument("--per-word", type=float, default=0.4)  # 2.5 words a second
    parser.add_argument("--ignore-term", action="store_true")
    parser.add_argument("--exit", type=int, default=0)
    parser.add_argument("--stderr", default="")
    parser.add_argument("text")
    args = parser.parse_args()

    def log(event: str) -> None:
        line = {"event": event, "text": args.text, "pid": os.getpid(), "at": time.monotonic()}
        # One write of one line in append mode: lines of two processes never interleave.
        with args.log.open("a", encoding="utf-8") as file:
            file.write(json.dumps(line) + "\n")

    def cut(_signum: int, _frame: FrameType | None) -> None:
        log("cut")
        sys.exit(143)

    signal.signal(signal.SIGTERM, signal.SIG_IGN if args.ignore_term else cut)
    log("start")
    time.sleep(args.per_word * len(args.text.split()))
    if args.stderr:
        print(args.stderr, file=sys.stderr)
    log("end")
    return args.exit


if __name__ == "__main__":
    sys.exit(main())
