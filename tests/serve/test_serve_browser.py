"""`backtone serve` in a real headless Chromium, driven through the DevTools protocol
(browserhelpers.py): the page, the app in it by mouse alone, the history it records, tones
for bells and speech for notifications.

The only skip: no Chromium installed (`.ci/run` installs Debian's).
"""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browserhelpers import TIMEOUT, Box, Tab, chromium, scan_cues
from test_serve import backtone_argv, children, serve_env, serve_here, serve_process

pytestmark = pytest.mark.browser


# -- the tests ----------------------------------------------------------------------------------

# A stand-in app whose cues are known exactly, independent of backtone's own notifications.
CUE_APP = r"""
from textual.app import App, ComposeResult
from textual.widgets import Static


class Cues(App[None]):
    BINDINGS = [("c", "cues", "Cues")]

    def compose(self) -> ComposeResult:
        yield Static("cue app ready", id="state")

    def action_cues(self) -> None:
        write = self._driver.write
        write("\x07")  # bell 1
        write("\x1b]22;pointer\x07")  # a pointer shape: its BEL is no bell
        write("\x1b]9;Egg. Hug your knees. Hold 8 seconds.\x1b\\")
        write("\x1b]9;4;1;50\x1b\\")  # a progress report: not spoken
        write("\x1b]9;Rest for ")  # one notification split across two frames
        write("ten seconds.\x1b\\\x07")  # ... and bell 2
        write("\x1b]777;notify;Well done;Routine complete\x1b\\")
        self.bell()  # bell 3
        self.query_one("#state", Static).update("cues sent")


Cues().run()
"""
CHECK_IN = "How is your back"
PAIN_SCALE = "0  1  2  3"  # the check-in's row of numbers to click
SPOKEN = [
    "Egg. Hug your knees. Hold 8 seconds.",
    "Rest for ten seconds.",
    "Well done. Routine complete",
]

ROUTINES = """\
schema = 1

[defaults]
prepare = 1
rest = 1
rest_between_reps = 0

[exercises.egg]
name = "Egg"
setup = "Lie on your back on the mat."
phases = [
  {{ name = "Hug knees", seconds = {hold}, hold = true }},
  {{ name = "Release", seconds = 1 }},
]

[[routines]]
id = "short"
name = "Short test"
description = "A few seconds."
steps = [{{ exercise = "egg", reps = 2 }}]
"""


async def until(check: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := await check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)
    return result


def history(data: Path) -> list[dict[str, Any]]:
    argv = backtone_argv("history", "--format", "json", "--data-dir", str(data))
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=serve_env())
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


@pytest.fixture
def routines(tmp_path: Path) -> Callable[[float], Path]:
    def write(hold: float) -> Path:
        path = tmp_path / f"routines-{hold}.toml"
        path.write_text(ROUTINES.format(hold=hold))
        return path

    return write


async def test_bells_sound_and_notifications_speak(tmp_path: Path) -> None:
    app = tmp_path / "cue_app.py"
    app.write_text(CUE_APP)
    async with serve_here([sys.executable, str(app)]) as (served, _), chromium() as devtools:
        tab = await Tab.open(devtools, served.link)
        await tab.wait_for("cue app ready")
        assert await tab.evaluate("location.search") == ""  # the token left the address bar
        wake_lock = "document.documentElement.dataset.wakeLock"
        assert await until(lambda: tab.evaluate(wake_lock), "the wake lock") == "held"
        await tab.call("Runtime.evaluate", expression="document.activeElement.blur()")
        await tab.focus_terminal()
        await tab.press("c")  # sound is off: nothing plays, the button asks for a tap
        await tab.wait_for("cues sent")
        await until(
            lambda: tab.evaluate("document.querySelector('#sound.nudge') !== null"), "nudge"
        )
        assert await tab.cues() == []

        await tab.click_element("#sound")
        assert await until(tab.cues, "the tone that confirms") == [("tone", None)]
        assert await tab.evaluate("localStorage.getItem('backtone.sound')") == "on"
        await tab.press("c")
        cues = await until(lambda: _spoken(tab, 3), "three notifications spoken")
        assert [text for kind, text in cues if kind == "speak"] == SPOKEN
        assert sum(kind == "tone" for kind, _ in cues) == 1 + 3
        assert scan_cues(bytes(tab.received)) == (6, SPOKEN[:2] * 2)

        # Reloaded, the choice is remembered; the first key press is the gesture sound needs.
        await tab.call("Page.reload")
        await tab.wait_for("cue app ready")
        assert await tab.evaluate("document.querySelector('#sound').textContent") == "Sound on"
        await tab.focus_terminal()
        await tab.press("c")
        cues = await until(lambda: _spoken(tab, 3), "three notifications spoken after reload")
        assert [text for kind, text in cues if kind == "speak"] == SPOKEN
        assert sum(kind == "tone" for kind, _ in cues) == 3
        assert await tab.evaluate("document.querySelector('#sound').textContent") == "Mute"


TOUCH_TARGET = 44  # CSS px: the smallest target a finger hits reliably (WCAG 2.5.5, Apple)


@pytest.mark.parametrize(("width", "height"), [(844, 390), (390, 844)])
async def test_on_a_phone_the_sound_button_is_a_touch_target_that_covers_nothing(
    tmp_path: Path, width: int, height: int
) -> None:
    """The button has its own strip (beside the terminal when the phone lies on its side,
    above it upright), and the terminal, and so the app's size, is what is left."""
    app = tmp_path / "cue_app.py"
    app.write_text(CUE_APP)
    async with serve_here([sys.executable, str(app)]) as (served, _), chromium() as devtools:
        tab = await Tab.open(devtools, served.link, phone=(width, height))
        await tab.wait_for("cue app ready")
        page = Box(0, 0, width, height)
        for label in ["Sound on", "Mute"]:
            assert await tab.evaluate("document.querySelector('#sound').textContent") == label
            button, screen = await tab.box("#sound"), await tab.box(".xterm-screen")
            await tab.screenshot(tmp_path / f"phone-{width}x{height}-{label}.png")
            assert button.width >= TOUCH_TARGET and button.height >= TOUCH_TARGET, button
            assert not button.overlaps(screen), (button, screen)
            for box in (button, screen):
                assert page.left <= box.left and box.right <= page.right, box
                assert page.top <= box.top and box.bottom <= page.bottom, box
            assert button.right == width and button.top == 0  # the top right, as the README says
            # The terminal takes the rest: less than a cell of it is left unused.
            cell_width = screen.width / tab.screen.columns
            cell_height = screen.height / tab.screen.lines
            if width > height:
                assert screen.right <= button.left
                assert button.left - screen.right < cell_width
                assert height - screen.bottom < cell_height
            else:
                assert button.bottom <= screen.top
                assert width - screen.right < cell_width
                assert height - screen.bottom < cell_height
            await tab.click_element("#sound")


async def _spoken(tab: Tab, count: int) -> list[tuple[str, str | None]] | None:
    cues = await tab.cues()
    return cues if sum(kind == "speak" for kind, _ in cues) >= count else None


async def test_a_routine_plays_in_the_page_and_is_recorded(
    tmp_path: Path, routines: Callable[[float], Path]
) -> None:
    """By mouse alone: Sound on, Start, the check-ins before and after, and what it says."""
    data = tmp_path / "data"
    with serve_process("--routines", str(routines(1)), "--data-dir", str(data)) as served:
        async with chromium() as devtools:
            tab = await Tab.open(devtools, served.link)
            await tab.wait_for("Start")  # the Routines screen, its Footer keys drawn
            await tab.click_element("#sound")
            await tab.click_text("Start")  # at once: the first tap must not be lost
            await tab.wait_for(CHECK_IN)
            await tab.click_text("3", on_row_with=PAIN_SCALE)
            await tab.click_text("Confirm")
            await tab.wait_for("Rep 1/2")  # the session screen
            await tab.wait_for("routine complete")
            await tab.wait_for(PAIN_SCALE)  # the check-in after the session
            await tab.click_text("Skip")
            await tab.wait_until(lambda shown: PAIN_SCALE not in shown, "the check-in gone")
            shot = await tab.call("Page.captureScreenshot", format="png")
            (tmp_path / "page.png").write_bytes(base64.b64decode(shot["data"]))
            bells, texts = scan_cues(bytes(tab.received))
            assert bells >= 5 and texts, "the app rang no bell or wrote no notification"
            cues = await until(lambda: _heard(tab, bells, texts), "a tone for every bell")
            assert [text for kind, text in cues if kind == "speak"] == texts
            assert sum(kind == "tone" for kind, _ in cues) == 1 + bells
            await tab.click_text("Quit")  # the app ends: the page says so
            await asyncio.wait_for(tab.socket_closed.wait(), TIMEOUT)
            notice = "document.getElementById('notice')"
            await until(lambda: tab.evaluate(f"!{notice}.hidden"), "the closed notice")
            assert "has closed" in await tab.evaluate(f"{notice}.textContent")
    [row] = history(data)
    assert row["routine_id"] == "short" and row["status"] == "completed"
    assert row["pain_before"] == 3


async def _heard(tab: Tab, bells: int, texts: list[str]) -> list[tuple[str, str | None]] | None:
    cues = await tab.cues()
    tones = sum(kind == "tone" for kind, _ in cues)
    spoken = sum(kind == "speak" for kind, _ in cues)
    return cues if tones >= 1 + bells and spoken >= len(texts) else None


async def start_in(tab: Tab) -> None:
    """Tap Start in a tab, and again if the session has not begun after a few seconds. This
    test is about two apps recorded side by side; that a single tap is enough is the test of
    the routine played by mouse above. A tab sent to the back between the press and the
    release of a tap (as this test does with two tabs) can lose that tap in Chromium."""
    await tab.click_text("Start")
    try:
        await tab.wait_until(lambda shown: "Rep " in shown or "complete" in shown, "a session", 4)
    except AssertionError:
        await tab.click_text("Start")


async def test_two_tabs_run_two_apps_and_both_are_recorded(
    tmp_path: Path, routines: Callable[[float], Path]
) -> None:
    data = tmp_path / "data"
    argv = ["--routines", str(routines(1)), "--data-dir", str(data), "--no-checkin"]
    with serve_process(*argv) as served:
        assert served.process is not None
        async with chromium() as devtools:
            tabs = [await Tab.open(devtools, served.link) for _ in range(2)]
            for tab in tabs:
                await tab.wait_for("Start")
            assert len(children(served.process.pid)) == 2
            for tab in tabs:
                await start_in(tab)
            for tab in tabs:
                await tab.wait_for("routine complete")
    rows = history(data)
    assert len(rows) == 2 and len({row["id"] for row in rows}) == 2
    assert {row["status"] for row in rows} == {"completed"}


async def test_closing_a_tab_ends_its_app_and_the_session_stays_resumable(
    tmp_path: Path, routines: Callable[[float], Path]
) -> None:
    data = tmp_path / "data"
    argv = ["--routines", str(routines(60)), "--data-dir", str(data), "--no-checkin"]
    with serve_process(*argv) as served:
        assert served.process is not None
        async with chromium() as devtools:
            tab = await Tab.open(devtools, served.link)
            await tab.wait_for("Start")
            await tab.click_text("Start")
            await tab.wait_for("Rep 1/2")  # the session screen
            [app] = children(served.process.pid)
            await tab.close()
            await until(_gone(app), "the app to end with its tab", timeout=15)
            [row] = history(data)
            assert row["status"] == "active"  # left as after a dropped SSH line

            again = await Tab.open(devtools, served.link)
            shown = await again.wait_for("An unfinished session")
            assert "Short test" in shown and "Resume" in shown


def _gone(pid: int) -> Callable[[], Any]:
    async def check() -> bool:
        return not Path(f"/proc/{pid}").exists() or "Z" in _state(pid)

    return check


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
