"""Malformed input never ends keyboard input (tui/ui/input_guard.py).

The parser tests feed bytes straight through the guarded parser, with no app; the last test
types the same bytes into the real `backtone` in a pseudo-terminal and shows it still answers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ptyhelpers import Terminal, clean_env, find_backtone
from textual import events
from textual._xterm_parser import XTermParser
from textual.drivers.headless_driver import HeadlessDriver
from textual.drivers.linux_driver import LinuxDriver
from textual.drivers.linux_inline_driver import LinuxInlineDriver
from textual.drivers.web_driver import WebDriver
from textual.message import Message

from tui.ui.input_guard import (
    MAX_COLUMNS,
    GuardedXTermParser,
    guard_driver,
    lenient_decoder,
)

HUGE_CURSOR_UP = "\x1b[999999999999A"  # the report's sequence: chr(999999999999) overflows
MALFORMED = [
    HUGE_CURSOR_UP,
    "\x1b[1114112A",  # one past the last code point: ValueError rather than OverflowError
    "\x1b[97;1;99999999999u",  # the kitty protocol's text field, through the same chr()
    "\x1b[97;1;1114112u",
]
HUGE_RESIZE = "\x1b[48;99999;99999;1;1t"  # in-band resize: 99999 rows by 99999 columns
# Everyday input, which the guard must pass exactly as Textual parses it.
ORDINARY = [
    "q",
    "hello",
    "\x1b[A\x1b[B\x1b[C\x1b[D",
    "\x1b[97;5u",  # ctrl+a, kitty protocol
    "\x1b[<0;10;5M\x1b[<0;10;5m",  # a click, SGR mouse
    "\x1b[200~pasted text\x1b[201~",
    "\x1b[I\x1b[O",  # focus in and out
    "é✓",
]


def parse(parser: XTermParser, *chunks: str) -> list[Message]:
    return [event for chunk in chunks for event in parser.feed(chunk)]


def keys(messages: list[Message]) -> list[str]:
    return [message.key for message in messages if isinstance(message, events.Key)]


# -- the parser ---------------------------------------------------------------------------------


def test_textual_still_needs_the_guard() -> None:
    """Textual 8.2.8's own parser dies on the sequence. When this fails, a newer Textual has
    fixed it: input_guard can go."""
    with pytest.raises(OverflowError):
        parse(XTermParser(), HUGE_CURSOR_UP)


def test_the_exact_bytes_are_dropped_and_the_next_key_arrives() -> None:
    parser = GuardedXTermParser()
    assert keys(parse(parser, HUGE_CURSOR_UP)) == []
    assert keys(parse(parser, "q")) == ["q"]
    assert keys(parse(parser, HUGE_CURSOR_UP + "h")) == ["h"]  # in one read, too


@pytest.mark.parametrize("sequence", MALFORMED)
def test_every_malformed_sequence_costs_only_itself(sequence: str) -> None:
    parser = GuardedXTermParser()
    assert keys(parse(parser, "a", sequence, "b", sequence, "\x1b[A")) == ["a", "b", "up"]


def test_a_sequence_split_across_reads_is_dropped_whole() -> None:
    parser = GuardedXTermParser()
    assert keys(parse(parser, "\x1b[9999", "99999999", "A", "x")) == ["x"]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_input_is_parsed_as_textual_parses_it(text: str) -> None:
    guarded = [repr(message) for message in parse(GuardedXTermParser(), text)]
    assert guarded == [repr(message) for message in parse(XTermParser(), text)]
    assert guarded


def test_an_impossible_resize_report_is_refused_and_the_size_kept() -> None:
    parser = GuardedXTermParser()
    [real] = parse(parser, "\x1b[48;24;80;480;800t")
    assert isinstance(real, events.Resize) and real.size == (80, 24)
    too_wide = f"\x1b[48;24;{MAX_COLUMNS + 1};480;800t"
    assert parse(parser, HUGE_RESIZE, too_wide, "\x1b[48;0;0;0;0t") == []
    assert parser.terminal_size == (80, 24)
    assert parser.terminal_pixel_size == (800, 480)


def test_mouse_still_works_after_a_resize_report_with_no_pixels() -> None:
    """Zero pixels would divide by zero on every later mouse event."""
    parser = GuardedXTermParser()
    assert parse(parser, "\x1b[48;24;80;0;0t") == []
    assert not parser.mouse_pixels
    [click] = parse(parser, "\x1b[<0;10;5M")
    assert isinstance(click, events.MouseDown) and (click.x, click.y) == (9, 4)


def test_bytes_that_are_not_utf8_decode_to_a_replacement() -> None:
    decode = lenient_decoder("utf-8")().decode
    assert decode(b"\xffq") == "\ufffdq"
    assert decode(b"\xc3") + decode(b"\xa9") == "é"  # a character split across two reads


# -- the drivers --------------------------------------------------------------------------------


@pytest.mark.parametrize("driver", [LinuxDriver, LinuxInlineDriver, WebDriver])
def test_each_driver_reads_through_the_guard(driver: type[LinuxDriver]) -> None:
    assert guard_driver(driver) is driver
    assert guard_driver(driver) is driver  # twice changes nothing
    names = driver.run_input_thread.__globals__
    assert names["XTermParser"] is GuardedXTermParser
    assert names["getincrementaldecoder"] is lenient_decoder


def test_a_driver_without_input_is_left_alone() -> None:
    assert guard_driver(HeadlessDriver) is HeadlessDriver


# -- the real command in a pty ------------------------------------------------------------------


@pytest.mark.e2e
def test_the_app_keeps_answering_after_malformed_input(tmp_path: Path) -> None:
    if find_backtone() is None:
        pytest.skip("the `backtone` command is not installed (pip install -e '.[test]')")
    config, home = tmp_path / "config", tmp_path / "home"
    for directory in (config, home):
        directory.mkdir()
    (config / "settings.toml").write_text("checkin = false\n", encoding="utf-8")
    env = clean_env(config, tmp_path / "data", home)
    executable = find_backtone()
    assert executable is not None
    with Terminal(executable, [], env) as terminal:
        terminal.wait_for("q Quit")
        terminal.send(HUGE_CURSOR_UP)
        terminal.send("h")
        terminal.wait_for("Streak")  # the History screen: the key after it was heard
        terminal.send(HUGE_RESIZE.encode() + b"\xff")
        terminal.send("\x1b")
        terminal.wait_for("q Quit")  # Esc: back to the Routines screen, drawn at 80 x 24
        terminal.send("q")
        assert terminal.wait_exit() == (0, None)
        transcript = bytes(terminal.transcript)
        assert b"Traceback" not in transcript, transcript.decode(errors="replace")[-3000:]
