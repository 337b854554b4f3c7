"""Reads for the complaint pages: the inbox tabs, the same-day board, a complaint's page."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.access import can_see_flags
from citizens.segments import age_key
from complaints.models import OPEN_STATUSES, Category, Complaint, Event, Pause
from pcrm.lib import refdata
from pcrm.lib.calendar import HOURS_PER_DAY, BusinessCalendar
from pcrm.lib.crypto import secret_digest
from pcrm.lib.periods import Period
from pcrm.org.access import staff_of, visible_to
from pcrm.org.models import Staff

TABS = ("mine", "team", "unassigned", "today", "overdue", "hold")
RECEIPT = re.compile(r"^\d{4}-\d{7}$")
ACTIVE_CATEGORIES = "complaints:active-categories"  # kept in memory (pcrm.lib.refdata)
PINNED_STATUS = {"unassigned": Complaint.Status.RECEIVED, "hold": Complaint.Status.SUPPLEMENT}


def active_categories() -> dict[int, Category]:
    """The categories open for filing, by id, in name order. Each process keeps them in
    memory until one changes (``pcrm.lib.refdata``): shared objects, not to be modified."""
    return refdata.get(
        ACTIVE_CATEGORIES,
        lambda: {c.pk: c for c in Category.objects.filter(active=True).order_by("name")},
    )


def public_history(complaint: Complaint):
    return Event.objects.filter(complaint=complaint, public=True).order_by("at", "id")


def supplement_requests(complaint: Complaint) -> list[Pause]:
    """The complaint's supplement requests, oldest first, each with its reply if any."""
    return list(
        Pause.objects.filter(complaint=complaint).select_related("reply").order_by("started_at")
    )


def colleagues_matching(start: str, *, excluding, limit: int = 8):
    """Active colleagues whose name starts with ``start``, for the mention autocomplete."""
    if not start:
        return Staff.objects.none()
    return (
        Staff.objects.filter(active=True, name__startswith=start)
        .exclude(pk=excluding.pk)
        .select_related("team")
        .order_by("name", "id")[:limit]
    )


def history(complaint: Complaint):
    return Event.objects.filter(complaint=complaint).select_related("staff").order_by("at", "id")


def _day_bounds(now) -> tuple[datetime, datetime]:
    today = timezone.localtime(now).date()
    tz = timezone.get_current_timezone()
    start = datetime.combine(today, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def _tab_conditions(staff, now) -> dict[str, Q]:
    start, end = _day_bounds(now)
    team = Q() if staff.team_id is None else Q(team_id=staff.team_id)
    return {
        "mine": Q(assignee_id=staff.pk),
        "team": team,
        "unassigned": team & Q(status=Complaint.Status.RECEIVED, assignee__isnull=True),
        "today": team & Q(due_at__gte=start, due_at__lt=end),
        "overdue": team & Q(due_at__lt=now),
        "hold": team & Q(status=Complaint.Status.SUPPLEMENT),
    }


@dataclass(frozen=True)
class InboxFilters:
    category: int | None = None
    status: str = ""
    channel: str = ""
    vulnerable: bool = False
    q: str = ""
    due: str = ""  # "this_month", "next_month": the deadline falls in that month (Seoul)


def _due_month(now, which: str) -> Period:
    month = Period.containing("month", timezone.localtime(now).date())
    return Period.containing("month", month.end) if which == "next_month" else month


DUE_MONTHS = ("this_month", "next_month")


def inbox(user, *, tab: str, filters: InboxFilters, now=None):
    """Open complaints of one tab, soonest deadline first (served by partial indexes)."""
    now = now or timezone.now()
    staff = staff_of(user)
    rows = visible_to(user, Complaint)
    if staff is None:
        return rows.none()
    # a tab that names its status is open already; saying both would make the planner
    # multiply the two selectivities, expect a handful of rows and sort them all
    if tab not in PINNED_STATUS:
        rows = rows.filter(status__in=OPEN_STATUSES)
    rows = rows.filter(_tab_conditions(staff, now)[tab])
    if filters.category:
        rows = rows.filter(category_id=filters.category)
    if filters.status in OPEN_STATUSES and filters.status != PINNED_STATUS.get(tab):
        rows = rows.filter(status=filters.status)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.vulnerable and can_see_flags(staff):
        rows = rows.filter(citizen__vulnerable=True)
    if filters.due in DUE_MONTHS:
        start, end = _due_month(now, filters.due).bounds()
        rows = rows.filter(due_at__gte=start, due_at__lt=end)
    rows = matching(rows, filters.q)
    return (
        rows.select_related("category", "citizen", "assignee")
        .only(
            "receipt_number",
            "title",
            "status",
            "due_at",
            "same_day_due_at",
            "answered_at",
            "category__name",
            "citizen__name",
            "citizen__vulnerable",
            "assignee__name",
        )
        .order_by("due_at", "id")
    )


def receipt_lookup(user, q: str) -> int | None:
    """The key of the complaint a receipt number names, if ``user`` may see it (any
    status, any tab); ``None`` for other text."""
    q = q.strip()
    if not RECEIPT.match(q):
        return None
    return visible_to(user, Complaint).filter(receipt_number=q).values_list("pk", flat=True).first()


def matching(rows, q: str):
    """A receipt number finds its complaint; other text is looked for in title and body."""
    q = q.strip()
    if not q:
        return rows
    if RECEIPT.match(q):
        return rows.filter(receipt_number=q)
    return rows.filter(Q(title__icontains=q) | Q(body__icontains=q))


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One inbox line, worked out in Python once: the inbox is the busiest page, and
    template look-ups, URL reversing and date formatting per row are what it costs."""

    pk: int
    url: str
    receipt_number: str
    title: str
    same_day: bool
    vulnerable: bool
    category: str
    citizen: str
    status: str
    assignee: str
    due: str
    overdue: bool
    left: str

    def __getitem__(self, name: str):
        """A template looks a name up as an item first: answering it spares the failed
        look-up (an exception) for each of a row's fields."""
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None


def detail_urls(pks) -> dict[int, str]:
    """Each complaint page's address from one ``reverse`` (it costs ~80 µs a call)."""
    head, tail = reverse("staff-complaint-detail", args=[0]).rsplit("/0/", 1)
    return {pk: f"{head}/{pk}/{tail}" for pk in pks}


def inbox_rows(complaints, *, calendar: BusinessCalendar, now) -> list[InboxRow]:
    complaints = list(complaints)
    urls = detail_urls(c.pk for c in complaints)
    statuses = {value: str(label) for value, label in Complaint.Status.choices}
    tz = timezone.get_current_timezone()
    rows = []
    for c in complaints:
        overdue, left = remaining(calendar, now, c.due_at, c.answered_at)
        rows.append(
            InboxRow(
                pk=c.pk,
                url=urls[c.pk],
                receipt_number=c.receipt_number,
                title=c.listed_title,
                same_day=c.same_day_due_at is not None,
                vulnerable=c.citizen.vulnerable,
                category=c.category.name,
                citizen=c.citizen.masked_label,
                status=statuses.get(c.status, c.status),
                assignee=c.assignee.name if c.assignee_id else "-",
                due=c.due_at.astimezone(tz).strftime("%m-%d %H:%M"),
                overdue=overdue,
                left=left,
            )
        )
    return rows


def tab_counts(user, *, now=None) -> dict[str, int]:
    """Every tab's count in one query."""
    now = now or timezone.now()
    staff = staff_of(user)
    if staff is None:
        return dict.fromkeys(TABS, 0)
    conditions = _tab_conditions(staff, now)
    return (
        visible_to(user, Complaint)
        .filter(status__in=OPEN_STATUSES)
        .aggregate(**{tab: Count("pk", filter=conditions[tab]) for tab in TABS})
    )


def remaining(calendar: BusinessCalendar, now, due, answered_at=None) -> tuple[bool, str]:
    """Where a complaint stands against its deadline, as people say it: "2시간 남음",
    "1일 3시간 초과"; once answered, when and whether on time: "11-23 14:05 답변 (기한 내)",
    "11-23 14:05 답변 (3시간 늦음)". The flag says it is (or was) late."""
    if answered_at is not None:
        late = answered_at > due
        when = timezone.localtime(answered_at).strftime("%m-%d %H:%M")
        if not late:
            return False, _("%(when)s 답변 (기한 내)") % {"when": when}
        amount = _working_amount(calendar, due, answered_at)
        return True, _("%(when)s 답변 (%(amount)s 늦음)") % {"when": when, "amount": amount}
    overdue = due < now
    amount = _working_amount(calendar, *sorted((now, due)))
    return overdue, (_("%(amount)s 초과") if overdue else _("%(amount)s 남음")) % {"amount": amount}


def _working_amount(calendar: BusinessCalendar, start, end) -> str:
    """Working time between two moments: "1일 3시간", "2시간", "15분"."""
    minutes = int(calendar.working_time_between(start, end).total_seconds() // 60)
    days, minutes = divmod(minutes, HOURS_PER_DAY * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(_("%(n)d일") % {"n": days})
    if hours:
        parts.append(_("%(n)d시간") % {"n": hours})
    if not days and not hours:
        parts.append(_("%(n)d분") % {"n": minutes})
    return " ".join(parts)


def board(user, *, now=None):
    """The same-day board: per team, today's intake and answers, the same-day rate, and
    the items at risk and overdue. A fixed number of queries whatever the volume."""
    now = now or timezone.now()
    start, end = _day_bounds(now)
    staff = staff_of(user)
    rows = visible_to(user, Complaint)
    if staff is not None and staff.team_id is not None and staff.role != "cs_admin":
        rows = rows.filter(team_id=staff.team_id)
    open_rows = rows.filter(status__in=OPEN_STATUSES)
    stats = list(
        rows.filter(
            Q(received_at__gte=start, received_at__lt=end)
            | Q(answered_at__gte=start, answered_at__lt=end)
            | Q(same_day_due_at__gte=start, same_day_due_at__lt=end)
        )
        .values("team_id", "team__name")
        .annotate(
            received=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
            answered=Count("pk", filter=Q(answered_at__gte=start, answered_at__lt=end)),
            same_day_total=Count(
                "pk", filter=Q(same_day_due_at__gte=start, same_day_due_at__lt=end)
            ),
            same_day_met=Count(
                "pk",
                filter=Q(
                    same_day_due_at__gte=start,
                    same_day_due_at__lt=end,
                    answered_at__lte=F("same_day_due_at"),
                ),
            ),
        )
        .order_by("team__name")
    )
    for row in stats:
        total = row["same_day_total"]
        row["same_day_rate"] = round(100 * row["same_day_met"] / total) if total else None
    listed = ("receipt_number", "title", "due_at", "same_day_due_at", "team__name")
    at_risk = (
        open_rows.filter(same_day_due_at__gte=now, same_day_due_at__lt=end)
        .select_related("assignee", "team")
        .only(*listed, "assignee__name")
        .order_by("same_day_due_at", "id")[:20]
    )
    overdue = (
        open_rows.filter(due_at__lt=now)
        .select_related("assignee", "team")
        .only(*listed, "assignee__name")
        .order_by("due_at", "id")[:20]
    )
    at_risk, overdue = list(at_risk), list(overdue)
    urls = detail_urls(c.pk for c in at_risk + overdue)
    for complaint in at_risk + overdue:
        complaint.detail_url = urls[complaint.pk]
    return stats, at_risk, overdue


SIMILARITY = 0.3  # pg_trgm's default threshold
CANDIDATES = 300


def similar_complaints(complaint: Complaint, *, same_citizen: bool, limit: int = 10):
    """Complaints whose title reads like this one's: the same citizen's (a repeated
    matter) or others' (the same issue reported by several people). Trigram similarity
    on PostgreSQL (GIN-indexed); elsewhere, the same category stands in for it."""
    from django.db import connection

    others = Complaint.objects.exclude(pk=complaint.pk)
    if same_citizen:  # a citizen's own complaints of the past year (few, by index)
        others = others.filter(
            citizen_id=complaint.citizen_id,
            received_at__gte=complaint.received_at - timedelta(days=365),
        )
    else:  # the same issue from others: same category, the 30 days around it
        others = others.exclude(citizen_id=complaint.citizen_id).filter(
            category_id=complaint.category_id,
            received_at__gte=complaint.received_at - timedelta(days=30),
            received_at__lte=complaint.received_at + timedelta(days=30),
        )
    if connection.vendor != "postgresql":
        return list(
            others.filter(category_id=complaint.category_id).order_by("-received_at")[:limit]
        )
    from django.contrib.postgres.search import TrigramSimilarity

    # compare with a bounded set of the nearest candidates, so that a common title (or a
    # busy month) cannot make the page slow
    candidates = others.order_by("-received_at").values("pk")[:CANDIDATES]
    return list(
        Complaint.objects.filter(pk__in=candidates)
        .annotate(similarity=TrigramSimilarity("title", complaint.title))
        .filter(similarity__gte=SIMILARITY)
        .only("pk", "receipt_number", "title", "status", "received_at", "answered_at", "citizen_id")
        .order_by("-similarity", "-received_at")[:limit]
    )


@dataclass
class DayFacts:
    """One team's handling on one day, for the scorecards' rollups."""

    received: int = 0
    same_day_eligible: int = 0  # received that day with a same-day target
    same_day_met: int = 0  # ... and answered by it
    answered: int = 0
    answered_on_time: int = 0  # answered that day by the (possibly extended) deadline
    processing_minutes: int = 0  # working time from receipt to answer, pauses left out
    repeated: int = 0  # received that day and linked as a duplicate of an earlier one
    withdrawn: int = 0  # withdrawn that day (취하): neither answered nor late


def handling_facts(start: datetime, end: datetime, calendar: BusinessCalendar) -> dict:
    """Per team, what happened in ``[start, end)``: receipts (with their same-day outcome)
    and answers (with on-time and working-hour processing time). Reads only the complaints
    received or answered in the window, through the (team, received_at) and
    (team, answered_at) indexes."""
    facts: dict[int, DayFacts] = {}
    received = Complaint.objects.filter(received_at__gte=start, received_at__lt=end).values_list(
        "team_id", "same_day_due_at", "answered_at", "duplicate_of_id", "status"
    )
    for team_id, same_day_due, answered_at, duplicate_of, status in received:
        row = facts.setdefault(team_id, DayFacts())
        row.received += 1
        row.repeated += duplicate_of is not None
        # a withdrawn complaint had no same-day answer to give: out of the same-day rate
        if same_day_due is not None and status != Complaint.Status.WITHDRAWN:
            row.same_day_eligible += 1
            row.same_day_met += answered_at is not None and answered_at <= same_day_due
    withdrawn = Complaint.objects.filter(
        status=Complaint.Status.WITHDRAWN, closed_at__gte=start, closed_at__lt=end
    ).values_list("team_id", flat=True)
    for team_id in withdrawn:
        facts.setdefault(team_id, DayFacts()).withdrawn += 1
    window = {"answered_at__gte": start, "answered_at__lt": end}
    pauses = _pauses_of(window)
    answered = Complaint.objects.filter(**window).values_list(
        "pk", "team_id", "received_at", "answered_at", "due_at"
    )
    for pk, team_id, received_at, answered_at, due_at in answered:
        row = facts.setdefault(team_id, DayFacts())
        row.answered += 1
        row.answered_on_time += answered_at <= due_at
        row.processing_minutes += processing_minutes(
            received_at, answered_at, pauses.get(pk, ()), calendar
        )
    return facts


def _pauses_of(window: dict) -> dict[int, list[tuple]]:
    """The supplement pauses of the complaints answered in a window, in one query."""
    pauses: dict[int, list[tuple]] = {}
    rows = Pause.objects.filter(**{f"complaint__{k}": v for k, v in window.items()})
    for complaint_id, started, ended in rows.values_list("complaint_id", "started_at", "ended_at"):
        pauses.setdefault(complaint_id, []).append((started, ended))
    return pauses


def processing_minutes(received_at, answered_at, pauses, calendar: BusinessCalendar) -> int:
    """Working time from receipt to answer, less the time supplement requests stopped
    the clock."""
    worked = calendar.working_time_between(received_at, answered_at)
    for started, ended in pauses:
        worked -= calendar.working_time_between(started, ended or answered_at)
    return max(0, int(worked.total_seconds() // 60))


def overdue_counts(now) -> dict[int, int]:
    """Open complaints past their deadline now, per team."""
    return dict(
        Complaint.objects.filter(status__in=OPEN_STATUSES, due_at__lt=now)
        .values("team_id")
        .annotate(n=Count("pk"))
        .values_list("team_id", "n")
    )


EQUITY_DIMENSIONS = ("age", "district", "channel", "vulnerable", "language")


@dataclass
class SegmentFacts:
    answered: int = 0
    answered_on_time: int = 0
    processing_minutes: int = 0
    processing_squares: float = 0.0  # Σ hours²
    rated: int = 0
    rating_sum: float = 0.0  # 100-point scale
    rating_squares: float = 0.0


def _segments_of(citizen, channel: str, year: int) -> dict[str, str]:
    return {
        "age": age_key(citizen.birth_year, year),
        "district": citizen.sigungu or "-",
        "channel": channel,
        "vulnerable": "yes" if citizen.vulnerable else "no",
        "language": citizen.preferred_language or "-",
    }


def equity_facts(start: datetime, end: datetime, calendar: BusinessCalendar) -> dict:
    """(dimension, segment) -> SegmentFacts for complaints answered, and ratings given,
    in ``[start, end)``: the raw material of the equity analysis (공평한 서비스)."""
    facts: dict[tuple[str, str], SegmentFacts] = {}
    fields = (
        "citizen__birth_year",
        "citizen__sigungu",
        "citizen__vulnerable",
        "citizen__preferred_language",
    )
    window = {"answered_at__gte": start, "answered_at__lt": end}
    pauses = _pauses_of(window)
    answered = (
        Complaint.objects.filter(**window)
        .select_related("citizen")
        .only("channel", "received_at", "answered_at", "due_at", *fields)
    )
    for complaint in answered:
        minutes = processing_minutes(
            complaint.received_at, complaint.answered_at, pauses.get(complaint.pk, ()), calendar
        )
        year = timezone.localtime(complaint.received_at).year
        for key in _segments_of(complaint.citizen, complaint.channel, year).items():
            row = facts.setdefault(key, SegmentFacts())
            row.answered += 1
            row.answered_on_time += complaint.answered_at <= complaint.due_at
            row.processing_minutes += minutes
            row.processing_squares += (minutes / 60) ** 2
    rated = (
        Complaint.objects.filter(rated_at__gte=start, rated_at__lt=end, rating__isnull=False)
        .select_related("citizen")
        .only("channel", "received_at", "rating", *fields)
    )
    for complaint in rated:
        score = (complaint.rating - 1) * 25.0
        year = timezone.localtime(complaint.received_at).year
        for key in _segments_of(complaint.citizen, complaint.channel, year).items():
            row = facts.setdefault(key, SegmentFacts())
            row.rated += 1
            row.rating_sum += score
            row.rating_squares += score * score
    return facts


def find_for_tracking(receipt_number: str, phone_last4: str) -> Complaint | None:
    """The complaint only if the receipt number and the phone's last four digits match."""
    complaint = (
        Complaint.objects.select_related("citizen")
        .filter(receipt_number=receipt_number.strip())
        .first()
    )
    if complaint is None or not complaint.citizen.phone:
        return None
    if not secrets.compare_digest(complaint.citizen.phone[-4:], phone_last4.strip()):
        return None
    return complaint


def find_by_secret(secret: str) -> Complaint | None:
    return (
        Complaint.objects.select_related("category", "team")
        .filter(tracking_hash=secret_digest(secret))
        .first()
    )
