"""Whether an interrupted session can be picked up: its routine is still in the file and still
plays exactly what it played then (the plan's digest is the same, at the progression levels
the session was started with).

A row written by an older version of backtone carries that version's digest (16 hex digits,
no prefix, see legacy_digest): it is accepted when today's routine gives it computed the same
way. Those digests hashed text too, so after an upgrade a routine edited only cosmetically
since cannot be resumed; one left as it was can.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.legacy_digest import is_legacy_digest, segments_digest, steps_digest
from tui.core.model import RoutineBook
from tui.core.plan import Plan, build_plan
from tui.core.progression import StoredLevels, apply_levels, levels_by_index

NO_FILE = "The routine file cannot be read just now, so this session cannot be resumed."
GONE = "This routine is no longer in the routine file, so this session cannot be resumed."
CHANGED = (
    "The routine no longer plays what this session played (its exercises, sides or times"
    " have changed), so it cannot be resumed."
)
EDITED = (
    "The routine has been edited since this session (recorded by an older version of"
    " backtone), so it cannot be resumed."
)


@dataclass(frozen=True)
class ResumeCheck:
    """The plan to resume with, or None and why not, as a sentence for the person."""

    plan: Plan | None
    why_not: str = ""


def check_resume(
    book: RoutineBook | None,
    routine_id: str,
    digest: str,
    levels: StoredLevels | None = None,
) -> ResumeCheck:
    """Whether the session can be resumed: the plan, or why not."""
    if book is None:
        return ResumeCheck(None, NO_FILE)
    routine = next((r for r in book.routines if r.id == routine_id), None)
    if routine is None:
        return ResumeCheck(None, GONE)
    played = apply_levels(routine, levels_by_index(routine, levels or {}))
    plan = build_plan(played)
    if plan.digest() == digest:
        return ResumeCheck(plan)
    if not is_legacy_digest(digest):
        return ResumeCheck(None, CHANGED)
    # The cheaper of the two first; a row holds one or the other.
    if steps_digest(played) == digest or segments_digest(plan) == digest:
        return ResumeCheck(plan)
    return ResumeCheck(None, EDITED)


def plan_to_resume(
    book: RoutineBook | None,
    routine_id: str,
    digest: str,
    levels: StoredLevels | None = None,
) -> Plan | None:
    """The plan to resume with, or None when the routine has changed or is gone since."""
    return check_resume(book, routine_id, digest, levels).plan
