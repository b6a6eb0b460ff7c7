"""Snapshots of every pose in the library, filling most of a screen: at 80x24, 120x40 and
200x60, in block cells and in ASCII, for the first side and mirrored for the second.

Each SVG was opened and judged against /work/shared/POSES.md before it was committed. After
a deliberate change to a pose or to the drawing, regenerate with
`pytest tests/ui/test_pose_snapshots.py --snapshot-update` and look at every changed image.
"""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Label

from tui.core.poses import POSE_NAMES
from tui.ui.widgets.pose_view import PoseView

pytestmark = pytest.mark.snapshot

SIZES = {"80x24": (80, 24), "120x40": (120, 40), "200x60": (200, 60)}


class PoseApp(App[None]):
    """A caption, and the pose in the rest of the screen (the accent colour, as a theme)."""

    CSS = """
    Screen { padding: 0 1; }
    #caption { height: 1; color: $text-muted; }
    PoseView { color: $accent; }
    """

    def __init__(self, pose: str, *, mirrored: bool, ascii_only: bool) -> None:
        super().__init__()
        self.pose = pose
        self.mirrored = mirrored
        self.ascii_only = ascii_only

    def compose(self) -> ComposeResult:
        side = "second side, mirrored" if self.mirrored else "first side"
        yield Label(f"{self.pose} ({side})", id="caption", markup=False)
        yield PoseView(self.pose, mirrored=self.mirrored, ascii_only=self.ascii_only)


@pytest.mark.parametrize("mirrored", [False, True], ids=["first", "second"])
@pytest.mark.parametrize("ascii_only", [False, True], ids=["blocks", "ascii"])
@pytest.mark.parametrize("size", list(SIZES.values()), ids=list(SIZES))
@pytest.mark.parametrize("pose", POSE_NAMES)
def test_pose(
    snap_compare, pose: str, size: tuple[int, int], ascii_only: bool, mirrored: bool
) -> None:
    app = PoseApp(pose, mirrored=mirrored, ascii_only=ascii_only)
    assert snap_compare(app, terminal_size=size)
