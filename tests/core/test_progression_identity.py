"""A progression level belongs to the exercise of a step, not to the step's place in the file.

The history names each step by its identity (the exercise, a fingerprint of the rule and the
written dose, an occurrence among steps written alike), so moving steps or adding one moves no
level, and a step whose rule or dose changed starts again from what is written. Rows written
before identities name step indexes: they count only where their digest shows the routine had
these steps in this order.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from storehelpers import World, step

from tui.core.engine import Session
from tui.core.legacy_digest import steps_digest
from tui.core.loader import load_text
from tui.core.model import Exercise, Phase, Progression, Routine, Step
from tui.core.plan import build_plan
from tui.core.progression import (
    IndexedRecord,
    Level,
    LeveledStep,
    PastSession,
    apply_levels,
    level_values,
    levels_by_identity,
    levels_by_index,
    levels_for,
    start_value,
    step_identities,
    written_step,
)
from tui.core.resumption import plan_to_resume
from tui.store.rows import levels_from_json
from tui.store.sessions import HistoryStore


def routine_file(*steps: str) -> str:
    """A schema 2 file whose routine "r" has the steps given, as TOML inline tables."""
    exercises = "".join(
        f'[exercises.{name}]\nname = "{name.title()}"\n'
        f'phases = [{{ name = "Hold", seconds = 1, hold = true }}]\n\n'
        for name in ("alpha", "beta", "gamma")
    )
    return (
        "schema = 2\n\n[defaults]\nprepare = 0\nrest = 0\n\n"
        f"{exercises}"
        '[[routines]]\nid = "r"\nname = "R"\nsteps = [\n'
        + "".join(f"  {s},\n" for s in steps)
        + "]\n"
    )


def rising(exercise: str, extra: str = "", every: int = 1) -> str:
    """A step holding 1 s, rising by 1 s after every `every` full sessions up to 9 s."""
    rule = f"progress = {{ hold = 9, step = 1, every = {every} }}"
    return f'{{ exercise = "{exercise}", hold = 1{extra}, {rule} }}'


def routine_of(*steps: str) -> Routine:
    return load_text(routine_file(*steps)).routine("r")


def holds(store: HistoryStore, routine: Routine) -> dict[str, float]:
    """Each exercise's hold as today's history has it, by exercise id."""
    levels = levels_for(routine, store.past_sessions(routine.id))
    return {routine.steps[i].exercise.id: level.value for i, level in levels.items()}


def play_first_step_then_stop(world: World, store: HistoryStore, routine: Routine) -> int:
    """A session at today's levels in which the first step is done in full and then stopped."""
    levels = level_values(levels_for(routine, store.past_sessions(routine.id)))
    plan = build_plan(apply_levels(routine, levels))
    session = Session(plan, clock=world.clock)
    session_id = store.begin(plan, levels=levels)
    step(store, session_id, session, session.start())
    while session.segment.step_index == 0:
        world.tick(session.remaining() or 0.0)
        step(store, session_id, session, session.update())
    step(store, session_id, session, session.stop())
    return session_id


# -- the history ------------------------------------------------------------------------


def test_a_level_stays_with_its_exercise_when_steps_move_or_one_is_added(world: World) -> None:
    store = world.open()
    written = routine_of(rising("alpha"), rising("beta"))
    for _ in range(2):
        play_first_step_then_stop(world, store, written)
    assert holds(store, written) == {"alpha": 3.0, "beta": 1.0}
    # Swapped in the file: each keeps its own.
    assert holds(store, routine_of(rising("beta"), rising("alpha"))) == {"alpha": 3.0, "beta": 1.0}
    # A new step first starts from what is written; the others keep theirs.
    added = routine_of(rising("gamma"), rising("alpha"), rising("beta"))
    assert holds(store, added) == {"gamma": 1.0, "alpha": 3.0, "beta": 1.0}
    # A new dose, or a new rule, starts again from what is written.
    assert holds(store, routine_of(rising("alpha", ", reps = 2"), rising("beta")))["alpha"] == 1.0
    assert holds(store, routine_of(rising("alpha", every=2), rising("beta")))["alpha"] == 1.0


def test_the_history_records_steps_and_levels_by_identity(world: World) -> None:
    store = world.open()
    written = routine_of(rising("alpha"), rising("beta"))
    alpha, beta = step_identities(written)
    play_first_step_then_stop(world, store, written)
    session_id = play_first_step_then_stop(world, store, written)  # alpha at 2 s
    full, levels = store.connection.execute(
        "SELECT full_steps, levels FROM sessions WHERE id = ?", (session_id,)
    ).fetchone()
    assert json.loads(full) == [alpha]
    assert json.loads(levels) == {alpha: 2.0, beta: 1.0}
    row = store.get(session_id)
    assert row is not None and row.levels == {alpha: 2.0, beta: 1.0}


def test_a_resume_plays_the_stored_levels_after_a_cosmetic_edit(world: World) -> None:
    store = world.open()
    written = routine_of(rising("alpha"), rising("beta"))
    play_first_step_then_stop(world, store, written)
    levels = level_values(levels_for(written, store.past_sessions("r")))
    plan = build_plan(apply_levels(written, levels))
    session_id = store.begin(plan, levels=levels)
    row = store.get(session_id)
    assert row is not None
    renamed = load_text(routine_file(rising("alpha"), rising("beta")).replace('"Hold"', '"Hug"'))
    resumed = plan_to_resume(renamed, "r", row.routine_digest, row.levels)
    assert resumed is not None and resumed.routine.steps[0].hold == 2.0
    # With the steps swapped it plays something else: no resume, whatever the levels.
    swapped = load_text(routine_file(rising("beta"), rising("alpha")))
    assert plan_to_resume(swapped, "r", row.routine_digest, row.levels) is None


# -- identities ---------------------------------------------------------------------------------

EGG = Exercise("egg", "Egg", (Phase("Hug", 8.0, hold=True), Phase("Release", 3.0)))
CAT = Exercise("cat", "Cat", (Phase("Arch", 5.0, hold=True), Phase("Sag", 5.0)))
HOLD_RULE = Progression("hold", 10.0, 1.0, 2)


def test_identities_name_the_exercise_and_count_steps_written_alike() -> None:
    egg = Step(EGG, reps=10, hold=5.0, progress=HOLD_RULE)
    routine = Routine("r", "R", (egg, Step(CAT, reps=6), egg, replace(egg, reps=9)))
    first, cat, second, other = step_identities(routine)
    assert first.startswith("egg/") and cat.startswith("cat/")
    assert second == f"{first}#2"
    assert other.startswith("egg/") and other.split("#")[0] != first
    # Levels, pauses and text leave an identity as it is; the dose and the rule do not.
    assert step_identities(apply_levels(routine, {0: 8.0, 2: 6.0})) == (first, cat, second, other)
    timings = replace(egg.timings, rest=40.0)
    renamed = replace(
        EGG, name="Egg hug", phases=(replace(EGG.phases[0], name="Hug!"), EGG.phases[1])
    )
    same_dose = (
        replace(egg, timings=timings),
        replace(egg, exercise=renamed),
        replace(egg, hold=5),
    )
    for same in same_dose:
        assert step_identities(Routine("r", "R", (same,))) == (first,)
    for changed in (
        replace(egg, hold=6.0),
        replace(egg, sets=2),
        replace(egg, sides=("left", "right")),
        replace(egg, progress=replace(HOLD_RULE, every=3)),
        replace(egg, hold=None),  # now rises from the hold phase's own 8 s
    ):
        assert step_identities(Routine("r", "R", (changed,))) != (first,)


def test_a_leveled_step_knows_the_step_as_written() -> None:
    egg = Step(EGG, reps=10, hold=5.0, progress=HOLD_RULE)
    routine = Routine("r", "R", (egg,))
    leveled = apply_levels(routine, {0: 7.0})
    assert isinstance(leveled.steps[0], LeveledStep)
    assert leveled.steps[0].hold == 7.0 and written_step(leveled.steps[0]) == egg
    # Applying levels again starts from the step as written, not from the level.
    again = apply_levels(leveled, {0: 5.0})
    assert again.steps[0] == egg and start_value(again.steps[0]) == 5.0


def test_levels_go_by_identity_and_back() -> None:
    egg = Step(EGG, reps=10, hold=5.0, progress=HOLD_RULE)
    cat = Step(CAT, reps=6, progress=Progression("reps", 12, 2, 1))
    routine = Routine("r", "R", (egg, cat))
    stored = levels_by_identity(routine, {0: 7.0, 1: 8.0, 5: 3.0})
    assert stored == dict(zip(step_identities(routine), (7.0, 8.0), strict=True))
    moved = Routine("r", "R", (cat, egg))
    assert levels_by_index(moved, stored) == {0: 8.0, 1: 7.0}
    assert levels_by_index(moved, {"egg/00000000": 9.0, 1: 6.0}) == {1: 6.0}


def test_stored_levels_read_back_by_identity_or_index() -> None:
    (egg,) = step_identities(Routine("r", "R", (Step(EGG, hold=5.0, progress=HOLD_RULE),)))
    assert levels_from_json(json.dumps({egg: 7.0, f"{egg}#2": 6.5})) == {egg: 7.0, f"{egg}#2": 6.5}
    assert levels_from_json('{"1": 7.0}') == {1: 7.0}
    for text in ('{"egg": 7}', '{"egg/xyz": 7}', f'{{"{egg}#0": 7}}', '{"Egg/0123abcd": 7}'):
        assert levels_from_json(text) is None, text


# -- the property -------------------------------------------------------------------------------

POOL = {
    name: Exercise(name, name.title(), (Phase("Hold", 5.0, hold=True), Phase("Let go", 2.0)))
    for name in ("alpha", "beta", "gamma")
}
FRESH = Exercise("delta", "Delta", (Phase("Hold", 5.0, hold=True),))
RULES = (
    None,
    Progression("hold", 9.0, 1.0, 1),
    Progression("hold", 9.0, 2.0, 2),
    Progression("reps", 8.0, 1.0, 1),
)
steps = st.builds(
    Step,
    exercise=st.sampled_from(list(POOL.values())),
    reps=st.sampled_from([2, 3]),
    hold=st.sampled_from([None, 4.0]),
    progress=st.sampled_from(RULES),
)
# Each session: the step indexes done in full, and whether the pain rose by 2 after it.
sessions = st.lists(st.tuples(st.sets(st.integers(0, 5)), st.booleans()), max_size=12)


def changed(step: Step, how: int) -> Step:
    """The step with a new dose or rule, unlike any step the strategy makes."""
    if how == 0:
        return replace(step, sets=step.sets + 1)
    if how == 1:
        return replace(step, hold=6.5)
    return replace(step, progress=Progression("hold", 20.0, 1.0, 3))


def record_history(routine: Routine, played: list[tuple[set[int], bool]]) -> list[PastSession]:
    """Sessions as the store records them: each at the levels its history had reached."""
    history: list[PastSession] = []
    for done, pain_rose in played:
        leveled = apply_levels(routine, level_values(levels_for(routine, history)))
        identities = step_identities(leveled)
        assert identities == step_identities(routine)
        full = frozenset(identities[i] for i in done if i < len(identities))
        history.append(PastSession(full, 2, 5 if pain_rose else 2))
    return history


@settings(max_examples=150, deadline=None)
@given(st.lists(steps, min_size=1, max_size=5), sessions, st.data())
def test_moving_adding_and_changing_steps_never_gives_a_level_to_another_step(
    written: list[Step], played: list[tuple[set[int], bool]], data: st.DataObject
) -> None:
    routine = Routine("r", "R", tuple(written))
    history = record_history(routine, played)
    before = levels_for(routine, history)

    order = data.draw(st.permutations(range(len(written))), label="order")
    how = data.draw(st.dictionaries(st.sampled_from(order), st.integers(0, 2)), label="changed")
    new: list[tuple[Step, int | None]] = [
        (changed(written[i], how[i]), None) if i in how else (written[i], i) for i in order
    ]
    for at in data.draw(st.lists(st.integers(0, len(new)), max_size=2), label="inserted"):
        new.insert(at, (Step(FRESH, reps=2, progress=RULES[1]), None))
    after = levels_for(Routine("r", "R", tuple(s for s, _ in new)), history)

    for position, (new_step, origin) in enumerate(new):
        start = start_value(new_step)
        if new_step.progress is None or start is None:
            assert position not in after
        elif origin is None:  # new, or changed: from what is written
            assert after[position] == Level(
                start, new_step.progress.maximum, new_step.progress.every
            )
    # Unchanged steps keep the levels their own kind had: exactly theirs when written once, and
    # the same levels between them when written alike more than once.
    for kind in {s for s, origin in new if origin is not None and s.progress is not None}:
        old = [before[i] for i, s in enumerate(written) if s == kind]
        kept = [after[p] for p, (s, o) in enumerate(new) if s == kind and o is not None]
        assert all(level in old for level in kept)
        if len(kept) == len(old):
            assert sorted(kept, key=repr) == sorted(old, key=repr)


# -- rows written before identities -------------------------------------------------------------

OLD_ROUTINE = Routine(
    "r",
    "R",
    (Step(CAT, reps=6), Step(EGG, reps=10, hold=5.0, progress=HOLD_RULE)),
)


def old_row(routine: Routine, levels: dict[int, float], full: set[int]) -> PastSession:
    """A session as a version before identities recorded it: indexes, and its digest."""
    record = IndexedRecord(steps_digest(apply_levels(routine, levels)), tuple(levels.items()))
    return PastSession(frozenset(full), indexed=record)


def test_old_rows_count_where_their_digest_shows_the_same_steps() -> None:
    history = [old_row(OLD_ROUTINE, {1: 5.0}, {0, 1}), old_row(OLD_ROUTINE, {1: 5.0}, {1})]
    assert levels_for(OLD_ROUTINE, history)[1] == Level(6.0, 10.0, 2)
    # The steps swapped since: the rows say nothing about today's steps.
    swapped = replace(OLD_ROUTINE, steps=OLD_ROUTINE.steps[::-1])
    assert levels_for(swapped, history)[0] == Level(5.0, 10.0, 2)
    # New rows and old ones add up.
    _, egg = step_identities(OLD_ROUTINE)
    newer = [*history, PastSession(frozenset({egg})), PastSession(frozenset({egg}))]
    assert levels_for(OLD_ROUTINE, newer)[1] == Level(7.0, 10.0, 2)


def test_an_old_row_counts_only_for_a_rule_it_was_played_under() -> None:
    # Played before the Egg had a rule: no level stored, so its full Egg does not count.
    no_rule = replace(
        OLD_ROUTINE, steps=(OLD_ROUTINE.steps[0], replace(OLD_ROUTINE.steps[1], progress=None))
    )
    before_the_rule = old_row(no_rule, {}, {1})
    assert levels_for(OLD_ROUTINE, [before_the_rule] * 2)[1] == Level(5.0, 10.0, 2)
    # A level the rule as written today never plays: the rule or its start changed since.
    off_the_rule = old_row(OLD_ROUTINE, {1: 6.5}, {1})
    assert levels_for(OLD_ROUTINE, [off_the_rule] * 2)[1] == Level(5.0, 10.0, 2)
    on_the_rule = old_row(OLD_ROUTINE, {1: 6.0}, {1})
    assert levels_for(OLD_ROUTINE, [on_the_rule] * 2)[1] == Level(6.0, 10.0, 2)


def test_old_rows_in_the_store_are_checked_against_their_digest(world: World) -> None:
    store = world.open()
    written = routine_of(rising("alpha"), rising("beta"))
    digest = steps_digest(apply_levels(written, {0: 1.0, 1: 1.0}))
    insert = (
        "INSERT INTO sessions (routine_id, routine_name, routine_digest, started_at, day, status,"
        " planned_seconds, active_seconds, segments_done, segments_total, updated_at, levels,"
        " full_steps) VALUES ('r', 'R', ?, ?, ?, 'completed', 2, 2, 2, 2, ?, ?, ?)"
    )
    for day in (date(2025, 1, 1), date(2025, 1, 2)):
        stamp = f"{day.isoformat()}T08:00:00+01:00"
        values = (digest, stamp, day.isoformat(), stamp, '{"0": 1.0, "1": 1.0}', "[0]")
        store.connection.execute(insert, values)
    assert holds(store, written) == {"alpha": 3.0, "beta": 1.0}
    # Swapped since: the old rows' step 0 was Alpha, which they no longer prove; no level moves.
    assert holds(store, routine_of(rising("beta"), rising("alpha"))) == {"alpha": 1.0, "beta": 1.0}
