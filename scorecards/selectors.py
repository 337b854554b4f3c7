"""Reading the stored scores: the pages' groups of indicators, periods, rankings, trends
and chart data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Sum

from pcrm.lib.periods import Period
from pcrm.org.access import visible_to
from scorecards.indicators import INDICATORS, PERSPECTIVES, Indicator
from scorecards.models import PeriodScore, TeamDay

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


def handled_counts(team_id: int, period: str) -> dict[str, int]:
    """What the team received, answered and saw withdrawn (취하) in the period, from the
    daily rollups: withdrawals count apart, neither answered nor late."""
    try:
        current = Period.parse(period)
    except ValueError:
        return {}
    sums = TeamDay.objects.filter(
        team_id=team_id, day__gte=current.start, day__lt=current.end
    ).aggregate(received=Sum("received"), answered=Sum("answered"), withdrawn=Sum("withdrawn"))
    return {name: int(value or 0) for name, value in sums.items()}
