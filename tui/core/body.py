"""A side-view body posed by joint angles: the model behind the pictures of the positions.

World units are the person's standing height (about 1.0); x runs the way the person faces,
y runs up, and the mat's surface is y = 0. A pose is given as a physiotherapist would give
it, in degrees: the trunk's direction, then each joint's flexion from the one before it.
Everything else (where the hands and knees end up, how high the hips are, the chair under a
seated person) follows from the angles and the proportions of POSES.md, so a position that
reads wrong is fixed by changing an angle, never by moving a drawn point.

Nothing here knows about cells or pixels: `raster` draws these shapes at any size, and
`body_svg` writes them as SVG.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, fields

Point = tuple[float, float]

# Proportions of an adult, in standing heights (POSES.md). The arms are a little shorter
# than 3/16 + 3/16: with those, hands under the shoulders on all fours would tilt the back by
# 19 degrees; with these it tilts by under 5, and the hands still reach the hips standing.
HEAD_RADIUS = 0.07
NECK = 0.03
TRUNK = 0.375
THIGH = 0.25
SHIN = 0.25
FOOT = 0.1
UPPER_ARM = 0.16
FOREARM = 0.12
HAND = 0.07
NOSE_RADIUS = 0.3 * HEAD_RADIUS  # a bump on the face side: which way the face looks

CHAIR_BEHIND_HIP = 0.08  # seat's back edge, behind the hip joint (the buttocks are there)
CHAIR_SEAT = 0.22  # seat depth: its front edge well behind the knee, so the shin stands clear
CHAIR_BACK = 0.3  # how far the chair's back rises above the seat
MAT_BEYOND = 0.1  # how far the mat reaches past the figure at either end

BEZIER_PIECES = 16  # straight pieces a curve is drawn with: smooth at 200 columns


class Weight(enum.Enum):
    """How heavy a stroke is drawn: the spine boldest, the chair and the mat lightest."""

    SPINE = "spine"
    LIMB = "limb"
    PROP = "prop"
    MAT = "mat"


# Stroke widths in standing heights; a drawing may make them thicker where pixels are big.
STROKE_WIDTH: dict[Weight, float] = {
    Weight.SPINE: 0.06,
    Weight.LIMB: 0.036,
    Weight.PROP: 0.024,
    Weight.MAT: 0.014,
}


@dataclass(frozen=True)
class Pose:
    """A position by its angles, in degrees.

    `trunk` is the direction from hip to shoulder, counterclockwise from the way the person
    faces: 90 upright, 0 level with the head ahead (all fours, face down), 180 level with the
    head behind (on the back). Each joint angle is a flexion, 0 straight:

    - `hip`: the thigh toward the belly (90 seated); `knee`: the heel toward the buttock;
    - `ankle`: plantar flexion, the toes pointing away from the shin (0: foot square to it);
    - `shoulder`: the arm forward and up (0 along the trunk, 90 held out in front);
    - `elbow`: the forearm toward the upper arm; `wrist`: the hand turned the same way
      (90 with the palm flat on the floor under a vertical forearm);
    - `neck`: the chin toward the chest, from the line of the upper back (negative: head back).

    `spine` bends the back between hip and shoulder: the mid-back's distance from the straight
    line, as a fraction of the trunk's length, positive rounded (toward the back, a cat's
    arch), negative hollowed (the belly let down). `spine_apex` places the bend's peak along
    the trunk, 0 at the hip, 1 at the shoulder. `chair` puts a chair under the hips.
    """

    trunk: float
    hip: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0
    shoulder: float = 0.0
    elbow: float = 0.0
    wrist: float = 0.0
    neck: float = 0.0
    spine: float = 0.0
    spine_apex: float = 0.5
    chair: bool = False


@dataclass(frozen=True)
class Segment:
    """A straight stroke (a polyline), with round ends and joins."""

    points: tuple[Point, ...]
    weight: Weight


@dataclass(frozen=True)
class Curve:
    """A quadratic Bezier stroke: from `start` toward `control`, bending to `end`."""

    start: Point
    control: Point
    end: Point
    weight: Weight

    def at(self, t: float) -> Point:
        u = 1.0 - t
        return (
            u * u * self.start[0] + 2 * u * t * self.control[0] + t * t * self.end[0],
            u * u * self.start[1] + 2 * u * t * self.control[1] + t * t * self.end[1],
        )

    def flattened(self, pieces: int = BEZIER_PIECES) -> tuple[Point, ...]:
        return tuple(self.at(i / pieces) for i in range(pieces + 1))


@dataclass(frozen=True)
class Disc:
    """A filled circle: the head, and the nose that says which way it faces."""

    centre: Point
    radius: float


Shape = Segment | Curve | Disc


@dataclass(frozen=True)
class Joints:
    """Where the body's landmarks are, in world units, after the figure is set on the mat."""

    hip: Point
    mid_back: Point
    shoulder: Point
    head: Point
    nose: Point
    elbow: Point
    wrist: Point
    fingers: Point
    knee: Point
    ankle: Point
    toes: Point


@dataclass(frozen=True)
class Figure:
    """A posed body ready to draw: its shapes (the mat first), landmarks and extent."""

    shapes: tuple[Shape, ...]
    joints: Joints
    seat: Point | None  # the middle of the chair's seat, for a seated pose
    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom


def pose_figure(pose: Pose) -> Figure:
    """The body in `pose`, lowered onto the mat (its lowest part touching it), with a chair
    under it if the pose has one and the mat beneath."""
    body = _posed_body(pose)
    drop = -_lowest(body.shapes)
    shapes: list[Shape] = [_raised(shape, drop) for shape in body.shapes]
    joints = Joints(
        **{field.name: _up(getattr(body.joints, field.name), drop) for field in fields(Joints)}
    )
    seat = None
    if pose.chair:
        chair = _chair(joints.hip)
        shapes = [*chair, *shapes]
        seat = (joints.hip[0] - CHAIR_BEHIND_HIP + CHAIR_SEAT / 2, chair[0].points[1][1])
    left, right, top = _extent(shapes)
    mat_y = -STROKE_WIDTH[Weight.MAT] / 2
    mat = Segment(((left - MAT_BEYOND, mat_y), (right + MAT_BEYOND, mat_y)), Weight.MAT)
    return Figure(
        shapes=(mat, *shapes),
        joints=joints,
        seat=seat,
        left=left - MAT_BEYOND,
        bottom=-STROKE_WIDTH[Weight.MAT],
        right=right + MAT_BEYOND,
        top=top,
    )


def mirrored_shape(shape: Shape) -> Shape:
    """The shape seen from the other side (x negated)."""
    if isinstance(shape, Disc):
        return Disc(_flip(shape.centre), shape.radius)
    if isinstance(shape, Curve):
        return Curve(_flip(shape.start), _flip(shape.control), _flip(shape.end), shape.weight)
    return Segment(tuple(_flip(point) for point in shape.points), shape.weight)


@dataclass(frozen=True)
class _Body:
    shapes: tuple[Shape, ...]
    joints: Joints


def _posed_body(pose: Pose) -> _Body:
    """Forward kinematics from the hip, at the origin."""
    hip: Point = (0.0, 0.0)
    shoulder = _step(hip, pose.trunk, TRUNK)
    back = pose.trunk + 90.0  # the back's side of the trunk: up on all fours
    bend = 2.0 * pose.spine * TRUNK  # a quadratic's control sits twice as far as its peak
    along = _step(hip, pose.trunk, TRUNK * pose.spine_apex)
    spine = Curve(hip, _step(along, back, bend), shoulder, Weight.SPINE)
    upper_back = _direction(spine.control, shoulder)

    head_way = upper_back - pose.neck
    head = _step(shoulder, head_way, NECK + HEAD_RADIUS)
    face = head_way - 90.0
    nose = _step(head, face, HEAD_RADIUS)

    upper_arm = pose.trunk + 180.0 + pose.shoulder
    forearm = upper_arm + pose.elbow
    hand = forearm + pose.wrist
    elbow = _step(shoulder, upper_arm, UPPER_ARM)
    wrist = _step(elbow, forearm, FOREARM)
    fingers = _step(wrist, hand, HAND)

    thigh = pose.trunk + 180.0 + pose.hip
    shin = thigh - pose.knee
    foot = shin + 90.0 - pose.ankle
    knee = _step(hip, thigh, THIGH)
    ankle = _step(knee, shin, SHIN)
    toes = _step(ankle, foot, FOOT)

    neck_end = _step(shoulder, head_way, NECK + HEAD_RADIUS / 2)
    shapes: tuple[Shape, ...] = (
        Segment((hip, knee, ankle, toes), Weight.LIMB),
        spine,
        Segment((shoulder, neck_end), Weight.LIMB),
        Disc(head, HEAD_RADIUS),
        Disc(nose, NOSE_RADIUS),
        Segment((shoulder, elbow, wrist, fingers), Weight.LIMB),
    )
    joints = Joints(
        hip=hip,
        mid_back=spine.at(0.5),
        shoulder=shoulder,
        head=head,
        nose=nose,
        elbow=elbow,
        wrist=wrist,
        fingers=fingers,
        knee=knee,
        ankle=ankle,
        toes=toes,
    )
    return _Body(shapes, joints)


def _chair(hip: Point) -> tuple[Segment, ...]:
    """A chair seen from the side under a seated hip: the seat just under the thigh, the back
    behind the person, two legs down to the mat."""
    half = STROKE_WIDTH[Weight.PROP] / 2
    seat_y = hip[1] - STROKE_WIDTH[Weight.LIMB] / 2 - half
    back_x = hip[0] - CHAIR_BEHIND_HIP
    front_x = back_x + CHAIR_SEAT
    return (
        Segment(((back_x, seat_y + CHAIR_BACK), (back_x, seat_y), (front_x, seat_y)), Weight.PROP),
        Segment(((back_x, seat_y), (back_x, half)), Weight.PROP),
        Segment(((front_x, seat_y), (front_x, half)), Weight.PROP),
    )


def _lowest(shapes: tuple[Shape, ...]) -> float:
    """The lowest point any shape's ink reaches; the nose may press into the mat."""
    lowest = math.inf
    for shape in shapes:
        if isinstance(shape, Disc):
            if shape.radius == NOSE_RADIUS:
                continue
            lowest = min(lowest, shape.centre[1] - shape.radius)
            continue
        half = STROKE_WIDTH[shape.weight] / 2
        points = shape.points if isinstance(shape, Segment) else shape.flattened()
        for _, y in points:
            lowest = min(lowest, y - half)
    return lowest


def _extent(shapes: list[Shape]) -> tuple[float, float, float]:
    """Left, right and top of the shapes' ink."""
    left, right, top = math.inf, -math.inf, -math.inf
    for shape in shapes:
        if isinstance(shape, Disc):
            x, y = shape.centre
            left, right = min(left, x - shape.radius), max(right, x + shape.radius)
            top = max(top, y + shape.radius)
            continue
        half = STROKE_WIDTH[shape.weight] / 2
        points = shape.points if isinstance(shape, Segment) else shape.flattened()
        for x, y in points:
            left, right, top = min(left, x - half), max(right, x + half), max(top, y + half)
    return left, right, top


def _raised(shape: Shape, dy: float) -> Shape:
    if isinstance(shape, Disc):
        return Disc(_up(shape.centre, dy), shape.radius)
    if isinstance(shape, Curve):
        return Curve(_up(shape.start, dy), _up(shape.control, dy), _up(shape.end, dy), shape.weight)
    return Segment(tuple(_up(point, dy) for point in shape.points), shape.weight)


def _up(point: Point, dy: float) -> Point:
    return (point[0], point[1] + dy)


def _flip(point: Point) -> Point:
    return (-point[0], point[1])


def _step(origin: Point, degrees: float, length: float) -> Point:
    angle = math.radians(degrees)
    return (origin[0] + length * math.cos(angle), origin[1] + length * math.sin(angle))


def _direction(start: Point, end: Point) -> float:
    return math.degrees(math.atan2(end[1] - start[1], end[0] - start[0]))
