"""The business calendar and the statutory deadline rules (민원 처리에 관한 법률 시행령).

Pure functions over aware datetimes; the organisation's temporary holidays come in as
plain dates. Rules:

1. periods of 5 days or less are counted in working hours from the receipt time,
   1 day = 8 working hours; 즉시 (immediate) = 3 working hours; ``Nh`` = N working hours;
2. periods of 6 days or more are counted in working days, the receipt day included, and
   end at the close of the last one;
3. periods in weeks follow the calendar, the first day included; a last day on a
   Saturday, Sunday or public holiday moves to the next working day;
4. Saturdays, Sundays, statutory holidays (incl. lunar and substitute holidays) and
   temporary holidays do not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

SEOUL = ZoneInfo("Asia/Seoul")
HOURS_PER_DAY = 8  # the law's working day, whatever the office hours
IMMEDIATE_HOURS = 3
_MAX_DAYS = 5 * 366  # a guard: no statutory period runs past five years


class PeriodError(ValueError):
    """A period that is not ``immediate``, ``Nh``, ``Nd`` or ``Nw``."""


@dataclass(frozen=True)
class Period:
    kind: str  # "immediate" | "hours" | "days" | "weeks"
    amount: int = 0

    _PATTERN = re.compile(r"^(?:(immediate)|(\d{1,4})([hdw]))$")
    _KINDS = {"h": "hours", "d": "days", "w": "weeks"}

    @classmethod
    def parse(cls, text: str) -> Period:
        match = cls._PATTERN.match((text or "").strip().lower())
        if not match:
            raise PeriodError(text)
        if match.group(1):
            return cls("immediate")
        amount = int(match.group(2))
        if amount < 1:
            raise PeriodError(text)
        return cls(cls._KINDS[match.group(3)], amount)

    def __str__(self) -> str:
        if self.kind == "immediate":
            return "immediate"
        return f"{self.amount}{self.kind[0]}"

    @property
    def counted_in_hours(self) -> bool:
        return self.kind in {"immediate", "hours"} or (self.kind == "days" and self.amount <= 5)

    @property
    def working_hours(self) -> int:
        if self.kind == "immediate":
            return IMMEDIATE_HOURS
        if self.kind == "hours":
            return self.amount
        return self.amount * HOURS_PER_DAY


@dataclass(frozen=True)
class WorkingHours:
    start: time = time(9)
    lunch_start: time = time(12)
    lunch_end: time = time(13)
    end: time = time(18)

    def __post_init__(self):
        if not (self.start <= self.lunch_start <= self.lunch_end <= self.end):
            raise ValueError("working hours must run start <= lunch start <= lunch end <= end")
        if self.start == self.end:
            raise ValueError("a working day needs some hours")

    def segments(self) -> list[tuple[time, time]]:
        parts = [(self.start, self.lunch_start), (self.lunch_end, self.end)]
        return [(a, b) for a, b in parts if a < b]


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.KR(years=year, language="ko"))


class BusinessCalendar:
    def __init__(
        self,
        extra_holidays: Iterable[date] = (),
        hours: WorkingHours | None = None,
        tz: ZoneInfo = SEOUL,
    ):
        self.extra_holidays = frozenset(extra_holidays)
        self.hours = hours or WorkingHours()
        self.tz = tz

    # --- days -------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in statutory_holidays(day.year)
            and day not in self.extra_holidays
        )

    def working_days(self, start: date, end: date) -> int:
        """How many working days in ``[start, end)``: weekdays counted by arithmetic, less
        the holidays that fall on them, so a span of years costs no more than a week."""
        if end <= start:
            return 0
        weeks, extra = divmod((end - start).days, 7)
        weekdays = weeks * 5 + sum(
            1 for offset in range(extra) if (start + timedelta(days=offset)).weekday() < 5
        )
        closed = set(self.extra_holidays)
        for year in range(start.year, end.year + 1):
            closed |= statutory_holidays(year)
        return weekdays - sum(1 for day in closed if start <= day < end and day.weekday() < 5)

    def next_working_day(self, day: date, *, include: bool = True) -> date:
        day = day if include else day + timedelta(days=1)
        for _ in range(_MAX_DAYS):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no working day within five years")

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.tz)

    def end_of_working_day(self, day: date) -> datetime:
        return self._at(day, self.hours.end)

    def segments(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [(self._at(day, a), self._at(day, b)) for a, b in self.hours.segments()]

    def is_working_time(self, moment: datetime) -> bool:
        """Inside a working segment; a segment's closing instant counts (a deadline may
        fall exactly at 12:00 or 18:00)."""
        local = moment.astimezone(self.tz)
        return any(a <= local <= b for a, b in self.segments(local.date()))

    # --- working time -------------------------------------------------------------------
    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The moment ``amount`` of working time after ``start``."""
        if start.tzinfo is None:
            raise ValueError("aware datetimes only")
        local = start.astimezone(self.tz)
        remaining = amount
        day = local.date()
        for _ in range(_MAX_DAYS):
            for a, b in self.segments(day):
                if b <= local:
                    continue
                begin = max(a, local)
                available = b - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day += timedelta(days=1)
        raise ValueError("working time runs past five years")

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        if end <= start:
            return timedelta(0)
        first = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()

        def within(day: date) -> timedelta:
            total = timedelta(0)
            for a, b in self.segments(day):
                overlap = min(b, end) - max(a, start)
                if overlap > timedelta(0):
                    total += overlap
            return total

        if first == last:
            return within(first)
        # whole working days in between each count a full day, without building segments
        full_day = sum(
            (
                datetime.combine(first, b) - datetime.combine(first, a)
                for a, b in self.hours.segments()
            ),
            timedelta(0),
        )
        whole = self.working_days(first + timedelta(days=1), last)
        return within(first) + full_day * whole + within(last)

    # --- statutory deadlines --------------------------------------------------------------
    def due_at(self, received_at: datetime, period: Period | str) -> datetime:
        period = Period.parse(period) if isinstance(period, str) else period
        if received_at.tzinfo is None:
            raise ValueError("aware datetimes only")
        if period.counted_in_hours:
            return self.add_working_time(received_at, timedelta(hours=period.working_hours))
        first = received_at.astimezone(self.tz).date()
        if period.kind == "days":
            day, counted = first, 0
            for _ in range(_MAX_DAYS):
                if self.is_working_day(day):
                    counted += 1
                    if counted == period.amount:
                        return self.end_of_working_day(day)
                day += timedelta(days=1)
            raise ValueError("period runs past five years")
        last = first + timedelta(days=7 * period.amount - 1)
        return self.end_of_working_day(self.next_working_day(last))

    def after_pauses(
        self,
        due_at: datetime,
        period: Period | str,
        pauses: Iterable[tuple[datetime, datetime | None]],
        *,
        now: datetime | None = None,
    ) -> datetime:
        """Move a deadline by the working time the clock stood still (보완 기간);
        a pause still open runs until ``now``. Day and week periods end at day's close."""
        period = Period.parse(period) if isinstance(period, str) else period
        for start, end in pauses:
            end = end or now
            if end is None:
                continue
            paused = self.working_time_between(start, end)
            if paused:
                due_at = self.add_working_time(due_at, paused)
                if not period.counted_in_hours:
                    due_at = self.end_of_working_day(due_at.astimezone(self.tz).date())
        return due_at

    def same_day_target(self, received_at: datetime) -> datetime:
        """당일처리 target: the close of the receipt day if received on a working day before
        its close (before opening counts as that day), else the close of the next one."""
        local = received_at.astimezone(self.tz)
        day = local.date()
        if self.is_working_day(day) and local < self.end_of_working_day(day):
            return self.end_of_working_day(day)
        return self.end_of_working_day(self.next_working_day(day, include=False))

    def extended_due_at(self, current_due: datetime, new_day: date) -> datetime:
        """One extension to a chosen working day after the current deadline."""
        if not self.is_working_day(new_day):
            raise ValueError("the new deadline must be a working day")
        new_due = self.end_of_working_day(new_day)
        if new_due <= current_due:
            raise ValueError("the new deadline must be after the current one")
        return new_due
