"""The big label: a state word or a rep count in the countdown's font, readable from the mat."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.geometry import Region

from tui.ui.widgets.big_clock import BigClock, BigText, digit_rows, read_big_text
from tui.ui.widgets.big_label import BigLabel


class LabelApp(App[None]):
    """Big labels stacked, each as tall as the screen shares out."""

    def __init__(self, *texts: str, ascii_only: bool = False) -> None:
        super().__init__()
        self.texts = texts
        self.ascii_only = ascii_only

    def compose(self) -> ComposeResult:
        with Vertical():
            for number, text in enumerate(self.texts):
                yield BigLabel(text, ascii_only=self.ascii_only, id=f"label-{number}")


@pytest.mark.parametrize(
    "size, text, least_rows",
    [
        ((10, 3), "PAUSED", 0),  # too small even for the smallest figures: one plain row
        ((23, 3), "PAUSED", 3),
        ((40, 8), "GET READY", 5),
        ((80, 24), "4/12", 20),
        ((120, 40), "Hold", 35),  # pixels at most twice as tall as wide
    ],
)
async def test_the_label_fills_its_box(size: tuple[int, int], text: str, least_rows: int) -> None:
    app = LabelApp(text)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        label = app.query_one(BigLabel)
        rows = label.rows()
        assert [label.render_line(y).text for y in range(size[1])] == rows
        assert read_big_text(rows) == (text.upper() if least_rows else text)
        assert digit_rows(rows) >= least_rows, "\n".join(rows)


async def test_ascii_labels_are_whole_hash_cells() -> None:
    app = LabelApp("REST", ascii_only=True)
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        rows = app.query_one(BigLabel).rows()
        assert set("".join(rows)) == {" ", "#"}
        assert digit_rows(rows) == 10
        assert read_big_text(rows) == "REST"


async def test_the_label_redraws_only_when_its_text_or_size_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = LabelApp("4/12")
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        label = app.query_one(BigLabel)
        first = label.render_line(5)
        repainted: list[tuple[Region, ...]] = []
        monkeypatch.setattr(label, "refresh", lambda *regions, **_: repainted.append(regions))
        label.update("4/12")  # the same text: nothing at all
        assert label.render_line(5) is first
        assert repainted == []
        label.update("5/12")  # the rep changes, the count of reps does not
        [regions] = repainted
        assert regions and all(region.right <= label.size.width // 3 for region in regions)
        assert label.render_line(5) is not first
        monkeypatch.undo()
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        assert label.size == (40, 10)
        assert read_big_text(label.rows()) == "5/12"


async def test_an_empty_label_shows_nothing() -> None:
    app = LabelApp("PAUSED")
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        label = app.query_one(BigLabel)
        label.update("")
        await pilot.pause()
        assert "".join(label.rows()).strip() == ""


def test_label_and_clock_share_the_machinery_but_not_a_type() -> None:
    """CSS or a query for the countdown (`BigClock`, `#countdown`) never picks up a label."""
    assert issubclass(BigLabel, BigText) and issubclass(BigClock, BigText)
    assert not issubclass(BigLabel, BigClock)


@pytest.mark.snapshot
@pytest.mark.parametrize("ascii_only", [False, True], ids=["blocks", "ascii"])
def test_paused_over_the_rep_count(snap_compare, ascii_only: bool) -> None:
    """At 120x40, from two metres: which rep of how many, and that it is paused."""
    assert snap_compare(LabelApp("PAUSED", "4/12", ascii_only=ascii_only), terminal_size=(120, 40))
