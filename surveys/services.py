"""Business actions of surveys, calls and courtesy evaluations.

Every sending goes through the outgoing-message outbox with a dedupe key (exactly once);
every sweep claims its rows with a conditional update or a unique key, so running it
twice, or in two workers, changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.consents import SATISFACTION_SURVEY
from citizens.models import Citizen
from citizens.selectors import consenting, has_consent
from citizens.services import contact_add
from complaints.models import Complaint
from complaints.services import complaint_rate, tracking_url
from pcrm.audit.models import AccessLog
from pcrm.audit.services import record_access
from pcrm.lib.crypto import new_secret
from pcrm.notify.models import StaffNotification
from pcrm.notify.services import message_queue
from pcrm.org.access import require as _require
from pcrm.org.calendar import organisation_calendar
from pcrm.org.models import Staff, Team
from surveys import defaults
from surveys.access import can_hold_interview, can_work_call
from surveys.errors import SurveyError
from surveys.models import (
    Call,
    CallAttempt,
    Campaign,
    Channel,
    CourtesyEvaluation,
    CourtesyItem,
    CourtesyScore,
    CourtesySheet,
    Dimension,
    DimensionScore,
    Invitation,
    LeaderInterview,
    Question,
    Questionnaire,
    Response,
    ResponseItem,
)
from surveys.selectors import current_campaign, invitation_for, questions_of

Role = Staff.Role
CALLING_HOURS = ((time(10), time(12)), (time(14), time(17)))
LOW_RATING = 2  # of 5: a catch-call candidate
INTERVIEW_WORKING_DAYS = 10
TEAM_SURVEY_KINDS = {Campaign.Kind.EXTERNAL, Campaign.Kind.INTERNAL, Campaign.Kind.COOPERATION}


# --- questionnaires, campaigns and invitations ------------------------------------------------


def questionnaire_create(
    *, code: str, title: str, questions: list[tuple[str, str, str]], version: int = 1
) -> Questionnaire:
    """A questionnaire with its (kind, dimension, text) questions in order; free-text
    questions are optional, the others required."""
    questionnaire = Questionnaire.objects.create(code=code, version=version, title=title)
    Question.objects.bulk_create(
        [
            Question(
                questionnaire=questionnaire,
                order=order,
                kind=kind,
                dimension=dimension,
                text=text,
                required=kind != Question.Kind.TEXT,
            )
            for order, (kind, dimension, text) in enumerate(questions, start=1)
        ]
    )
    return questionnaire


def questionnaire_in_use(questionnaire: Questionnaire) -> bool:
    """Once a campaign asks it, a questionnaire is frozen: results must keep meaning what
    was asked. Changes go into a new version."""
    return Campaign.objects.filter(questionnaire=questionnaire).exists()


@transaction.atomic
def questionnaire_new_version(*, questionnaire: Questionnaire) -> Questionnaire:
    """Copy a questionnaire and its questions as the next version of its code."""
    latest = (
        Questionnaire.objects.select_for_update()
        .filter(code=questionnaire.code)
        .order_by("-version")
        .first()
    )
    copy = Questionnaire.objects.create(
        code=questionnaire.code,
        version=latest.version + 1,
        title=questionnaire.title,
        intro=questionnaire.intro,
    )
    Question.objects.bulk_create(
        [
            Question(
                questionnaire=copy,
                order=q.order,
                kind=q.kind,
                dimension=q.dimension,
                text=q.text,
                choices=q.choices,
                required=q.required,
            )
            for q in questionnaire.questions.all()
        ]
    )
    return copy


def survey_url(token: str) -> str:
    return settings.PCRM_BASE_URL.rstrip("/") + reverse("survey-respond", args=[token])


def _contact_of(invitation: Invitation) -> tuple[str, str] | None:
    """The (channel, recipient) to send an invitation to, or ``None``."""
    if invitation.staff_id:
        email = invitation.staff.user.email
        return ("email", email) if email else None
    citizen = invitation.citizen
    if invitation.channel == Channel.SMS and citizen.phone:
        return "sms", citizen.phone
    if invitation.channel == Channel.EMAIL and citizen.email:
        return "email", citizen.email
    return None


def _send(invitation: Invitation, token: str, *, reminder: bool) -> None:
    contact = _contact_of(invitation)
    if contact is None:
        return
    channel, recipient = contact
    message_queue(
        channel=channel,
        recipient=recipient,
        template="survey-reminder" if reminder else "survey-invitation",
        context={
            "campaign": invitation.campaign,
            "team": invitation.team,
            "url": survey_url(token),
            "expires_at": timezone.localtime(invitation.expires_at),
            "organisation_name": settings.ORGANISATION_NAME,
        },
        dedupe_key=f"survey:{invitation.pk}:{'reminder' if reminder else 'invitation'}",
    )


def _invite(
    campaign: Campaign,
    team_id: int,
    channel: str,
    *,
    now: datetime,
    citizen: Citizen | None = None,
    complaint: Complaint | None = None,
    staff: Staff | None = None,
) -> Invitation | None:
    """Create one invitation and queue its message; ``None`` if it exists already."""
    token, digest = new_secret()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                campaign=campaign,
                team_id=team_id,
                channel=channel,
                token_hash=digest,
                token=token,
                citizen=citizen,
                complaint=complaint,
                staff=staff,
                created_at=now,
                expires_at=now + timedelta(days=campaign.valid_days),
                remind_at=(
                    now + timedelta(days=campaign.reminder_after_days)
                    if campaign.reminder_after_days and channel != Channel.PHONE
                    else None
                ),
            )
    except IntegrityError:
        return None
    _send(invitation, token, reminder=False)
    return invitation


def citizen_reachable(citizen: Citizen, *, by_phone: bool, consented: bool | None = None) -> bool:
    """Consent to satisfaction surveys given, and for calls no do-not-call and a phone.
    ``consented`` when the caller looked the consent up already (for many citizens)."""
    if consented is None:
        consented = has_consent(citizen.pk, SATISFACTION_SURVEY.purpose)
    if citizen.anonymised_at is not None or not consented:
        return False
    if by_phone:
        return bool(citizen.phone) and not citizen.do_not_call
    return True


def _citizen_channel(citizen: Citizen) -> str | None:
    """The citizen's preferred written channel for a survey link, if they have it."""
    preferred = citizen.preferred_channel
    if preferred == "email" and citizen.email:
        return Channel.EMAIL
    if citizen.phone and preferred in {"sms", "phone"}:
        return Channel.SMS
    if citizen.email:
        return Channel.EMAIL
    if citizen.phone:
        return Channel.SMS
    return None


def complaint_answered(*, complaint: Complaint, now: datetime | None = None) -> None:
    """After an answer: the post-complaint survey link and the happy-call task."""
    now = now or timezone.now()
    citizen = complaint.citizen
    if not citizen_reachable(citizen, by_phone=False):
        return
    campaign = current_campaign(Campaign.Kind.POST_COMPLAINT, complaint.team_id)
    channel = _citizen_channel(citizen)
    if campaign is not None and channel is not None:
        _invite(campaign, complaint.team_id, channel, now=now, citizen=citizen, complaint=complaint)
    happy_call_schedule(complaint=complaint, now=now)


def campaign_invite(*, staff: Staff, campaign: Campaign, now: datetime | None = None) -> int:
    """Invite the respondents of a team survey; returns how many invitations were new.

    External: every citizen who consented and whose complaint a target team answered in
    the period. Internal and cooperation: every active staff member with an e-mail, about
    each target team except their own (a team never rates itself)."""
    _require(staff.role == Role.CS_ADMIN)
    if campaign.kind not in TEAM_SURVEY_KINDS:
        raise SurveyError(_("이 종류의 조사는 민원 답변이나 전화로 자동 안내됩니다."))
    now = now or timezone.now()
    teams = list(campaign.teams.all()) or list(Team.objects.all())
    created = 0
    with transaction.atomic():
        if campaign.kind == Campaign.Kind.EXTERNAL:
            pairs = (
                Complaint.objects.filter(
                    team__in=teams,
                    answered_at__date__gte=campaign.starts_on,
                    answered_at__date__lte=campaign.ends_on,
                    citizen__anonymised_at__isnull=True,
                )
                .values_list("citizen_id", "team_id")
                .distinct()
            )
            pairs = list(pairs)
            citizens = Citizen.objects.in_bulk({citizen_id for citizen_id, _team in pairs})
            agreed = consenting(citizens, SATISFACTION_SURVEY.purpose)
            for citizen_id, team_id in pairs:
                citizen = citizens[citizen_id]
                channel = _citizen_channel(citizen)
                reachable = citizen_reachable(
                    citizen, by_phone=False, consented=citizen_id in agreed
                )
                if channel and reachable:
                    created += bool(_invite(campaign, team_id, channel, now=now, citizen=citizen))
        else:
            respondents = Staff.objects.filter(
                active=True, team__isnull=False, user__is_active=True
            ).select_related("user")
            for respondent in respondents:
                if not respondent.user.email:
                    continue
                for team in teams:
                    if team.pk == respondent.team_id:
                        continue  # a team never rates itself
                    created += bool(
                        _invite(campaign, team.pk, Channel.EMAIL, now=now, staff=respondent)
                    )
    return created


# --- responding ----------------------------------------------------------------------------------


def response_store(
    *,
    campaign: Campaign,
    team_id: int,
    channel: str,
    questions: list[Question],
    answers: dict[int, object],
    invitation: Invitation | None,
    complaint_id: int | None,
    at: datetime | None,
) -> Response:
    response = Response.objects.create(
        campaign=campaign,
        team_id=team_id,
        channel=channel,
        invitation=invitation,
        complaint_id=complaint_id,
        submitted_at=at,
    )
    items, by_dimension, rating = [], {}, None
    for question in questions:
        value = answers.get(question.pk)
        if value in (None, ""):
            continue
        if question.kind == Question.Kind.TEXT:
            items.append(ResponseItem(response=response, question=question, text=str(value)))
            continue
        number = int(value)
        score = question.score(number)
        items.append(ResponseItem(response=response, question=question, value=number, score=score))
        if score is not None:
            by_dimension.setdefault(question.dimension or Dimension.OVERALL, []).append(score)
            if (
                rating is None
                and question.kind == Question.Kind.LIKERT5
                and question.dimension == Dimension.OVERALL
            ):
                rating = number
    ResponseItem.objects.bulk_create(items)
    every = [score for scores in by_dimension.values() for score in scores]
    if every:
        response.overall = _mean(every)
        response.save(update_fields=["overall"])
        DimensionScore.objects.bulk_create(
            [
                DimensionScore(
                    response=response,
                    campaign=campaign,
                    team_id=team_id,
                    dimension=dimension,
                    score=_mean(scores),
                )
                for dimension, scores in [*by_dimension.items(), (DimensionScore.TOTAL, every)]
            ]
        )
    if complaint_id and rating is not None:
        complaint_rate(complaint_id=complaint_id, rating=rating, at=at or timezone.now())
    return response


def _mean(scores: list[Decimal]) -> Decimal:
    return (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01"))


def response_submit(*, token: str, answers: dict[int, object]) -> Response:
    """Store the answers once: the invitation is claimed by a conditional update, so of
    many simultaneous submissions exactly one gets through; the others are told it was
    used. Anonymous surveys keep neither the invitation nor the time on the response."""
    invitation = invitation_for(token)
    campaign = invitation.campaign
    now = timezone.now()
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk, used=False, expires_at__gt=now
        ).update(used=True, used_at=None if campaign.anonymous else now)
        if not claimed:
            raise SurveyError(_("이미 응답한 설문입니다. 참여해 주셔서 감사합니다."), "used")
        response = response_store(
            campaign=campaign,
            team_id=invitation.team_id,
            channel=invitation.channel,
            questions=questions_of(campaign),
            answers=answers,
            invitation=None if campaign.anonymous else invitation,
            complaint_id=None if campaign.anonymous else invitation.complaint_id,
            at=None if campaign.anonymous else now,
        )
        if invitation.citizen_id and not campaign.anonymous:
            contact_add(
                citizen_id=invitation.citizen_id,
                kind="survey.answered",
                summary=_("만족도 조사 응답: %(name)s") % {"name": campaign.name},
                at=now,
                channel=invitation.channel,
                source=f"survey-response:{response.pk}",
                counts=False,
            )
    return response


def send_survey_reminders(*, now: datetime | None = None, limit: int = 500) -> int:
    """One reminder per unanswered invitation, N days after it went out."""
    now = now or timezone.now()
    due = list(
        Invitation.objects.filter(
            used=False,
            reminded_at__isnull=True,
            remind_at__lte=now,
            expires_at__gt=now,
        )
        .select_related("campaign", "team", "citizen", "staff__user")
        .order_by("remind_at")[:limit]
    )
    sent = 0
    for invitation in due:
        with transaction.atomic():
            claimed = Invitation.objects.filter(
                pk=invitation.pk, used=False, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                _send(invitation, invitation.token, reminder=True)
                sent += 1
    return sent


# --- calls --------------------------------------------------------------------------------------


def _caller_of(team: Team) -> Staff | None:
    return team.caller if team.caller_id else team.leader


def _called_recently(citizen_id: int, now: datetime) -> bool:
    since = now - timedelta(days=settings.CALL_CAP_DAYS)
    return Call.objects.filter(citizen_id=citizen_id, created_at__gte=since).exists()


def happy_call_schedule(*, complaint: Complaint, now: datetime | None = None) -> Call | None:
    """A happy-call task for the team's caller (or leader), due within N working days;
    none for a citizen who refuses calls, has no phone or consent, or had a call task in
    the last 30 days."""
    now = now or timezone.now()
    citizen = Citizen.objects.select_for_update().get(pk=complaint.citizen_id)
    if not citizen_reachable(citizen, by_phone=True) or _called_recently(citizen.pk, now):
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
            channel, recipient = (
                ("sms", citizen.phone) if citizen.phone else ("email", citizen.email)
            )
            answer = complaint.answers.order_by("-at", "-id").first() if complaint else None
            message_queue(
                channel=channel,
                recipient=recipient,
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
            contact_add(
                citizen_id=citizen.pk,
                kind="call.material",
                summary=_("해피콜 안내 자료 발송"),
                at=now,
                channel=channel,
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


def call_attempt(*, staff: Staff, call: Call, attempt: Attempt, now: datetime | None = None):
    """Record one try. Up to three tries on different working days, within calling hours;
    a reached citizen's answers are stored as a response on the phone channel."""
    now = now or timezone.now()
    with transaction.atomic():
        call = (
            Call.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=call.pk)
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
        CallAttempt.objects.create(
            call=call, at=now, staff=staff, outcome=attempt.outcome, note=attempt.note
        )
        call.attempts = len(earlier) + 1
        if attempt.outcome == Call.Outcome.REACHED:
            if call.campaign is not None:
                call.response = response_store(
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
        call.save(update_fields=["attempts", "status", "closed_at", "response"])
        contact_add(
            citizen_id=call.citizen_id,
            kind="call.attempt",
            summary=_("%(kind)s: %(outcome)s")
            % {"kind": call.get_kind_display(), "outcome": Call.Outcome(attempt.outcome).label},
            at=now,
            channel="phone",
            staff=staff,
            source=f"call-attempt:{call.pk}:{call.attempts}",
            counts=attempt.outcome == Call.Outcome.REACHED,
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


def _catch_candidates(now: datetime):
    """(reason, source, citizen_id, team_id, complaint_id) of today's at-risk citizens."""
    since = now - timedelta(days=7)
    for complaint_id, citizen_id, team_id in Complaint.objects.filter(
        rating__lte=LOW_RATING, rated_at__gte=since
    ).values_list("pk", "citizen_id", "team_id"):
        yield (
            Call.Reason.LOW_RATING,
            f"low-rating:{complaint_id}",
            citizen_id,
            team_id,
            complaint_id,
        )
    for complaint_id, citizen_id, team_id in Complaint.objects.filter(
        status__in=Complaint.OPEN_STATUSES, due_at__lt=now, citizen__vulnerable=True
    ).values_list("pk", "citizen_id", "team_id"):
        yield (
            Call.Reason.VULNERABLE_OVERDUE,
            f"vulnerable-overdue:{complaint_id}",
            citizen_id,
            team_id,
            complaint_id,
        )
    month = timezone.localtime(now).strftime("%Y-%m")
    repeated = (
        Complaint.objects.filter(received_at__gte=now - timedelta(days=30))
        .values("citizen_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=3)
        .values_list("citizen_id", flat=True)
    )
    latest = {}
    for citizen_id, team_id, complaint_id in (
        Complaint.objects.filter(citizen_id__in=repeated)
        .order_by("citizen_id", "-received_at")
        .values_list("citizen_id", "team_id", "pk")
    ):
        latest.setdefault(citizen_id, (team_id, complaint_id))
    for citizen_id, (team_id, complaint_id) in latest.items():
        yield (
            Call.Reason.REPEATED,
            f"repeated:{citizen_id}:{month}",
            citizen_id,
            team_id,
            complaint_id,
        )
    for call_id, citizen_id, team_id, complaint_id in Call.objects.filter(
        kind=Call.Kind.HAPPY, status=Call.Status.REFUSED, closed_at__gte=since
    ).values_list("pk", "citizen_id", "team_id", "complaint_id"):
        yield Call.Reason.DECLINED, f"declined:{call_id}", citizen_id, team_id, complaint_id


def build_catch_call_list(*, now: datetime | None = None) -> int:
    """Today's catch-call list, one task per at-risk situation, for the team leader.
    The source key is unique, so the sweep may run any number of times."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    calendar = organisation_calendar()
    due = calendar.end_of_working_day(calendar.next_working_day(today))
    candidates = list(_catch_candidates(now))
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


# --- phone courtesy --------------------------------------------------------------------------


def default_sheet() -> CourtesySheet | None:
    """The sheet in use; on a database without any (e.g. emptied), the default one."""
    sheet = CourtesySheet.objects.filter(active=True).order_by("id").first()
    if sheet is None and not CourtesySheet.objects.exists():
        sheet = defaults.create_sheet(CourtesySheet, CourtesyItem)
    return sheet


def courtesy_evaluate(
    *,
    evaluator: Staff,
    staff: Staff,
    sheet: CourtesySheet,
    evaluated_on,
    scenario: str,
    points: dict[int, Decimal],
    notes: str = "",
) -> CourtesyEvaluation:
    """Record an evaluation; under the sheet's threshold the team leader gets an
    interview task (팀장 면담) and a notice."""
    _require(evaluator.role == Role.CS_ADMIN)
    items = list(CourtesyItem.objects.filter(sheet=sheet))
    missing = [item.name for item in items if item.pk not in points]
    if missing:
        raise SurveyError(_("모든 항목에 점수를 주세요: %(items)s") % {"items": ", ".join(missing)})
    for item in items:
        if not Decimal(0) <= Decimal(points[item.pk]) <= item.max_points:
            raise SurveyError(
                _("%(item)s 점수는 0점에서 %(max)s점 사이여야 합니다.")
                % {"item": item.name, "max": item.max_points}
            )
    total = sum((Decimal(points[item.pk]) for item in items), Decimal(0))
    with transaction.atomic():
        evaluation = CourtesyEvaluation.objects.create(
            sheet=sheet,
            staff=staff,
            evaluator=evaluator,
            evaluated_on=evaluated_on,
            scenario=scenario,
            notes=notes,
            total=total,
        )
        CourtesyScore.objects.bulk_create(
            [
                CourtesyScore(evaluation=evaluation, item=item, points=Decimal(points[item.pk]))
                for item in items
            ]
        )
        if total < sheet.threshold:
            _interview_open(evaluation)
    return evaluation


def _interview_open(evaluation: CourtesyEvaluation) -> LeaderInterview:
    staff = evaluation.staff
    team = staff.team
    leader = team.leader if team is not None else None
    calendar = organisation_calendar()
    due = evaluation.evaluated_on
    for _n in range(INTERVIEW_WORKING_DAYS):
        due = calendar.next_working_day(due, include=False)
    interview = LeaderInterview.objects.create(
        evaluation=evaluation, staff=staff, leader=leader, team=team, due_on=due
    )
    if leader is not None:
        StaffNotification.objects.get_or_create(
            key=f"interview:{interview.pk}",
            defaults={
                "staff": leader,
                "text": _(
                    "%(name)s 님 전화친절도 %(total)s점: %(due)s까지 팀장 면담을 기록해 주세요."
                )
                % {"name": staff.name, "total": evaluation.total, "due": due.isoformat()},
                "link": reverse("interview-detail", args=[interview.pk]),
            },
        )
    return interview


def interview_record(
    *,
    staff: Staff,
    interview: LeaderInterview,
    held_on,
    content: str,
    actions: str,
    reevaluation_on,
) -> LeaderInterview:
    _require(can_hold_interview(staff, interview))
    if not content.strip() or not actions.strip():
        raise SurveyError(_("면담 내용과 개선 약속을 모두 적어 주세요."))
    if reevaluation_on is not None and reevaluation_on <= held_on:
        raise SurveyError(_("재평가일은 면담일 뒤여야 합니다."))
    interview.held_on, interview.content = held_on, content
    interview.actions, interview.reevaluation_on = actions, reevaluation_on
    interview.save(update_fields=["held_on", "content", "actions", "reevaluation_on"])
    return interview


def citizen_answers_erase(citizen_id: int) -> dict[str, int]:
    """Retention: the citizen's call notes and free-text survey answers go; scores stay."""
    return {
        "survey_call_notes": CallAttempt.objects.filter(call__citizen_id=citizen_id)
        .exclude(note="")
        .update(note=""),
        "survey_texts": ResponseItem.objects.filter(
            Q(response__invitation__citizen_id=citizen_id)
            | Q(response__call__citizen_id=citizen_id)
        )
        .exclude(text="")
        .update(text=""),
    }
