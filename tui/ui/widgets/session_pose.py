"""The session's figure of the position, beside the clock: as wide as it needs to be to stand
as tall as the digits (session_layout.pose_columns), worked out by Textual's layout as it
sizes the clock row, so the first frame already has it in place."""

from __future__ import annotations

from textual.geometry import Size

from tui.ui.session_layout import pose_columns
from tui.ui.widgets.pose_view import PoseView


class SessionPose(PoseView):
    DEFAULT_CSS = """
    SessionPose {
        width: auto;
        height: 1fr;
        color: $accent;
    }
    """

    def __init__(
        self,
        *,
        clock_text: str,
        shape: tuple[float, float],
        ascii_only: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(ascii_only=ascii_only, id=id)
        self.clock_text = clock_text
        self.shape = shape

    def get_content_width(self, container: Size, viewport: Size) -> int:
        margin = self.styles.margin
        return pose_columns(
            container.width + margin.width,
            container.height + margin.height,
            self.clock_text,
            self.shape,
            self.ascii_only,
        )
