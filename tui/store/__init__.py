"""The history store: every session in one SQLite file. Below the UI; never imports Textual."""

from tui.store.database import DB_NAME, SCHEMA_VERSION
from tui.store.export import EXPORT_FIELDS, EXPORT_FORMATS, export, export_text
from tui.store.recorder import Recorder, resume_session, start_recording
from tui.store.rows import (
    HistoryUnavailable,
    SegmentRow,
    SessionRow,
    SessionStatus,
    Stats,
    local_now,
)
from tui.store.sessions import HistoryStore

__all__ = [
    "DB_NAME",
    "EXPORT_FIELDS",
    "EXPORT_FORMATS",
    "SCHEMA_VERSION",
    "HistoryStore",
    "HistoryUnavailable",
    "Recorder",
    "SegmentRow",
    "SessionRow",
    "SessionStatus",
    "Stats",
    "export",
    "export_text",
    "local_now",
    "resume_session",
    "start_recording",
]
