"""Happy-calls and catch-calls: scheduling after an answer, the material sent before, the
tries and their answers, the daily catch-call list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.contact import recipient_of
from citizens.models import Citizen
from citizens.selectors import is_dissatisfied
from citizens.services import contact_add, dissatisfaction_mark
from complaints.models import Complaint
from complaints.services import tracking_url
from pcrm.audit.models import AccessLog
from pcrm.audit.services import record_access
from pcrm.notify.services import message_to
from pcrm.org.access import require as _require
from pcrm.org.calendar import organisation_calendar
from pcrm.org.models import Staff, Team
from surveys import selectors, services
from surveys.access import can_work_call
from surveys.errors import SurveyError
from surveys.models import (
    Call,
    CallAttempt,
    Campaign,
    Channel,
)
from surveys.selectors import current_campaign, questions_of

Role = Staff.Role

CALLING_HOURS = ((time(10), time(12)), (time(14), time(17)))


# --- calls --------------------------------------------------------------------------------------


def _caller_of(team: Team) -> Staff | None:
    return team.caller if team.caller_id else team.leader


def happy_call_schedule(*, complaint: Complaint, now: datetime | None = None) -> Call | None:
    """A happy-call task for the team's caller (or leader), due within N working days;
    none for a citizen who refuses calls, has no phone or consent, or had a call task in
    the last 30 days."""
    now = now or timezone.now()
    citizen = Citizen.objects.select_for_update().get(pk=complaint.citizen_id)
    if not selectors.citizen_reachable(citizen, by_phone=True) or selectors.called_recently(
        citizen.pk, now
    ):
        return None
    team = Team.objects.select_related("caller", "leader").get(pk=complaint.team_id)
    calendar = organisation_calendar()
    due_day = timezone.localtime(now).date()
    for _n in range(settings.HAPPY_CALL_WORKING_DAYS):
        due_day = calendar.next_working_day(due_day, include=False)
    call, _created = Call.objects.get_or_create(
        source=f"answered:{complaint.pk}",
        defaults={
            "kind": Call.Kind.HAPPY,
            "reason": Call.Reason.ANSWERED,
            "citizen": citizen,
            "complaint": complaint,
            "team": team,
            "assignee": _caller_of(team),
            "campaign": current_campaign(Campaign.Kind.HAPPY_CALL, team.pk),
            "created_at": now,
            "list_date": timezone.localtime(now).date(),
            "due_at": calendar.end_of_working_day(due_day),
        },
    )
    return call


def send_call_material(*, now: datetime | None = None, limit: int = 200) -> int:
    """Before a happy-call, the answer summary and the FAQ link by SMS (or e-mail), so the
    citizen knows who is calling. Each call's material is sent once."""
    now = now or timezone.now()
    due = list(
        Call.objects.filter(
            kind=Call.Kind.HAPPY, status=Call.Status.OPEN, material_sent_at__isnull=True
        )
        .select_related("citizen", "complaint", "team")
        .order_by("created_at")[:limit]
    )
    sent = 0
    for call in due:
        with transaction.atomic():
            if not Call.objects.filter(pk=call.pk, material_sent_at__isnull=True).update(
                material_sent_at=now
            ):
                continue
            citizen, complaint = call.citizen, call.complaint
            answer = complaint.answers.order_by("-at", "-id").first() if complaint else None
            message = message_to(
                recipient_of(citizen, "happy-call-material"),
                about=f"complaint:{complaint.pk}" if complaint else "",
                team_id=call.team_id,
                template="happy-call-material",
                context={
                    "complaint": complaint,
                    "team": call.team,
                    "summary": (answer.text[:120] if answer else ""),
                    "answer_url": tracking_url(complaint.tracking_secret) if complaint else "",
                    "faq_url": settings.PUBLIC_FAQ_URL
                    or settings.PCRM_BASE_URL.rstrip("/") + reverse("faq"),
                    "organisation_name": settings.ORGANISATION_NAME,
                },
                dedupe_key=f"call:{call.pk}:material",
            )
            if message is None:
                continue  # the citizen cannot be reached in writing, or asked not to be
            contact_add(
                citizen_id=citizen.pk,
                kind="call.material",
                summary=_("해피콜 안내 자료 발송"),
                at=now,
                channel="email" if message.channel == "email" else "sms",
                source=f"call-material:{call.pk}",
                counts=False,
            )
            sent += 1
    return sent


def in_calling_hours(moment: datetime) -> bool:
    """On a working day, 10-12 or 14-17 (local time)."""
    local = timezone.localtime(moment)
    if not organisation_calendar().is_working_day(local.date()):
        return False
    return any(start <= local.time() < end for start, end in CALLING_HOURS)


@dataclass(frozen=True)
class Attempt:
    outcome: str
    note: str = ""
    answers: dict | None = None
    intent_note: str = ""


REACHED = (Call.Outcome.REACHED, Call.Outcome.DISSATISFIED)


def call_attempt(*, staff: Staff, call: Call, attempt: Attempt, now: datetime | None = None):
    """Record one try. Up to three tries on different working days, within calling hours;
    a reached citizen's answers are stored as a response on the phone channel."""
    now = now or timezone.now()
    with transaction.atomic():
        call = (
            Call.objects.select_for_update(of=("self",))
            .select_related("campaign", "team__leader")
            .get(pk=call.pk)
        )
        _require(can_work_call(staff, call))
        if call.status != Call.Status.OPEN:
            raise SurveyError(_("이미 끝난 통화 과제입니다."))
        if call.kind == Call.Kind.HAPPY and call.material_sent_at is None:
            raise SurveyError(
                _(
                    "안내 자료(답변 요약과 자주 묻는 질문)가 발송된 뒤에 전화해 주세요. "
                    "몇 분 안에 발송됩니다."
                )
            )
        if not in_calling_hours(now):
            raise SurveyError(
                _(
                    "전화는 근무일 10시~12시, 14시~17시에만 걸 수 있습니다. "
                    "그 시간에 다시 기록해 주세요."
                )
            )
        today = timezone.localtime(now).date()
        earlier = [timezone.localtime(a.at).date() for a in call.attempt_rows.all()]
        if today in earlier:
            raise SurveyError(
                _("같은 날 두 번 전화하지 않습니다. 다른 근무일에 다시 시도해 주세요.")
            )
        if len(earlier) >= settings.CALL_MAX_ATTEMPTS:
            raise SurveyError(_("시도 횟수를 모두 썼습니다."))
        if attempt.outcome not in Call.Outcome.values:
            raise SurveyError(_("통화 결과를 골라 주세요."))
        if attempt.intent_note.strip():
            call.intent_note = attempt.intent_note.strip()
        if not call.intent_note and is_dissatisfied(call.citizen_id):
            raise SurveyError(_("불만 고객입니다. 전화하기 전에 질의의도 분석을 적어 주세요."))
        CallAttempt.objects.create(
            call=call, at=now, staff=staff, outcome=attempt.outcome, note=attempt.note
        )
        call.attempts = len(earlier) + 1
        if attempt.outcome in REACHED:
            if call.campaign is not None:
                call.response = services.response_store(
                    campaign=call.campaign,
                    team_id=call.team_id,
                    channel=Channel.PHONE,
                    questions=questions_of(call.campaign),
                    answers=attempt.answers or {},
                    invitation=None,
                    complaint_id=call.complaint_id,
                    at=now,
                )
            call.status = Call.Status.DONE
        elif attempt.outcome == Call.Outcome.REFUSED:
            call.status = Call.Status.REFUSED
        elif attempt.outcome == Call.Outcome.WRONG_NUMBER or (
            call.attempts >= settings.CALL_MAX_ATTEMPTS
        ):
            call.status = Call.Status.UNREACHABLE
        if call.status != Call.Status.OPEN:
            call.closed_at = now
        call.save(update_fields=["attempts", "status", "closed_at", "response", "intent_note"])
        if attempt.outcome == Call.Outcome.DISSATISFIED:
            dissatisfaction_mark(
                citizen_id=call.citizen_id,
                reviewer=call.team.leader,
                reason=_("%(kind)s 통화에서 불만") % {"kind": call.get_kind_display()},
                source=f"call:{call.pk}",
                today=timezone.localtime(now).date(),
            )
        contact_add(
            citizen_id=call.citizen_id,
            kind="call.attempt",
            summary=_("%(kind)s: %(outcome)s")
            % {"kind": call.get_kind_display(), "outcome": Call.Outcome(attempt.outcome).label},
            at=now,
            channel="phone",
            staff=staff,
            source=f"call-attempt:{call.pk}:{call.attempts}",
            counts=attempt.outcome in REACHED,
        )
    return call


def call_viewed(*, staff: Staff, call: Call) -> None:
    """The caller sees the number to dial: a logged view of personal data."""
    record_access(
        subject=call.citizen,
        action=AccessLog.Action.VIEW,
        actor=staff.user,
        purpose=call.get_kind_display(),
        detail={"call": call.pk},
    )


def build_catch_call_list(*, now: datetime | None = None) -> int:
    """Today's catch-call list, one task per at-risk situation, for the team leader.
    The source key is unique, so the sweep may run any number of times."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    calendar = organisation_calendar()
    due = calendar.end_of_working_day(calendar.next_working_day(today))
    candidates = list(selectors.catch_candidates(now))
    known = set(
        Call.objects.filter(source__in=[c[1] for c in candidates]).values_list("source", flat=True)
    )
    fresh = [c for c in candidates if c[1] not in known]
    citizens = Citizen.objects.in_bulk({c[2] for c in fresh})
    teams = Team.objects.in_bulk({c[3] for c in fresh})
    open_catch = set(
        Call.objects.filter(
            kind=Call.Kind.CATCH, status=Call.Status.OPEN, citizen_id__in=citizens
        ).values_list("citizen_id", flat=True)
    )
    script = current_campaign(Campaign.Kind.CATCH_CALL, None, today=today)
    rows = []
    for reason, source, citizen_id, team_id, complaint_id in fresh:
        citizen = citizens[citizen_id]
        if citizen_id in open_catch or not citizen.phone or citizen.do_not_call:
            continue
        if citizen.anonymised_at is not None:
            continue
        open_catch.add(citizen_id)
        rows.append(
            Call(
                kind=Call.Kind.CATCH,
                reason=reason,
                source=source,
                citizen_id=citizen_id,
                complaint_id=complaint_id,
                team_id=team_id,
                assignee_id=teams[team_id].leader_id,
                campaign=script,
                created_at=now,
                list_date=today,
                due_at=due,
            )
        )
    return len(Call.objects.bulk_create(rows, ignore_conflicts=True))


def complaint_answered(*, complaint: Complaint, now: datetime | None = None) -> None:
    """After an answer: the post-complaint survey link and the happy-call task."""
    now = now or timezone.now()
    citizen = complaint.citizen
    if not selectors.citizen_reachable(citizen, by_phone=False):
        return
    campaign = current_campaign(Campaign.Kind.POST_COMPLAINT, complaint.team_id)
    channel = selectors.citizen_channel(citizen)
    if campaign is not None and channel is not None:
        services._invite(
            campaign, complaint.team_id, channel, now=now, citizen=citizen, complaint=complaint
        )
    happy_call_schedule(complaint=complaint, now=now)
