"""Progression: a step's hold or reps rising with the sessions done in full, worked out from
the history and never written back to the routine file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PastSession:
    """One earlier session of a routine, as progression reads it (oldest first in a list)."""

    full_steps: frozenset[int]  # indexes of the steps whose every work phase was done
    pain_before: int | None = None
    pain_after: int | None = None

    @property
    def pain_rose(self) -> bool:
        """Pain after the session 2 or more points above pain before it."""
        if self.pain_before is None or self.pain_after is None:
            return False
        return self.pain_after - self.pain_before >= 2
