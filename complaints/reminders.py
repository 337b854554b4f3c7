"""Reminders and escalation, and the 30-day progress notice: short sweeps that beat runs.

Nothing is scheduled ahead: each sweep looks at the open complaints and works out which
notices are due now. A notice is a row with a unique key (complaint, kind, deadline,
recipient); inserting it is the claim, so running a sweep twice, or in two workers at
once, notifies nobody twice, and a sweep that ran late (broker down) still sends what
came due meanwhile. E-mail copies are outgoing-message rows with the same key, sent
exactly once by the notify sweep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from complaints.models import Complaint, Event
from complaints.services import notify_citizen
from pcrm.lib.calendar import HOURS_PER_DAY, BusinessCalendar, Period
from pcrm.notify.models import Message, StaffNotification
from pcrm.notify.services import message_queue, staff_notify
from pcrm.org.calendar import organisation_calendar

LOOKAHEAD = timedelta(days=21)  # far enough for "3 working days before" across holidays
SAME_DAY_WARNING = time(16)


@dataclass(frozen=True)
class Notice:
    complaint: Complaint
    kind: str
    staff: object

    @property
    def key(self) -> str:
        due = int(self.complaint.due_at.timestamp())
        return f"complaint:{self.complaint.pk}:{self.kind}:{due}:staff:{self.staff.pk}"


TEXTS = {
    "before_3": gettext_lazy("처리기한 3근무일 전"),
    "due_today": gettext_lazy("오늘 처리기한"),
    "overdue": gettext_lazy("처리기한 초과"),
    "overdue_leader": gettext_lazy("팀 민원 처리기한 초과"),
    "overdue_head": gettext_lazy("처리기한 1근무일 넘게 초과"),
    "same_day_16": gettext_lazy("당일처리 미답변 (16시)"),
}


# kinds that are one reason told to different people (the escalation of a delay)
REASONS = {"overdue_leader": "overdue", "overdue_head": "overdue"}


def _working_days_before(calendar: BusinessCalendar, day, n: int):
    counted = 0
    while counted < n:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def due_notices(complaint: Complaint, now: datetime, calendar: BusinessCalendar) -> list[Notice]:
    """The notices ``complaint`` calls for at ``now`` (pure: no queries)."""
    tz = calendar.tz
    due = complaint.due_at
    day = due.astimezone(tz).date()
    opening = calendar.hours.start
    worker = complaint.assignee or complaint.team.leader
    leader = complaint.team.leader
    head = complaint.team.department.head
    notices = []

    def add(kind, staff):
        if staff is None or not staff.active:
            return
        # one notice per person and reason: a leader who is also the worker (an
        # unassigned complaint), or a head who leads the team, hears of the delay once
        reason = REASONS.get(kind, kind)
        if any(n.staff.pk == staff.pk and REASONS.get(n.kind, n.kind) == reason for n in notices):
            return
        notices.append(Notice(complaint, kind, staff))

    if now <= due:
        period = Period.parse(complaint.period)
        if not period.counted_in_hours:
            start = _working_days_before(calendar, day, 3)
            if now >= datetime.combine(start, opening, tzinfo=tz):
                add("before_3", worker)
        if now >= datetime.combine(day, opening, tzinfo=tz):
            add("due_today", worker)
    if now > due:
        add("overdue", worker)
        add("overdue_leader", leader)
        if calendar.working_time_between(due, now) > timedelta(hours=HOURS_PER_DAY):
            add("overdue_head", head)
    target = complaint.same_day_due_at
    if target is not None and now < target:
        warn = datetime.combine(target.astimezone(tz).date(), SAME_DAY_WARNING, tzinfo=tz)
        if now >= warn:
            add("same_day_16", worker)
    return notices


def sweep_reminders(*, now: datetime | None = None) -> int:
    """Create the notices that came due; returns how many were new."""
    now = now or timezone.now()
    calendar = organisation_calendar()
    candidates = (
        Complaint.objects.filter(status__in=Complaint.OPEN_STATUSES, due_at__lte=now + LOOKAHEAD)
        .select_related("assignee__user", "team__leader__user", "team__department__head__user")
        .only(
            "pk",
            "receipt_number",
            "title",
            "period",
            "due_at",
            "same_day_due_at",
            "assignee",
            "team",
            "assignee__user__email",
            "assignee__active",
            "assignee__name",
            "team__leader__user__email",
            "team__leader__active",
            "team__leader__name",
            "team__department__head__user__email",
            "team__department__head__active",
            "team__department__head__name",
            "team__name",
            "team__department__name",
        )
    )
    notices = [
        n for c in candidates.iterator(chunk_size=2000) for n in due_notices(c, now, calendar)
    ]
    if not notices:
        return 0
    existing = set(
        StaffNotification.objects.filter(key__in=[n.key for n in notices]).values_list(
            "key", flat=True
        )
    )
    new = [n for n in notices if n.key not in existing]
    created = 0
    for notice in new:
        with transaction.atomic():
            if staff_notify(
                key=notice.key,
                staff=notice.staff,
                text=f"{notice.complaint.receipt_number} {notice.complaint.title} — "
                f"{TEXTS[notice.kind]!s}",
                link=f"/staff/complaints/{notice.complaint.pk}/",
                at=now,
            ):
                created += 1
                _email(notice)
    return created


def _email(notice: Notice) -> None:
    address = notice.staff.user.email
    if address:
        message_queue(
            channel=Message.Channel.EMAIL,
            recipient=address,
            template="staff-reminder",
            context={
                "complaint": notice.complaint,
                "what": str(TEXTS[notice.kind]),
                "link": settings.PCRM_BASE_URL.rstrip("/")
                + f"/staff/complaints/{notice.complaint.pk}/",
            },
            dedupe_key=notice.key,
        )


def send_progress_notices(*, now: datetime | None = None) -> int:
    """Complaints open for 30 days: tell the citizen once where things stand."""
    now = now or timezone.now()
    due = Complaint.objects.filter(
        status__in=Complaint.OPEN_STATUSES, received_at__lte=now - timedelta(days=30)
    ).exclude(events__kind=Event.Kind.PROGRESS_NOTICE)
    sent = 0
    for complaint in due.select_related("citizen").iterator(chunk_size=500):
        with transaction.atomic():
            # one sweep at a time per complaint: the second finds the first one's event
            Complaint.objects.select_for_update().filter(pk=complaint.pk).first()
            if Event.objects.filter(complaint=complaint, kind=Event.Kind.PROGRESS_NOTICE).exists():
                continue
            # (nothing goes to a citizen who cannot or must not be reached; the event
            # is kept all the same, so the sweep does not ask again)
            notify_citizen(complaint, "complaint-progress", "progress30")
            Event.objects.create(
                complaint=complaint,
                kind=Event.Kind.PROGRESS_NOTICE,
                to_status=complaint.status,
                at=now,
            )
            sent += 1
    return sent
