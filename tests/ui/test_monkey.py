"""A monkey test: thousands of seeded random key presses and resizes on every screen.

Nothing may raise, and the history must stay consistent whatever was pressed.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from apphelpers import ManualClock, make_app

from tui.ui.screens.player import SessionScreen

KEYS = [
    "enter", "escape", "space", "up", "down", "left", "right", "home", "end", "tab",
    "n", "p", "r", "b", "h", "d", "e", "k", "y", "q", "slash", "question_mark", "plus",
    "minus", "equals_sign", "left_square_bracket", "right_square_bracket", "ctrl+p",
    "a", "g", "x", "backspace", "pagedown",
]  # fmt: skip
SIZES = [(80, 24), (40, 12), (50, 20), (120, 40), (60, 15), (200, 60)]
PRESSES_PER_SEED = 700
SEEDS = [1, 2, 3]


def check_history(data_dir: Path) -> int:
    """Every stored session agrees with its own segment rows."""
    connection = sqlite3.connect(data_dir / "history.db")
    sessions = connection.execute(
        "SELECT id, status, segments_done, segments_total, current_segment, active_seconds,"
        " paused_seconds FROM sessions"
    ).fetchall()
    for session_id, status, done, total, current, active, paused in sessions:
        assert status in ("active", "completed", "stopped", "interrupted")
        rows = connection.execute(
            "SELECT outcome, count(*) FROM segments WHERE session_id = ? GROUP BY outcome",
            (session_id,),
        ).fetchall()
        outcomes = dict(rows)
        assert done == outcomes.get("done", 0)
        assert 0 <= current < total
        assert active >= 0 and paused >= 0
        if status == "completed":
            assert sum(outcomes.values()) == total
    connection.close()
    return len(sessions)


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_keys_never_break_the_app(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", "true")
    monkeypatch.chdir(tmp_path)  # `r` on History writes the report into the working folder
    randomiser = random.Random(seed)
    clock = ManualClock()
    pressed = 0
    visited: set[str] = set()
    while pressed < PRESSES_PER_SEED:
        app = make_app(tmp_path, clock=clock, ascii_only=seed == 3)  # one seed in plain ASCII
        async with app.run_test(size=randomiser.choice(SIZES)) as pilot:
            await pilot.pause()
            while pressed < PRESSES_PER_SEED and app.is_running:
                roll = randomiser.random()
                if roll < 0.03:
                    await pilot.resize_terminal(*randomiser.choice(SIZES))
                elif roll < 0.25:
                    clock.advance(randomiser.choice([0.3, 1.0, 2.5, 7.0]))
                    if isinstance(app.screen, SessionScreen):
                        app.screen.catch_up()
                else:
                    keys = randomiser.choices(KEYS, k=randomiser.randint(1, 4))
                    await pilot.press(*keys)
                    pressed += len(keys)
                visited.add(type(app.screen).__name__)
        assert app.return_code in (0, None), f"the app failed at seed {seed}"
    assert check_history(tmp_path / "data") > 0
    assert {"RoutinesScreen", "SessionScreen", "HistoryScreen", "HelpScreen"} <= visited
