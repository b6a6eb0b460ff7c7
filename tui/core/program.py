"""Schema 3's [program] table: who prescribed the routine file, and which version of it it is.

```toml
[program]
title = "Back programme after the March visit"   # required in the table
by = "A. Physio, Riverside clinic"
version = "2"                                     # an integer is taken as its digits
issued = 2026-11-20                               # TOML dates, not strings
review = 2027-01-15                               # not before `issued`
note = "Daily if you can."
```
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from tui.core.checks import Checks, describe, join
from tui.core.model import Program

PROGRAM_KEYS = ["title", "by", "version", "issued", "review", "note"]


def read_program(checks: Checks, value: Any, path: str) -> Program | None:
    """The programme, or None (with the problems recorded) when the table is wrong."""
    table = checks.table(value, path)
    if table is None:
        return None
    before = checks.problem_count
    checks.check_keys(table, path, PROGRAM_KEYS)
    # A programme is named on the history and on the physiotherapist's report: it needs a
    # title to be named by.
    title = checks.text(table, "title", path, required=True)
    by = checks.text(table, "by", path)
    version = _version(checks, table, path)
    issued = _date(checks, table, "issued", path)
    review = _date(checks, table, "review", path)
    if issued is not None and review is not None and review < issued:
        checks.fail(
            join(path, "review"),
            f"{review.isoformat()} is before `issued` ({issued.isoformat()}); "
            "a review comes after the programme is issued",
        )
    note = checks.text(table, "note", path, multiline=True)
    if checks.problem_count > before:
        return None
    return Program(title, by, version, issued, review, note)


def _version(checks: Checks, table: Mapping[str, Any], path: str) -> str:
    value = table.get("version")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # `version = 2` means what `version = "2"` does
    if value is None or isinstance(value, str):
        return checks.text(table, "version", path)
    checks.fail(
        join(path, "version"),
        f'must be a string (like "2.1") or a whole number, not {describe(value)}',
    )
    return ""


def _date(checks: Checks, table: Mapping[str, Any], key: str, path: str) -> date | None:
    if key not in table:
        return None
    value = table[key]
    # TOML's date-times are dates too, to Python; a programme's dates are days.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    checks.fail(join(path, key), f"must be a date like 2026-11-20, not {describe(value)}")
    return None
