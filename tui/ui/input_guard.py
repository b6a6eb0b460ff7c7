"""Keyboard input that Textual cannot parse is dropped, never fatal.

Textual 8.2.8 turns a CSI sequence's first number into a character with `chr()`, so
`ESC [ 999999999999 A` (typed, pasted, or sent by a browser tab) raises OverflowError inside
its input parser. The parser is a generator: once it has raised, it is dead, and with it every
later key. In a terminal the app then exits with a traceback; behind `backtone serve` the web
driver logs the error and the tab stops answering. A byte that is not UTF-8 ends the terminal
driver's input the same way, in its strict decoder. And an in-band resize report
(`ESC [ 48 ; rows ; cols ; ... t`) with absurd numbers has the app lay out millions of cells
and hang.

`guard_driver` points the driver's input thread at a parser that starts afresh whenever
Textual's raises (the sequence that broke it is dropped, nothing else), refuses a resize
report no screen could have, and decodes with replacement characters. It changes the names
that the driver's module looks up when its input thread starts; the driver's code is
Textual's own.
"""

from __future__ import annotations

import codecs
import functools
import types
from collections.abc import Callable, Generator

from textual import events
from textual._parser import Peek1, Read1
from textual._xterm_parser import XTermParser
from textual.driver import Driver
from textual.message import Message

# Far past any real screen (an 8K monitor at a 4-pixel font is 1920 x 540), and still small
# enough to lay out: at 2000 x 1000 the app stays responsive.
MAX_COLUMNS = 2000
MAX_ROWS = 1000


class GuardedXTermParser(XTermParser):
    """Textual's parser, restarted after any error, and deaf to impossible resize reports."""

    def parse(
        self, token_callback: Callable[[Message], None]
    ) -> Generator[Read1 | Peek1, str, None]:
        # What the in-band resize branch overwrites before it reports: put back on a refusal.
        kept = (self.terminal_size, self.terminal_pixel_size, self.mouse_pixels)

        def checked(token: Message) -> None:
            nonlocal kept
            if isinstance(token, events.Resize):
                if not plausible_resize(token):
                    self.terminal_size, self.terminal_pixel_size, self.mouse_pixels = kept
                    return
                kept = (self.terminal_size, self.terminal_pixel_size, self.mouse_pixels)
            token_callback(token)

        while True:
            try:
                yield from super().parse(checked)
                return
            except Exception:
                # A parser that has raised is finished; a new one takes the next character
                # in a clean state, so only the sequence being read when it broke is lost.
                continue


def plausible_resize(event: events.Resize) -> bool:
    """A size some screen could have: anything else would be laid out for ever, or divide by 0
    when mouse positions are scaled by the pixel size."""
    columns, rows = event.size
    if not (1 <= columns <= MAX_COLUMNS and 1 <= rows <= MAX_ROWS):
        return False
    pixels = event.pixel_size
    return pixels is None or (pixels.width >= 1 and pixels.height >= 1)


def lenient_decoder(encoding: str) -> Callable[[], codecs.IncrementalDecoder]:
    """`codecs.getincrementaldecoder`, making decoders that replace bad bytes with U+FFFD
    instead of raising (which ends the terminal driver's input thread)."""
    return functools.partial(codecs.getincrementaldecoder(encoding), errors="replace")


def guard_driver(driver_class: type[Driver]) -> type[Driver]:
    """`driver_class` itself, after its input thread has been pointed at the guarded parser
    and a lenient decoder. Idempotent; a driver that reads no input is left alone."""
    for klass in driver_class.__mro__:
        function = klass.__dict__.get("run_input_thread")
        if isinstance(function, types.FunctionType):
            _guard_names(function.__globals__)
            break
    return driver_class


def _guard_names(names: dict[str, object]) -> None:
    """Swap Textual's parser and decoder factory for ours where the input thread finds them;
    a name that is not what Textual 8.2.8 put there (a newer Textual) is left as it is."""
    if names.get("XTermParser") is XTermParser:
        names["XTermParser"] = GuardedXTermParser
    if names.get("getincrementaldecoder") is codecs.getincrementaldecoder:
        names["getincrementaldecoder"] = lenient_decoder
