"""Times as a person reads them: a countdown, time spent, a planned length."""

from __future__ import annotations

import math


def format_clock(seconds: float) -> str:
    """Time left, as m:ss (h:mm:ss past an hour), rounded up: a countdown shows 1 until the
    very end, and 0 only when it is over."""
    return _clock(max(0, math.ceil(seconds - 1e-9)))


def format_duration(seconds: float) -> str:
    """Time spent, as m:ss (h:mm:ss past an hour), rounded down: elapsed time reaches a whole
    second only when that second has passed, so elapsed + left is always the planned length."""
    return _clock(max(0, math.floor(seconds + 1e-6)))


def _clock(total: int) -> str:
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def format_length(seconds: float) -> str:
    """A planned length for lists: "45 s", "12 min", "1 h 05 min"."""
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    minutes = round(total / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
