"""The team leader's morning page: each block a short list with a link to the list behind
it, all read with a fixed number of queries."""

from __future__ import annotations

from django.utils import timezone

from complaints import selectors as complaint_selectors
from complaints.models import Complaint
from pcrm.org.access import visible_to
from surveys.models import Call, LeaderInterview
from surveys.scorecards import Period, chart, shown, team_trend

LIMIT = 5  # each block is a glimpse; its link opens the whole list


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
    return {
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
        "chart": chart([row.period for row in trend], trend),
        "month": month,
        "now": now,
    }
