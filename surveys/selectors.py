"""Reads of surveys: campaign results (aggregates only), call lists, evaluations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, DecimalField, F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citizens.consents import SATISFACTION_SURVEY
from citizens.models import Citizen
from citizens.selectors import has_consent
from complaints.models import Complaint
from pcrm.lib.crypto import secret_digest
from pcrm.lib.stats import Summary, summarise
from pcrm.org.access import staff_of, visible_to
from pcrm.org.models import Team
from surveys.errors import SurveyError
from surveys.models import (
    Call,
    Campaign,
    Channel,
    CourtesyEvaluation,
    CourtesyScore,
    Dimension,
    DimensionScore,
    Invitation,
    LeaderInterview,
    Question,
    Questionnaire,
)

LOW_RATING = 2  # of 5: a catch-call candidate
MIN_GROUP = 5  # groups with fewer responses are not shown (a respondent could be singled out)
TOTAL_LABEL = _("종합")


@dataclass
class Cell:
    n: int
    summary: Summary | None  # None: fewer than MIN_GROUP responses, not shown

    @property
    def shown(self) -> bool:
        return self.summary is not None


@dataclass
class Row:
    label: str
    team_id: int | None
    cells: dict[str, Cell] = field(default_factory=dict)
    ordered: list[Cell | None] = field(default_factory=list)  # in the dimensions' order


@dataclass
class Results:
    dimensions: list[tuple[str, str]]  # (code, label), the total first
    rows: list[Row]  # the teams, then the organisation
    responses: int


def _cell(n: int, total, squares) -> Cell:
    if n < MIN_GROUP:
        return Cell(n=n, summary=None)
    return Cell(n=n, summary=summarise(n, float(total), float(squares)))


def campaign_results(campaign: Campaign) -> Results:
    """Per team and for the whole organisation: n, mean and 95 % interval of each
    dimension's 100-point score. Two grouped queries whatever the number of responses."""
    sums = {
        "n": Count("pk"),
        "total": Sum("score"),
        "squares": Sum(F("score") * F("score"), output_field=DecimalField()),
    }
    scores = DimensionScore.objects.filter(campaign=campaign)
    per_team = list(scores.values("team_id", "dimension").annotate(**sums).order_by())
    overall = list(scores.values("dimension").annotate(**sums).order_by())
    present = {row["dimension"] for row in overall}
    dimensions = [(DimensionScore.TOTAL, str(TOTAL_LABEL))] + [
        (code, str(label)) for code, label in Dimension.choices if code in present
    ]
    team_ids = {row["team_id"] for row in per_team}
    teams = Team.objects.filter(pk__in=team_ids).order_by("name")
    rows = {team.pk: Row(label=team.name, team_id=team.pk) for team in teams}
    for row in per_team:
        rows[row["team_id"]].cells[row["dimension"]] = _cell(row["n"], row["total"], row["squares"])
    organisation = Row(label=str(_("기관 전체")), team_id=None)
    for row in overall:
        organisation.cells[row["dimension"]] = _cell(row["n"], row["total"], row["squares"])
    responses = organisation.cells.get(DimensionScore.TOTAL, Cell(0, None)).n
    every = [*rows.values(), organisation] if overall else []
    for row in every:
        row.ordered = [row.cells.get(code) for code, _label in dimensions]
    return Results(dimensions=dimensions, rows=every, responses=responses)


def results_chart(results: Results) -> dict:
    """Team means of the total score for the bar chart (groups shown in the table only)."""
    total = results.dimensions[0][0]
    bars = [
        (row.label, round(row.cells[total].summary.mean, 1))
        for row in results.rows
        if total in row.cells and row.cells[total].shown
    ]
    return {"labels": [label for label, _v in bars], "values": [value for _l, value in bars]}


def campaign_list(user):
    return (
        visible_to(user, Campaign)
        .annotate(response_count=Count("responses"))
        .order_by("-starts_on", "kind", "id")
    )


CALL_TABS = ("mine", "team", "catch", "closed")


def call_list(user, *, tab: str = "mine", now=None):
    now = now or timezone.now()
    staff = staff_of(user)
    rows = visible_to(user, Call).select_related("citizen", "complaint", "team", "assignee")
    if tab == "mine":
        rows = rows.filter(assignee=staff, status=Call.Status.OPEN)
    elif tab == "team":
        rows = rows.filter(status=Call.Status.OPEN)
    elif tab == "catch":
        rows = rows.filter(kind=Call.Kind.CATCH, list_date=timezone.localtime(now).date())
    else:
        rows = rows.exclude(status=Call.Status.OPEN).order_by("-closed_at", "-id")
    return rows


def call_attempts(call: Call):
    return call.attempt_rows.select_related("staff").order_by("at", "id")


def evaluation_list(user):
    return visible_to(user, CourtesyEvaluation).select_related("staff__team", "evaluator")


def evaluation_scores(evaluation: CourtesyEvaluation):
    return (
        CourtesyScore.objects.filter(evaluation=evaluation)
        .select_related("item")
        .order_by("item__order")
    )


def interview_list(user):
    return visible_to(user, LeaderInterview).select_related("staff", "leader", "evaluation")


# --- campaigns and invitations ----------------------------------------------------------


def current_campaign(kind: str, team_id: int | None, *, today=None) -> Campaign | None:
    """The active campaign of ``kind`` running today that covers the team."""
    today = today or timezone.localdate()
    rows = Campaign.objects.filter(
        kind=kind, active=True, starts_on__lte=today, ends_on__gte=today
    ).order_by("-starts_on", "-id")
    for campaign in rows.prefetch_related("teams"):
        teams = {team.pk for team in campaign.teams.all()}
        if not teams or team_id in teams:
            return campaign
    return None


def invitation_for(token: str) -> Invitation:
    """The invitation behind a link, or a ``SurveyError`` saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("campaign__questionnaire", "team")
        .filter(token_hash=secret_digest(token))
        .first()
    )
    if invitation is None:
        raise SurveyError(
            _("설문 링크를 찾을 수 없습니다. 받은 주소를 다시 확인해 주세요."), "unknown"
        )
    if invitation.used:
        raise SurveyError(_("이미 응답한 설문입니다. 참여해 주셔서 감사합니다."), "used")
    if invitation.expires_at <= timezone.now():
        raise SurveyError(_("응답 기한이 지난 설문입니다."), "expired")
    return invitation


def questions_of(campaign: Campaign) -> list[Question]:
    return list(campaign.questionnaire.questions.all())


# --- who may be asked ----------------------------------------------------------------------


def questionnaire_in_use(questionnaire: Questionnaire) -> bool:
    """Once a campaign asks it, a questionnaire is frozen: results must keep meaning what
    was asked. Changes go into a new version."""
    return Campaign.objects.filter(questionnaire=questionnaire).exists()


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


def citizen_channel(citizen: Citizen) -> str | None:
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


# --- calls -----------------------------------------------------------------------------------


def called_recently(citizen_id: int, now: datetime) -> bool:
    since = now - timedelta(days=settings.CALL_CAP_DAYS)
    return Call.objects.filter(citizen_id=citizen_id, created_at__gte=since).exists()


def catch_candidates(now: datetime):
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


def open_survey_link(complaint) -> tuple[str, str] | None:
    """The satisfaction survey still open for this complaint, for its tracking page."""
    invitation = (
        Invitation.objects.filter(complaint=complaint, used=False, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if invitation is None:
        return None
    return _("민원 처리 만족도 조사에 답하기"), reverse("survey-respond", args=[invitation.token])
