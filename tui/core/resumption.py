"""Whether an interrupted session can be picked up: its routine is still in the file and still
plays exactly what it played then (the plan's digest is the same, at the progression levels
the session was started with)."""

from __future__ import annotations

from collections.abc import Mapping

from tui.core.model import RoutineBook
from tui.core.plan import Plan, build_plan
from tui.core.progression import apply_levels


def plan_to_resume(
    book: RoutineBook | None,
    routine_id: str,
    digest: str,
    levels: Mapping[int, float] | None = None,
) -> Plan | None:
    """The plan to resume with, or None when the routine has changed or is gone since."""
    if book is None:
        return None
    routine = next((r for r in book.routines if r.id == routine_id), None)
    if routine is None:
        return None
    plan = build_plan(apply_levels(routine, levels or {}))
    return plan if plan.digest() == digest else None
