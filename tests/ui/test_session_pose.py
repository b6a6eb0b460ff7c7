"""The figure of the position beside the clock, and the state and rep count in big cells.

From the mat, two metres away: at 80x24 the figure stands beside the clock with the digits
still 5 rows tall; at 120x40 and 200x60 it is at least as tall as the digits; at 40x12 the
clock has the room. The layout arithmetic is tested without a terminal, the screen with Pilot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelpers import ManualClock, make_app, wait_until, write_routines
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot

from tui.core.engine import Session
from tui.core.loader import load_file, load_text
from tui.core.plan import Kind, build_plan
from tui.core.poses import POSE_NAMES, figure
from tui.paths import bundled_routines_path
from tui.ui.screens.player import SessionScreen
from tui.ui.session_layout import (
    CLOCK_CHROME_COLUMNS,
    FIGURE_GAP,
    SMALLEST_CLOCK_COLUMNS,
    WIDEST_ASPECT,
    pose_columns,
    pose_rows_for,
    widest_countdown,
    widest_shape,
)
from tui.ui.session_view import big_rep_text, big_state_text, pose_name, second_side
from tui.ui.widgets.big_clock import digit_rows, read_big_text
from tui.ui.widgets.big_label import BigLabel
from tui.ui.widgets.session_pose import SessionPose

SIDED_POSES = """\
schema = 3

[defaults]
prepare = 2
rest = 3
switch_sides = 2

[exercises.lift]
name = "Leg lift"
phases = [
  { name = "Lift", seconds = 6, hold = true, pose = "lying-front" },
  { name = "Sit up", seconds = 3, pose = "sitting" },
]

[exercises.drawn]
name = "Drawn by hand"
phases = [{ name = "Stand", seconds = 4, figure = '''
 o
/|\\
/ \\
''' }]

[exercises.bare]
name = "No picture"
phases = [{ name = "Breathe", seconds = 4 }]

[[routines]]
id = "mixed"
name = "Mixed pictures"
steps = [
  { exercise = "lift", reps = 2, sides = ["left", "right"] },
  { exercise = "drawn" },
  { exercise = "bare" },
]
"""


# -- the layout, without a terminal -----------------------------------------------------------


def test_the_bundled_routines_name_a_pose_for_every_phase() -> None:
    book = load_file(bundled_routines_path())
    expected = {
        "Arch your back up, head down": "cat-arched",
        "Belly down, head and chin up": "cat-sagging",
        "Hug your knees to your chest": "egg-hug",
        "Let go and lie flat": "lying-back",
        "Bend forward and down, head relaxed": "chair-folded",
        "Roll slowly back up to sitting": "chair-upright",
    }
    phases = {p.name: p.pose for e in book.exercises.values() for p in e.phases}
    assert phases == expected
    assert all(not p.figure for e in book.exercises.values() for p in e.phases)


def test_the_widest_shape_leaves_out_lying_poses_unless_there_are_only_those() -> None:
    cat = figure("cat-arched")
    assert widest_shape({"cat-arched", "lying-back", "standing"}) == (cat.width, cat.height)
    lying = figure("lying-front")
    assert widest_shape({"lying-front"}) == (lying.width, lying.height)
    assert widest_shape(set()) is None


def test_the_clock_is_sized_for_the_longest_countdown() -> None:
    book = load_file(bundled_routines_path())
    assert widest_countdown(build_plan(book.routine("daily-back"))) == "15"
    assert len(widest_countdown(build_plan(book.routine("pregnancy-cat")))) == 2  # 30 s rest


@settings(max_examples=150, deadline=None)
@given(
    width=st.integers(min_value=20, max_value=240),
    height=st.integers(min_value=3, max_value=70),
    text=st.sampled_from(["5", "20", "1:30", "10:00"]),
    pose=st.sampled_from(POSE_NAMES),
    ascii_only=st.booleans(),
)
def test_the_split_always_leaves_the_clock_its_smallest_box(
    width: int, height: int, text: str, pose: str, ascii_only: bool
) -> None:
    shape = (figure(pose).width, figure(pose).height)
    columns = pose_columns(width, height, text, shape, ascii_only)
    assert columns >= 0
    if columns:
        clock = width - columns - FIGURE_GAP - CLOCK_CHROME_COLUMNS
        assert clock >= SMALLEST_CLOCK_COLUMNS
        # A figure lying down is laid out as if WIDEST_ASPECT wide, then drawn across.
        laid_out = (min(shape[0], shape[1] * WIDEST_ASPECT), shape[1])
        assert pose_rows_for(columns, height, laid_out, ascii_only) > 0


def test_the_figure_is_no_wider_than_it_needs_to_be() -> None:
    """At 80x24 the row is 8 rows tall: a figure wider than what fills them only thins the
    digits."""
    cat = (figure("cat-arched").width, figure("cat-arched").height)
    columns = pose_columns(76, 8, "15", cat, False)
    tallest = pose_rows_for(columns, 8, cat, False)
    assert tallest == pose_rows_for(columns + 10, 8, cat, False)  # the height is the limit
    assert pose_rows_for(columns - 1, 8, cat, False) < tallest


def test_the_big_state_and_rep_count() -> None:
    book = load_text(SIDED_POSES, "sided.toml")
    plan = build_plan(book.routine("mixed"))
    session = Session(plan, clock=ManualClock())
    session.start()
    assert big_state_text(session) == "GET READY"
    assert big_rep_text(session.segment) == "1/2"
    session.next_segment()
    assert session.segment.hold
    assert big_state_text(session) == "HOLD"
    session.pause()
    assert big_state_text(session) == "PAUSED"
    session.resume()
    session.next_segment()  # "Sit up": no hold, no state word
    assert big_state_text(session) == ""
    kinds = {segment.kind.value: segment for segment in plan.segments}
    assert big_rep_text(kinds["rest"]) in ("", "2/2")


def test_the_pose_is_mirrored_on_the_second_side() -> None:
    book = load_text(SIDED_POSES, "sided.toml")
    plan = build_plan(book.routine("mixed"))
    sides = {
        (segment.side, segment.label): (pose_name(plan, segment), second_side(plan, segment))
        for segment in plan.segments
        if segment.kind.value == "work"
    }
    assert sides[("left", "Lift")] == ("lying-front", False)
    assert sides[("right", "Lift")] == ("lying-front", True)


# -- the screen --------------------------------------------------------------------------------


async def started(pilot: Pilot[None]) -> SessionScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SessionScreen), "a session")
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    if screen.has_class("-caution-first"):
        await pilot.press("space")
    await pilot.pause()
    return screen


async def next_phase(pilot: Pilot[None], screen: SessionScreen) -> None:
    clock = screen.session.clock
    assert isinstance(clock, ManualClock)
    remaining = screen.session.progress().remaining
    clock.advance((remaining or 0) + 0.01)
    screen.catch_up()
    await pilot.pause()


def pose_rows_lit(screen: SessionScreen) -> int:
    return sum(1 for row in screen.query_one("#pose", SessionPose).rows() if row.strip())


def clock_rows_lit(screen: SessionScreen) -> int:
    return digit_rows(screen.query_one("#countdown").rows())  # type: ignore[attr-defined]


@pytest.mark.parametrize("ascii_only", [False, True], ids=["blocks", "ascii"])
@pytest.mark.parametrize(
    "size", [(80, 24), (120, 40), (200, 60)], ids=["80x24", "120x40", "200x60"]
)
async def test_every_bundled_pose_stands_beside_the_clock(
    tmp_path: Path, size: tuple[int, int], ascii_only: bool
) -> None:
    """Through one rep of each exercise of the daily routine: the figure is beside the clock,
    the digits at least 5 rows; from 120x40 the figure is at least as tall as the digits
    (a figure lying flat aside: it is never as tall as it is long)."""
    app = make_app(
        tmp_path,
        routines=bundled_routines_path(),
        start_routine="daily-back",
        clock=ManualClock(),
        ascii_only=ascii_only,
    )
    seen: set[str] = set()
    async with app.run_test(size=size) as pilot:
        screen = await started(pilot)
        while not screen.session.over:
            pose = screen.query_one("#pose", SessionPose)
            if pose.pose and pose.pose not in seen:
                seen.add(pose.pose)
                assert pose.display and pose.region.width > 0, pose.pose
                assert pose.region.x >= screen.query_one("#clock-box").region.right
                assert clock_rows_lit(screen) >= 5
                if size != (80, 24) and pose.pose != "lying-back":
                    assert pose_rows_lit(screen) >= clock_rows_lit(screen), pose.pose
            segment = screen.session.segment
            if segment.kind is Kind.WORK and {p.pose for p in segment.exercise.phases} <= seen:
                await pilot.press("right_square_bracket")  # on to the next exercise
                await pilot.pause()
            else:
                await next_phase(pilot, screen)
    assert seen == {
        "cat-arched",
        "cat-sagging",
        "egg-hug",
        "lying-back",
        "chair-folded",
        "chair-upright",
    }


async def test_at_40x12_the_clock_keeps_the_room(tmp_path: Path) -> None:
    app = make_app(
        tmp_path, routines=bundled_routines_path(), start_routine="daily-back", clock=ManualClock()
    )
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await started(pilot)
        await next_phase(pilot, screen)
        assert not screen.query_one("#pose").display
        assert not screen.query_one("#big-row").display
        assert clock_rows_lit(screen) >= 3


async def test_the_state_and_rep_count_are_big_from_120x40(tmp_path: Path) -> None:
    app = make_app(
        tmp_path, routines=bundled_routines_path(), start_routine="daily-back", clock=ManualClock()
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)

        def big(selector: str) -> str | None:
            return read_big_text(screen.query_one(selector, BigLabel).rows())

        assert big("#big-state") == "GET READY"
        assert big("#big-rep") == "1/12"
        await next_phase(pilot, screen)
        assert big("#big-state") == "HOLD"
        await pilot.press("space")
        await pilot.pause()
        assert big("#big-state") == "PAUSED"
        assert not screen.query_one("#state").display  # the small line gives way
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not screen.query_one("#big-row").display
        assert screen.query_one("#state").display


async def test_a_mixed_routine_mirrors_poses_and_keeps_hand_drawn_figures(tmp_path: Path) -> None:
    routines = write_routines(tmp_path, SIDED_POSES)
    app = make_app(tmp_path, routines=routines, start_routine="mixed", clock=ManualClock())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        pose = screen.query_one("#pose", SessionPose)
        shown: list[tuple[str, bool, bool, str]] = []
        for _ in range(len(screen.session.plan.segments)):
            if screen.session.over:
                break
            beside = screen.query_one("#figure-beside")
            figure_text = beside.figure if beside.display else ""  # type: ignore[attr-defined]
            shown.append((pose.pose, pose.mirrored, bool(pose.display), figure_text.strip()))
            await next_phase(pilot, screen)
    assert ("lying-front", False, True, "") in shown
    assert ("lying-front", True, True, "") in shown
    assert ("sitting", True, True, "") in shown
    drawn = [entry for entry in shown if entry[3]]
    assert drawn and all(entry[0] == "" and not entry[2] for entry in drawn)
    assert ("", False, False, "") in shown  # the exercise with no picture: the clock alone


async def test_the_figure_is_drawn_once_a_phase_not_each_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over SSH every repaint costs bytes: through a 5 s hold the countdown changes each
    second and the figure beside it is drawn once."""
    from tui.ui.widgets import pose_view

    drawn: list[tuple[str, int, int]] = []
    real = pose_view.pose_rows

    def counted(name: str, width: int, height: int, **options: bool) -> tuple[str, ...]:
        drawn.append((name, width, height))
        return real(name, width, height, **options)

    monkeypatch.setattr(pose_view, "pose_rows", counted)
    painted: list[int] = []
    paint = SessionPose.render_line

    def counted_paint(self: SessionPose, y: int) -> object:
        painted.append(y)
        return paint(self, y)

    monkeypatch.setattr(SessionPose, "render_line", counted_paint)
    app = make_app(
        tmp_path, routines=bundled_routines_path(), start_routine="daily-back", clock=ManualClock()
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        await next_phase(pilot, screen)  # the cat's first hold, "Arch your back up"
        assert screen.query_one("#pose", SessionPose).pose == "cat-arched"
        await pilot.pause()
        before, painted_before = len(drawn), len(painted)
        clock = screen.session.clock
        assert isinstance(clock, ManualClock)
        shown = set()
        for _ in range(4):
            clock.advance(1.0)
            screen.catch_up()
            await pilot.pause()
            shown.add(screen.query_one("#countdown").value)  # type: ignore[attr-defined]
        assert len(shown) == 4  # the clock did tick
        assert drawn[before:] == []
        assert painted[painted_before:] == []  # not even repainted
        await next_phase(pilot, screen)  # the next phase: one new drawing
        await pilot.pause()
        assert [name for name, _, _ in drawn[before:]] == ["cat-sagging"]


@pytest.mark.parametrize("size", [(200, 60), (120, 40)], ids=["200x60", "120x40"])
async def test_on_a_big_screen_everything_sits_in_the_centred_column(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """The figure, the phase row and the big labels stay inside the session's column, which
    is centred: nothing runs to the right edge while the rest is in the middle."""
    app = make_app(
        tmp_path, routines=bundled_routines_path(), start_routine="daily-back", clock=ManualClock()
    )
    async with app.run_test(size=size) as pilot:
        screen = await started(pilot)
        await next_phase(pilot, screen)
        body = screen.query_one("#session-body").region
        width = size[0]
        assert abs(body.x - (width - body.right)) <= 1  # centred
        for selector in ("#pose", "#phase-name", "#clock-row", "#big-row", "#bars", "#next"):
            region = screen.query_one(selector).region
            assert body.contains_region(region), (selector, region, body)
