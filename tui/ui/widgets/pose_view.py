"""A position drawn from the pose library, as large as the widget's box allows.

The session redraws its texts every second, and over SSH every repaint costs bytes: the
figure is drawn once per pose, side, mode and size (`pose_rows` caches it), and the widget
repaints only when one of those changes. The lit cells are plain text in the widget's own
style, so its foreground colour (a theme, or none under NO_COLOR) is the figure's.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from tui.core.poses import POSES, pose_rows


class PoseView(Widget):
    """Shows the pose called `pose` ("" for none), mirrored for the other side if asked."""

    DEFAULT_CSS = """
    PoseView {
        width: 1fr;
        height: 1fr;
    }
    """

    pose: reactive[str] = reactive("")
    mirrored: reactive[bool] = reactive(False)
    ascii_only: reactive[bool] = reactive(False)

    def __init__(
        self,
        pose: str = "",
        *,
        mirrored: bool = False,
        ascii_only: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(PoseView.pose, self.validate_pose(pose))
        self.set_reactive(PoseView.mirrored, mirrored)
        self.set_reactive(PoseView.ascii_only, ascii_only)
        self._key: tuple[str, bool, bool, int, int, Style] | None = None
        self._strips: list[Strip] = []

    def validate_pose(self, pose: str) -> str:
        if pose and pose not in POSES:
            raise ValueError(f"unknown pose {pose!r}")
        return pose

    def show(self, pose: str, *, mirrored: bool = False) -> None:
        """Show `pose` for this side; nothing is repainted if that is what is shown."""
        self.pose = pose
        self.mirrored = mirrored

    def rows(self) -> tuple[str, ...]:
        """What the widget shows at its present size, as text rows (none for no pose)."""
        if not self.pose:
            return ()
        width, height = self.size
        return pose_rows(
            self.pose, width, height, ascii_only=self.ascii_only, mirrored=self.mirrored
        )

    def render_line(self, y: int) -> Strip:
        strips = self._current_strips()
        if 0 <= y < len(strips):
            return strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _current_strips(self) -> list[Strip]:
        width, height = self.size
        style = self.rich_style
        key = (self.pose, self.mirrored, self.ascii_only, width, height, style)
        if key != self._key:
            self._key = key
            self._strips = [Strip([Segment(row, style)], width) for row in self.rows()]
        return self._strips
