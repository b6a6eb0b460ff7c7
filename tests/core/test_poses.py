"""The pose library: positions from joint angles (POSES.md), drawn into cells at any size and
as SVG. The joints are checked where POSES.md says what must show; the drawing where any box,
any mode and either side must give a clean, centred, mirrored picture."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.body import (
    HEAD_RADIUS,
    NOSE_RADIUS,
    STROKE_WIDTH,
    TRUNK,
    Curve,
    Disc,
    Point,
    Segment,
    Weight,
)
from tui.core.poses import POSE_NAMES, POSES, figure, pose_rows, pose_svg
from tui.core.raster import FAINT, Raster

BLOCK_CELLS = set(" ▀▄█")
ASCII_CELLS = set(" #=")
SIZES = [(12, 4), (20, 6), (40, 12), (80, 24), (120, 40), (200, 60)]
LIMB_HALF = STROKE_WIDTH[Weight.LIMB] / 2
TOUCHING = 0.005  # in standing heights: a few millimetres


def pixels(rows: tuple[str, ...]) -> list[list[bool]]:
    """The lit pixels of block rows: two pixel rows to a cell."""
    grid: list[list[bool]] = []
    for row in rows:
        grid.append([cell in "▀█" for cell in row])
        grid.append([cell in "▄█" for cell in row])
    return grid


def lit_rows(rows: tuple[str, ...]) -> list[int]:
    return [y for y, row in enumerate(rows) if row.strip()]


def lit_columns(rows: tuple[str, ...]) -> list[int]:
    return [x for x in range(len(rows[0])) if any(row[x] != " " for row in rows)]


def distance_to_segment(point: Point, start: Point, end: Point) -> float:
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


# -- the library ---------------------------------------------------------------------------------


def test_every_name_the_routine_file_may_use_has_a_pose() -> None:
    assert tuple(POSES) == POSE_NAMES


def test_an_unknown_pose_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"unknown pose 'cat-arch'; the poses: all-fours, "):
        pose_rows("cat-arch", 80, 24)


@pytest.mark.parametrize("name", POSE_NAMES)
def test_every_pose_rests_on_the_mat(name: str) -> None:
    """Its lowest part touches the mat's surface (y = 0): nothing floats, nothing sinks."""
    shape = figure(name)
    lowest = math.inf
    for part in shape.shapes[1:]:  # the mat itself first
        if isinstance(part, Disc):
            if part.radius != NOSE_RADIUS:  # a face down may press its nose into the mat
                lowest = min(lowest, part.centre[1] - part.radius)
            continue
        points = part.flattened() if isinstance(part, Curve) else part.points
        lowest = min(lowest, *(y - STROKE_WIDTH[part.weight] / 2 for _, y in points))
    assert lowest == pytest.approx(0.0, abs=1e-9)
    mat = shape.shapes[0]
    assert isinstance(mat, Segment) and mat.weight is Weight.MAT


def test_all_fours_hands_under_shoulders_knees_under_hips_back_flat() -> None:
    joints = figure("all-fours").joints
    assert joints.wrist[0] == pytest.approx(joints.shoulder[0], abs=1e-9)
    assert joints.knee[0] == pytest.approx(joints.hip[0], abs=1e-9)
    for on_the_mat in (joints.wrist, joints.fingers, joints.knee, joints.ankle):
        assert on_the_mat[1] == pytest.approx(LIMB_HALF, abs=TOUCHING)
    tilt = math.degrees(math.asin((joints.shoulder[1] - joints.hip[1]) / TRUNK))
    assert 0 <= tilt < 6
    assert joints.mid_back[1] == pytest.approx((joints.hip[1] + joints.shoulder[1]) / 2)
    assert joints.head[0] > joints.shoulder[0]  # in line with the trunk, ahead of it


def test_cat_arched_rounds_the_back_up_and_hangs_the_head() -> None:
    joints = figure("cat-arched").joints
    flat = figure("all-fours").joints
    assert joints.mid_back[1] > max(joints.shoulder[1], joints.hip[1])
    rise = joints.mid_back[1] - (joints.shoulder[1] + joints.hip[1]) / 2
    assert 0.1 * TRUNK <= rise <= 0.2 * TRUNK
    assert joints.head[1] < joints.shoulder[1] - HEAD_RADIUS  # hanging
    assert abs(joints.head[0] - joints.wrist[0]) < HEAD_RADIUS  # between the arms
    assert joints.nose[0] < joints.head[0]  # the face turned in, chin to the chest
    assert (joints.wrist, joints.knee) == (flat.wrist, flat.knee)  # same hands and knees


def test_cat_sagging_dips_the_back_and_lifts_the_head() -> None:
    joints = figure("cat-sagging").joints
    assert joints.mid_back[1] < min(joints.shoulder[1], joints.hip[1])
    curve = next(part for part in figure("cat-sagging").shapes if isinstance(part, Curve))
    lowest = min(curve.flattened(), key=lambda point: point[1])
    assert lowest[0] - joints.hip[0] < (joints.shoulder[0] - joints.hip[0]) / 2  # the waist
    assert joints.head[1] > joints.shoulder[1] + HEAD_RADIUS  # head up
    assert joints.nose[0] > joints.head[0]  # the face forward


def test_egg_knees_to_the_chest_arms_around_the_shins_head_on_the_mat() -> None:
    shape = figure("egg-hug")
    joints = shape.joints
    assert joints.knee[1] > joints.hip[1] + 0.1
    # over the chest: nearer the shoulder than the hip along the mat, and close to the trunk
    assert joints.shoulder[0] < joints.knee[0] < (joints.shoulder[0] + joints.hip[0]) / 2
    assert math.dist(joints.knee, joints.mid_back) < 0.25
    assert abs(joints.ankle[1] - joints.knee[1]) < 0.05  # shins roughly level
    assert min(joints.knee[1], joints.ankle[1]) > joints.hip[1]  # shins above the thighs
    hands = (joints.wrist, joints.fingers)
    assert all(distance_to_segment(hand, joints.knee, joints.ankle) < 0.04 for hand in hands)
    assert joints.head[1] - HEAD_RADIUS == pytest.approx(0.0, abs=TOUCHING)
    spine = next(part for part in shape.shapes if isinstance(part, Curve))
    lowest = min(y for _, y in spine.flattened()) - STROKE_WIDTH[Weight.SPINE] / 2
    assert lowest == pytest.approx(0.0, abs=TOUCHING)  # the back on the mat
    assert joints.nose[1] > joints.head[1]  # face up


def test_chair_folded_trunk_on_the_thighs_head_below_the_knees() -> None:
    shape = figure("chair-folded")
    joints = shape.joints
    assert joints.knee[1] == pytest.approx(joints.hip[1])  # thighs level
    assert joints.ankle[0] == pytest.approx(joints.knee[0])  # shins vertical
    assert joints.toes[1] == pytest.approx(joints.ankle[1])  # feet flat
    lean = math.degrees(
        math.atan2(joints.shoulder[0] - joints.hip[0], joints.shoulder[1] - joints.hip[1])
    )
    assert 75 <= lean <= 90
    assert joints.head[1] < joints.knee[1] - HEAD_RADIUS / 2  # plainly below the knees
    assert joints.head[0] > joints.knee[0]
    assert joints.fingers[1] < joints.knee[1] - 0.15  # arms hanging toward the floor
    assert shape.seat is not None and shape.seat[1] == pytest.approx(joints.knee[1], abs=0.04)


def test_chair_upright_sits_tall_with_hands_on_the_thighs() -> None:
    shape = figure("chair-upright")
    joints = shape.joints
    assert joints.shoulder[0] == pytest.approx(joints.hip[0])
    assert joints.knee[1] == pytest.approx(joints.hip[1])
    assert joints.ankle[0] == pytest.approx(joints.knee[0])
    assert joints.hip[0] < joints.fingers[0] < joints.knee[0]
    assert joints.fingers[1] - joints.knee[1] < 2 * LIMB_HALF + TOUCHING
    assert joints.nose[1] == pytest.approx(joints.head[1])  # head level
    assert shape.seat is not None and shape.seat[1] == pytest.approx(joints.knee[1], abs=0.04)


@pytest.mark.parametrize("name", ["chair-folded", "chair-upright"])
def test_the_chair_has_its_back_behind_the_person_and_two_legs(name: str) -> None:
    shape = figure(name)
    chair = [
        part for part in shape.shapes if isinstance(part, Segment) and part.weight is Weight.PROP
    ]
    legs = [part for part in chair if len(part.points) == 2]
    feet = [min(y for _, y in leg.points) - STROKE_WIDTH[Weight.PROP] / 2 for leg in legs]
    assert feet == [pytest.approx(0.0), pytest.approx(0.0)]
    top = max((point for part in chair for point in part.points), key=lambda p: p[1])
    assert top[0] < shape.joints.hip[0]  # facing right, the back is on the left


def test_lying_poses_lie_flat_face_up_or_down() -> None:
    back, front = figure("lying-back").joints, figure("lying-front").joints
    for joints in (back, front):
        for part in (joints.hip, joints.shoulder, joints.knee, joints.ankle, joints.wrist):
            assert part[1] < 0.04
        assert joints.head[1] - HEAD_RADIUS == pytest.approx(0.0, abs=TOUCHING)
    assert back.nose[1] > back.head[1] + HEAD_RADIUS / 2  # face up
    assert back.toes[1] > back.ankle[1] + 0.05  # toes up
    assert front.nose[1] < front.head[1] - HEAD_RADIUS / 2  # face to the mat
    assert back.head[0] < back.hip[0] and front.head[0] > front.hip[0]


def test_sitting_and_standing_are_upright() -> None:
    sitting, standing = figure("sitting").joints, figure("standing").joints
    assert sitting.shoulder[0] == pytest.approx(sitting.hip[0])
    assert sitting.ankle[1] == pytest.approx(sitting.hip[1])  # legs along the mat
    assert sitting.ankle[0] - sitting.hip[0] == pytest.approx(0.5)
    for joint in (standing.shoulder, standing.knee, standing.ankle):
        assert joint[0] == pytest.approx(standing.hip[0])
    assert standing.head[1] > standing.shoulder[1] > standing.hip[1] > standing.knee[1]
    assert standing.fingers[1] < standing.hip[1] + 0.05  # arms by the sides


# -- drawing into cells -----------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("name", POSE_NAMES)
def test_every_pose_fills_any_box_with_clean_cells(name: str, size: tuple[int, int]) -> None:
    width, height = size
    for ascii_only, cells in ((False, BLOCK_CELLS), (True, ASCII_CELLS)):
        rows = pose_rows(name, width, height, ascii_only=ascii_only)
        assert len(rows) == height and {len(row) for row in rows} == {width}
        assert set("".join(rows)) <= cells
        assert lit_rows(rows), f"{name} at {width}x{height} lights nothing"


@pytest.mark.parametrize("name", POSE_NAMES)
def test_the_second_side_is_the_mirror_image(name: str) -> None:
    for ascii_only in (False, True):
        first = pose_rows(name, 80, 24, ascii_only=ascii_only)
        second = pose_rows(name, 80, 24, ascii_only=ascii_only, mirrored=True)
        assert second == tuple(row[::-1] for row in first)
        assert second != first


@pytest.mark.parametrize("name", POSE_NAMES)
def test_a_bigger_box_gives_a_taller_figure(name: str) -> None:
    heights = [len(lit_rows(pose_rows(name, 2 * rows * 3, rows))) for rows in (6, 12, 24, 48)]
    assert heights == sorted(heights) and len(set(heights)) == len(heights), heights


@pytest.mark.parametrize("name", POSE_NAMES)
def test_the_figure_is_centred_and_keeps_its_aspect(name: str) -> None:
    shapes = []
    for width, height in ((200, 30), (100, 50)):  # a wide box, and a tall one
        rows = pose_rows(name, width, height)
        ys, xs = lit_rows(rows), lit_columns(rows)
        assert abs(xs[0] - (width - 1 - xs[-1])) <= 1
        assert abs(ys[0] - (height - 1 - ys[-1])) <= 1
        shapes.append((xs[-1] - xs[0] + 1) / (2 * (ys[-1] - ys[0] + 1)))
    assert shapes[0] == pytest.approx(shapes[1], rel=0.15)
    ascii_rows = pose_rows(name, 100, 50, ascii_only=True)
    ascii_shape = len(lit_columns(ascii_rows)) / (2 * len(lit_rows(ascii_rows)))
    assert ascii_shape == pytest.approx(shapes[1], rel=0.15)


def test_strokes_grow_with_the_figure_and_the_spine_is_the_boldest() -> None:
    def thickness(width: int, height: int) -> tuple[int, int]:
        """All fours: how deep the trunk is drawn, and how wide an arm or a thigh."""
        grid = pixels(pose_rows("all-fours", width, height))
        lit = [y for y, row in enumerate(grid) if any(row)]
        across = grid[lit[0] + 3 * (lit[-1] - lit[0]) // 5]  # below the trunk: arm, thigh
        runs = [run for run in "".join("#" if on else " " for on in across).split(" ") if run]
        starts = [x for x in range(1, width) if across[x] and not across[x - 1]]
        assert len(runs) == 2, "".join("#" if on else " " for on in across)
        between = (starts[0] + starts[1]) // 2
        trunk = [y for y in lit if grid[y][between] and y < lit[0] + (lit[-1] - lit[0]) // 2]
        return len(trunk), min(len(run) for run in runs)

    small, large = thickness(80, 24), thickness(200, 60)
    assert large[0] > small[0] and large[1] > small[1]
    for trunk, limb in (small, large):
        assert trunk > limb


def test_too_small_a_box_draws_nothing() -> None:
    assert pose_rows("standing", 4, 2) == ()
    assert pose_rows("lying-back", 3, 10) == ()
    assert pose_rows("standing", 0, 0) == ()


def test_a_redraw_of_the_same_box_costs_nothing() -> None:
    first = pose_rows("egg-hug", 90, 30, ascii_only=True, mirrored=True)
    assert pose_rows("egg-hug", 90, 30, ascii_only=True, mirrored=True) is first


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(POSE_NAMES),
    width=st.integers(-2, 220),
    height=st.integers(-2, 70),
    ascii_only=st.booleans(),
)
def test_any_box_gives_its_size_or_nothing(
    name: str, width: int, height: int, ascii_only: bool
) -> None:
    rows = pose_rows(name, width, height, ascii_only=ascii_only)
    mirrored = pose_rows(name, width, height, ascii_only=ascii_only, mirrored=True)
    if rows:
        assert len(rows) == height and {len(row) for row in rows} == {width}
        assert set("".join(rows)) <= (ASCII_CELLS if ascii_only else BLOCK_CELLS)
        assert lit_rows(rows)
    else:
        assert width < 12 or height < 4
    assert mirrored == tuple(row[::-1] for row in rows)


# -- the rasteriser ------------------------------------------------------------------------------


def test_a_thin_slanted_line_leaves_no_gap() -> None:
    raster = Raster(40, 12)
    raster.line([(0.5, 0.5), (39.5, 11.5)], 0.55)
    for x in range(40):
        assert any(raster.lit(x, y) for y in range(12)), x
    for y in range(12):
        assert any(raster.lit(x, y) for x in range(40)), y


def test_a_disc_stays_round_in_tall_ascii_cells() -> None:
    raster = Raster(20, 10, row_pitch=2.0)
    raster.disc((10.0, 10.0), 6.0)
    rows = raster.ascii_rows()
    lit = [y for y, row in enumerate(rows) if "#" in row]
    across = max(row.count("#") for row in rows)
    assert len(lit) == 6 and across == 12  # 12 cells wide, 6 cells (12 widths) tall
    assert rows == [row[::-1] for row in rows]  # symmetric


def test_the_faint_ground_gives_way_to_the_figure() -> None:
    raster = Raster(10, 1, row_pitch=2.0)
    raster.line([(0.0, 1.0), (10.0, 1.0)], 0.5, FAINT)
    raster.disc((5.0, 1.0), 1.2)
    assert raster.ascii_rows() == ["====##===="]
    assert Raster(3, 3).block_rows() == ["   ", "   "]


# -- SVG --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", POSE_NAMES)
def test_the_svg_is_standalone_and_draws_the_same_pose(name: str) -> None:
    svg = pose_svg(name, height=80, label=f"{name} <&>")
    root = ElementTree.fromstring(svg)
    namespace = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{namespace}svg" and root.get("height") == "80"
    assert root.get("stroke-linecap") == "round"
    assert root.findtext(f"{namespace}title") == f"{name} <&>"
    assert "href" not in svg and "url(" not in svg and "<script" not in svg
    circles = root.findall(f"{namespace}circle")
    assert {float(c.get("r", "0")) for c in circles} == {HEAD_RADIUS, NOSE_RADIUS}
    paths = root.findall(f"{namespace}path")
    assert len(paths) == len(figure(name).shapes) - len(circles)
    assert any(" Q" in path.get("d", "") for path in paths)  # the spine is a curve

    mirrored = ElementTree.fromstring(pose_svg(name, height=80, mirrored=True))
    width = float(root.get("viewBox", "").split()[2])
    head, flipped = (tree.find(f"{namespace}circle") for tree in (root, mirrored))
    assert head is not None and flipped is not None
    assert float(flipped.get("cx", "")) == pytest.approx(
        width - float(head.get("cx", "")), abs=1e-3
    )
    assert mirrored.get("aria-hidden") == "true"
