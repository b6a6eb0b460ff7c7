"""What the terminal can show, read from the environment before anything is drawn."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping


def terminal_is_ascii(
    env: Mapping[str, str] = os.environ, utf8_mode: bool = bool(sys.flags.utf8_mode)
) -> bool:
    """Whether to draw in plain ASCII: `$BACKTONE_ASCII` if set, else whether the locale is
    not UTF-8 (LANG=C, POSIX, unset, or a Latin-1 locale), as it was before Python started.

    Python replaces a C locale with C.UTF-8 in LC_CTYPE (PEP 538) and then turns its UTF-8
    mode on; that LC_CTYPE says nothing about the terminal, so it is passed over.
    """
    forced = env.get("BACKTONE_ASCII", "").strip().lower()
    if forced:
        return forced not in ("0", "no", "false", "off")
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(name, "")
        if not value or (name == "LC_CTYPE" and utf8_mode and value in ("C.UTF-8", "C.utf8")):
            continue
        return "utf8" not in value.lower().replace("-", "")
    return True
