"""The scorecard's indicators, their weights, and the arithmetic that turns observations
into values, intervals, points, a composite score, ranks and grades."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcrm.lib.stats import summarise
from pcrm.org.models import Staff
from scorecards.models import ScorecardWeight

# --- indicators --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    perspective: str
    unit: str  # "score" (0-100), "rate" (share), "hours", "count"
    min_n: int = 5

    @property
    def scale(self) -> tuple[float, float | None]:
        """The lowest and highest value the indicator can take: its interval stays inside."""
        return SCALES[self.unit]


SCALES = {
    "score": (0.0, 100.0),
    "rate": (0.0, 1.0),
    "hours": (0.0, None),
    "count": (0.0, None),
}


CUSTOMER, PROCESS, LEARNING = "customer", "process", "learning"
PERSPECTIVES = {
    CUSTOMER: gettext_lazy("고객"),
    PROCESS: gettext_lazy("업무 과정"),
    LEARNING: gettext_lazy("학습과 성장"),
}
INDICATORS = [
    Indicator("external", gettext_lazy("외부고객 만족도"), CUSTOMER, "score"),
    Indicator("internal", gettext_lazy("내부고객 만족도"), CUSTOMER, "score"),
    Indicator("cooperation", gettext_lazy("부내협력도"), CUSTOMER, "score"),
    Indicator("post_complaint", gettext_lazy("민원 처리 만족도"), CUSTOMER, "score"),
    Indicator("happy_call", gettext_lazy("해피콜 만족도"), CUSTOMER, "score"),
    Indicator("same_day", gettext_lazy("당일처리율"), PROCESS, "rate"),
    Indicator("on_time", gettext_lazy("기한 내 처리율"), PROCESS, "rate"),
    Indicator("processing_hours", gettext_lazy("평균 처리시간(근무시간)"), PROCESS, "hours"),
    Indicator("overdue", gettext_lazy("기한 초과 건수"), PROCESS, "count", min_n=1),
    Indicator("repeated", gettext_lazy("반복민원 비율"), PROCESS, "rate"),
    Indicator("courtesy", gettext_lazy("전화친절도 평균"), LEARNING, "score", min_n=1),
    Indicator("interviews", gettext_lazy("기한 내 팀장 면담"), LEARNING, "rate", min_n=1),
    Indicator("qa_items", gettext_lazy("질의응답 기여(승인 건수)"), LEARNING, "count", min_n=0),
]
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
DEFAULT_WEIGHTS = {
    "external": 10,
    "internal": 10,
    "cooperation": 10,
    "post_complaint": 10,
    "happy_call": 5,
    "same_day": 10,
    "on_time": 10,
    "processing_hours": 5,
    "overdue": 5,
    "repeated": 5,
    "courtesy": 10,
    "interviews": 5,
    "qa_items": 5,
}


class WeightError(ValueError):
    pass


def weights() -> dict[str, Decimal]:
    stored = dict(ScorecardWeight.objects.values_list("indicator", "weight"))
    return {code: Decimal(stored.get(code, DEFAULT_WEIGHTS[code])) for code in BY_CODE}


def weights_save(*, staff: Staff, values: dict[str, Decimal]) -> None:
    """Set every indicator's weight; they must be 0-100 each and sum to exactly 100."""
    if staff.role != Staff.Role.CS_ADMIN:
        raise PermissionDenied
    if set(values) != set(BY_CODE):
        raise WeightError(_("모든 지표의 가중치를 정해 주세요."))
    if any(not Decimal(0) <= Decimal(v) <= Decimal(100) for v in values.values()):
        raise WeightError(_("가중치는 0에서 100 사이여야 합니다."))
    total = sum((Decimal(v) for v in values.values()), Decimal(0))
    if total != 100:
        raise WeightError(
            _("가중치의 합은 100이어야 합니다. 지금 합은 %(total)s입니다.") % {"total": total}
        )
    with transaction.atomic():
        for code, value in values.items():
            ScorecardWeight.objects.update_or_create(indicator=code, defaults={"weight": value})


# --- values ------------------------------------------------------------------------------------


@dataclass
class Value:
    n: int
    value: float | None  # None when n < the indicator's minimum
    low: float | None = None
    high: float | None = None
    points: float | None = None  # 0-100, higher is better
    org: float | None = None
    meaningful: bool | None = None  # the organisation's figure lies outside the interval

    @property
    def diff(self) -> float | None:
        if self.value is None or self.org is None:
            return None
        return self.value - self.org


def mean_value(indicator: Indicator, n, total, squares) -> Value:
    n = int(n or 0)
    if n < indicator.min_n or n == 0:
        return Value(n=n, value=None)
    summary = summarise(n, float(total), float(squares))
    if summary.low is None:
        return Value(n=n, value=summary.mean)
    lowest, highest = indicator.scale
    high = summary.high if highest is None else min(highest, summary.high)
    return Value(n=n, value=summary.mean, low=max(lowest, summary.low), high=high)


def rate_value(indicator: Indicator, hits, n) -> Value:
    """A share with its Wilson 95 % interval."""
    n, hits = int(n or 0), int(hits or 0)
    if n < indicator.min_n or n == 0:
        return Value(n=n, value=None)
    p, z = hits / n, 1.959964
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Value(n=n, value=p, low=centre - half, high=centre + half)


def points_of(indicator: Indicator, value: Value) -> float | None:
    if value.value is None:
        return None
    if indicator.unit == "score":
        return value.value
    if indicator.code == "repeated":
        return 100 * (1 - value.value)
    if indicator.unit == "rate":
        return 100 * value.value
    if indicator.unit == "hours":
        target = settings.SCORECARD_TARGET_HOURS
        return 100.0 if value.value <= target else 100 * target / value.value
    return None  # counts are shown, not scored (see the overdue points below)


# --- the board -------------------------------------------------------------------------------

GRADES = [
    (Decimal("0.10"), "가"),
    (Decimal("0.30"), "나"),
    (Decimal("0.70"), "다"),
    (Decimal("0.90"), "라"),
]


def grade_for(rank: int, ranked: int) -> str:
    """가/나/다/라/마 for the top 10 %, 10-30 %, 30-70 %, 70-90 % and the bottom 10 %."""
    share = Decimal(rank) / Decimal(ranked)
    for limit, grade in GRADES:
        if share <= limit:
            return grade
    return "마"


def competition_ranks(scores: dict) -> dict:
    """1, 2, 2, 4: teams with equal scores share a rank; teams without one get none."""
    ordered = sorted((s, key) for key, s in scores.items() if s is not None)
    ordered.reverse()
    ranks, previous, rank = {}, None, 0
    for position, (score, key) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        ranks[key] = rank
    return ranks


# a composite score (and so a rank and a grade) needs data for indicators carrying at
# least this share of the weights; below it the team's card says "자료 부족"
MIN_WEIGHT_WITH_DATA = Decimal("0.5")


def composite(values: dict[str, Value], weighting: dict[str, Decimal]) -> tuple[float | None, bool]:
    """The weighted mean of the indicators' points over those with data; none when they
    carry less than ``MIN_WEIGHT_WITH_DATA`` of the weights."""
    used = {c: w for c, w in weighting.items() if w and values[c].points is not None}
    weighted = sum(Decimal(w) for w in weighting.values() if w)
    if not used or sum(Decimal(w) for w in used.values()) < MIN_WEIGHT_WITH_DATA * weighted:
        return None, False
    total = sum(float(w) for w in used.values())
    score = sum(float(w) * values[c].points for c, w in used.items()) / total
    complete = len(used) == sum(1 for w in weighting.values() if w)
    return round(score, 1), complete
