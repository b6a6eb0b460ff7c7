"""One app process per browser tab, on textual-serve's AppService, with a bounded stop.

textual-serve starts the command through a shell and, when a tab closes, asks the app to
quit and then waits for it with no limit: one hung app would hold a tab slot for ever. Here
the app is started without a shell, in a session of its own, and a stop escalates from the
polite quit to SIGTERM to SIGKILL on the whole process group.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from asyncio.subprocess import Process
from collections.abc import Awaitable, Callable, Sequence

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

STOP_GRACE = 3.0  # seconds for each step of a stop: quit, then SIGTERM, then SIGKILL
FIRST_FRAME_BYTES = 64  # output larger than the start-up's mode switches: a frame is drawn
WEB_ENV = {"BACKTONE_WEB": "1"}  # the app turns off what a browser cannot do (editing, Ctrl+Z)


class Tab(AppService):
    """The app process behind one browser tab."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
        downloads: DownloadManager,
        grace: float = STOP_GRACE,
    ) -> None:
        super().__init__(
            " ".join(argv),
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,
            download_manager=downloads,
        )
        self.argv = list(argv)
        self.grace = grace
        self._focused = False

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def ended(self) -> asyncio.Task[None] | None:
        """The task pumping the app's output; it ends when the app closes its output."""
        return self._task

    async def on_data(self, payload: bytes) -> None:
        await super().on_data(payload)
        # Textual's web driver starts the app blurred, and the page reports focus as the first
        # tap lands; the app then redraws its Footer between that tap's press and release,
        # and the tap is lost. So the app is focused once, as its first frame goes out, and
        # the page's focus and blur are not passed on (see server._read_page).
        if not self._focused and len(payload) > FIRST_FRAME_BYTES:
            self._focused = True
            await self.focus()

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return {**super()._build_environment(width, height), **WEB_ENV}

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            # Its own process group: Ctrl+C on the server reaches the server alone, which then
            # stops every tab in order, and a kill reaches anything the app started.
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Ask the app to quit (it saves and exits as after a dropped SSH line), then insist."""
        task, process = self._task, self._process
        if task is None or process is None:
            return
        self._task = None
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.send_meta({"type": "quit"}), self.grace)
        for number in (signal.SIGTERM, signal.SIGKILL):
            if await _exits_within(process, self.grace):
                break
            _signal_group(process, number)
        await _exits_within(process, self.grace)
        # The output pump ends at end of file; a stray grandchild could hold the pipe open.
        done, _ = await asyncio.wait({task}, timeout=self.grace)
        if not done:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def _exits_within(process: Process, seconds: float) -> bool:
    try:
        await asyncio.wait_for(process.wait(), seconds)
    except TimeoutError:
        return False
    return True


def _signal_group(process: Process, number: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, number)
