"""What `backtone serve` logs: one line for a request aiohttp could not parse, and never the
token.

aiohttp logs every malformed request (a URL over 8 KB, a huge header, garbage on the port)
as an error with its traceback, and its message quotes the request line, token and all. Here
one handler, on the root logger of the serve process, writes each record as text with the
token cut out; a client's malformed request becomes one line naming the client.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from aiohttp.http_exceptions import BadHttpMethod, HttpProcessingError, LineTooLong

REDACTED = "<token>"
# A query's `token=` or the cookie's `backtone-token-PORT=`: cut even when cut short by a
# message that quotes only the start of a request (so the exact token would not match).
TOKEN_FIELD = re.compile(r"(token(?:-\d+)?=)[A-Za-z0-9_-]+")
# What a person reading the log can act on; aiohttp's own text quotes the request.
PROBLEMS: tuple[tuple[type[HttpProcessingError], str], ...] = (
    (LineTooLong, "its address or a header is too long"),
    (BadHttpMethod, "it is not HTTP"),
)


class ServeLogHandler(logging.Handler):
    """Writes records to `stream`: a client's bad request as one line, anything else as text
    and traceback, the token replaced by <token> in both."""

    def __init__(self, token: str, stream: TextIO | None = None) -> None:
        super().__init__(logging.DEBUG)
        self.token = token
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self._text(record)
            if text is None:
                return
            stream = self.stream or sys.stderr  # looked up late: tests capture sys.stderr
            stream.write(redact(text, self.token) + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)

    def _text(self, record: logging.LogRecord) -> str | None:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            # At any level: aiohttp logs the first garbage on a connection at DEBUG.
            return f"backtone serve: refused a request from {_client(record)}: {_problem(error)}"
        if record.levelno < logging.WARNING:
            return None
        text = f"backtone serve: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        return text


def redact(text: str, token: str) -> str:
    return TOKEN_FIELD.sub(rf"\1{REDACTED}", text.replace(token, REDACTED))


def _client(record: logging.LogRecord) -> str:
    # aiohttp's "Error handling request from %s": the one argument is the peer's address.
    args = record.args
    if isinstance(args, tuple) and len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return "a client"


def _problem(error: HttpProcessingError) -> str:
    for kind, text in PROBLEMS:
        if isinstance(error, kind):
            return f"{text} ({error.code})"
    return f"it is not a well-formed HTTP request ({error.code})"


@contextmanager
def serve_logging(token: str, stream: TextIO | None = None) -> Iterator[ServeLogHandler]:
    """While serving, every log record of the process goes through one `ServeLogHandler`."""
    root = logging.getLogger()
    handler = ServeLogHandler(token, stream)
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # the handler decides; aiohttp's bad requests may be DEBUG
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)
