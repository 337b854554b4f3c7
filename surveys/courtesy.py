"""Phone-courtesy evaluations and the team leader's interviews they call for."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from pcrm.notify.services import staff_notify
from pcrm.org.access import require as _require
from pcrm.org.calendar import organisation_calendar
from pcrm.org.models import Staff
from surveys import defaults
from surveys.access import can_hold_interview
from surveys.errors import SurveyError
from surveys.models import (
    CourtesyEvaluation,
    CourtesyItem,
    CourtesyScore,
    CourtesySheet,
    LeaderInterview,
)

Role = Staff.Role

INTERVIEW_WORKING_DAYS = 10


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
        staff_notify(
            key=f"interview:{interview.pk}",
            staff=leader,
            text=_("%(name)s 님 전화친절도 %(total)s점: %(due)s까지 팀장 면담을 기록해 주세요.")
            % {"name": staff.name, "total": evaluation.total, "due": due.isoformat()},
            link=reverse("interview-detail", args=[interview.pk]),
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
