"""The pose widget: the library's drawing at the widget's own size, in its own colour, and
repainted only when the pose, the side, the mode or the size changes."""

from __future__ import annotations

import pytest
from rich.color import Color
from textual.app import App, ComposeResult

from tui.core.poses import pose_rows
from tui.ui.widgets import pose_view
from tui.ui.widgets.pose_view import PoseView


class PoseApp(App[None]):
    CSS = "PoseView { color: #ff0000; }"

    def __init__(self, pose: str = "", **options: bool) -> None:
        super().__init__()
        self.pose = pose
        self.options = options

    def compose(self) -> ComposeResult:
        yield PoseView(self.pose, **self.options)


def shown(view: PoseView) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


async def test_it_draws_the_pose_at_its_own_size_in_its_own_colour() -> None:
    app = PoseApp("cat-arched")
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        view = app.query_one(PoseView)
        assert shown(view) == list(pose_rows("cat-arched", 70, 20))
        strip = view.render_line(10)
        assert {segment.style.color for segment in strip if segment.text.strip()} == {
            Color.parse("#ff0000")
        }


async def test_no_pose_is_a_blank_box() -> None:
    app = PoseApp("")
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        view = app.query_one(PoseView)
        assert view.rows() == ()
        assert shown(view) == [" " * 40] * 10


async def test_the_second_side_and_ascii_mode() -> None:
    app = PoseApp("egg-hug", mirrored=True, ascii_only=True)
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        view = app.query_one(PoseView)
        assert shown(view) == list(pose_rows("egg-hug", 60, 16, ascii_only=True, mirrored=True))
        assert all(row.isascii() for row in shown(view))
        view.show("egg-hug")  # the first side again
        await pilot.pause()
        assert shown(view) == list(pose_rows("egg-hug", 60, 16, ascii_only=True))


async def test_showing_the_same_pose_again_repaints_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The session redraws its texts every second; the figure is drawn once per phase."""
    drawn: list[tuple[str, int, int]] = []

    def counting(name: str, width: int, height: int, **options: bool) -> tuple[str, ...]:
        drawn.append((name, width, height))
        return pose_rows(name, width, height, **options)

    monkeypatch.setattr(pose_view, "pose_rows", counting)
    app = PoseApp("chair-folded")
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        view = app.query_one(PoseView)
        assert drawn == [("chair-folded", 60, 16)]
        refreshed: list[object] = []
        real_refresh = view.refresh

        def spy(*args: object, **kwargs: object) -> PoseView:
            refreshed.append(args)
            return real_refresh(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(view, "refresh", spy)
        for _ in range(3):
            view.show("chair-folded")
            await pilot.pause()
        assert refreshed == []
        view.refresh()  # a repaint from outside (an overlay closing) redraws nothing new
        await pilot.pause()
        assert drawn == [("chair-folded", 60, 16)]

        view.show("chair-upright")
        await pilot.pause()
        assert refreshed
        assert drawn[-1] == ("chair-upright", 60, 16)


async def test_a_resize_redraws_it_to_the_new_size() -> None:
    app = PoseApp("standing")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        view = app.query_one(PoseView)
        small = sum(1 for row in shown(view) if row.strip())
        await pilot.resize_terminal(100, 36)
        await pilot.pause()
        assert view.size == (100, 36)
        assert shown(view) == list(pose_rows("standing", 100, 36))
        assert sum(1 for row in shown(view) if row.strip()) > small


def test_an_unknown_pose_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown pose 'cat'"):
        PoseView("cat")
