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

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, DecimalField, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint, QAItem
from complaints.selectors import equity_facts, handling_facts, overdue_counts
from pcrm.lib.calendar import SEOUL
from pcrm.lib.periods import Period
from pcrm.notify.services import staff_notify
from pcrm.org.calendar import organisation_calendar
from pcrm.org.models import Team
from scorecards.indicators import (
    BY_CODE,
    INDICATORS,
    Value,
    competition_ranks,
    composite,
    grade_for,
    mean_value,
    points_of,
    rate_value,
    weights,
)
from scorecards.models import PeriodScore, SegmentDay, TeamDay
from surveys.models import Campaign, CourtesyEvaluation, DimensionScore, LeaderInterview

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
            values[code] = mean_value(
                BY_CODE[code], row.get("n"), row.get("amount"), row.get("squares")
            )
        day = days.get(team) or {}
        values["same_day"] = rate_value(
            BY_CODE["same_day"], day.get("same_day_met"), day.get("same_day_eligible")
        )
        values["on_time"] = rate_value(
            BY_CODE["on_time"], day.get("answered_on_time"), day.get("answered")
        )
        values["repeated"] = rate_value(
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
        values["courtesy"] = mean_value(
            BY_CODE["courtesy"], row.get("n"), row.get("amount"), row.get("squares")
        )
        row = interviews.get(team) or {}
        values["interviews"] = rate_value(BY_CODE["interviews"], row.get("hits"), row.get("n"))
        contributed = int((qa.get(team) or {}).get("n") or 0)
        values["qa_items"] = Value(
            n=contributed,
            value=float(contributed),
            points=min(100.0, 100 * contributed / qa_target) if team is not None else None,
        )
        for code, value in values.items():
            if value.points is None:
                value.points = points_of(BY_CODE[code], value)
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


@dataclass
class Card:
    team: Team
    values: dict[str, Value]
    composite: float | None
    complete: bool  # every weighted indicator had enough observations
    rank: int | None = None
    grade: str | None = None
    perspectives: list = field(default_factory=list)


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
            alerts += staff_notify(
                key=f"score-drop:{row.team_id}:{code}:{monday.isoformat()}",
                staff=leader,
                text=_("%(indicator)s 점수가 지난주보다 %(drop).1f점 내려갔습니다 (%(new).1f점).")
                % {"indicator": BY_CODE[code].label, "drop": old - new, "new": new},
                link=reverse("scorecard-team", args=[row.team_id]),
            )
    return alerts
