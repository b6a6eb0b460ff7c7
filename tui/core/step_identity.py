"""The form of a step's identity, as the history stores it: "egg/3fa85f64", "egg/3fa85f64#2".

The exercise's id, a fingerprint of the step's rule and written dose (8 hex digits), and the
occurrence among steps written alike when there is more than one. tui.core.progression makes
them; the store reads them back with `is_step_identity`, without importing the rest.
"""

from __future__ import annotations

import re

_IDENTITY = re.compile(r"[a-z0-9-]+/[0-9a-f]{8}(#[1-9][0-9]*)?")


def step_identity(exercise_id: str, fingerprint: str, occurrence: int) -> str:
    base = f"{exercise_id}/{fingerprint}"
    return base if occurrence == 1 else f"{base}#{occurrence}"


def is_step_identity(text: str) -> bool:
    """Whether the text has the form of a step identity (a stored row may hold anything)."""
    return _IDENTITY.fullmatch(text) is not None
