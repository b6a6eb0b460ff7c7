"""The plan digest hashes what is played, and sessions recorded by older versions still resume.

The legacy digests below were worked out once by running each version's own code (from `git
archive ef2948c` and `git archive ddb3bfe` in a temporary directory) on the routine files it
bundled, copied unchanged into tests/examples: they are what those versions wrote into rows.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from storehelpers import World, step

from tui.core.legacy_digest import is_legacy_digest, segments_digest, steps_digest
from tui.core.loader import load_file, load_text
from tui.core.model import RoutineBook
from tui.core.plan import build_plan
from tui.core.progression import LeveledStep, apply_levels
from tui.core.resumption import CHANGED, EDITED, GONE, NO_FILE, check_resume, plan_to_resume
from tui.paths import bundled_routines_path
from tui.store.recorder import resume_session

# Pinned: a change here changes whether every interrupted session can be resumed, so it must
# be seen in review (a change in what a bundled routine plays, or in how the digest is made).
BUNDLED = {
    "daily-back": "v2:f4551e26f151cb36",
    "gentle-short": "v2:3fa9d91941ebeba4",
    "pregnancy-cat": "v2:29ef21f3044f1e78",
}
# `build_plan(routine).digest()` at ef2948c, for tests/examples/routines-ef2948c.toml.
EF2948C = {
    "daily-back": "9cd62ae1031a46d0",
    "gentle-short": "4951ccbfcb2b1e2e",
    "pregnancy-cat": "189dc6f864b5becb",
}
# The same at ddb3bfe for tests/examples/routines-ddb3bfe.toml; the daily Egg (step 1) also
# at the level 7 s, as `apply_levels(routine, {1: 7.0})` played it.
DDB3BFE = {
    "daily-back": "e78ddd7b0725c3bf",
    "gentle-short": "fce2caa3b5b4fdc7",
    "pregnancy-cat": "64afdc06b6703ba4",
}
DDB3BFE_EGG_AT_7 = "aecbe4ed98f8ceb2"


@pytest.fixture
def ef2948c_book(examples_dir: Path) -> RoutineBook:
    return load_file(examples_dir / "routines-ef2948c.toml")


@pytest.fixture
def ddb3bfe_book(examples_dir: Path) -> RoutineBook:
    return load_file(examples_dir / "routines-ddb3bfe.toml")


def edited(book: RoutineBook, old: str, new: str) -> RoutineBook:
    text = Path(book.source).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return load_text(text.replace(old, new), book.source)


# -- what the digest hashes ---------------------------------------------------------------------


def test_the_bundled_routines_digests_are_pinned() -> None:
    book = load_file(bundled_routines_path())
    assert {r.id: build_plan(r).digest() for r in book.routines} == BUNDLED


@pytest.mark.parametrize(
    "old, new",
    [
        ('name = "Cat"', 'name = "Cat stretch"'),  # an exercise's name
        ("Arch your back up, head down", "Round your back up"),  # a phase's name
        ("Move slowly, in time with your breath", "Slowly, with the breath"),  # a cue
        ('"mobility", "pregnancy"', '"pregnancy"'),  # tags
        ('pose = "cat-arched"', 'pose = "all-fours"'),  # a picture
        ('name = "Daily back care"', 'name = "Every day"'),  # a routine's name
        ("Ask a doctor or physiotherapist", "Ask a physiotherapist"),  # the caution
        ("a dozen cats, ten eggs", "twelve cats, ten eggs"),  # a description
    ],
)
def test_text_leaves_the_digest_as_it_was(old: str, new: str) -> None:
    book = load_file(bundled_routines_path())
    again = edited(book, old, new)
    before = {r.id: build_plan(r).digest() for r in book.routines}
    assert {r.id: build_plan(r).digest() for r in again.routines} == before


@pytest.mark.parametrize(
    "old, new",
    [
        ('{ exercise = "cat", reps = 12 }', '{ exercise = "cat", reps = 13 }'),  # one more rep
        ("rest = 15", "rest = 20"),  # a pause's length
        ('{ exercise = "cat", reps = 12 },', ""),  # a step fewer
        (
            '{ exercise = "chair", reps = 5 }',  # a side added
            '{ exercise = "chair", reps = 5, sides = ["left", "right"] }',
        ),
    ],
)
def test_what_is_played_changes_the_digest(old: str, new: str) -> None:
    book = load_file(bundled_routines_path())
    daily = build_plan(edited(book, old, new).routine("daily-back"))
    assert daily.digest() != BUNDLED["daily-back"]


def test_steps_in_another_order_or_a_wait_change_the_digest() -> None:
    daily = load_file(bundled_routines_path()).routine("daily-back")
    swapped = replace(daily, steps=(daily.steps[1], daily.steps[0], daily.steps[2]))
    assert build_plan(swapped).digest() != BUNDLED["daily-back"]
    cat = daily.steps[0]
    waits = replace(cat.exercise, phases=(replace(cat.exercise.phases[0], seconds=None),))
    untimed = replace(daily, steps=(replace(cat, exercise=waits), *daily.steps[1:]))
    assert build_plan(untimed).digest() != BUNDLED["daily-back"]


def test_fields_beside_what_is_played_leave_the_digest_alone() -> None:
    """A step that carries more (here a level's record of its written step, as a field added
    to the model would) plays, and hashes, the same as a plain step with the same dose."""
    daily = load_file(bundled_routines_path()).routine("daily-back")
    egg = daily.steps[1]
    plain = replace(daily, steps=(daily.steps[0], replace(egg, hold=7.0), daily.steps[2]))
    leveled = apply_levels(daily, {1: 7.0})
    assert isinstance(leveled.steps[1], LeveledStep)
    assert build_plan(leveled).digest() == build_plan(plain).digest()


def test_new_digests_are_told_from_legacy_ones(ef2948c_book: RoutineBook) -> None:
    plan = build_plan(ef2948c_book.routine("daily-back"))
    assert plan.digest().startswith("v2:") and not is_legacy_digest(plan.digest())
    assert is_legacy_digest(segments_digest(plan)) and is_legacy_digest(steps_digest(plan.routine))


# -- the ways older versions computed it --------------------------------------------------------


def test_the_ef2948c_digest_is_reproduced(ef2948c_book: RoutineBook) -> None:
    assert {r.id: segments_digest(build_plan(r)) for r in ef2948c_book.routines} == EF2948C


def test_the_ddb3bfe_digest_is_reproduced(ddb3bfe_book: RoutineBook) -> None:
    assert {r.id: steps_digest(r) for r in ddb3bfe_book.routines} == DDB3BFE
    daily = ddb3bfe_book.routine("daily-back")
    assert steps_digest(apply_levels(daily, {1: 7.0})) == DDB3BFE_EGG_AT_7


# -- resuming -----------------------------------------------------------------------------------


@pytest.mark.parametrize("routine_id", sorted(EF2948C))
def test_a_session_recorded_by_ef2948c_resumes(ef2948c_book: RoutineBook, routine_id: str) -> None:
    plan = plan_to_resume(ef2948c_book, routine_id, EF2948C[routine_id])
    assert plan is not None
    assert plan.segments == build_plan(ef2948c_book.routine(routine_id)).segments


def test_a_session_recorded_by_ddb3bfe_resumes_at_its_level(ddb3bfe_book: RoutineBook) -> None:
    plan = plan_to_resume(ddb3bfe_book, "daily-back", DDB3BFE_EGG_AT_7, {1: 7.0})
    assert plan is not None
    assert plan.routine.steps[1].hold == 7.0
    assert plan_to_resume(ddb3bfe_book, "daily-back", DDB3BFE["daily-back"]) is not None
    # The same row at another level played something else.
    assert plan_to_resume(ddb3bfe_book, "daily-back", DDB3BFE_EGG_AT_7, {1: 8.0}) is None


@pytest.mark.parametrize(
    "old, new",
    [
        ('chest", seconds = 8', 'chest", seconds = 9'),  # the Egg's hold
        ('{ exercise = "cat", reps = 12 }', '{ exercise = "cat", reps = 11 }'),
    ],
)
def test_a_legacy_row_whose_plan_really_changed_is_refused(
    ef2948c_book: RoutineBook, old: str, new: str
) -> None:
    changed = edited(ef2948c_book, old, new)
    check = check_resume(changed, "daily-back", EF2948C["daily-back"])
    assert (check.plan, check.why_not) == (None, EDITED)


def test_why_a_session_cannot_be_resumed(ef2948c_book: RoutineBook) -> None:
    daily = build_plan(ef2948c_book.routine("daily-back")).digest()
    assert check_resume(None, "daily-back", daily).why_not == NO_FILE
    assert check_resume(ef2948c_book, "nightly", daily).why_not == GONE
    fewer = edited(
        ef2948c_book, '{ exercise = "cat", reps = 12 }', '{ exercise = "cat", reps = 2 }'
    )
    assert check_resume(fewer, "daily-back", daily).why_not == CHANGED
    # With a digest of this version, an edit of text alone is no change.
    renamed = edited(ef2948c_book, "Arch your back up, head down", "Round your back up")
    assert check_resume(renamed, "daily-back", daily).plan is not None


def test_a_row_left_by_kill_9_under_ef2948c_resumes_after_the_upgrade(
    world: World, ef2948c_book: RoutineBook
) -> None:
    """The row as that version left it: its digest, no levels, no full steps, mid-session."""
    plan = build_plan(ef2948c_book.routine("daily-back"))
    old = world.open()
    session = world.session(plan)
    session_id = old.begin(plan)
    step(old, session_id, session, session.start())
    world.tick(session.remaining() or 0.0)
    step(old, session_id, session, session.update())
    old.connection.execute(
        "UPDATE sessions SET routine_digest = ?, levels = NULL, full_steps = NULL WHERE id = ?",
        (EF2948C["daily-back"], session_id),
    )
    old.close()  # the process is gone: its lock with it

    new = world.open()
    (row,) = new.orphans()
    resumed = plan_to_resume(ef2948c_book, row.routine_id, row.routine_digest, row.levels)
    assert resumed is not None and new.claim(row.id)
    again, _ = resume_session(new, row, resumed, world.clock)
    assert again.index == 1 and again.plan.digest() == plan.digest()
