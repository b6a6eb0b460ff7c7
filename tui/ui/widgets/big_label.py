"""A state word or a count ("PAUSED", "HOLD", "4/12") in the countdown's big font.

The person on the mat two metres away reads which rep of how many, and whether the session
is paused, without the normal-size text. It is `BigText`, as the countdown is: the same font,
half-block cells or `#` in ASCII mode, the same single plain row where the box is too small,
and repaints only of the cells a new text changes. Small letters are drawn as capitals; a
text with a character the font lacks is shown as one plain row rather than with a hole.
"""

from __future__ import annotations

from tui.ui.widgets.big_clock import BigText


class BigLabel(BigText):
    """A short text in the big font, as large as the widget's box allows; "" shows nothing."""

    DEFAULT_CSS = """
    BigLabel {
        width: 1fr;
        height: 1fr;
    }
    """
