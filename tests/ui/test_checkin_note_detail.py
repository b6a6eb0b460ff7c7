"""The note and the programme version on one past session's detail: shown as text, whatever
they hold (a note with `[bold]` in it, an escape a hand-edited history put there)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from apphelpers import text_of
from fakeclock import FakeClock
from textual.app import App

from tui import paths
from tui.core.engine import Session
from tui.core.loader import load_file
from tui.core.plan import build_plan
from tui.store.recorder import start_recording
from tui.store.rows import SessionRow
from tui.store.sessions import HistoryStore
from tui.ui.screens.session_detail import SessionDetailScreen, session_facts

ROUTINES = """\
schema = 3

[program]
title = "After the March visit"
version = "2.1"

[defaults]
prepare = 0
rest = 0

[exercises.egg]
name = "Egg"
phases = [{ name = "Hug", seconds = 5, hold = true }]

[[routines]]
id = "eggs"
name = "Eggs"
steps = [{ exercise = "egg", reps = 1 }]
"""


def one_session(tmp_path: Path, note: str | None, raw: bool = False) -> tuple[HistoryStore, int]:
    """A finished session of the file's programme; the note set as the app sets it, or
    written straight into the file (`raw`), as a hand edit would."""
    path = tmp_path / "routines.toml"
    path.write_text(ROUTINES, encoding="utf-8")
    book = load_file(path)
    assert book.program is not None
    store = HistoryStore.open(tmp_path / "data")
    clock = FakeClock()
    session = Session(build_plan(book.routines[0]), clock=clock)
    recorder = start_recording(store, session, program_version=book.program.version)
    recorder.record(session, session.start())
    clock.advance(session.plan.timed_seconds + 1)
    recorder.record(session, session.update())
    if raw:
        store.connection.execute(
            "UPDATE sessions SET note = ? WHERE id = ?", (note, recorder.session_id)
        )
    else:
        store.set_note(recorder.session_id, note)
    return store, recorder.session_id


class Host(App[None]):
    CSS_PATH = str(paths.stylesheet_path())
    VERTICAL_BREAKPOINTS = [(0, "-tiny"), (10, "-short"), (20, "-compact"), (24, "-tall")]

    def __init__(self, store: HistoryStore, row: SessionRow) -> None:
        super().__init__()
        self.store, self.row = store, row

    def on_mount(self) -> None:
        self.push_screen(SessionDetailScreen(self.store, self.row))


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_a_markup_looking_note_shows_as_written(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    store, session_id = one_session(tmp_path, "[bold]Easier[/] than [red]Monday")
    row = store.get(session_id)
    assert row is not None
    async with Host(store, row).run_test(size=size) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        note = screen.query_one("#detail-note")
        assert " ".join(text_of(note).split()) == "Your note: [bold]Easier[/] than [red]Monday"
        assert note.region.height > 0 and note.region.bottom <= size[1]
        facts = " ".join(text_of(screen.query_one("#detail-facts")).split())
        assert "programme version 2.1" in facts
    store.close()


async def test_an_escape_in_the_history_is_shown_not_sent(tmp_path: Path) -> None:
    store, session_id = one_session(tmp_path, "red\x1b[31m now\x07", raw=True)
    row = store.get(session_id)
    assert row is not None
    async with Host(store, row).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = text_of(pilot.app.screen.query_one("#detail-note"))
        assert "red\\x1b[31m now\\x07" in shown and "\x1b" not in shown
    store.close()


async def test_no_note_no_line(tmp_path: Path) -> None:
    store, session_id = one_session(tmp_path, None)
    row = store.get(session_id)
    assert row is not None and row.note is None
    async with Host(store, row).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not pilot.app.screen.query("#detail-note")
    store.close()


def test_the_version_is_said_only_when_there_is_one(tmp_path: Path) -> None:
    store, session_id = one_session(tmp_path, None)
    row = store.get(session_id)
    assert row is not None
    assert "programme version 2.1" in session_facts(row)
    assert "programme" not in session_facts(replace(row, program_version=None))
    store.close()
