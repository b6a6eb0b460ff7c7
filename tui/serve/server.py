"""The web server behind `backtone serve`: our own page, locked, one app process per tab.

textual-serve's `Server` has no authentication, checks no Origin, and writes an absolute
websocket URL into its page, which breaks `ssh -L` on another port and `--host 0.0.0.0`. So
this module serves its own page and websocket on aiohttp, and borrows from textual-serve its
static files (textual.js, xterm.css, fonts) and, through `tabs.Tab`, its process protocol.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import textual_serve
from aiohttp import WSMsgType, web
from aiohttp.typedefs import Handler
from textual_serve.download_manager import DownloadManager

from tui.exit_codes import EXIT_BAD_DATA, EXIT_OK, EXIT_USAGE
from tui.serve.guard import (
    WILDCARDS,
    HostPolicy,
    TokenFileError,
    TokenPathError,
    is_loopback,
    new_token,
    token_from_file,
    tokens_match,
)
from tui.serve.logs import serve_logging
from tui.serve.options import DEFAULT_HOST, DEFAULT_MAX_TABS, DEFAULT_PORT
from tui.serve.tabs import STOP_GRACE, Tab

CLOSE_TAB_LIMIT = 4029  # websocket close code the page turns into its "too many tabs" notice
PAGE_DIR = Path(__file__).parent / "page"
TEXTUAL_SERVE_STATIC = Path(textual_serve.__file__).parent / "static"
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
}
COMMON_HEADERS = {"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}
FORBIDDEN_TEXT = (
    "This page needs the link that <code>backtone serve</code> printed, with its token."
)
FULL_TEXT = (
    "backtone is open in {tabs} already, the most it serves at once. Close one of them; "
    "this page tries again every few seconds."
)


@dataclass(frozen=True)
class ServeConfig:
    host: str
    port: int
    lan: bool
    token: str
    max_tabs: int
    app_argv: tuple[str, ...]
    grace: float = STOP_GRACE


class BacktoneServer:
    """Routes and state: the running tabs and the rules every request must pass."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.policy = HostPolicy.for_bind(config.host, lan=config.lan)
        self.port = config.port  # the bound one, once known (port 0 picks a free one)
        self.tabs: set[Tab] = set()
        self.downloads = DownloadManager()

    @property
    def cookie_name(self) -> str:
        # Browsers share cookies across ports: one name per server keeps two from clashing.
        return f"backtone-token-{self.port}"

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.add_routes(
            [
                web.get("/", self.index),
                web.get("/ws", self.websocket),
                web.static("/static", TEXTUAL_SERVE_STATIC),
                web.static("/backtone", PAGE_DIR),
            ]
        )
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Host first (DNS rebinding), then the token: nothing runs for a request that fails."""
        if not self.policy.allows_host(request.headers.get("Host")):
            return _page(403, "Forbidden", "backtone does not answer to this host name.")
        token = self.config.token
        from_query = tokens_match(request.query.get("token"), token)
        if not (from_query or tokens_match(request.cookies.get(self.cookie_name), token)):
            return _page(403, "Forbidden", FORBIDDEN_TEXT)
        response = await handler(request)
        if not response.prepared:
            response.headers.update(COMMON_HEADERS)
            if from_query and request.cookies.get(self.cookie_name) != token:
                # Strict: never sent along with a request another site's page starts.
                response.set_cookie(
                    self.cookie_name, token, httponly=True, samesite="Strict", path="/"
                )
        return response

    async def index(self, request: web.Request) -> web.StreamResponse:
        if len(self.tabs) >= self.config.max_tabs:
            text = FULL_TEXT.format(tabs=_tabs(len(self.tabs)))
            return _page(429, "Too many tabs", text, refresh=5)
        response = web.FileResponse(PAGE_DIR / "index.html")
        response.headers.update(PAGE_HEADERS)
        return response

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        """One tab: its app process lives exactly as long as this websocket."""
        headers = request.headers
        if not self.policy.allows_origin(headers.get("Origin"), headers.get("Host")):
            return _page(403, "Forbidden", "Only backtone's own page may connect here.")
        ws = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
        await ws.prepare(request)
        if len(self.tabs) >= self.config.max_tabs:
            reason = f"backtone is open in {_tabs(len(self.tabs))} already"
            await ws.close(code=CLOSE_TAB_LIMIT, message=reason.encode())
            return ws

        async def close() -> None:
            await ws.close()

        tab = Tab(
            self.config.app_argv,
            write_bytes=ws.send_bytes,
            write_str=ws.send_str,
            close=close,
            downloads=self.downloads,
            grace=self.config.grace,
        )
        self.tabs.add(tab)
        try:
            await tab.start(_cells(request.query, "width", 80), _cells(request.query, "height", 24))
            await _pump(ws, tab)
        except OSError as error:  # the command itself could not start
            print(f"backtone serve: cannot start {tab.argv[0]}: {error}", file=sys.stderr)
        finally:
            try:
                await tab.stop()
            finally:
                self.tabs.discard(tab)
                await ws.close()
        return ws

    async def close_all(self) -> None:
        await asyncio.gather(*(tab.stop() for tab in list(self.tabs)), return_exceptions=True)


async def _pump(ws: web.WebSocketResponse, tab: Tab) -> None:
    """Carry the page's input to the app until either side goes away."""
    reader = asyncio.create_task(_read_page(ws, tab))
    ended = tab.ended
    waits: set[asyncio.Task[None]] = {reader} if ended is None else {reader, ended}
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    if not reader.done():
        reader.cancel()
    await asyncio.gather(reader, return_exceptions=True)


async def _read_page(ws: web.WebSocketResponse, tab: Tab) -> None:
    """textual.js's messages: JSON arrays of a kind and its data; what is not understood is
    dropped."""
    async for message in ws:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await tab.send_bytes(data.encode("utf-8", "replace"))
        elif kind == "resize" and isinstance(data, dict):
            await tab.set_terminal_size(_cells(data, "width", 80), _cells(data, "height", 24))
        elif kind == "ping" and isinstance(data, str):
            await ws.send_json(["pong", data[:64]])
        # "focus" and "blur" are dropped: see Tab.on_data.


def _tabs(count: int) -> str:
    return f"{count} tab" if count == 1 else f"{count} tabs"


def _cells(source: Mapping[str, object], key: str, default: int) -> int:
    value = source.get(key, default)
    try:
        number = int(value) if isinstance(value, int | str) else default
    except ValueError:
        number = default
    return max(4, min(number, 1000))


def _page(status: int, title: str, html: str, *, refresh: int | None = None) -> web.Response:
    meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    body = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{meta}'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>backtone: {title}</title></head>"
        '<body style="font: 18px/1.5 sans-serif; margin: 0; padding: 3em 1em; '
        'background: #0c181f; color: #eee"><div style="max-width: 36em; margin: auto">'
        f"<h1>{title}</h1><p>{html}</p></div></body></html>"
    )
    response = web.Response(status=status, text=body, content_type="text/html")
    response.headers.update(COMMON_HEADERS)
    response.headers["Cache-Control"] = "no-store"
    return response


# -- running ----------------------------------------------------------------------------------


def usage_problem(host: str, port: int, lan: bool, max_tabs: int) -> str | None:
    if not 0 <= port <= 65535:
        return f"--port {port} is not a port number (0 to 65535)"
    if max_tabs < 1:
        return "--max-tabs must be at least 1"
    if not lan and not is_loopback(host):
        return (
            f"--host {host} is not a loopback address; add --lan to serve backtone on your "
            "network (anyone there who has the link can see your history)"
        )
    return None


def link(host: str, port: int, token: str) -> str:
    """The one URL to open; a wildcard address is named by this machine's host name."""
    name = socket.gethostname() if host in WILDCARDS else host
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"
    return f"http://{name}:{port}/?token={token}"


def serve_main(
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    lan: bool = False,
    token_file: Path | None = None,
    max_tabs: int = DEFAULT_MAX_TABS,
    app_argv: Sequence[str],
) -> int:
    """Serve until Ctrl+C or SIGTERM; an exit code like the rest of the CLI's commands."""
    problem = usage_problem(host, port, lan, max_tabs)
    if problem is not None:
        print(f"backtone serve: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        token = token_from_file(token_file) if token_file is not None else new_token()
    except TokenFileError as error:
        print(f"backtone serve: {error}", file=sys.stderr)
        return EXIT_USAGE if isinstance(error, TokenPathError) else EXIT_BAD_DATA
    config = ServeConfig(host, port, lan, token, max_tabs, tuple(app_argv))
    try:
        with serve_logging(token):
            return asyncio.run(run(config))
    except KeyboardInterrupt:
        return 130


async def run(config: ServeConfig) -> int:
    server = BacktoneServer(config)
    # No access log: the first request's URL holds the token (serve_logging cuts it out of
    # everything else).
    runner = web.AppRunner(server.make_app(), access_log=None, handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, config.host, config.port).start()
    except OSError as error:
        await runner.cleanup()
        where = f"{config.host}:{config.port}"
        print(f"backtone serve: cannot listen on {where}: {error.strerror}", file=sys.stderr)
        return EXIT_BAD_DATA
    server.port = runner.addresses[0][1]
    _announce(config, server.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    try:
        await stop.wait()
    finally:
        await server.close_all()
        await runner.cleanup()
    return EXIT_OK


def _announce(config: ServeConfig, port: int) -> None:
    if not is_loopback(config.host):
        print(
            f"backtone serve: warning: serving on {config.host}, port {port}: anyone on that "
            "network who has the link can use backtone and see your history.",
            file=sys.stderr,
            flush=True,
        )
    print(
        "backtone serve: open this link in a browser (it holds the key to your history):\n"
        f"    {link(config.host, port, config.token)}\n"
        "Press Ctrl+C to stop.",
        flush=True,
    )
