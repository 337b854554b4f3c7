"""Team scorecards (BSC): indicators per period, against the organisation, ranked.

Handling indicators come from the ``TeamDay`` rollups (kept by a scheduled job), survey
and courtesy indicators from their own tables, each as a grouped aggregate: the cost of
a scorecard does not grow with the number of complaints.

Every indicator is reported with its number of observations, a 95 % interval, the
organisation's figure (pooled over all teams) and whether the difference is meaningful
(the organisation's figure lies outside the team's interval). Each is also turned into
points out of 100 (higher is better) for the weighted composite score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, DecimalField, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citizens.models import Citizen
from citizens.segments import age_labels
from complaints.models import Complaint, QAItem
from complaints.selectors import equity_facts, handling_facts, overdue_counts
from pcrm.lib.calendar import SEOUL
from pcrm.lib.periods import Period
from pcrm.lib.stats import summarise
from pcrm.notify.models import StaffNotification
from pcrm.org.access import visible_to
from pcrm.org.calendar import organisation_calendar
from pcrm.org.models import Staff, Team
from surveys.models import (
    Campaign,
    CourtesyEvaluation,
    DimensionScore,
    LeaderInterview,
    PeriodScore,
    ScorecardWeight,
    SegmentDay,
    TeamDay,
)

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


# --- rollups -----------------------------------------------------------------------------------


def rollup_refresh(*, start: date, end: date) -> int:
    """Recompute the ``TeamDay`` rows of the days in ``[start, end)`` from the complaints.
    Each day is replaced whole, so running it again (or twice at once) changes nothing."""
    calendar = organisation_calendar()
    team_ids = list(Team.objects.values_list("pk", flat=True))
    written = 0
    day = start
    while day < end:
        since = datetime.combine(day, time.min, tzinfo=SEOUL)
        facts = handling_facts(since, since + timedelta(days=1), calendar)
        rows = [
            TeamDay(team_id=team_id, day=day, **vars(facts[team_id]))
            for team_id in team_ids
            if team_id in facts
        ]
        segments = [
            SegmentDay(day=day, dimension=dimension, segment=segment, **vars(row))
            for (dimension, segment), row in equity_facts(
                since, since + timedelta(days=1), calendar
            ).items()
        ]
        with transaction.atomic():
            TeamDay.objects.filter(day=day).delete()
            TeamDay.objects.bulk_create(rows)
            SegmentDay.objects.filter(day=day).delete()
            SegmentDay.objects.bulk_create(segments)
        written += len(rows)
        day += timedelta(days=1)
    return written


def rollup_recent(*, now: datetime | None = None) -> int:
    """The beat job: the last days, long enough for late answers to same-day targets."""
    today = timezone.localtime(now or timezone.now()).date()
    return rollup_refresh(
        start=today - timedelta(days=settings.ROLLUP_DAYS_BACK), end=today + timedelta(days=1)
    )


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


def _mean_value(indicator: Indicator, n, total, squares) -> Value:
    n = int(n or 0)
    if n < indicator.min_n or n == 0:
        return Value(n=n, value=None)
    summary = summarise(n, float(total), float(squares))
    if summary.low is None:
        return Value(n=n, value=summary.mean)
    lowest, highest = indicator.scale
    high = summary.high if highest is None else min(highest, summary.high)
    return Value(n=n, value=summary.mean, low=max(lowest, summary.low), high=high)


def _rate_value(indicator: Indicator, hits, n) -> Value:
    """A share with its Wilson 95 % interval."""
    n, hits = int(n or 0), int(hits or 0)
    if n < indicator.min_n or n == 0:
        return Value(n=n, value=None)
    p, z = hits / n, 1.959964
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Value(n=n, value=p, low=centre - half, high=centre + half)


def _points(indicator: Indicator, value: Value) -> float | None:
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


SUMS = {
    "n": Count("pk"),
    "amount": Sum("score"),
    "squares": Sum(F("score") * F("score"), output_field=DecimalField()),
}


def _survey_sums(period: Period, kinds, *, by_time: bool) -> dict:
    """(team or None) -> n, total, squares of response totals in the period."""
    scores = DimensionScore.objects.filter(dimension=DimensionScore.TOTAL, campaign__kind__in=kinds)
    if by_time:
        start, end = period.bounds()
        scores = scores.filter(response__submitted_at__gte=start, response__submitted_at__lt=end)
    else:  # team surveys belong to the period their campaign ran in
        scores = scores.filter(
            campaign__ends_on__gte=period.start, campaign__ends_on__lt=period.end
        )
    return _by_team(scores, "team_id", SUMS)


def _by_team(queryset, team_field: str, sums: dict) -> dict:
    """One grouped query; the organisation's row (key ``None``) is the sum of the teams'
    (counts, sums and sums of squares add up, so pooling is exact)."""
    rows = {
        row[team_field]: row
        for row in queryset.filter(**{f"{team_field}__isnull": False})
        .values(team_field)
        .annotate(**sums)
        .order_by()
    }
    rows[None] = {name: sum(row[name] or 0 for row in rows.values()) for name in sums}
    return rows


def indicator_values(period: Period, *, now: datetime | None = None) -> dict:
    """team id (and None for the organisation) -> indicator code -> Value."""
    now = now or timezone.now()
    start, end = period.bounds()
    teams = list(Team.objects.values_list("pk", flat=True))
    raw: dict[str, dict] = {}
    raw["external"] = _survey_sums(period, [Campaign.Kind.EXTERNAL], by_time=False)
    raw["internal"] = _survey_sums(period, [Campaign.Kind.INTERNAL], by_time=False)
    raw["cooperation"] = _survey_sums(period, [Campaign.Kind.COOPERATION], by_time=False)
    raw["happy_call"] = _survey_sums(period, [Campaign.Kind.HAPPY_CALL], by_time=True)
    rating = (F("rating") - 1) * 25
    raw["post_complaint"] = _by_team(
        Complaint.objects.filter(rated_at__gte=start, rated_at__lt=end, rating__isnull=False),
        "team_id",
        {"n": Count("pk"), "amount": Sum(rating), "squares": Sum(rating * rating)},
    )
    days = _by_team(
        TeamDay.objects.filter(day__gte=period.start, day__lt=period.end),
        "team_id",
        {
            name: Sum(name)
            for name in (
                "received",
                "same_day_eligible",
                "same_day_met",
                "answered",
                "answered_on_time",
                "processing_minutes",
                "repeated",
            )
        },
    )
    courtesy = _by_team(
        CourtesyEvaluation.objects.filter(
            evaluated_on__gte=period.start, evaluated_on__lt=period.end
        ),
        "staff__team_id",
        {"n": Count("pk"), "amount": Sum("total"), "squares": Sum(F("total") * F("total"))},
    )
    interviews = _by_team(
        LeaderInterview.objects.filter(
            due_on__gte=period.start,
            due_on__lt=min(period.end, timezone.localtime(now).date() + timedelta(days=1)),
        ),
        "team_id",
        {
            "n": Count("pk"),
            "hits": Count("pk", filter=Q(held_on__isnull=False, held_on__lte=F("due_on"))),
        },
    )
    overdue = overdue_counts(now) if start <= now < end else None
    qa = _by_team(
        QAItem.objects.filter(
            state=QAItem.State.APPROVED, decided_at__gte=start, decided_at__lt=end
        ),
        "team_id",
        {"n": Count("pk")},
    )
    months = max(1, round((period.end - period.start).days / 30.4))
    qa_target = settings.SCORECARD_QA_ITEMS_PER_MONTH * months

    result = {}
    for team in [*teams, None]:
        values = {}
        for code in ("external", "internal", "cooperation", "happy_call", "post_complaint"):
            row = raw[code].get(team) or {}
            values[code] = _mean_value(
                BY_CODE[code], row.get("n"), row.get("amount"), row.get("squares")
            )
        day = days.get(team) or {}
        values["same_day"] = _rate_value(
            BY_CODE["same_day"], day.get("same_day_met"), day.get("same_day_eligible")
        )
        values["on_time"] = _rate_value(
            BY_CODE["on_time"], day.get("answered_on_time"), day.get("answered")
        )
        values["repeated"] = _rate_value(
            BY_CODE["repeated"], day.get("repeated"), day.get("received")
        )
        answered = int(day.get("answered") or 0)
        values["processing_hours"] = (
            Value(n=answered, value=int(day.get("processing_minutes") or 0) / answered / 60)
            if answered >= BY_CODE["processing_hours"].min_n
            else Value(n=answered, value=None)
        )
        if overdue is None:
            values["overdue"] = Value(n=0, value=None)
        else:
            count = sum(overdue.values()) if team is None else overdue.get(team, 0)
            received = int(day.get("received") or 0)
            values["overdue"] = Value(n=received, value=float(count))
            if received:
                values["overdue"].points = max(0.0, 100 * (1 - count / received))
        row = courtesy.get(team) or {}
        values["courtesy"] = _mean_value(
            BY_CODE["courtesy"], row.get("n"), row.get("amount"), row.get("squares")
        )
        row = interviews.get(team) or {}
        values["interviews"] = _rate_value(BY_CODE["interviews"], row.get("hits"), row.get("n"))
        contributed = int((qa.get(team) or {}).get("n") or 0)
        values["qa_items"] = Value(
            n=contributed,
            value=float(contributed),
            points=min(100.0, 100 * contributed / qa_target) if team is not None else None,
        )
        for code, value in values.items():
            if value.points is None:
                value.points = _points(BY_CODE[code], value)
        result[team] = values
    organisation = result[None]
    for indicator in INDICATORS:  # a count's organisation figure is the teams' average
        if indicator.unit == "count":
            counts = [result[t][indicator.code].value for t in teams]
            counts = [c for c in counts if c is not None]
            organisation[indicator.code].value = sum(counts) / len(counts) if counts else None
    for team in teams:
        for code, value in result[team].items():
            value.org = organisation[code].value
            if value.low is not None and value.org is not None:
                value.meaningful = not (value.low <= value.org <= value.high)
    return result


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


@dataclass
class Card:
    team: Team
    values: dict[str, Value]
    composite: float | None
    complete: bool  # every weighted indicator had enough observations
    rank: int | None = None
    grade: str | None = None
    perspectives: list = field(default_factory=list)


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


def board(period: Period, *, now: datetime | None = None) -> tuple[list[Card], dict]:
    """Every team's card, ranked, and the organisation's values."""
    values = indicator_values(period, now=now)
    weighting = weights()
    teams = {team.pk: team for team in Team.objects.select_related("department").order_by("name")}
    cards = {}
    for pk, team in teams.items():
        score, complete = composite(values[pk], weighting)
        cards[pk] = Card(team=team, values=values[pk], composite=score, complete=complete)
    ranks = competition_ranks({pk: card.composite for pk, card in cards.items()})
    for pk, rank in ranks.items():
        cards[pk].rank = rank
        cards[pk].grade = grade_for(rank, len(ranks))
    ordered = sorted(cards.values(), key=lambda c: (c.rank is None, c.rank or 0, c.team.name))
    return ordered, values[None]


# --- stored scores: what the pages read -------------------------------------------------------


def _stored(value: Value) -> dict:
    return {
        "n": value.n,
        "value": value.value,
        "low": value.low,
        "high": value.high,
        "points": value.points,
        "org": value.org,
        "meaningful": value.meaningful,
    }


def scores_store(
    period: Period, *, now: datetime | None = None, kind: str | None = None, code: str = ""
) -> int:
    """Compute every team's card for ``period`` and keep it under ``code`` (by default the
    period's own), replacing what was there."""
    cards, organisation = board(period, now=now)
    code = code or period.code
    rows = [
        PeriodScore(
            team=card.team,
            period=code,
            kind=kind or period.kind,
            start=period.start,
            values={c: _stored(v) for c, v in card.values.items()},
            composite=None if card.composite is None else Decimal(str(card.composite)),
            complete=card.complete,
            rank=card.rank,
            grade=card.grade or "",
        )
        for card in cards
    ]
    rows.append(
        PeriodScore(
            team=None,
            period=code,
            kind=kind or period.kind,
            start=period.start,
            values={c: _stored(v) for c, v in organisation.items()},
        )
    )
    with transaction.atomic():
        PeriodScore.objects.filter(period=code).delete()
        PeriodScore.objects.bulk_create(rows)
    return len(rows)


# how many periods of each kind the pages offer (the current one included)
HISTORY = {"month": 12, "quarter": 4, "half": 4}


def scores_refresh(*, now: datetime | None = None) -> int:
    """The beat job after the rollups: this and the previous month, quarter and half
    again (their data still moves), and any of the periods the picker offers
    (``HISTORY``) that has no stored scores yet."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    written = 0
    for kind, count in HISTORY.items():
        recent = [Period.containing(kind, today)]
        while len(recent) < count:
            recent.append(recent[-1].previous())
        stored = set(
            PeriodScore.objects.filter(
                team__isnull=True, period__in=[period.code for period in recent]
            ).values_list("period", flat=True)
        )
        for index, period in enumerate(recent):
            if index < 2 or period.code not in stored:
                written += scores_store(period, now=now)
    return written


def scorecards_refresh(*, now: datetime | None = None) -> int:
    return rollup_recent(now=now) + scores_refresh(now=now)


# --- weekly monitoring ---------------------------------------------------------------------


def snapshot_week(*, now: datetime | None = None) -> int:
    """Once a week: every team's indicators over the 13 weeks before this Monday, kept as
    the week's snapshot; a team leader hears of any indicator that fell by more than the alert
    threshold since the week before (once per team, indicator and week)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    monday = today - timedelta(days=today.weekday())
    # taken once a week; the job runs hourly, so an outage loses nothing, and the notices
    # below are keyed, so a run that stopped between the two steps is completed next time
    if not PeriodScore.objects.filter(period=monday.isoformat(), kind="week").exists():
        window = Period("rolling", monday - timedelta(weeks=13), monday)
        scores_store(window, now=now, kind="week", code=monday.isoformat())
    previous = (monday - timedelta(weeks=1)).isoformat()
    before = {
        row.team_id: row.values
        for row in PeriodScore.objects.filter(period=previous, team__isnull=False)
    }
    alerts = 0
    threshold = settings.SCORE_DROP_ALERT_POINTS
    for row in PeriodScore.objects.filter(
        period=monday.isoformat(), team__isnull=False
    ).select_related("team__leader"):
        leader = row.team.leader
        if leader is None or row.team_id not in before:
            continue
        for code, value in row.values.items():
            old = before[row.team_id].get(code, {}).get("points")
            new = value.get("points")
            if old is None or new is None or old - new <= threshold:
                continue
            _notice, created = StaffNotification.objects.get_or_create(
                key=f"score-drop:{row.team_id}:{code}:{monday.isoformat()}",
                defaults={
                    "staff": leader,
                    "text": _(
                        "%(indicator)s 점수가 지난주보다 %(drop).1f점 내려갔습니다 (%(new).1f점)."
                    )
                    % {"indicator": BY_CODE[code].label, "drop": old - new, "new": new},
                    "link": reverse("scorecard-team", args=[row.team_id]),
                },
            )
            alerts += created
    return alerts


# --- reading the stored scores ------------------------------------------------------------


@dataclass
class Shown:
    """A stored indicator value ready for a page."""

    indicator: Indicator
    n: int
    value: float | None
    low: float | None
    high: float | None
    org: float | None
    meaningful: bool | None
    points: float | None

    @property
    def diff(self) -> float | None:
        return None if self.value is None or self.org is None else self.value - self.org

    @property
    def display(self) -> str:
        return _display(self.indicator, self.value)

    @property
    def org_display(self) -> str:
        if self.indicator.unit == "count" and self.org is not None:
            return f"{self.org:.1f}"  # the teams' average of a count
        return _display(self.indicator, self.org)

    @property
    def diff_display(self) -> str:
        diff = self.diff
        if diff is None:
            return ""
        if self.indicator.unit == "rate":
            return f"{diff * 100:+.1f}%p"
        return f"{diff:+.1f}"


def _display(indicator: Indicator, value: float | None) -> str:
    if value is None:
        return ""
    if indicator.unit == "rate":
        return f"{value * 100:.1f}%"
    if indicator.unit == "count":
        return f"{value:.0f}"
    return f"{value:.1f}"


def shown(values: dict) -> list[tuple[str, list[Shown]]]:
    """The stored values grouped by perspective, in the indicators' order."""
    groups = []
    for perspective, label in PERSPECTIVES.items():
        items = []
        for indicator in INDICATORS:
            if indicator.perspective != perspective:
                continue
            v = values.get(indicator.code) or {}
            items.append(
                Shown(
                    indicator=indicator,
                    n=v.get("n") or 0,
                    value=v.get("value"),
                    low=v.get("low"),
                    high=v.get("high"),
                    org=v.get("org"),
                    meaningful=v.get("meaningful"),
                    points=v.get("points"),
                )
            )
        groups.append((str(label), items))
    return groups


def periods(kind: str) -> list[str]:
    """The periods of ``kind`` that have stored scores, newest first."""
    return list(
        PeriodScore.objects.filter(kind=kind, team__isnull=True)
        .order_by("-start")
        .values_list("period", flat=True)
    )


def newest_scored(kind: str, codes: list[str]) -> str:
    """Of ``codes`` (newest first), the newest in which some team has a composite score;
    the newest of all if none has."""
    scored = set(
        PeriodScore.objects.filter(
            kind=kind, period__in=codes, team__isnull=False, composite__isnull=False
        ).values_list("period", flat=True)
    )
    return next((code for code in codes if code in scored), codes[0] if codes else "")


def organisation_scores(user, period: str):
    """Every team's stored card for the period, best first, and the organisation's row."""
    rows = list(
        visible_to(user, PeriodScore)
        .filter(period=period)
        .select_related("team__department")
        .order_by(F("rank").asc(nulls_last=True), "team__name")
    )
    organisation = next((row for row in rows if row.team_id is None), None)
    return [row for row in rows if row.team_id is not None], organisation


def chart(labels, scores) -> dict:
    """A chart's data (see static/pcrm/charts.js): the composite of each stored score."""
    return {
        "labels": list(labels),
        "values": [None if row.composite is None else float(row.composite) for row in scores],
    }


def departments(rows) -> list[tuple[str, float | None, int]]:
    """Department roll-up: the mean composite of its teams, and how many teams."""
    grouped: dict[str, list] = {}
    for row in rows:
        grouped.setdefault(row.team.department.name, []).append(row.composite)
    result = []
    for name, scores in sorted(grouped.items()):
        known = [float(s) for s in scores if s is not None]
        result.append((name, round(sum(known) / len(known), 1) if known else None, len(scores)))
    return result


def team_trend(user, team_id: int, period: str, *, count: int = 6) -> list[PeriodScore]:
    """The team's stored cards for ``period`` and the ones before it of the same kind."""
    try:
        current = Period.parse(period)
    except ValueError:
        return []
    return list(
        reversed(
            visible_to(user, PeriodScore)
            .filter(team_id=team_id, kind=current.kind, start__lte=current.start)
            .order_by("-start")[:count]
        )
    )


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
        "hours": _mean_value(
            EQUITY_HOURS,
            answered,
            (row["processing_minutes"] or 0) / 60,
            row["processing_squares"] or 0,
        ),
        "on_time": _rate_value(EQUITY_RATE, row["answered_on_time"], answered),
        "satisfaction": _mean_value(
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
