"""The figures of a report for the physiotherapist, worked out from the sessions of a period.

Pure (the stdlib and the core alone): the store streams the rows (tui/store/report_rows.py)
and the report draws them (tui/report/). Everything is counted as the History screen counts
it: a session counts once it has a finished segment, and its minutes are its active time; a
pain check-in counts whatever happened after it (the person's answer is a fact about their
back).

One pass over the rows, oldest first: the rows of the period are kept (the chart and the table
show each of them), everything else is added up as it goes by.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from tui.core.legacy_digest import is_legacy_digest

PAIN_RISE = 2  # points of pain after above before: the summary's and the notice's "rise"
# The 0-10 scale's usual mark for a change that matters to the person (in points, or per cent
# of where they started).
MATTERS_POINTS = 2.0
MATTERS_PERCENT = 30.0
COMPARED_DAYS = 14  # the first two weeks of the period against the last two
RECENT_DAYS = 30  # "days practised in the last 30"


# -- what the store hands over ------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSession:
    """One session as the report reads it."""

    id: int
    routine_id: str
    routine_name: str
    routine_digest: str
    started_at: datetime
    day: date  # the local day it started on, as stored
    status: str
    active_seconds: float
    segments_done: int
    segments_total: int
    pain_before: int | None = None
    pain_after: int | None = None
    levels: str | None = None  # the progression levels played, as stored: compared, not read
    program_version: str | None = None
    note: str | None = None
    skipped: tuple[tuple[str, int], ...] = ()  # (exercise, work segments skipped), in order

    @property
    def practised(self) -> bool:
        return self.segments_done > 0

    @property
    def pain_change(self) -> int | None:
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before

    @property
    def pain_rose(self) -> bool:
        change = self.pain_change
        return change is not None and change >= PAIN_RISE


@dataclass(frozen=True)
class PlayedAs:
    """What a routine was last played as: a new digest with the same version and the same
    progression levels means the file was edited by hand without a new version."""

    digest: str
    levels: str | None
    version: str | None

    def edited_into(self, later: PlayedAs) -> bool:
        """Whether `later` plays an edit of this plan made without a new version.

        Only digests computed the same way are compared: one an older backtone wrote
        (legacy_digest) differs from today's for the same plan, and an empty one (a session
        imported from an export that did not carry it) says nothing about the plan."""
        return (
            self.digest != later.digest
            and bool(self.digest)
            and bool(later.digest)
            and is_legacy_digest(self.digest) == is_legacy_digest(later.digest)
            and self.version == later.version
            and self.levels == later.levels
        )


@dataclass(frozen=True)
class Prescription:
    """A routine's prescribed dose: `per_week` sessions a week."""

    routine_id: str
    routine_name: str
    per_week: int


# -- the period ---------------------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Period:
    """The days a report covers, both ends included; the last is today."""

    start: date
    end: date

    @classmethod
    def last_weeks(cls, today: date, weeks: int) -> Period:
        """The `weeks` calendar weeks (Monday to Sunday) ending with today's."""
        if weeks < 1:
            raise ValueError(f"a report covers at least one week, not {weeks}")
        return cls(monday_of(today) - timedelta(weeks=weeks - 1), today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def weeks(self) -> float:
        return self.days / 7

    def week_starts(self) -> list[date]:
        """The Mondays of every week the period touches, oldest first."""
        first = monday_of(self.start)
        return [first + timedelta(weeks=n) for n in range((self.end - first).days // 7 + 1)]

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end

    def recent_start(self) -> date:
        return self.end - timedelta(days=RECENT_DAYS - 1)

    def read_from(self) -> date:
        """The first day whose sessions the report reads: the period's, or 30 days back for
        "days practised in the last 30" when the period is shorter."""
        return min(self.start, self.recent_start())


# -- the figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekFigures:
    week_start: date  # a Monday; the week may reach outside the period, its figures do not
    sessions: int
    minutes: float
    median_before: float | None
    median_after: float | None
    pain_rises: int


@dataclass(frozen=True)
class PainChange:
    """Median pain before sessions in the first two weeks of the period and in the last two."""

    first: float | None
    last: float | None
    first_count: int  # check-ins the medians are taken over
    last_count: int
    comparable: bool  # the period is long enough for two windows that do not overlap

    @property
    def points(self) -> float | None:
        if not self.comparable or self.first is None or self.last is None:
            return None
        return self.last - self.first

    @property
    def percent(self) -> float | None:
        points = self.points
        if points is None or not self.first:
            return None
        assert self.first is not None
        return points / self.first * 100

    @property
    def matters(self) -> bool:
        """At or past the scale's usual mark for a change that matters (either way)."""
        points, percent = self.points, self.percent
        if points is None:
            return False
        return abs(points) >= MATTERS_POINTS or (
            percent is not None and abs(percent) >= MATTERS_PERCENT
        )


@dataclass(frozen=True)
class Adherence:
    prescription: Prescription
    sessions: int  # practised sessions of the routine since `from_day`
    from_day: date
    days: int

    @property
    def per_week(self) -> float:
        return self.sessions / self.days * 7 if self.days else 0.0

    @property
    def percent(self) -> float:
        return self.per_week / self.prescription.per_week * 100


@dataclass(frozen=True)
class ProgrammeVersion:
    version: str
    first_played: date  # the day it was first played, in the whole history
    sessions: int  # sessions of the period played at it


@dataclass(frozen=True)
class HandEdit:
    """A routine played with a new plan but the same programme version and progression."""

    session: ReportSession
    version: str | None


@dataclass(frozen=True)
class ReportFigures:
    period: Period
    sessions: tuple[ReportSession, ...]  # every session of the period, oldest first
    practised: int
    minutes: float
    days_practised_recent: int  # distinct days with practice in the last 30
    pain_change: PainChange
    weeks: tuple[WeekFigures, ...]
    pain_rises: tuple[ReportSession, ...]
    sessions_by_day: Mapping[date, int]  # practised sessions a day, in the period
    adherence: tuple[Adherence, ...]
    versions: tuple[ProgrammeVersion, ...]  # those played in the period, the oldest first
    hand_edits: tuple[HandEdit, ...]
    routines: tuple[tuple[str, int], ...] = field(default=())  # names played, with counts

    @property
    def sessions_per_week(self) -> float:
        return self.practised / self.period.weeks

    @property
    def minutes_per_week(self) -> float:
        return self.minutes / self.period.weeks


def _median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


class _Week:
    __slots__ = ("after", "before", "minutes", "rises", "sessions")

    def __init__(self) -> None:
        self.sessions = 0
        self.minutes = 0.0
        self.before: list[int] = []
        self.after: list[int] = []
        self.rises = 0


def summarize(
    sessions: Iterable[ReportSession],
    period: Period,
    prescriptions: Sequence[Prescription] = (),
    *,
    issued: date | None = None,
    played_before: Mapping[str, PlayedAs] | None = None,
    versions_first_played: Mapping[str, date] | None = None,
) -> ReportFigures:
    """Every figure of the report, in one pass over `sessions` (oldest first).

    Rows outside the period are read only for the days practised in the last 30. Adherence is
    measured from the programme's `issued` day when that falls inside the period. What each
    routine was last played as before the period (`played_before`) and the day each programme
    version played in the period was first played (`versions_first_played`, perhaps before the
    period) come from the history before it.
    """
    kept: list[ReportSession] = []
    recent_days: set[date] = set()
    by_day: dict[date, int] = {}
    weeks: dict[date, _Week] = {}
    first_pains: list[int] = []
    last_pains: list[int] = []
    first_until = period.start + timedelta(days=COMPARED_DAYS - 1)
    last_from = period.end - timedelta(days=COMPARED_DAYS - 1)
    dose_from = issued if issued is not None and period.holds(issued) else period.start
    dosed = {p.routine_id: 0 for p in prescriptions}
    played: dict[str, PlayedAs] = dict(played_before or {})
    edits: list[HandEdit] = []
    version_days: dict[str, date] = dict(versions_first_played or {})
    version_counts: dict[str, int] = {}
    routine_counts: dict[str, int] = {}
    practised = 0
    seconds = 0.0
    for row in sessions:
        if row.practised and period.recent_start() <= row.day <= period.end:
            recent_days.add(row.day)
        if not period.holds(row.day):
            continue
        kept.append(row)
        week = weeks.setdefault(monday_of(row.day), _Week())
        routine_counts[row.routine_name] = routine_counts.get(row.routine_name, 0) + 1
        if row.practised:
            practised += 1
            seconds += row.active_seconds
            week.sessions += 1
            week.minutes += row.active_seconds / 60
            by_day[row.day] = by_day.get(row.day, 0) + 1
            if row.routine_id in dosed and row.day >= dose_from:
                dosed[row.routine_id] += 1
        if row.pain_before is not None:
            week.before.append(row.pain_before)
            if row.day <= first_until:
                first_pains.append(row.pain_before)
            if row.day >= last_from:
                last_pains.append(row.pain_before)
        if row.pain_after is not None:
            week.after.append(row.pain_after)
        week.rises += row.pain_rose
        if row.program_version is not None:
            version_days.setdefault(row.program_version, row.day)
            version_counts[row.program_version] = version_counts.get(row.program_version, 0) + 1
        now = PlayedAs(row.routine_digest, row.levels, row.program_version)
        before = played.get(row.routine_id)
        if before is not None and before.edited_into(now):
            edits.append(HandEdit(row, row.program_version))
        if now.digest:  # an unknown plan leaves the last one known to compare with
            played[row.routine_id] = now

    comparable = period.days >= 2 * COMPARED_DAYS
    change = PainChange(
        _median(first_pains),
        _median(last_pains),
        len(first_pains),
        len(last_pains),
        comparable,
    )
    week_figures = []
    for monday in period.week_starts():
        week = weeks.get(monday, _Week())
        week_figures.append(
            WeekFigures(
                monday,
                week.sessions,
                week.minutes,
                _median(week.before),
                _median(week.after),
                week.rises,
            )
        )
    dose_days = (period.end - dose_from).days + 1
    adherence = tuple(
        Adherence(p, dosed[p.routine_id], dose_from, dose_days) for p in prescriptions
    )
    versions = tuple(
        sorted(
            (
                ProgrammeVersion(version, version_days[version], count)
                for version, count in version_counts.items()
            ),
            key=lambda entry: (entry.first_played, entry.version),
        )
    )
    return ReportFigures(
        period=period,
        sessions=tuple(kept),
        practised=practised,
        minutes=seconds / 60,
        days_practised_recent=len(recent_days),
        pain_change=change,
        weeks=tuple(week_figures),
        pain_rises=tuple(row for row in kept if row.pain_rose),
        sessions_by_day=by_day,
        adherence=adherence,
        versions=versions,
        hand_edits=tuple(edits),
        routines=tuple(sorted(routine_counts.items(), key=lambda item: -item[1])),
    )
