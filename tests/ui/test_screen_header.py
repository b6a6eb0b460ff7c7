"""The header's title through a screen change: Textual's Header looked its title widget up a
moment after a title changed, and a screen replaced in that moment ended the app (NoMatches:
'HeaderTitle'), as a burst of keys at a check-in did."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Header
from textual.widgets._header import HeaderTitle

from tui.ui.widgets.screen_header import ScreenHeader


class TitledApp(App[None]):
    def __init__(self, header: type[Header]) -> None:
        super().__init__()
        self.header = header

    def compose(self) -> ComposeResult:
        yield self.header()


async def title_after_its_widget_is_gone(header: type[Header]) -> None:
    app = TitledApp(header)
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.query_one(HeaderTitle).remove()
        app.screen.title = "A new title"
        app.title = "Another"
        await pilot.pause()


async def test_a_title_set_while_the_header_is_taken_down_is_no_error() -> None:
    await title_after_its_widget_is_gone(ScreenHeader)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
async def test_textual_header_fails_there_which_is_why_ours_exists() -> None:
    """If this stops failing, Textual has fixed its Header and ScreenHeader can go."""
    with pytest.raises(Exception, match="HeaderTitle"):
        await title_after_its_widget_is_gone(Header)


async def test_the_title_follows_the_screen_and_the_app() -> None:
    app = TitledApp(ScreenHeader)
    async with app.run_test() as pilot:
        app.title = "backtone"
        await pilot.pause()
        assert "backtone" in str(app.query_one(HeaderTitle).render())
        app.screen.title = "Daily back care"
        await pilot.pause()
        assert "Daily back care" in str(app.query_one(HeaderTitle).render())
