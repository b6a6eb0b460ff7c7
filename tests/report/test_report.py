"""`backtone report`: the HTML page, its figures against the history they were made from, the
command's options and where it writes. The page in a real browser, printed to PDF, is in
test_report_browser.py; the figures alone in test_adherence.py.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.loader import load_file, load_text
from tui.core.model import Exercise, RoutineBook
from tui.report import build_report, report_file_name
from tui.report.command import report_command
from tui.store.database import DB_NAME, MIGRATIONS
from tui.store.rows import HistoryUnavailable
from tui.store.sessions import HistoryStore

ZONE = timezone(timedelta(hours=1))
TODAY = date(2026, 5, 27)  # a Wednesday
NOW = datetime(2026, 5, 27, 18, 30, tzinfo=ZONE)
PERIOD_START = date(2026, 3, 9)  # the Monday 11 weeks before today's

SESSION_SQL = (
    "INSERT INTO sessions (routine_id, routine_name, routine_digest, routines_file, started_at,"
    " day, ended_at, status, planned_seconds, active_seconds, paused_seconds, segments_done,"
    " segments_total, current_segment, updated_at, pain_before, pain_after, levels,"
    " full_steps, program_version, note)"
    " VALUES (?, ?, ?, '', ?, ?, ?, ?, 600, ?, 0, ?, ?, 0, ?, ?, ?, ?, '[]', ?, ?)"
)
SEGMENT_SQL = (
    "INSERT INTO segments (session_id, segment_index, kind, label, exercise, position, outcome,"
    " active_seconds, ended_at) VALUES (?, ?, 'work', 'Hold', ?, '', ?, 5, ?)"
)

ROUTINES = """\
schema = 3

[program]
title = "Back programme after the March visit"
by = "A. Physio, Riverside clinic"
version = "2"
issued = 2026-03-02
review = 2026-07-15
note = "Daily if you can."

[exercises.egg]
name = "Egg"
phases = [{ name = "Hug", seconds = 8, hold = true }, { name = "Let go", seconds = 4 }]

[exercises.cat]
name = "Cat"
phases = [{ name = "Arch", seconds = 5 }, { name = "Sag", seconds = 5 }]

[[routines]]
id = "daily-back"
name = "Daily back care"
per_week = 5
caution = "Stop if the pain grows."
steps = [{ exercise = "cat", reps = 12 }, { exercise = "egg", reps = 10, hold = 8 }]
"""


def book(text: str = ROUTINES) -> RoutineBook:
    return load_text(text, "routines.toml")


class History:
    """A history made by HistoryStore itself (schema, migrations), its rows written in SQL so
    that a test sets every column: the day, the pain, the version, the note, what was skipped."""

    def __init__(self, data_dir: Path) -> None:
        self.store = HistoryStore.open(data_dir)
        self.connection = self.store.connection

    def add(
        self,
        started: datetime,
        *,
        routine: str = "daily-back",
        name: str = "Daily back care",
        digest: str = "plan-a",
        status: str = "completed",
        minutes: float = 10.0,
        done: int = 40,
        total: int = 40,
        before: int | None = None,
        after: int | None = None,
        version: str | None = "2",
        note: str | None = None,
        levels: Mapping[int, float] | None = None,
        skipped: Mapping[str, int] | None = None,
    ) -> int:
        stamp = started.isoformat(timespec="seconds")
        cursor = self.connection.execute(
            SESSION_SQL,
            (
                routine,
                name,
                digest,
                stamp,
                started.date().isoformat(),
                stamp,
                status,
                minutes * 60,
                done,
                total,
                stamp,
                before,
                after,
                None if levels is None else json.dumps({str(k): v for k, v in levels.items()}),
                version,
                note,
            ),
        )
        session_id = cursor.lastrowid
        assert session_id is not None
        index = 0
        for exercise, count in (skipped or {}).items():
            for _ in range(count):
                self.connection.execute(
                    SEGMENT_SQL, (session_id, index, exercise, "skipped", stamp)
                )
                index += 1
        self.connection.execute(SEGMENT_SQL, (session_id, index, "Cat", "done", stamp))
        return session_id

    def close(self) -> None:
        self.store.close()


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    made = History(tmp_path / "data")
    yield made
    made.close()


def at(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def report(history: History | None, routines: RoutineBook | None = None, **options: object) -> str:
    connection = history.connection if history is not None else None
    return build_report(connection, routines, now=NOW, **options)  # type: ignore[arg-type]


BLOCKS = {"p", "li", "td", "th", "tr", "caption", "h1", "h2", "h3", "section", "title"}


class Page(HTMLParser):
    """The page's text (the stylesheet left out), the text of each element with an id, and
    every tag with its attributes, to check what it holds."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []
        self.texts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in BLOCKS:
            self.texts.append(" ")
        if tag not in ("meta", "br", "circle", "line", "rect", "path"):
            element_id = attributes.get("id")
            self._open.append((tag, element_id))
            if element_id:
                self.text_by_id[element_id] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.texts.append(" ")
        while self._open:
            name, _ = self._open.pop()
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if any(tag == "style" for tag, _ in self._open):
            return
        self.texts.append(data)
        for _, element_id in self._open:
            if element_id:
                self.text_by_id[element_id] += data

    def text(self) -> str:
        return " ".join("".join(self.texts).split())

    def summary(self, element_id: str) -> str:
        return " ".join(self.text_by_id[element_id].split())


def shown(value: float) -> str:
    """A figure as the report writes it: one decimal at most, none when it is whole."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


# -- the summary against the history ------------------------------------------------------------


def twelve_weeks(history: History) -> dict[str, object]:
    """A programme followed for 12 weeks ending today, its figures worked out by hand."""
    start = PERIOD_START
    practised = 0
    seconds = 0.0
    days: set[date] = set()
    first_pains, last_pains = [], []
    day = start
    n = 0
    while day <= TODAY:
        if day.weekday() not in (2, 6):  # five days a week
            before = 6 if day < start + timedelta(days=14) else 3
            before += n % 2
            after = before - 1
            history.add(at(day, 7, 30), minutes=9.5, before=before, after=after)
            practised += 1
            seconds += 9.5 * 60
            if day >= TODAY - timedelta(days=29):
                days.add(day)
            if day < start + timedelta(days=14):
                first_pains.append(before)
            if day > TODAY - timedelta(days=14):
                last_pains.append(before)
            n += 1
        day += timedelta(days=1)
    return {
        "practised": practised,
        "minutes": seconds / 60,
        "days": len(days),
        "first": first_pains,
        "last": last_pains,
    }


def test_the_summary_gives_the_history_s_numbers(history: History) -> None:
    made = twelve_weeks(history)
    page = Page(report(history, book()))
    weeks = (TODAY - PERIOD_START).days + 1
    practised = made["practised"]
    assert isinstance(practised, int)
    per_week = practised / weeks * 7
    assert page.summary("period") == (
        "Period: Mon 9 Mar 2026 to Wed 27 May 2026 (12 calendar weeks, 80 days)."
    )
    sessions = page.summary("sessions")
    assert sessions.startswith(f"Sessions: {practised} ({shown(per_week)} a week)")
    assert f"{round(practised * 9.5)} min in all" in sessions
    assert f"({round(practised * 9.5 / weeks * 7)} min a week)" in sessions
    assert page.summary("recent") == f"Days practised in the last 30: {made['days']} of 30."
    adherence = re.search(
        r"Daily back care: ([\d.]+) sessions a week of 5 prescribed \((\d+) %", page.text()
    )
    assert adherence is not None
    assert adherence[1] == shown(per_week)
    assert int(adherence[2]) == round(per_week / 5 * 100)
    first, last = made["first"], made["last"]
    assert isinstance(first, list) and isinstance(last, list)
    import statistics

    median_first = statistics.median(first)
    median_last = statistics.median(last)
    pain = page.summary("pain")
    assert f"{median_first:g} in the first two weeks ({len(first)} check-ins)" in pain
    assert f"{median_last:g} in the last two ({len(last)} check-ins)" in pain
    change = median_last - median_first
    assert f"{abs(change):g} points lower ({change / median_first * 100:.0f} %)" in pain
    assert "at or past the usual mark for a change that matters" in pain
    assert "a change of 2 points, or of 30 %, is usually taken" in page.text()
    assert "The routine's caution: “Stop if the pain grows.”" in page.text()
    assert page.summary("rises") == "Pain rises: no session ended 2 points or more up."


def test_an_empty_history_is_a_report_of_nothing(tmp_path: Path) -> None:
    page = Page(report(None, book()))
    assert page.summary("sessions") == "Sessions: 0 (0 a week), 0 min in all (0 min a week)."
    assert page.summary("recent") == "Days practised in the last 30: 0 of 30."
    assert "no sessions recorded yet" in page.summary("period")
    assert "Daily back care: 0 sessions a week of 5 prescribed (0 %" in page.text()
    assert "not enough check-ins to compare" in page.summary("pain")
    assert "No sessions were recorded from Mon 9 Mar 2026 to Wed 27 May 2026." in page.text()
    assert not any(tag == "table" and attrs.get("class") == "week" for tag, attrs in page.tags)


def test_a_history_file_with_no_session_reads_as_empty(history: History) -> None:
    page = Page(report(history, book()))
    assert page.summary("sessions").startswith("Sessions: 0 (0 a week)")


def test_one_session(history: History) -> None:
    history.add(at(TODAY - timedelta(days=3), 9, 5), minutes=12.4, before=4, after=7)
    page = Page(report(history, book()))
    assert page.summary("sessions") == "Sessions: 1 (0.1 a week), 12 min in all (1 min a week)."
    assert page.summary("recent") == "Days practised in the last 30: 1 of 30."
    assert page.summary("rises") == (
        "Pain rises: pain rose by 2 points or more after 1 session (24 May); marked ▲ in the"
        " chart and the table."
    )
    assert "the history starts on Sun 24 May 2026" in page.summary("period")
    assert "not enough check-ins to compare the first two weeks (0) with the last two (1)" in (
        page.summary("pain")
    )
    assert "4→7 ▲ +3" in page.text()


def test_a_session_without_a_finished_segment_is_listed_but_not_counted(
    history: History,
) -> None:
    history.add(at(TODAY), status="stopped", done=0, minutes=0.2, before=8)
    page = Page(report(history, book()))
    assert page.summary("sessions").startswith("Sessions: 0 ")
    assert "stopped at 0 %" in page.text()


# -- the programme and its versions -------------------------------------------------------------


def test_versions_with_the_day_each_started_and_a_hand_edit(history: History) -> None:
    history.add(at(date(2025, 12, 1)), version="1", digest="plan-1")  # before the period
    history.add(at(date(2026, 3, 10)), version="1", digest="plan-1")
    history.add(at(date(2026, 4, 6)), version="2", digest="plan-2")
    history.add(at(date(2026, 4, 20)), version="2", digest="plan-2b")  # edited, still "2"
    # A progression level that rose changes the plan too: that is no hand edit.
    history.add(at(date(2026, 5, 4)), version="2", digest="plan-2c", levels={1: 9})
    page = Page(report(history, book()))
    text = page.text()
    assert "Version First played Sessions in the period" in text
    assert "1 Mon 1 Dec 2025 1" in text
    assert "2 (the file's now) Mon 6 Apr 2026 3" in text
    assert (
        "Changed without a new version: Daily back care (version 2) from Mon 20 Apr 2026." in text
    )
    assert "version 2 starts" in text
    assert text.count("routine changed") == 1


def test_the_programme_from_the_routine_file(history: History) -> None:
    history.add(at(TODAY))
    text = Page(report(history, book())).text()
    assert (
        "Back programme after the March visit, by A. Physio, Riverside clinic, version 2,"
        " issued Mon 2 Mar 2026, review Wed 15 Jul 2026"
    ) in text
    assert "Daily back care (5 a week): Cat 12 reps; Egg 10 reps, hold 8 s" in text


def test_a_routine_file_that_cannot_be_read_leaves_the_programme_out(history: History) -> None:
    history.add(at(TODAY))
    text = Page(report(history, None)).text()
    assert "Against the dose: the routine file could not be read." in text
    assert "The routine file could not be read." in text


def test_adherence_counts_from_the_day_the_programme_was_issued(history: History) -> None:
    issued_late = ROUTINES.replace("issued = 2026-03-02", "issued = 2026-05-18")
    for offset in range(10):
        history.add(at(TODAY - timedelta(days=offset)))
    text = Page(report(history, book(issued_late))).text()
    # 10 days from 18 May to 27 May, 10 sessions: 7 a week.
    assert "Daily back care: 7 sessions a week of 5 prescribed (140 %; 10 in all, since the" in text


# -- the table of sessions ----------------------------------------------------------------------


def test_the_table_shows_what_was_skipped_and_the_note(history: History) -> None:
    history.add(
        at(TODAY, 7, 45),
        status="stopped",
        done=20,
        total=40,
        skipped={"Egg": 2, "Cat": 1},
        note="Knee sore, stopped early",
        before=3,
        after=3,
    )
    text = Page(report(history, book())).text()
    assert (
        "27 May 07:45 10 3→3 version 2 starts; stopped at 50 %; skipped Egg ×2, Cat;"
        " Knee sore, stopped early"
    ) in text


def test_a_routine_column_only_when_more_than_one_routine_was_played(history: History) -> None:
    history.add(at(TODAY))
    assert ">Routine</th>" not in report(history, book())
    history.add(at(TODAY, 19), routine="gentle", name="Gentle start")
    assert ">Routine</th>" in report(history, book())


# -- text is text -------------------------------------------------------------------------------


def test_text_from_the_file_and_the_history_is_escaped(history: History) -> None:
    hostile = '<script>alert(1)</script>"onload="x'
    history.add(
        at(TODAY),
        name=hostile,
        routine="evil",
        note="</td><img src=http://example.com/x>",
        skipped={"<b>Egg</b>": 1},
        version="<i>3</i>",
        before=1,
        after=5,
    )
    routines = ROUTINES.replace(
        'title = "Back programme after the March visit"', 'title = "<style>*{}</style>"'
    ).replace('name = "Daily back care"', 'name = "<script>x</script>"')
    html = report(history, book(routines))
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>Egg" not in html and "<i>3" not in html
    assert html.count("<style>") == 1  # the page's own
    page = Page(html)
    assert hostile in page.text()
    assert "</td><img src=http://example.com/x>" in page.text()
    assert "<script>x</script> (5 a week)" in page.text()


def test_control_characters_from_an_old_history_are_shown_not_sent(history: History) -> None:
    history.add(at(TODAY), name="Egg\x1b[31m\x00")
    history.add(at(TODAY, 9), routine="other", name="Other")
    html = report(history, book())
    assert "\x1b" not in html and "\x00" not in html
    assert "Egg\\x1b[31m\\x00" in Page(html).text()


def test_the_page_fetches_nothing(history: History) -> None:
    twelve_weeks(history)
    html = report(history, book())
    page = Page(html)
    assert (
        "meta",
        {
            "http-equiv": "Content-Security-Policy",
            "content": "default-src 'none'; style-src 'unsafe-inline'",
        },
    ) in page.tags
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed", "image", "use")
        for name in ("src", "href", "xlink:href", "srcset", "action"):
            assert name not in attrs, (tag, attrs)
    assert "url(" not in html and "@import" not in html


def test_the_pose_hook_puts_one_figure_beside_each_exercise(history: History) -> None:
    history.add(at(TODAY))
    seen: list[list[str]] = []

    def figures(exercises: list[Exercise]) -> list[str]:
        seen.append([exercise.id for exercise in exercises])
        return [f'<svg class="pose-{e.id}" viewBox="0 0 10 10"></svg>' for e in exercises]

    html = build_report(history.connection, book(), now=NOW, pose_figures=figures)
    assert seen == [["cat", "egg"]]
    assert '<svg class="pose-cat"' in html and '<svg class="pose-egg"' in html


# -- the period ---------------------------------------------------------------------------------


def test_weeks_and_since_choose_the_period(history: History) -> None:
    history.add(at(date(2026, 1, 5)))
    history.add(at(TODAY))
    assert Page(report(history, book())).summary("sessions").startswith("Sessions: 1 ")
    longer = Page(report(history, book(), weeks=21))
    assert longer.summary("period").startswith("Period: Mon 5 Jan 2026 to Wed 27 May 2026")
    assert longer.summary("sessions").startswith("Sessions: 2 ")
    since = Page(report(history, book(), since=date(2026, 5, 20)))
    assert since.summary("period").startswith("Period: Wed 20 May 2026 to Wed 27 May 2026 (8 days)")
    assert "too short to compare" in since.summary("pain")


def test_a_history_from_before_versions_and_notes_reads(tmp_path: Path) -> None:
    """A schema 3 file (no program_version, no note), read as it is."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    for migration in MIGRATIONS[:3]:
        connection.executescript(migration)
    connection.execute(
        "INSERT INTO sessions (routine_id, routine_name, routine_digest, started_at, day,"
        " status, planned_seconds, active_seconds, segments_done, segments_total, updated_at,"
        " pain_before) VALUES ('daily-back', 'Daily back care', 'a', ?, ?, 'completed', 60,"
        " 600, 5, 5, ?, 4)",
        (at(TODAY).isoformat(), TODAY.isoformat(), at(TODAY).isoformat()),
    )
    page = Page(build_report(connection, book(), now=NOW))
    assert page.summary("sessions").startswith("Sessions: 1 ")
    assert "No programme version is recorded with these sessions." in page.text()


def test_the_reader_reports_a_history_it_cannot_read(history: History) -> None:
    history.connection.execute("ALTER TABLE sessions RENAME TO gone")
    with pytest.raises(HistoryUnavailable, match="cannot read the history"):
        report(history, book())


# -- the command --------------------------------------------------------------------------------


@pytest.fixture
def command_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    routines = tmp_path / "routines.toml"
    routines.write_text(ROUTINES)
    monkeypatch.setenv("BACKTONE_ROUTINES", str(routines))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_command_writes_the_default_file_and_never_replaces_one(
    command_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = date.today()
    assert main(["report"]) == 0
    first = command_env / report_file_name(today)
    assert capsys.readouterr().out == f"{first}\n"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    first.write_text("kept")
    assert main(["report"]) == 0
    second = command_env / f"backtone-report-{today.isoformat()}-2.html"
    assert capsys.readouterr().out == f"{second}\n"
    assert first.read_text() == "kept"
    assert second.read_text().startswith("<!DOCTYPE html>")


def test_the_command_replaces_a_file_it_is_told_to_write(
    command_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = command_env / "for-the-physio.html"
    target.write_text("old")
    assert main(["report", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"{target}\n"
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in command_env.iterdir() if p.name.startswith(".backtone")] == []
    folder = command_env / "reports"
    folder.mkdir()
    assert main(["report", "-o", str(folder)]) == 0
    assert capsys.readouterr().out == f"{folder / report_file_name(date.today())}\n"


def test_the_command_writes_to_standard_output(
    command_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "-o", "-", "--weeks", "4"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert not list(command_env.glob("backtone-report-*"))


def test_the_command_only_reads_the_history(
    command_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = command_env / "data"
    assert main(["report", "-o", "-"]) == 0  # no history yet: none is made
    assert not data.exists()
    made = History(data)
    made.add(at(date.today()))
    made.close()
    history_file = (data / DB_NAME).read_bytes()
    others = {p.name for p in data.iterdir()} - {DB_NAME}
    assert main(["report", "-o", "-"]) == 0
    assert Page(capsys.readouterr().out).summary("sessions").startswith("Sessions: 1 ")
    assert (data / DB_NAME).read_bytes() == history_file
    # A read-only WAL reader may leave SQLite's empty -wal and its -shm index; nothing else.
    added = {p.name for p in data.iterdir()} - {DB_NAME} - others
    assert added <= {f"{DB_NAME}-wal", f"{DB_NAME}-shm"}
    assert not (data / f"{DB_NAME}-wal").exists() or not (data / f"{DB_NAME}-wal").stat().st_size


def exit_code(argv: list[str]) -> int | str | None:
    try:
        return main(argv)
    except SystemExit as exit:  # argparse's own refusals
        return exit.code


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "--weeks", "0"], "not a positive whole number: '0'"),
        (["report", "--weeks", "521"], "--weeks 521: at most 520"),
        (["report", "--since", "2026-13-01"], "not a date: '2026-13-01'"),
        (["report", "--since", "2999-01-01"], "--since 2999-01-01 is after today"),
        (["report", "--weeks", "4", "--since", "2026-01-01"], "not allowed with argument"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(
    command_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert exit_code(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not list(command_env.glob("backtone-report-*"))


def test_a_foreign_database_is_one_line_and_exit_1(
    command_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = command_env / "data"
    data.mkdir()
    foreign = sqlite3.connect(data / DB_NAME)
    foreign.execute("CREATE TABLE recipes (name TEXT)")
    foreign.commit()
    foreign.close()
    assert main(["report"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("backtone: ") and err.count("\n") == 1
    assert "is not a backtone history" in err


def test_a_bad_routine_file_is_a_warning_and_the_report_is_written(
    command_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = command_env / "bad.toml"
    bad.write_text("schema = 3\n[[routines]]\nid = 1\n")
    assert main(["report", "--routines", str(bad), "-o", "-"]) == 0
    captured = capsys.readouterr()
    assert "the report leaves out the programme and its doses" in captured.err
    assert captured.err.count("\n") == 1
    assert "The routine file could not be read." in Page(captured.out).text()


def test_a_report_that_cannot_be_written_is_one_line_and_exit_1(
    command_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "-o", str(command_env / "missing" / "r.html")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("backtone: cannot write the report to ") and err.count("\n") == 1


def test_report_command_takes_its_clock(
    command_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    args = argparse.Namespace(data_dir=None, routines=None, weeks=12, since=None, output=None)
    assert report_command(args, now=NOW) == 0
    assert capsys.readouterr().out.strip().endswith("backtone-report-2026-05-27.html")
    assert os.path.exists(command_env / "backtone-report-2026-05-27.html")


def test_the_report_draws_each_exercise_in_its_positions(tmp_path: Path) -> None:
    """The figures the session shows beside the clock, as inline SVG: one a posed phase."""
    from tui.paths import bundled_routines_path
    from tui.report.command import report_html

    bundled = load_file(bundled_routines_path())
    html = report_html(tmp_path / "history.db", bundled, now=NOW)
    posed = [p for e in bundled.exercises.values() for p in e.phases if p.pose]
    assert len(posed) == 6
    assert html.count('<figure class="pose">') == 3  # cat, egg, chair
    assert html.count("<svg") >= len(posed)
    for phase in posed:
        assert phase.name in html
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
