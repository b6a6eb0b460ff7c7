"""Big digits in plain ASCII, for terminals that cannot show Textual's box-drawing Digits.

Under a C or POSIX locale a terminal (or tmux in front of it) turns every box-drawing glyph
into `?` or `_`, and Digits becomes unreadable. Seven-segment figures made of `_` and `|`
read the same anywhere.
"""

from __future__ import annotations

from textual.widgets import Static

GLYPHS: dict[str, tuple[str, str, str]] = {
    "0": (" _ ", "| |", "|_|"),
    "1": ("   ", "  |", "  |"),
    "2": (" _ ", " _|", "|_ "),
    "3": (" _ ", " _|", " _|"),
    "4": ("   ", "|_|", "  |"),
    "5": (" _ ", "|_ ", " _|"),
    "6": (" _ ", "|_ ", "|_|"),
    "7": (" _ ", "  |", "  |"),
    "8": (" _ ", "|_|", "|_|"),
    "9": (" _ ", "|_|", " _|"),
    ":": (" ", ".", "."),
    ".": (" ", " ", "."),
    "-": ("   ", "___", "   "),
    " ": ("  ", "  ", "  "),
}


def ascii_figures(text: str) -> str:
    """`text` as three lines of seven-segment figures, a blank column apart (so that `|` of
    one figure never touches the next); unknown characters become blanks."""
    glyphs = [GLYPHS.get(char, GLYPHS[" "]) for char in text]
    return "\n".join(" ".join(glyph[row] for glyph in glyphs) for row in range(3))


class AsciiDigits(Static):
    """A stand-in for `textual.widgets.Digits` with the same `update(value)`."""

    DEFAULT_CSS = """
    AsciiDigits {
        width: auto;
        height: 3;
    }
    """

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(ascii_figures(value), id=id)
        self.value = value

    # It takes the figures' text only (like Digits.update), where Static.update takes any
    # content: a narrower signature, on purpose.
    def update(self, value: str = "") -> None:  # type: ignore[override]
        self.value = str(value)
        super().update(ascii_figures(self.value))
