"""Snapshots of the session screen with each bundled pose beside the clock: at 80x24, 120x40
and 200x60, in colour and ASCII, and mirrored for the second side of a one-sided step.

Each SVG was opened and judged from across the room against the phase's cue before it was
committed. After a deliberate change to the layout or to a pose, regenerate with
`pytest tests/ui/test_session_pose_snapshots.py --snapshot-update` and look at every changed image.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelpers import write_routines
from test_snapshots import app_for, start_session
from textual.pilot import Pilot

pytestmark = pytest.mark.snapshot

BUNDLED_POSES = {
    "cat-arched": "Arch your back up, head down",
    "cat-sagging": "Belly down, head and chin up",
    "egg-hug": "Hug your knees to your chest",
    "lying-back": "Let go and lie flat",
    "chair-folded": "Bend forward and down, head relaxed",
    "chair-upright": "Roll slowly back up to sitting",
}


def every_pose_routine() -> str:
    """One exercise a pose, each a 12 s hold played on the left, then the right side."""
    parts = ["schema = 3\n\n[defaults]\nprepare = 3\nrest = 5\nswitch_sides = 3\n"]
    for pose, cue in BUNDLED_POSES.items():
        parts.append(
            f'[exercises.{pose}]\nname = "{pose}"\n'
            f'phases = [{{ name = "{cue}", seconds = 12, hold = true, pose = "{pose}" }}]\n'
        )
    steps = ", ".join(f'{{ exercise = "{p}", sides = ["left", "right"] }}' for p in BUNDLED_POSES)
    parts.append(f'[[routines]]\nid = "poses"\nname = "Every pose"\nsteps = [{steps}]\n')
    return "\n".join(parts)


def to_the_hold(pose: str, side: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        screen = await start_session(pilot)
        session = screen.session
        target = next(
            s.index
            for s in session.plan.segments
            if s.hold and s.exercise.id == pose and s.side == side
        )
        while session.index < target:
            screen._apply(session.next_segment())
        clock = session.clock
        clock.advance(2.5)  # type: ignore[attr-defined]
        screen.catch_up()
        await pilot.pause()

    return run_before


SIZES = {"80x24": (80, 24), "120x40": (120, 40), "200x60": (200, 60)}


@pytest.mark.parametrize("ascii_only", [False, True], ids=["colour", "ascii"])
@pytest.mark.parametrize("size", list(SIZES.values()), ids=list(SIZES))
@pytest.mark.parametrize("pose", list(BUNDLED_POSES))
def test_each_pose_beside_the_clock(
    snap_compare, tmp_path: Path, pose: str, size: tuple[int, int], ascii_only: bool
) -> None:
    app = app_for(tmp_path, write_routines(tmp_path, every_pose_routine()), ascii_only=ascii_only)
    assert snap_compare(app, terminal_size=size, run_before=to_the_hold(pose, "left"))


@pytest.mark.parametrize("ascii_only", [False, True], ids=["colour", "ascii"])
@pytest.mark.parametrize("pose", list(BUNDLED_POSES))
def test_each_pose_mirrored_on_the_second_side(
    snap_compare, tmp_path: Path, pose: str, ascii_only: bool
) -> None:
    app = app_for(tmp_path, write_routines(tmp_path, every_pose_routine()), ascii_only=ascii_only)
    assert snap_compare(app, terminal_size=(120, 40), run_before=to_the_hold(pose, "right"))
