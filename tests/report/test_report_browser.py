"""`backtone report` in a real headless Chromium: the page loads without one request outside
the file, its summary reads the history's numbers as the browser lays them out, and printed
to PDF (`chromium --print-to-pdf`, as a person saving it would) 12 weeks fit on two A4 pages.

Skips, saying why, where Chromium or poppler-utils (pdfinfo, pdftotext, pdftoppm) is missing.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from browserhelpers import CHROMIUM_FLAGS, TIMEOUT, DevTools, chromium, find_chromium
from test_report import PERIOD_START, TODAY, History, at, book, report

pytestmark = pytest.mark.browser

A4_POINTS = (595, 842)  # pdfinfo's page size, rounded


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    made = History(tmp_path / "data")
    yield made
    made.close()


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    return path


def print_to_pdf(page: Path, pdf: Path) -> None:
    browser = find_chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    flags = [f for f in CHROMIUM_FLAGS if not f.startswith("--remote-debugging")]
    with tempfile.TemporaryDirectory(prefix="backtone-chromium-") as profile:
        subprocess.run(
            [
                browser,
                *flags,
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                page.as_uri(),
            ],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT * 2,
            check=False,
        )
    assert pdf.exists(), f"Chromium printed no {pdf.name}"


def pdf_pages(pdf: Path) -> tuple[int, tuple[int, int]]:
    info = subprocess.run(
        [poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    width, _, height = fields["Page size"].split()[:3]
    return int(fields["Pages"]), (round(float(width)), round(float(height)))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        [poppler("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def write_page(tmp_path: Path, html: str, name: str = "report.html") -> Path:
    page = tmp_path / name
    page.write_text(html, encoding="utf-8")
    return page


def daily_for_twelve_weeks(history: History, per_day: int = 1) -> int:
    """Every day of the 12 weeks, `per_day` sessions a day, with check-ins, a note or a skip
    now and then and a rise of pain once a week; the sessions practised."""
    count = 0
    day = PERIOD_START
    while day <= TODAY:
        for n in range(per_day):
            offset = (day - PERIOD_START).days
            before = 6 - offset // 20
            history.add(
                at(day, 7 + 7 * n, offset % 60),
                minutes=9.5,
                before=before,
                after=before + (2 if offset % 7 == 3 else -1),
                note="Stiff after a long drive, went gently" if offset % 9 == 4 else None,
                skipped={"Egg": 2} if offset % 11 == 5 else None,
                version="1" if day < date(2026, 4, 20) else "2",
                digest="plan-1" if day < date(2026, 4, 20) else "plan-2",
            )
            count += 1
        day += timedelta(days=1)
    return count


# -- the page in the browser --------------------------------------------------------------------


class Watched:
    """A tab that loads one page and notes every request and console message it makes."""

    def __init__(self, devtools: DevTools) -> None:
        self.devtools = devtools
        self.session: str | None = None
        self.requests: list[str] = []
        self.messages: list[str] = []
        self.loaded = asyncio.Event()
        devtools.listeners.append(self._on_event)

    def _on_event(self, method: str, session: str | None, params: dict[str, Any]) -> None:
        if session != self.session:
            return
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Log.entryAdded":
            self.messages.append(f"{params['entry']['level']}: {params['entry']['text']}")
        elif method == "Runtime.consoleAPICalled":
            self.messages.append(f"console: {params['args']}")
        elif method == "Page.loadEventFired":
            self.loaded.set()

    async def load(self, page: Path) -> None:
        created = await self.devtools.call("Target.createTarget", url="about:blank")
        attached = await self.devtools.call(
            "Target.attachToTarget", targetId=created["targetId"], flatten=True
        )
        self.session = attached["sessionId"]
        for domain in ("Network", "Log", "Runtime", "Page"):
            await self.devtools.call(f"{domain}.enable", self.session)
        await self.devtools.call("Page.navigate", self.session, url=page.as_uri())
        async with asyncio.timeout(TIMEOUT):
            await self.loaded.wait()
        # Images are in by the load event; fonts are asked for as text is laid out, and
        # settle with document.fonts.ready.
        await self.devtools.call(
            "Runtime.evaluate",
            self.session,
            expression="document.fonts.ready.then(() => true)",
            awaitPromise=True,
        )

    async def text_of(self, element_id: str) -> str:
        result = await self.devtools.call(
            "Runtime.evaluate",
            self.session,
            expression=f"document.getElementById('{element_id}').innerText",
            returnByValue=True,
        )
        return " ".join(str(result["result"]["value"]).split())


async def test_the_page_asks_for_nothing_outside_the_file(history: History, tmp_path: Path) -> None:
    daily_for_twelve_weeks(history)
    page = write_page(tmp_path, report(history, book()))
    # The same page with a picture from elsewhere slipped in: the watch must see it asked for
    # (or refused by the page's policy), or it could see nothing at all.
    planted = write_page(
        tmp_path,
        page.read_text().replace("</footer>", '<img src="http://127.0.0.1:9/x.png"></footer>'),
        "planted.html",
    )
    async with chromium() as devtools:
        clean = Watched(devtools)
        await clean.load(page)
        caught = Watched(devtools)
        await caught.load(planted)
    assert clean.requests == [page.as_uri()]
    assert clean.messages == []
    assert caught.requests != [planted.as_uri()] or any(
        "Content Security Policy" in message for message in caught.messages
    ), (caught.requests, caught.messages)


async def test_the_summary_the_browser_shows_is_the_history_s(
    history: History, tmp_path: Path
) -> None:
    empty = write_page(tmp_path, report(None, book()), "empty.html")
    history.add(at(TODAY - timedelta(days=2), 9), minutes=12.4, before=4, after=7, version="2")
    one = write_page(tmp_path, report(history, book()), "one.html")
    history.add(at(PERIOD_START, 8), minutes=10, before=6, after=5, version="1", digest="p1")
    history.add(at(PERIOD_START + timedelta(days=30)), minutes=8, before=5, version="2")
    changed = write_page(tmp_path, report(history, book()), "changed.html")
    async with chromium() as devtools:
        shown = {}
        for page in (empty, one, changed):
            tab = Watched(devtools)
            await tab.load(page)
            shown[page.stem] = {
                name: await tab.text_of(name) for name in ("sessions", "recent", "pain", "rises")
            }
    assert shown["empty"]["sessions"] == "Sessions: 0 (0 a week), 0 min in all (0 min a week)."
    assert shown["empty"]["recent"] == "Days practised in the last 30: 0 of 30."
    assert shown["one"]["sessions"] == "Sessions: 1 (0.1 a week), 12 min in all (1 min a week)."
    assert shown["one"]["recent"] == "Days practised in the last 30: 1 of 30."
    assert "after 1 session (25 May)" in shown["one"]["rises"]
    # 3 sessions, 30.4 min, over the 80 days of the 12 calendar weeks.
    assert shown["changed"]["sessions"] == (
        "Sessions: 3 (0.3 a week), 30 min in all (3 min a week)."
    )
    assert shown["changed"]["recent"] == "Days practised in the last 30: 1 of 30."
    assert shown["changed"]["pain"].startswith(
        "Pain before sessions (median, 0–10): 6 in the first two weeks (1 check-in),"
        " 4 in the last two (1 check-in): 2 points lower (-33 %)"
    )


# -- printed ------------------------------------------------------------------------------------


@pytest.mark.parametrize("per_day", [1, 2])
def test_twelve_weeks_print_on_two_a4_pages(history: History, tmp_path: Path, per_day: int) -> None:
    practised = daily_for_twelve_weeks(history, per_day)
    page = write_page(tmp_path, report(history, book()))
    pdf = tmp_path / "report.pdf"
    print_to_pdf(page, pdf)
    pages, size = pdf_pages(pdf)
    assert size == A4_POINTS
    assert pages <= 2, f"{pages} pages"
    text = pdf_text(pdf)
    assert f"Sessions: {practised} (" in text
    assert "Week of 25 May" in text  # the last week's table made it onto the paper
    assert text.count("Knee") == 0 and text.count("Stiff after a long drive") >= 8
    # To look at: pdftoppm makes a picture a page (kept in tmp_path for a person to open).
    subprocess.run(
        [poppler("pdftoppm"), "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True
    )
    assert len(list(tmp_path.glob("page-*.png"))) == pages


def test_an_empty_history_prints_on_one_page(tmp_path: Path) -> None:
    page = write_page(tmp_path, report(None, book()))
    pdf = tmp_path / "report.pdf"
    print_to_pdf(page, pdf)
    assert pdf_pages(pdf) == (1, A4_POINTS)
    assert "No sessions were recorded from" in pdf_text(pdf)
