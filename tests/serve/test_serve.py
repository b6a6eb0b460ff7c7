"""`backtone serve` without a browser: the token, Origin and Host checks, the tab limit, the
bounded stop, `--lan` and the token file, through a plain HTTP and websocket client.

The server runs as `backtone serve` (SERVE_COMMAND) or, where a test needs a
stand-in app or short timeouts, in this process. Everything listens on 127.0.0.1, port 0.
The helpers at the top are shared with test_serve_browser.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import io
import logging
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from tui.exit_codes import EXIT_USAGE
from tui.serve.guard import HostPolicy, token_from_file, tokens_match
from tui.serve.logs import ServeLogHandler
from tui.serve.options import APP_LAUNCHER
from tui.serve.server import (
    CLOSE_TAB_LIMIT,
    BacktoneServer,
    ServeConfig,
    _announce,
    serve_main,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
# `backtone serve` on its own, flag for flag, from this checkout.
SERVE_COMMAND = [
    sys.executable,
    "-c",
    "import sys; from tui.cli import main; sys.exit(main())",
    "serve",
]
START_TIMEOUT = 20.0
LINK = re.compile(r"http://(127\.0\.0\.1):(\d+)/\?token=([A-Za-z0-9_-]+)")
# Stand-ins for the app: textual-serve waits for this line before it reads packets.
IDLE_APP = "import sys, time; print('__GANGLION__', flush=True); time.sleep(120)"
STUBBORN_APP = (
    "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print('__GANGLION__', flush=True); sys.stdin.close(); time.sleep(120)"
)


# -- helpers, shared with the browser tests -----------------------------------------------------


@dataclass
class Served:
    """A running server: its process (None when in this process), base URL and token."""

    base: str
    token: str
    process: subprocess.Popen[str] | None = None

    @property
    def link(self) -> str:
        return f"{self.base}/?token={self.token}"

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    @property
    def cookie(self) -> str:
        return f"backtone-token-{self.port}={self.token}"


def serve_env(**extra: str) -> dict[str, str]:
    """This test's environment (its config and data dirs), which every tab inherits."""
    return {**os.environ, **extra}


def backtone_argv(*args: str) -> list[str]:
    """The backtone command line, from this checkout, on this Python."""
    return [sys.executable, "-c", APP_LAUNCHER, *args]


@contextlib.contextmanager
def serve_process(*args: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """`backtone serve --port 0 ARGS`, until its link is printed; stopped afterwards."""
    command = [*SERVE_COMMAND, "--port", "0", *args]
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=env or serve_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        printed = ""
        deadline = time.monotonic() + START_TIMEOUT
        while (found := LINK.search(printed)) is None:
            line = process.stdout.readline()
            assert line and time.monotonic() < deadline, f"no link printed: {printed!r}"
            printed += line
        yield Served(f"http://{found[1]}:{found[2]}", found[3], process)
    finally:
        stop(process)


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.asynccontextmanager
async def serve_here(
    app_argv: Sequence[str], *, max_tabs: int = 4, grace: float = 3.0
) -> AsyncIterator[tuple[Served, BacktoneServer]]:
    """The server in this event loop, for a stand-in app or short timeouts."""
    from aiohttp import web

    config = ServeConfig("127.0.0.1", 0, False, "t" * 43, max_tabs, tuple(app_argv), grace)
    server = BacktoneServer(config)
    runner = web.AppRunner(server.make_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    server.port = runner.addresses[0][1]
    try:
        yield Served(f"http://127.0.0.1:{server.port}", config.token), server
    finally:
        await server.close_all()
        await runner.cleanup()


def children(pid: int) -> list[int]:
    """The live processes `pid` started (Linux /proc), zombies left out."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(n) for n in (task / "children").read_text().split()]
    return [child for child in found if _alive(child)]


def _alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


def wait_until(condition: object, what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not callable(condition) or not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


async def first_output(ws: aiohttp.ClientWebSocketResponse, timeout: float = 20.0) -> bytes:
    """The app's first binary frame: proof that a process runs behind the socket."""
    async with asyncio.timeout(timeout):
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                return bytes(message.data)
    raise AssertionError(f"socket closed without output: {ws.close_code}")


async def refused(url: str, **kwargs: object) -> int:
    """The status a websocket handshake was refused with."""
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as info:
            await session.ws_connect(url, **kwargs)  # type: ignore[arg-type]
    return info.value.status


# -- the token ----------------------------------------------------------------------------------


def test_link_holds_a_fresh_long_token() -> None:
    with serve_process() as one, serve_process() as two:
        assert len(one.token) >= 43  # 32 random bytes
        assert one.token != two.token
        assert one.base.startswith("http://127.0.0.1:")


async def test_only_the_right_token_opens_the_page() -> None:
    with serve_process() as served:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
            for url in [
                served.base + "/",
                served.base + "/?token=wrong",
                served.base + "/?token=é",
            ]:
                async with http.get(url) as response:
                    assert response.status == 403, url
                    assert "set-cookie" not in response.headers
            for path in ["/static/js/textual.js", "/backtone/page.js", "/ws"]:
                async with http.get(served.base + path) as response:
                    assert response.status == 403, path
            async with http.get(served.link) as response:
                assert response.status == 200
                assert 'id="terminal"' in await response.text()
                cookie = response.headers["set-cookie"]
            assert cookie.startswith(served.cookie + ";")
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            async with http.get(served.base + "/", headers={"Cookie": served.cookie}) as response:
                assert response.status == 200
                assert response.headers["Cache-Control"] == "no-store"
                assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
            async with http.get(
                served.base + "/static/js/textual.js", headers={"Cookie": served.cookie}
            ) as response:
                assert response.status == 200
        assert served.process is not None
        assert children(served.process.pid) == []


async def test_websocket_needs_token_origin_and_host(tmp_path: Path) -> None:
    """Only the right token with our own Origin and a known Host gets a running app."""
    argv = ["--data-dir", str(tmp_path / "data")]
    with serve_process(*argv) as served:
        assert served.process is not None
        ws_url = served.base.replace("http:", "ws:") + "/ws?width=80&height=24"
        host = served.base.removeprefix("http://")
        good = {"Cookie": served.cookie}
        assert await refused(ws_url, origin=served.base) == 403  # no token
        wrong = {"Cookie": f"backtone-token-{served.port}=x{served.token[1:]}"}
        assert await refused(ws_url, origin=served.base, headers=wrong) == 403
        assert await refused(ws_url, headers=good) == 403  # no Origin
        assert await refused(ws_url, origin="http://evil.example", headers=good) == 403
        other_port = f"http://127.0.0.1:{served.port + 1}"
        assert await refused(ws_url, origin=other_port, headers=good) == 403
        rebound = {**good, "Host": f"evil.example:{served.port}"}
        evil = f"http://evil.example:{served.port}"
        assert await refused(ws_url, origin=evil, headers=rebound) == 403
        assert await refused(ws_url, origin="null", headers=good) == 403
        assert children(served.process.pid) == []

        async with aiohttp.ClientSession() as http:
            for name in [host, f"localhost:{served.port}"]:
                origin = f"http://{name}"
                async with http.ws_connect(
                    ws_url, origin=origin, headers={**good, "Host": name}
                ) as ws:
                    assert await first_output(ws)
                    assert len(children(served.process.pid)) == 1
                    await ws.close()
                wait_until(lambda: children(served.process.pid) == [], "the app to end")


async def test_a_malformed_key_sequence_leaves_the_tab_answering(tmp_path: Path) -> None:
    """The bytes a tab sends reach Textual's web driver, which parses them as a terminal's
    keys: a sequence that breaks its parser (see tui/ui/input_guard.py) must cost only itself."""
    import pyte

    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.toml").write_text("checkin = false\n")
    with serve_process("--data-dir", str(tmp_path / "data")) as served:
        ws_url = served.base.replace("http:", "ws:") + "/ws?width=80&height=24"
        screen = pyte.Screen(80, 24)
        stream = pyte.ByteStream(screen)

        async def shown(text: str) -> None:
            async with asyncio.timeout(START_TIMEOUT):
                async for message in ws:
                    if message.type == aiohttp.WSMsgType.BINARY:
                        stream.feed(bytes(message.data))
                        if text in "\n".join(screen.display):
                            return
            raise AssertionError(f"the socket closed before {text!r}: {ws.close_code}")

        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(ws_url, origin=served.base, headers={"Cookie": served.cookie}) as ws,
        ):
            await shown("q Quit")
            await ws.send_json(["stdin", "\x1b[999999999999A"])
            await ws.send_json(["stdin", "h"])
            await shown("Streak")  # the History screen: the key after the sequence was heard


def test_host_and_origin_rules() -> None:
    local = HostPolicy.for_bind("127.0.0.1", lan=False)
    for host in ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST:9000", "localhost"]:
        assert local.allows_host(host), host
    for host in ["evil.example:8000", "192.168.1.5:8000", "", None, "[::1", "localhost:x"]:
        assert not local.allows_host(host), host
    assert local.allows_origin("http://localhost:9000", "localhost:9000")  # ssh -L 9000:...
    assert local.allows_origin("http://[::1]:8000", "[::1]:8000")
    assert not local.allows_origin("http://localhost:9000", "localhost:8000")
    assert not local.allows_origin("http://localhost:8000/x", "localhost:8000")
    assert not local.allows_origin("file://", "localhost:8000")
    lan = HostPolicy.for_bind("0.0.0.0", lan=True)
    assert lan.allows_host("192.168.1.5:8000") and lan.allows_host("[fe80::1]:8000")
    assert not lan.allows_host("rebind.evil.example:8000")


def test_tokens_compare_whole() -> None:
    token = "a" * 43
    assert tokens_match(token, token)
    assert not tokens_match(token[:-1], token)
    assert not tokens_match(None, token) and not tokens_match("", token)
    assert not tokens_match("é" * 43, token)


# -- tabs ---------------------------------------------------------------------------------------


async def test_tab_limit_gives_a_clear_page_and_no_process() -> None:
    async with serve_here([sys.executable, "-c", IDLE_APP], max_tabs=2, grace=0.3) as (
        served,
        server,
    ):
        ws_url = served.base.replace("http:", "ws:") + "/ws"
        headers = {"Cookie": served.cookie}
        async with aiohttp.ClientSession() as http:
            one = await http.ws_connect(ws_url, origin=served.base, headers=headers)
            two = await http.ws_connect(ws_url, origin=served.base, headers=headers)
            await _until(lambda: len(server.tabs) == 2 and all(t.pid for t in server.tabs))
            pids = {tab.pid for tab in server.tabs}
            async with http.get(served.link) as response:
                assert response.status == 429
                assert "open in 2 tabs already" in await response.text()
            three = await http.ws_connect(ws_url, origin=served.base, headers=headers)
            message = await three.receive(timeout=10)
            assert message.type == aiohttp.WSMsgType.CLOSE
            assert three.close_code == CLOSE_TAB_LIMIT
            assert "2 tabs" in str(message.extra)
            assert {tab.pid for tab in server.tabs} == pids
            await one.close()
            await _until(lambda: len(server.tabs) == 1)
            async with http.get(served.link) as response:
                assert response.status == 200
            await two.close()


async def test_a_hung_app_is_killed_when_its_tab_closes() -> None:
    argv = [sys.executable, "-c", STUBBORN_APP]
    async with serve_here(argv, grace=0.3) as (served, server):
        ws_url = served.base.replace("http:", "ws:") + "/ws"
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(
                ws_url, origin=served.base, headers={"Cookie": served.cookie}
            )
            await _until(lambda: len(server.tabs) == 1 and all(t.pid for t in server.tabs))
            [pid] = [tab.pid for tab in server.tabs]
            await asyncio.sleep(0.3)  # let it reach its sleep, deaf to quit and SIGTERM
            started = time.monotonic()
            await ws.close()
            await _until(lambda: not server.tabs, timeout=5)
        assert time.monotonic() - started < 3
        assert not _alive(pid)


async def _until(condition: object, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not callable(condition) or not condition():
            await asyncio.sleep(0.02)


# -- --lan and the token file -----------------------------------------------------------------


def test_another_address_needs_lan() -> None:
    result = subprocess.run(
        [*SERVE_COMMAND, "--host", "0.0.0.0"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--lan" in result.stderr and "0.0.0.0" in result.stderr
    assert result.stdout == ""


def test_lan_prints_a_one_line_warning(capsys: pytest.CaptureFixture[str]) -> None:
    # Not bound: the tests listen on loopback only.
    _announce(ServeConfig("0.0.0.0", 8000, True, "t" * 43, 4, ()), 8000)
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "warning" in err and "history" in err
    assert "?token=" + "t" * 43 in out


def test_token_file_is_private_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "token"
    with serve_process("--token-file", str(path)) as first:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_text().strip() == first.token
    with serve_process("--token-file", str(path)) as second:
        assert second.token == first.token
    path.chmod(0o644)
    result = subprocess.run(
        [*SERVE_COMMAND, "--port", "0", "--token-file", str(path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "chmod 600" in result.stderr


def test_token_file_refuses_a_short_token(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("short\n")
    path.chmod(0o600)
    from tui.serve.guard import TokenFileError

    with pytest.raises(TokenFileError, match="usable token"):
        token_from_file(path)


def _unreadable(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A token file this user may not read; root reads anything, so for root, open refuses."""
    path.write_text("t" * 43 + "\n")
    path.chmod(0)
    if os.geteuid() != 0:
        return
    real_open = os.open

    def refusing_open(name: object, flags: int, *args: int) -> int:
        if str(name) == str(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(name, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing_open)


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("directory", "is a directory"),
        ("in a missing directory", "there is no directory"),
        ("unreadable", "Permission denied"),
        ("a FIFO", "not a regular file"),  # opened without O_NONBLOCK, this would hang
        ("a symbolic link", "symbolic link"),
    ],
)
def test_a_token_file_that_cannot_be_one_is_a_usage_error(
    tmp_path: Path,
    case: str,
    said: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "token"
    if case == "directory":
        path.mkdir()
    elif case == "in a missing directory":
        path = tmp_path / "missing" / "token"
    elif case == "unreadable":
        _unreadable(path, monkeypatch)
    elif case == "a FIFO":
        os.mkfifo(path)
    else:
        (tmp_path / "kept").write_text("t" * 43 + "\n")
        path.symlink_to(tmp_path / "kept")
    assert serve_main(port=0, token_file=path, app_argv=[]) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("backtone serve: ") and err.count("\n") == 1, err
    assert str(path) in err and said in err, err
    assert not (tmp_path / "missing").exists()


def test_token_file_a_directory_through_the_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [*SERVE_COMMAND, "--port", "0", "--token-file", str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"backtone serve: {tmp_path} is a directory; give --token-file a file's name, "
        f"such as {tmp_path / 'token'}\n"
    )


# -- the log ------------------------------------------------------------------------------------


def test_a_malformed_request_is_one_line_in_the_log_without_the_token() -> None:
    with serve_process() as served:
        assert served.process is not None and served.process.stderr is not None
        token = served.token.encode()
        host = b"Host: 127.0.0.1\r\n"
        malformed = [
            b"GET /?token=%s&pad=%s HTTP/1.1\r\n%s\r\n" % (token, b"a" * 9000, host),
            b"GET /?token=%s HTTP/1.1\r\n%sX-Big: %s\r\n\r\n" % (token, host, b"b" * 9000),
            b"NOT\x00HTTP /?token=%s\r\n\r\n" % token,
            b"GET /?token=%s HTTP/1.1\r\n%sContent-Length: x\r\n\r\n" % (token, host),
        ]
        for request in malformed:
            with socket.create_connection(("127.0.0.1", served.port), timeout=10) as connection:
                connection.sendall(request)
                assert connection.recv(64).startswith(b"HTTP/1.0 400 "), request[:40]
        stop(served.process)
        log = served.process.stderr.read()
    assert served.token not in log
    assert "Traceback" not in log
    lines = log.splitlines()
    assert len(lines) == len(malformed), log
    for line in lines:
        assert line.startswith("backtone serve: refused a request from 127.0.0.1: "), line
    assert "too long" in lines[0] and "too long" in lines[1] and "not HTTP" in lines[2]


def test_any_other_log_record_keeps_its_traceback_but_not_the_token() -> None:
    token = "s" * 43
    stream = io.StringIO()
    handler = ServeLogHandler(token, stream)
    try:
        raise RuntimeError(f"while serving /?token={token[:30]}")
    except RuntimeError:
        record = logging.LogRecord(
            "aiohttp.server", logging.ERROR, __file__, 1, "failed for %s", (token,), sys.exc_info()
        )
    handler.handle(record)
    written = stream.getvalue()
    assert written.startswith("backtone serve: failed for <token>\nTraceback")
    assert "RuntimeError: while serving /?token=<token>" in written
    assert token[:20] not in written
    quiet = logging.LogRecord("asyncio", logging.DEBUG, __file__, 1, "idle", (), None)
    handler.handle(quiet)
    assert stream.getvalue() == written  # below a warning, and no client at fault: dropped
