"""The team leader's morning page: each block a short list with a link to the list behind
it, all read with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from complaints import selectors as complaint_selectors
from complaints.models import Complaint
from pcrm.lib.periods import Period
from pcrm.org.access import visible_to
from scorecards.selectors import chart, shown, team_trend
from surveys.models import Call, LeaderInterview

LIMIT = 5  # each block is a glimpse; its link opens the whole list
# the figures a team leader looks at first, in this order (stored scorecard indicators)
KEY_FIGURES = ("same_day", "on_time", "post_complaint", "courtesy", "overdue")


@dataclass
class KeyFigure:
    """One figure of this month beside the organisation's and last month's."""

    label: str
    value: str
    org: str
    last_month: str
    better: bool | None  # than the organisation (None: no comparison)


def key_figures(card, previous) -> list[KeyFigure]:
    """The leader's headline figures from this month's stored card (and last month's)."""
    this_month = dict(item for _p, items in shown(card.values) for item in _by_code(items))
    before = (
        dict(item for _p, items in shown(previous.values) for item in _by_code(items))
        if previous
        else {}
    )
    figures = []
    for code in KEY_FIGURES:
        item = this_month[code]
        diff = item.diff
        lower_is_better = item.indicator.unit == "count"
        better = None if diff is None or diff == 0 else (diff < 0) == lower_is_better
        figures.append(
            KeyFigure(
                label=str(item.indicator.label),
                value=item.display or "-",
                org=item.org_display or "-",
                last_month=(before[code].display if code in before else "") or "-",
                better=better,
            )
        )
    return figures


def _by_code(items):
    return ((item.indicator.code, item) for item in items)


def dashboard(user, staff, *, now=None) -> dict:
    now = now or timezone.now()
    stats, at_risk, overdue = complaint_selectors.board(user, now=now)
    team_open = visible_to(user, Complaint).filter(
        team_id=staff.team_id, status__in=Complaint.OPEN_STATUSES
    )
    vulnerable = list(
        team_open.filter(citizen__vulnerable=True)
        .select_related("citizen")
        .only("receipt_number", "title", "due_at", "citizen__name")
        .order_by("due_at")[:LIMIT]
    )
    calls = list(  # the citizen's name only: their contact details stay encrypted here
        visible_to(user, Call)
        .filter(team_id=staff.team_id, status=Call.Status.OPEN)
        .select_related("citizen")
        .only("kind", "reason", "due_at", "citizen__name")
        .order_by("due_at")[:LIMIT]
    )
    interviews = list(
        visible_to(user, LeaderInterview)
        .filter(team_id=staff.team_id, held_on__isnull=True)
        .select_related("staff", "evaluation")
        .only("due_on", "staff__name", "evaluation__total")
        .order_by("due_on")[:LIMIT]
    )
    month = Period.containing("month", timezone.localtime(now).date()).code
    trend = team_trend(user, staff.team_id, month)
    card = trend[-1] if trend and trend[-1].period == month else None
    previous = trend[-2] if card is not None and len(trend) > 1 else None
    return {
        "key_figures": key_figures(card, previous) if card else [],
        "month_label": Period.parse(month).label,
        "stats": stats,
        "at_risk": at_risk[:LIMIT],
        "overdue": overdue[:LIMIT],
        "vulnerable": vulnerable,
        "calls": calls,
        "interviews": interviews,
        "card": card,
        "flagged": [
            item
            for _perspective, items in (shown(card.values) if card else [])
            for item in items
            if item.meaningful
        ],
        "trend": trend,
        "chart": chart([row.period_label for row in trend], trend),
        "month": month,
        "now": now,
    }
