"""The big clock: figures as large as the box allows, readable back, repainted sparingly."""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelpers import ManualClock, make_app
from hypothesis import given
from hypothesis import strategies as st
from textual.geometry import Region

from tui.ui.screens.player import SessionScreen
from tui.ui.session_view import countdown_text
from tui.ui.widgets.big_clock import (
    FONT,
    FONT_ROWS,
    BigClock,
    choose_scale,
    digit_rows,
    pixel_rows,
    read_big_text,
    read_clock,
    render_rows,
)

countdowns = st.one_of(
    st.just("--"), st.floats(min_value=0, max_value=5 * 3600).map(countdown_text)
)


@given(
    text=countdowns,
    width=st.integers(min_value=1, max_value=220),
    height=st.integers(min_value=1, max_value=70),
    ascii_only=st.booleans(),
)
def test_figures_fit_their_box_and_read_back(
    text: str, width: int, height: int, ascii_only: bool
) -> None:
    rows = render_rows(text, width, height, ascii_only)
    assert len(rows) == height
    assert all(len(row) == width for row in rows)
    if choose_scale(text, width, height, ascii_only) is None:
        assert digit_rows(rows) == 0  # one row of plain text, nothing half drawn
        assert text[:width] in "".join(rows)
        if len(text) <= width:
            assert read_clock(rows) == text
    else:
        assert read_clock(rows) == text
        assert set("".join(rows)) <= (set(" #") if ascii_only else set(" ▀▄█"))


@pytest.mark.parametrize(
    "width, height, rows", [(72, 6, 5), (72, 7, 5), (60, 20, 20), (60, 30, 30), (7, 3, 3)]
)
def test_figures_grow_with_the_box(width: int, height: int, rows: int) -> None:
    assert digit_rows(render_rows("15", width, height, ascii_only=False)) == rows


def test_a_narrow_box_makes_thinner_not_taller_figures() -> None:
    scale = choose_scale("1:05", 30, 40, ascii_only=False)
    assert scale is not None
    assert scale.down <= 2 * scale.across  # never more than twice as tall as wide


def test_ascii_figures_are_whole_hash_cells() -> None:
    rows = render_rows("8", 20, 10, ascii_only=True)
    assert "".join(rows).isascii()
    assert digit_rows(rows) == 10
    assert read_clock(rows) == "8"


def clock_digit_rows(screen: SessionScreen) -> int:
    return digit_rows(screen.query_one("#countdown", BigClock).rows())


@pytest.mark.parametrize(
    "size, least",
    [((80, 24), 5), ((120, 40), 16), ((200, 60), 24), ((40, 12), 3), ((20, 6), 1)],
)
async def test_clock_size_on_the_session_screen(
    tmp_path: Path, size: tuple[int, int], least: int
) -> None:
    """At least 5 rows at 80x24 and 40 % of the height at 120x40 and 200x60; the small
    layouts keep a clock (one row of text at 20x6)."""
    clock = ManualClock()
    app = make_app(tmp_path, start_routine="short", clock=clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        if screen.has_class("-caution-first"):  # too small for the caution beside the clock
            await pilot.press("space")
        clock.advance(2.0)  # the hold: no caution above the clock
        screen.catch_up()
        await pilot.pause()
        big = screen.query_one("#countdown", BigClock)
        assert big.value == "6"
        rows = big.rows()
        if least == 1:
            assert "6" in "".join(rows) or digit_rows(rows) >= 1
        else:
            assert digit_rows(rows) >= least, "\n".join(rows)
            assert read_clock(rows) == "6"


async def test_clock_keeps_five_rows_at_80x24_with_the_caution(tmp_path: Path) -> None:
    app = make_app(tmp_path, start_routine="short")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.query_one("#caution").display
        assert clock_digit_rows(screen) >= 5


async def test_a_new_second_repaints_only_the_figures_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = ManualClock()
    app = make_app(tmp_path, start_routine="short", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        big = screen.query_one("#countdown", BigClock)
        big.update("15")
        await pilot.pause()
        big.render_line(0)
        repainted: list[tuple[Region, ...]] = []
        monkeypatch.setattr(big, "refresh", lambda *regions, **_: repainted.append(regions))
        big.update("15")  # the same text: nothing at all
        assert repainted == []
        big.update("14")  # only the second figure changes
        [regions] = repainted
        assert regions
        width = big.size.width
        assert all(region.width < width / 4 for region in regions)
        assert all(region.x > width // 2 for region in regions)


async def test_rows_are_worked_out_once_per_text_and_size(tmp_path: Path) -> None:
    app = make_app(tmp_path, start_routine="short")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        big = app.screen.query_one("#countdown", BigClock)
        first = big.render_line(1)
        assert big.render_line(1) is first
        big.update("9")
        assert big.render_line(1) is not first


# -- the font's letters ------------------------------------------------------------------------

BIG_TEXTS = ["HOLD", "REST", "PAUSED", "GET READY", "SWITCH SIDES", "READY?", "4/12", "3/10"]


@pytest.mark.parametrize("char", sorted(FONT))
def test_every_glyph_is_five_rows_of_one_width(char: str) -> None:
    bitmap = FONT[char]
    assert len(bitmap) == FONT_ROWS
    assert len({len(row) for row in bitmap}) == 1, bitmap
    assert set("".join(bitmap)) <= {"#", " "}
    if char != " ":  # lit at both edges, no blank column inside: glyphs sit evenly apart
        columns = ["".join(row[x] for row in bitmap) for x in range(len(bitmap[0]))]
        assert all(column.strip() for column in columns), bitmap


def test_the_font_has_the_whole_alphabet_and_the_marks_of_a_count() -> None:
    assert set("ABCDEFGHIJKLMNOPQRSTUVWXYZ/·") <= set(FONT)
    assert all(len(FONT[letter][0]) in (3, 4, 5) for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def test_no_two_glyphs_look_alike() -> None:
    """A letter never reads as a digit (O and 0, S and 5, Z and 2, I and 1, B and 8)."""
    shapes = [bitmap for char, bitmap in FONT.items() if char != " "]
    assert len(set(shapes)) == len(shapes)


@pytest.mark.parametrize("text", BIG_TEXTS)
def test_state_words_render_at_scale_one(text: str) -> None:
    rows = pixel_rows(text)
    assert len(rows) == FONT_ROWS
    widths = [len(FONT[char][0]) for char in text]
    assert {len(row) for row in rows} == {sum(widths) + len(text) - 1}
    x = 0
    for char, width in zip(text, widths, strict=True):  # each glyph whole, at its place
        assert tuple(row[x : x + width] for row in rows) == FONT[char]
        x += width + 1
    assert read_big_text(rows) == text


def test_small_letters_are_drawn_as_capitals() -> None:
    assert pixel_rows("Get ready") == pixel_rows("GET READY")
    assert read_big_text(render_rows("Hold", 40, 6, ascii_only=False)) == "HOLD"


def test_a_character_the_font_lacks_makes_one_plain_row_not_a_hole() -> None:
    rows = render_rows("Arrêt", 80, 20, ascii_only=False)
    assert digit_rows(rows) == 0
    assert [row.strip() for row in rows if row.strip()] == ["Arrêt"]


def test_plain_text_is_centred_and_cut_by_cells_not_characters() -> None:
    rows = render_rows("日本語テキスト", 7, 3, ascii_only=False)
    assert rows[1] == "日本語 "  # three wide characters fill six of the seven cells


@given(
    text=st.sampled_from(BIG_TEXTS),
    width=st.integers(min_value=10, max_value=200),
    height=st.integers(min_value=3, max_value=20),
    ascii_only=st.booleans(),
)
def test_state_words_fit_boxes_from_10x3_to_200x20(
    text: str, width: int, height: int, ascii_only: bool
) -> None:
    columns = len(pixel_rows(text)[0])
    scale = choose_scale(text, width, height, ascii_only)
    rows = render_rows(text, width, height, ascii_only)
    assert len(rows) == height and all(len(row) == width for row in rows)
    least_height = FONT_ROWS if ascii_only else -(-FONT_ROWS // 2)
    if width >= columns and height >= least_height:
        assert scale is not None
        assert columns * scale.across <= width
        assert FONT_ROWS * scale.down <= height * (1 if ascii_only else 2)
        assert read_big_text(rows) == text
    else:
        assert scale is None
        assert digit_rows(rows) == 0
        assert read_big_text(rows) == text[:width].strip()
