"""Reminders for call tasks, as for complaints: on the due day to whoever holds the call,
when it is overdue, and to the team's leader once it is a working day over.

A notice is a row with a unique key (call, kind, due time, recipient): inserting it is
the claim, so two sweeps at once, or one run again, tell nobody twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy

from pcrm.lib.calendar import HOURS_PER_DAY, BusinessCalendar
from pcrm.notify.services import staff_notify
from pcrm.org.calendar import organisation_calendar
from surveys.models import Call

TEXTS = {
    "due_today": gettext_lazy("오늘이 통화 기한"),
    "overdue": gettext_lazy("통화 기한 초과"),
    "overdue_leader": gettext_lazy("팀 통화 과제가 1근무일 넘게 기한 초과"),
}


def due_notices(call: Call, now: datetime, calendar: BusinessCalendar) -> list[tuple[str, object]]:
    """(kind, staff) the call calls for at ``now`` (pure: no queries)."""
    worker = call.assignee or call.team.leader
    leader = call.team.leader
    day = call.due_at.astimezone(calendar.tz).date()
    notices = []
    if now >= datetime.combine(day, calendar.hours.start, tzinfo=calendar.tz):
        notices.append(("due_today" if now <= call.due_at else "overdue", worker))
    a_day_over = now > call.due_at and calendar.working_time_between(call.due_at, now) > timedelta(
        hours=HOURS_PER_DAY
    )
    # the leader hears of it once, not again when they hold the call themselves
    if a_day_over and leader is not None and (worker is None or leader.pk != worker.pk):
        notices.append(("overdue_leader", leader))
    return [(kind, staff) for kind, staff in notices if staff is not None and staff.active]


def sweep_call_reminders(*, now: datetime | None = None) -> int:
    """Create the call notices that came due; returns how many were new."""
    now = now or timezone.now()
    calendar = organisation_calendar()
    calls = Call.objects.filter(
        status=Call.Status.OPEN, due_at__lte=now + timedelta(days=1)
    ).select_related("assignee", "team__leader", "citizen")
    created = 0
    for call in calls.iterator(chunk_size=1000):
        for kind, staff in due_notices(call, now, calendar):
            created += staff_notify(
                key=f"call:{call.pk}:{kind}:{int(call.due_at.timestamp())}:staff:{staff.pk}",
                staff=staff,
                text=f"{call.get_kind_display()} {call.citizen.masked_label} — {TEXTS[kind]!s}",
                link=f"/staff/calls/{call.pk}/",
                at=now,
            )
    return created
