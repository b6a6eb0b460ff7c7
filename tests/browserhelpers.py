"""Headless Chromium driven through the DevTools protocol, for `backtone serve`'s browser
tests and bench/browser.py.

The page's terminal object is out of reach of the page's JavaScript, so what the app draws is
read from the websocket frames Chromium reports (`Network.webSocketFrameReceived`), fed to
pyte. A script injected before the page loads records every `speechSynthesis.speak` call and
every tone started. The DevTools client is a plain websocket (aiohttp) over loopback.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pyte
import pytest

TIMEOUT = 30.0  # a page load, an app start, or a short routine, on a busy two-core machine
HUMAN_PAUSE = 0.1  # seconds between the steps of a click
BROWSERS = ["/usr/lib/chromium/chromium", "chromium", "chromium-browser", "google-chrome"]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--mute-audio",
    "--window-size=1100,700",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
]
# Before any page script: record what the page asks the browser to say or play.
RECORDER = """
window.__cues = [];
SpeechSynthesis.prototype.speak = function (utterance) {
  window.__cues.push(["speak", utterance.text]);
};
const start = AudioScheduledSourceNode.prototype.start;
OscillatorNode.prototype.start = function (...args) {
  window.__cues.push(["tone", null]);
  return start.apply(this, args);
};
"""


def find_chromium() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path is not None:
            return path
    return None


# -- the DevTools protocol ----------------------------------------------------------------------


class DevTools:
    """One DevTools connection: calls by id, events to listeners, sessions flattened."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.listeners: list[Callable[[str, str | None, dict[str, Any]], None]] = []
        self.reader = asyncio.create_task(self._read())

    async def call(self, method: str, session: str | None = None, **params: Any) -> Any:
        number = next(self.ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        future = self.waiting[number] = asyncio.get_running_loop().create_future()
        await self.ws.send_str(json.dumps(message))
        async with asyncio.timeout(TIMEOUT):
            reply = await future
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data:
                future = self.waiting.pop(data["id"], None)
                if future is not None and not future.done():
                    future.set_result(data)
                continue
            for listener in self.listeners:
                listener(data["method"], data.get("sessionId"), data.get("params", {}))


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[DevTools]:
    browser = find_chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="backtone-chromium-") as profile:
        log_path = Path(profile) / "stderr.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}/data", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        try:
            endpoint = await _devtools_endpoint(log_path, process)
            async with (
                aiohttp.ClientSession() as http,
                http.ws_connect(endpoint, max_msg_size=0) as ws,
            ):
                devtools = DevTools(ws)
                yield devtools
                devtools.reader.cancel()
        finally:
            os.killpg(process.pid, 9)
            process.wait()


async def _devtools_endpoint(log: Path, process: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        found = re.search(r"DevTools listening on (ws://127\.0\.0\.1:\d+/\S+)", log.read_text())
        if found:
            return found[1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"Chromium did not start: {log.read_text()[-2000:]}")


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


class Tab:
    """A browser tab and the terminal it shows, rebuilt from the app's websocket frames."""

    def __init__(self, devtools: DevTools, target: str, session: str) -> None:
        self.devtools, self.target, self.session = devtools, target, session
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.received = bytearray()  # everything the app wrote, in order
        self.socket_closed: asyncio.Event = asyncio.Event()
        self.first_frame_at: float | None = None
        self.sent: list[tuple[float, Any]] = []
        devtools.listeners.append(self._on_event)

    @classmethod
    async def open(cls, devtools: DevTools, url: str, phone: tuple[int, int] | None = None) -> Tab:
        """A new tab at `url`; `phone` (width, height in CSS px) makes it a phone's screen,
        with touch, as Chromium's device mode does."""
        created = await devtools.call("Target.createTarget", url="about:blank")
        attached = await devtools.call(
            "Target.attachToTarget", targetId=created["targetId"], flatten=True
        )
        tab = cls(devtools, created["targetId"], attached["sessionId"])
        await tab.call("Network.enable")
        await tab.call("Page.enable")
        if phone is not None:
            width, height = phone
            await tab.call(
                "Emulation.setDeviceMetricsOverride",
                width=width,
                height=height,
                deviceScaleFactor=2,
                mobile=True,
            )
            await tab.call("Emulation.setTouchEmulationEnabled", enabled=True, maxTouchPoints=5)
        await tab.call("Page.addScriptToEvaluateOnNewDocument", source=RECORDER)
        await tab.call("Page.navigate", url=url)
        return tab

    async def call(self, method: str, **params: Any) -> Any:
        return await self.devtools.call(method, self.session, **params)

    def _on_event(self, method: str, session: str | None, params: dict[str, Any]) -> None:
        if session != self.session:
            return
        if method == "Network.webSocketCreated":
            self.screen.reset()  # a reload: the new app draws from scratch
            size = parse_qs(urlsplit(params["url"]).query)
            self.screen.resize(int(size["height"][0]), int(size["width"][0]))
        elif method == "Network.webSocketFrameReceived" and params["response"]["opcode"] == 2:
            data = base64.b64decode(params["response"]["payloadData"])
            self.received += data
            self.stream.feed(data)
            self.first_frame_at = self.first_frame_at or time.monotonic()
        elif method == "Network.webSocketFrameSent":
            message = json.loads(params["response"]["payloadData"])
            self.sent.append((time.monotonic(), message))
            if message[0] == "resize":
                self.screen.resize(message[1]["height"], message[1]["width"])
        elif method == "Network.webSocketClosed":
            self.socket_closed.set()

    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, text: str, timeout: float = TIMEOUT) -> str:
        return await self.wait_until(lambda shown: text in shown, repr(text), timeout)

    async def wait_until(
        self, test: Callable[[str], bool], what: str, timeout: float = TIMEOUT
    ) -> str:
        deadline = time.monotonic() + timeout
        while not test(shown := self.text()):
            assert time.monotonic() < deadline, (
                f"no {what} on screen ({len(self.received)} bytes, {self.sent}):\n{shown}"
            )
            await asyncio.sleep(0.05)
        return shown

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def click_at(self, x: float, y: float) -> None:
        """A click at a person's pace, the press and the release apart. A tab in the
        background takes its input seconds late: it comes to the front first."""
        await self.call("Page.bringToFront")
        await self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        for kind in ["mousePressed", "mouseReleased"]:
            await asyncio.sleep(HUMAN_PAUSE)
            await self.call(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )

    async def click_text(self, text: str, on_row_with: str | None = None) -> None:
        """Click the middle of `text` where the terminal shows it (on the first row that also
        shows `on_row_with`, if given)."""
        row, column = next(
            (number, line.index(text))
            for number, line in enumerate(self.screen.display)
            if text in line and (on_row_with is None or on_row_with in line)
        )
        left, top, width, height = await self.evaluate(
            "(() => { const r = document.querySelector('.xterm-screen')"
            ".getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()"
        )
        cell_w, cell_h = width / self.screen.columns, height / self.screen.lines
        await self.click_at(left + (column + len(text) / 2) * cell_w, top + (row + 0.5) * cell_h)

    async def click_element(self, selector: str) -> None:
        box = await self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        await self.click_at(*box)

    async def press(self, key: str) -> None:
        """A key typed into the terminal: a printable character, or "Enter"."""
        text = "\r" if key == "Enter" else key
        code = 13 if key == "Enter" else ord(key.upper())
        for kind in ["keyDown", "keyUp"]:
            await self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                text=text if kind == "keyDown" else "",
                windowsVirtualKeyCode=code,
            )

    async def box(self, selector: str) -> Box:
        """Where the page shows `selector`, in CSS px."""
        left, top, width, height = await self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()"
        )
        return Box(left, top, width, height)

    async def screenshot(self, path: Path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))

    async def focus_terminal(self) -> None:
        await self.evaluate("document.querySelector('.xterm-helper-textarea').focus()")

    async def cues(self) -> list[tuple[str, str | None]]:
        return [tuple(cue) for cue in await self.evaluate("window.__cues")]

    async def close(self) -> None:
        await self.devtools.call("Target.closeTarget", targetId=self.target)
        self.devtools.listeners.remove(self._on_event)


def scan_cues(data: bytes) -> tuple[int, list[str]]:
    """The bells and notification texts in a terminal stream, as the page should find them."""
    without_strings = re.sub(rb"\x1b[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)", b"", data)
    bells = without_strings.count(b"\x07")
    texts = [
        match.decode()
        for match in re.findall(rb"\x1b\]9;([^\x07\x1b]*)(?:\x07|\x1b\\)", data)
        if not re.match(rb"\d+(;|$)", match)
    ]
    return bells, texts
