"""Who may see what in surveys.

Campaign results are aggregates: every member of staff may read them (groups under five
responses are never shown). Calls belong to their team: the assignee, the team leader
and CS administrators. Courtesy evaluations are seen by the evaluated member, their team
leader and CS administrators; interviews by the team leader and CS administrators.
"""

from django.db.models import Q

from pcrm.org import access
from pcrm.org.models import Staff
from surveys.models import Call, Campaign, CourtesyEvaluation, LeaderInterview
from surveys.services import can_hold_interview, can_work_call

Role = Staff.Role
NOTHING = Q(pk__in=[])


def works_with_surveys(staff) -> bool:
    return staff is not None and staff.role in {Role.STAFF, Role.TEAM_LEADER, Role.CS_ADMIN}


def _calls(staff):
    if staff.role == Role.CS_ADMIN:
        return None
    if staff.role == Role.TEAM_LEADER and staff.team_id:
        return Q(team_id=staff.team_id)
    if staff.role == Role.STAFF:
        return Q(assignee_id=staff.pk)
    return NOTHING


def _evaluations(staff):
    if staff.role == Role.CS_ADMIN:
        return None
    if staff.role == Role.TEAM_LEADER and staff.team_id:
        return Q(staff__team_id=staff.team_id)
    if staff.role == Role.STAFF:
        return Q(staff_id=staff.pk)
    return NOTHING


def _interviews(staff):
    if staff.role == Role.CS_ADMIN:
        return None
    if staff.role == Role.TEAM_LEADER and staff.team_id:
        return Q(team_id=staff.team_id)
    return NOTHING


access.register(
    Campaign,
    visible=lambda staff: None if works_with_surveys(staff) else NOTHING,
    editable=lambda staff, obj: staff.role == Role.CS_ADMIN,
)
access.register(Call, visible=_calls, editable=can_work_call)
access.register(
    CourtesyEvaluation,
    visible=_evaluations,
    editable=lambda staff, obj: staff.role == Role.CS_ADMIN,
)
access.register(LeaderInterview, visible=_interviews, editable=can_hold_interview)
