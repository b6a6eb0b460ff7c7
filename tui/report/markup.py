"""HTML built from constant templates: every value put into one is escaped unless it is Markup,
and only this package's own code makes Markup.

A routine named `<script>`, a note holding `</td>`, an exercise called `"onload=x`: each goes
through `fill`, or `text`, and comes out as the characters it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

# C0 and C1 controls other than tab and newline are not allowed in HTML text; an old history
# may hold one. Shown as a visible escape, as the terminal commands show it.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Markup(str):
    """HTML made by this package from its own templates: put into a page as it is."""

    __slots__ = ()


def text(value: object) -> Markup:
    """Any value as HTML text (attribute-safe: quotes are escaped too)."""
    if isinstance(value, Markup):
        return value
    shown = _CONTROL.sub(lambda found: repr(found[0])[1:-1], str(value))
    return Markup(html.escape(shown, quote=True))


def fill(template: str, **values: object) -> Markup:
    """`template` (a constant of this package) with each `{name}` replaced by its value,
    escaped unless it is Markup."""
    return Markup(template.format_map({name: text(value) for name, value in values.items()}))


def join(parts: Iterable[Markup], separator: str = "") -> Markup:
    return Markup(separator.join(parts))
