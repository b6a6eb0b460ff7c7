"""The session's own widgets: the block bar, ASCII figures, and when the screen redraws."""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelpers import ManualClock, make_app
from rich.console import Console
from textual.widgets import Digits

from tui import terminal
from tui.ui.screens.player import SessionScreen
from tui.ui.widgets.ascii_digits import ascii_figures
from tui.ui.widgets.bar import AsciiBlockBar, BlockBar, QuietProgressBar
from tui.ui.widgets.big_clock import BigClock, read_clock


def cells(bar: BlockBar, width: int = 10) -> list[tuple[str, bool]]:
    console = Console(width=width, color_system="truecolor")
    options = console.options.update_width(width)
    return [
        (s.text, bool(s.style and s.style.reverse)) for s in bar.__rich_console__(console, options)
    ]


@pytest.mark.parametrize(
    "end, expected",
    [
        (0.0, [(" " * 10, False)]),
        (3.0, [(" " * 3, True), (" " * 7, False)]),
        (3.5, [(" " * 3, True), ("▌", False), (" " * 6, False)]),
        (9.5, [(" " * 9, True), ("▌", False)]),
        (10.0, [(" " * 10, True)]),
        (12.0, [(" " * 10, True)]),
    ],
)
def test_block_bar_fills_whole_and_half_cells(end: float, expected: list) -> None:
    bar = BlockBar(highlight_range=(0, end), highlight_style="blue", background_style="grey11")
    assert cells(bar) == expected
    assert sum(len(text) for text, _ in cells(bar)) == 10


def test_ascii_bar_uses_only_ascii_and_whole_cells() -> None:
    bar = AsciiBlockBar(highlight_range=(0, 3.5), highlight_style="blue", background_style="red")
    shown = cells(bar)
    assert shown == [(" " * 3, True), (" " * 7, False)]
    assert all(text.isascii() for text, _ in shown)


def test_ascii_figures_are_three_rows_of_ascii() -> None:
    figures = ascii_figures("1:05")
    rows = figures.split("\n")
    assert len(rows) == 3 and len({len(row) for row in rows}) == 1
    assert figures.isascii()
    assert rows == [
        "       _   _ ",
        "  | . | | |_ ",
        "  | . |_|  _|",
    ]


@pytest.mark.parametrize(
    "env, utf8_mode, ascii_only",
    [
        ({"LANG": "en_GB.UTF-8"}, False, False),
        ({"LANG": "C.UTF-8"}, False, False),
        ({"LC_ALL": "de_DE.utf8", "LANG": "C"}, False, False),
        ({"LANG": "C"}, True, True),
        ({}, True, True),
        ({"LANG": "POSIX"}, True, True),
        ({"LANG": "en_US.ISO-8859-1"}, False, True),
        ({"LC_ALL": "C", "LANG": "en_GB.UTF-8"}, True, True),
        # PEP 538: Python coerced a C locale to C.UTF-8 in LC_CTYPE; the terminal is still C.
        ({"LC_CTYPE": "C.UTF-8", "LANG": "C"}, True, True),
        # The same LC_CTYPE set by the person, with Python in its normal mode: UTF-8.
        ({"LC_CTYPE": "C.UTF-8"}, False, False),
        ({"LANG": "C", "BACKTONE_ASCII": "0"}, True, False),
        ({"LANG": "en_GB.UTF-8", "BACKTONE_ASCII": "1"}, False, True),
    ],
)
def test_terminal_is_ascii(env: dict[str, str], utf8_mode: bool, ascii_only: bool) -> None:
    assert terminal.terminal_is_ascii(env, utf8_mode) is ascii_only


async def test_bars_never_wake_by_themselves(tmp_path: Path) -> None:
    app = make_app(tmp_path, start_routine="short")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        bars = list(screen.query(QuietProgressBar))
        assert len(bars) == 3
        # ProgressBar's own once-a-second ETA interval would repaint every bar for nothing.
        assert all(not bar._timers for bar in bars)


async def test_ascii_terminal_gets_ascii_figures(tmp_path: Path) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, start_routine="short", clock=clock, ascii_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert app.has_class("-ascii")
        assert not screen.query(Digits)
        figures = screen.query_one("#countdown", BigClock)
        assert figures.value == "2"
        rows = figures.rows()
        assert "".join(rows).isascii() and "#" in "".join(rows)
        assert read_clock(rows) == "2"
        clock.advance(1.0)
        screen.catch_up()
        await pilot.pause()
        assert figures.value == "1"
        assert read_clock(figures.rows()) == "1"


async def test_footer_is_refreshed_only_when_the_keys_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, start_routine="short", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        calls: list[int] = []
        monkeypatch.setattr(screen, "refresh_bindings", lambda: calls.append(1))
        for _ in range(8):  # get ready 2 s, then the hold 6 s: timed segments, same keys
            clock.advance(1.0)
            screen.catch_up()
        assert calls == []
        await pilot.press("space")  # paused: Space now resumes
        assert calls == [1]


@pytest.mark.parametrize("size", [(20, 6), (40, 12), (50, 20), (80, 24)])
async def test_countdown_and_phase_stay_on_screen(tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(tmp_path, start_routine="short")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        if screen.has_class("-caution-first"):  # too small for the caution beside the clock
            await pilot.press("space")
            await pilot.pause()
        whole = screen.region
        for selector in ("#countdown", "#phase-name"):
            region = screen.query_one(selector).region
            assert region.height > 0 and whole.contains_region(region), (selector, region)


async def test_times_line_changes_every_second_without_a_layout_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A layout pass every second cost CPU in a hold: the line's length hardly ever changes."""
    clock = ManualClock()
    app = make_app(tmp_path, start_routine="short", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        clock.advance(2.5)  # past the get-ready, whose caution hides the times at 80x24
        screen.catch_up()
        await pilot.pause()
        times = screen.query_one("#times")
        layouts: list[bool] = []
        refresh = times.refresh

        def noted(*regions: object, layout: bool = False, **kwargs: object) -> object:
            layouts.append(layout)
            return refresh(*regions, layout=layout, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(times, "refresh", noted)
        for _ in range(3):
            clock.advance(1.0)
            screen.catch_up()
        await pilot.pause()
        assert layouts and not any(layouts)
        assert "Elapsed 0:05" in str(times.render())
