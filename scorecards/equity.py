"""Equity: handling and satisfaction per citizen segment against the whole."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citizens.models import Citizen
from citizens.segments import age_labels
from complaints.models import Complaint
from pcrm.lib.periods import Period
from scorecards.indicators import CUSTOMER, PROCESS, Indicator, Value, mean_value, rate_value
from scorecards.models import SegmentDay

# --- equity -------------------------------------------------------------------------------

EQUITY_LABELS = {
    "age": gettext_lazy("연령대"),
    "district": gettext_lazy("시·군·구"),
    "channel": gettext_lazy("접수 경로"),
    "vulnerable": gettext_lazy("취약고객 여부"),
    "language": gettext_lazy("언어"),
}
EQUITY_MIN_N = 5


@dataclass
class Gap:
    segment: str
    label: str
    measures: dict[str, Value]  # hours, on_time, satisfaction


def equity(period: Period) -> list[tuple[str, str, list[Gap], dict[str, Value]]]:
    """Per dimension: each segment's processing time, on-time rate and satisfaction, its
    95 % interval and the gap to the whole; a gap is meaningful when the overall figure
    lies outside the segment's interval. One grouped query over the daily rollups."""
    sums = {
        name: Sum(name)
        for name in (
            "answered",
            "answered_on_time",
            "processing_minutes",
            "processing_squares",
            "rated",
            "rating_sum",
            "rating_squares",
        )
    }
    rows = (
        SegmentDay.objects.filter(day__gte=period.start, day__lt=period.end)
        .values("dimension", "segment")
        .annotate(**sums)
        .order_by("dimension", "segment")
    )
    by_dimension: dict[str, list[dict]] = {}
    for row in rows:
        by_dimension.setdefault(row["dimension"], []).append(row)
    labels = _segment_labels()
    result = []
    for dimension, label in EQUITY_LABELS.items():
        segments = by_dimension.get(dimension, [])
        total = {name: sum(row[name] or 0 for row in segments) for name in sums}
        overall = _equity_measures(total)
        gaps = []
        for row in segments:
            measures = _equity_measures(row)
            for code, value in measures.items():
                value.org = overall[code].value
                if value.low is not None and value.org is not None:
                    value.meaningful = not (value.low <= value.org <= value.high)
            key = row["segment"]
            gaps.append(Gap(key, labels.get(dimension, {}).get(key, key), measures))
        result.append((dimension, str(label), gaps, overall))
    return result


EQUITY_RATE = Indicator("on_time", "", PROCESS, "rate", min_n=EQUITY_MIN_N)
EQUITY_HOURS = Indicator("hours", "", PROCESS, "hours", min_n=EQUITY_MIN_N)
EQUITY_RATING = Indicator("satisfaction", "", CUSTOMER, "score", min_n=EQUITY_MIN_N)


def _equity_measures(row: dict) -> dict[str, Value]:
    answered = int(row["answered"] or 0)
    return {
        "hours": mean_value(
            EQUITY_HOURS,
            answered,
            (row["processing_minutes"] or 0) / 60,
            row["processing_squares"] or 0,
        ),
        "on_time": rate_value(EQUITY_RATE, row["answered_on_time"], answered),
        "satisfaction": mean_value(
            EQUITY_RATING, row["rated"], row["rating_sum"], row["rating_squares"]
        ),
    }


def _segment_labels() -> dict[str, dict[str, str]]:
    return {
        "age": age_labels(),
        "channel": {c.value: str(c.label) for c in Complaint.Channel},
        "vulnerable": {"yes": str(_("취약고객")), "no": str(_("일반"))},
        "language": {c.value: str(c.label) for c in Citizen.Language},
    }
