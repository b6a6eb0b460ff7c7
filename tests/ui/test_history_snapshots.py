"""Snapshot tests of the History screen with its trend chart and calendar: months of history
(two programme versions, two weeks missed, pain rises, notes) at 80x24 and 120x40, in colour
and in ASCII, each compared with an SVG a person has opened and read.

As in test_snapshots.py: the history is written on fixed days before a fixed clock, the bell
is off and toasts are not shown. After a deliberate change of the screen, regenerate with
`pytest tests/ui/test_history_snapshots.py --snapshot-update` and open every changed SVG.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from apphelpers import make_app, wait_until
from test_app_history import months_of_history
from textual.pilot import Pilot

from tui.store.sessions import HistoryStore
from tui.ui.app import BacktoneApp
from tui.ui.screens.history_view import HistoryScreen

pytestmark = pytest.mark.snapshot

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture(autouse=True)
def quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    """No toasts: their timing is not the screen's."""
    monkeypatch.setattr(BacktoneApp, "notify", lambda self, *args, **kwargs: None)


async def open_history(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, BacktoneApp)
    await wait_until(pilot, lambda: app._history_tried, "the history to open")
    await pilot.press("h")
    await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History")
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


@pytest.mark.parametrize(
    ("size", "ascii_only"),
    [((80, 24), False), ((120, 40), False), ((80, 24), True), ((120, 40), True)],
    ids=["80x24", "120x40", "80x24-ascii", "120x40-ascii"],
)
def test_history_with_months_of_sessions(
    snap_compare, tmp_path: Path, size: tuple[int, int], ascii_only: bool
) -> None:
    store = HistoryStore.open(tmp_path / "data", now=lambda: NOW)
    months_of_history(store, NOW)
    store.close()
    app = make_app(tmp_path, bell=False, ascii_only=ascii_only)
    app.history_now = lambda: NOW
    assert snap_compare(app, terminal_size=size, run_before=open_history)
