"""Browser first frame beside terminal first frame: `backtone serve` in headless Chromium, and
backtone in a pseudo-terminal, in the same run.

Run it from the project:  python bench/browser.py [--runs N]      (about 30 s)
It prints figures; it never fails on a timing (the machine may be busy).

Browser: one server (`backtone serve`) and
one Chromium serve every run. A run opens a new tab, and the clock runs from asking the tab to
load the token link until the app's frames, read from the websocket through the DevTools
protocol and fed to pyte, show the Routines screen: the routine name "Daily back care" and the
Footer's keys. That covers the page and textual.js loading, the websocket opening, the app
process starting, and its first full frame crossing the socket. The time to the websocket
opening is shown apart. The tab is then closed, which ends its app.

Terminal: the same backtone command line in an 80x24 pseudo-terminal, until the same markers
show (bench/_pty.py). The page is sized to about 80x24 cells too. Runs alternate between the
two, after one unmeasured warm-up of each; the figures are medians with their spread.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from _pty import PtyApp, child_env, median, sandbox, spread  # noqa: E402
from browserhelpers import DevTools, Tab, chromium, find_chromium  # noqa: E402
from test_serve import serve_process  # noqa: E402

from tui.serve.options import APP_LAUNCHER  # noqa: E402

RUNS = 5
ROWS, COLS = 24, 80
MARKERS = ("Daily back care", "Filter", "Quit")  # the routine, and keys the Footer fills in
PAGE_SIZE = (724, 516)  # CSS pixels: about 80x24 cells of xterm.js at its 16 px font
FRAME_TIMEOUT = 60.0


def terminal_first_frame(root: Path, tag: str) -> float:
    argv = [sys.executable, "-c", APP_LAUNCHER]
    with PtyApp(argv, child_env(root, tag), ROWS, COLS) as app:
        drawn = app.wait_until(
            lambda shown: all(marker in shown for marker in MARKERS),
            "the Routines screen in the terminal",
            FRAME_TIMEOUT,
        )
        return drawn - app.started


async def browser_first_frame(devtools: DevTools, link: str) -> tuple[float, float, str]:
    """(seconds to the Routines screen, seconds to the websocket, the terminal's size)."""
    tab = await Tab.open(devtools, "about:blank")
    width, height = PAGE_SIZE
    await tab.call(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=height,
        deviceScaleFactor=1,
        mobile=False,
    )
    socket_at: list[float] = []
    devtools.listeners.append(
        lambda method, session, _params: (
            socket_at.append(time.perf_counter())
            if method == "Network.webSocketCreated" and session == tab.session
            else None
        )
    )
    started = time.perf_counter()
    await tab.call("Page.navigate", url=link)
    await tab.wait_until(
        lambda shown: all(marker in shown for marker in MARKERS),
        "the Routines screen in the browser",
        FRAME_TIMEOUT,
    )
    drawn = time.perf_counter()
    size = f"{tab.screen.columns}x{tab.screen.lines}"
    await tab.close()
    return drawn - started, socket_at[0] - started, size


async def measure(runs: int) -> None:
    with sandbox() as root:
        server_env = {**os.environ, **child_env(root, "server")}
        data = root / "server" / "data"
        with serve_process("--data-dir", str(data), env=server_env) as served:
            async with chromium() as devtools:
                await browser_first_frame(devtools, served.link)  # warm-up
                terminal_first_frame(root, "warm")
                browser: list[float] = []
                socket: list[float] = []
                terminal: list[float] = []
                size = ""
                for number in range(runs):
                    order = ["browser", "terminal"] if number % 2 == 0 else ["terminal", "browser"]
                    for which in order:
                        if which == "terminal":
                            terminal.append(terminal_first_frame(root, f"run{number}"))
                            continue
                        frame, opened, size = await browser_first_frame(devtools, served.link)
                        browser.append(frame)
                        socket.append(opened)
    report(browser, socket, terminal, size)


def report(browser: list[float], socket: list[float], terminal: list[float], size: str) -> None:
    ms = 1000.0
    rows = [
        (f"terminal (pty, {COLS}x{ROWS})", terminal),
        (f"browser (Chromium, {size})", browser),
        ("  of which page to websocket", socket),
    ]
    print(f"backtone first frame, browser beside terminal ({len(browser)} runs, medians)")
    print(f"  Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
    for label, values in rows:
        print(f"  {label:<32} {median(values) * ms:6.0f} ms   ({spread(values, ms, ' ms')})")
    print(f"  {'browser / terminal':<32} {median(browser) / median(terminal):6.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=RUNS, help=f"rounds (default {RUNS})")
    args = parser.parse_args()
    if find_chromium() is None:
        print("bench: Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    asyncio.run(measure(max(1, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
