"""Reporting periods: a month (2026-11), a quarter (2026-Q4) or a half-year (2026-H2),
as Asia/Seoul days. Scorecards group by them and the Q&A book is compiled per half."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from pcrm.lib.calendar import SEOUL


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, half
    start: date
    end: date  # exclusive

    PATTERN = re.compile(r"^(\d{4})-(?:(\d{2})|Q([1-4])|H([12]))$")

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-11`` (month), ``2026-Q4`` (quarter) or ``2026-H2`` (half-year)."""
        match = cls.PATTERN.match(text.strip())
        if not match:
            raise ValueError(text)
        year, month, quarter, half = match.groups()
        year = int(year)
        if month:
            if not 1 <= int(month) <= 12:
                raise ValueError(text)
            return cls._of("month", year, int(month), 1)
        if quarter:
            return cls._of("quarter", year, 3 * int(quarter) - 2, 3)
        return cls._of("half", year, 6 * int(half) - 5, 6)

    @classmethod
    def _of(cls, kind: str, year: int, first_month: int, months: int) -> Period:
        start = date(year, first_month, 1)
        end_month = first_month + months
        end = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
        return cls(kind, start, end)

    @classmethod
    def containing(cls, kind: str, day: date) -> Period:
        if kind == "month":
            return cls._of("month", day.year, day.month, 1)
        if kind == "quarter":
            return cls._of("quarter", day.year, 3 * ((day.month - 1) // 3) + 1, 3)
        return cls._of("half", day.year, 1 if day.month <= 6 else 7, 6)

    def previous(self) -> Period:
        return Period.containing(self.kind, self.start - timedelta(days=1))

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-H{1 if self.start.month == 1 else 2}"

    @property
    def label(self) -> str:
        """What people read: 2026년 11월, 2026년 4분기, 2026년 하반기."""
        year = self.start.year
        if self.kind == "month":
            return _("%(year)d년 %(month)d월") % {"year": year, "month": self.start.month}
        if self.kind == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            return _("%(year)d년 %(quarter)d분기") % {"year": year, "quarter": quarter}
        if self.start.month == 1:
            return _("%(year)d년 상반기") % {"year": year}
        return _("%(year)d년 하반기") % {"year": year}

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware datetimes (Asia/Seoul days)."""
        return (
            datetime.combine(self.start, time.min, tzinfo=SEOUL),
            datetime.combine(self.end, time.min, tzinfo=SEOUL),
        )
