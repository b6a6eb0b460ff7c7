"""The History screen's "Is it helping?" sentence: over the last 12 weeks, the median pain
before sessions in the first week with check-ins and in the latest, and the sessions a week.

It is the trend chart's text twin (tui/ui/widgets/trend_chart.py), shown where the chart has no
room: on a narrow or short terminal, and while the history is empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual.widgets import Static

from tui.store.rows import WeekTrend

NEEDS = (
    "Is it helping? Answer the check-in before your sessions in two different weeks, "
    "and your back pain shows here beside your practice."
)


def short_date(day: date) -> str:
    return f"{day.day} {day:%b}"


def number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def pain_weeks(weeks: Sequence[WeekTrend]) -> list[WeekTrend]:
    return [week for week in weeks if week.median_pain_before is not None]


def sessions_a_week(weeks: Sequence[WeekTrend]) -> float:
    """Sessions a week since the first week with one (a new user's empty weeks before they
    began are not counted against them)."""
    active = [n for n, week in enumerate(weeks) if week.sessions]
    if not active:
        return 0.0
    counted = weeks[active[0] :]
    return sum(week.sessions for week in counted) / len(counted)


def trend_sentence(weeks: Sequence[WeekTrend]) -> str:
    """The panel in one sentence: "Pain before sessions: median 5 in the week of 2 Nov,
    3 this week; 4 sessions a week." """
    answered = pain_weeks(weeks)
    if len(answered) < 2:
        return NEEDS
    first, last = answered[0], answered[-1]
    assert first.median_pain_before is not None and last.median_pain_before is not None
    now = (
        "this week"
        if weeks and last.week_start == weeks[-1].week_start
        else f"in the week of {short_date(last.week_start)}"
    )
    rate = round(sessions_a_week(weeks))
    return (
        f"Pain before sessions: median {number(first.median_pain_before)} in the week of "
        f"{short_date(first.week_start)}, {number(last.median_pain_before)} {now}; "
        f"{rate} session{'' if rate == 1 else 's'} a week."
    )


class TrendPanel(Static):
    """ "Is it helping?" in one sentence."""

    DEFAULT_CSS = """
    TrendPanel { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    def show(self, weeks: Sequence[WeekTrend]) -> None:
        sentence = Text("Is it helping? ", style="bold")
        sentence.append(trend_sentence(weeks).removeprefix("Is it helping? "))
        self.update(sentence)
