"""A hand-driven monotonic clock for the session engine: tests move time, nothing ever sleeps."""

from __future__ import annotations


class FakeClock:
    """Callable like `time.monotonic`: returns `now`, which only moves when a test moves it.

    It starts away from zero on purpose, so an engine that mistakes 0.0 for "no time" shows up.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.start = float(start)
        self.now = float(start)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        """Move time forward by `seconds` (never back: the engine's clock is monotonic)."""
        if seconds < 0:
            raise ValueError(f"a monotonic clock cannot go back ({seconds} s)")
        self.now += seconds
        return self.now

    def set(self, now: float) -> float:
        """Jump to an absolute time, which must not be earlier than the current one."""
        if now < self.now:
            raise ValueError(f"a monotonic clock cannot go back ({now} < {self.now})")
        self.now = float(now)
        return self.now

    @property
    def elapsed(self) -> float:
        """Seconds since the clock was made."""
        return self.now - self.start
