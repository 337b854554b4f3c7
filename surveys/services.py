"""Business actions of surveys: questionnaires, campaigns, invitations and responses.

Every sending goes through the outgoing-message outbox with a dedupe key (exactly once);
every sweep claims its rows with a conditional update or a unique key, so running it
twice, or in two workers, changes nothing the second time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.consents import SATISFACTION_SURVEY
from citizens.contact import recipient_of
from citizens.models import Citizen
from citizens.selectors import consenting
from citizens.services import contact_add
from complaints.models import Complaint
from complaints.services import complaint_rate
from pcrm.lib.crypto import new_secret
from pcrm.notify.services import message_queue, message_to
from pcrm.org.access import require as _require
from pcrm.org.models import Staff, Team
from surveys.errors import SurveyError
from surveys.models import (
    CallAttempt,
    Campaign,
    Channel,
    Dimension,
    DimensionScore,
    Invitation,
    Question,
    Questionnaire,
    Response,
    ResponseItem,
)
from surveys.selectors import citizen_channel, citizen_reachable, invitation_for, questions_of

Role = Staff.Role
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


def _send(invitation: Invitation, token: str, *, reminder: bool) -> None:
    """The link to a member of staff by e-mail; to a citizen by their channel and in
    their language (and not at all if they asked not to be contacted)."""
    template = "survey-reminder" if reminder else "survey-invitation"
    message = {
        "template": template,
        "context": {
            "campaign": invitation.campaign,
            "team": invitation.team,
            "url": survey_url(token),
            "expires_at": timezone.localtime(invitation.expires_at),
            "organisation_name": settings.ORGANISATION_NAME,
        },
        "dedupe_key": f"survey:{invitation.pk}:{'reminder' if reminder else 'invitation'}",
        "team_id": invitation.team_id,
    }
    if invitation.staff_id:
        if invitation.staff.user.email:
            message_queue(channel="email", recipient=invitation.staff.user.email, **message)
        return
    if invitation.complaint_id:
        message["about"] = f"complaint:{invitation.complaint_id}"
    message_to(recipient_of(invitation.citizen, template), **message)


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
                channel = citizen_channel(citizen)
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
