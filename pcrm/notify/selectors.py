"""Reads of the outbox: a complaint's messages for its page, and the month's volumes and
estimated costs per channel and team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count

from pcrm.lib.periods import Period
from pcrm.notify.models import Message
from pcrm.org.models import Team

# what the provider charges for: accepted (and maybe delivered); not what failed or was
# refused, not an 알림톡 that did not arrive (the SMS that replaced it is counted)
BILLED = (Message.Status.SENT, Message.Status.DELIVERED)


def messages_about(about: str) -> list[Message]:
    """The messages about one thing ("complaint:12"), oldest first."""
    return list(Message.objects.filter(about=about).order_by("created_at", "id"))


@dataclass
class CostRow:
    team: str
    counts: dict[str, int]
    cost: Decimal

    @property
    def cells(self) -> list[int]:
        """The counts in the order of ``Message.Billing`` (the table's columns)."""
        return [self.counts.get(code, 0) for code in Message.Billing.values]

    @property
    def won(self) -> str:
        return f"{int(self.cost):,}"


def price(billing: str) -> Decimal:
    return Decimal(str(settings.NOTIFY_PRICES.get(billing, "0")))


def monthly_costs(period: Period, *, team_id: int | None = None) -> tuple[list[CostRow], CostRow]:
    """Per team (and messages of no team), how many of each kind went out in the month
    and what they cost at the configured prices; and the total. One grouped query."""
    start, end = period.bounds()
    messages = Message.objects.filter(created_at__gte=start, created_at__lt=end, status__in=BILLED)
    if team_id is not None:
        messages = messages.filter(team_id=team_id)
    grouped = messages.values("team_id", "billing").annotate(n=Count("pk")).order_by()
    names = dict(Team.objects.values_list("pk", "name"))
    rows: dict[int | None, CostRow] = {}
    total = CostRow("합계", dict.fromkeys(Message.Billing.values, 0), Decimal(0))
    for item in grouped:
        billing = item["billing"] or "email"
        row = rows.setdefault(
            item["team_id"],
            CostRow(
                names.get(item["team_id"], "팀 없음 (직원 알림 등)"),
                dict.fromkeys(Message.Billing.values, 0),
                Decimal(0),
            ),
        )
        cost = price(billing) * item["n"]
        for target in (row, total):
            target.counts[billing] = target.counts.get(billing, 0) + item["n"]
            target.cost += cost
    return sorted(rows.values(), key=lambda row: row.team), total


def recent_months(today: date, count: int = 12) -> list[Period]:
    months = [Period.containing("month", today)]
    while len(months) < count:
        months.append(months[-1].previous())
    return months
