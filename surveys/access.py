"""Who may see what in surveys.

Campaign results are aggregates: every member of staff may read them (groups under five
responses are never shown). Calls belong to their team: the assignee, the team leader
and CS administrators. Courtesy evaluations are seen by the evaluated member, their team
leader and CS administrators; interviews by the team leader and CS administrators.
"""

from django.db.models import Q

from pcrm.org import access
from pcrm.org.models import Staff
from surveys.models import Call, Campaign, CourtesyEvaluation, LeaderInterview, PeriodScore
from surveys.services import can_hold_interview, can_work_call

Role = Staff.Role
NOTHING = Q(pk__in=[])


def works_with_surveys(staff) -> bool:
    return staff is not None and staff.role in {Role.STAFF, Role.TEAM_LEADER, Role.CS_ADMIN}


def _scoped(team_field: str, own_field: str | None = None):
    """CS administrators see all; a team leader their team's rows (by ``team_field``);
    plain staff their own (by ``own_field``), or nothing without one."""

    def visible(staff):
        if staff.role == Role.CS_ADMIN:
            return None
        if staff.role == Role.TEAM_LEADER and staff.team_id:
            return Q(**{team_field: staff.team_id})
        if staff.role == Role.STAFF and own_field:
            return Q(**{own_field: staff.pk})
        return NOTHING

    return visible


access.register(
    Campaign,
    visible=lambda staff: None if works_with_surveys(staff) else NOTHING,
    editable=lambda staff, obj: staff.role == Role.CS_ADMIN,
)
access.register(Call, visible=_scoped("team_id", "assignee_id"), editable=can_work_call)
access.register(
    CourtesyEvaluation,
    visible=_scoped("staff__team_id", "staff_id"),
    editable=lambda staff, obj: staff.role == Role.CS_ADMIN,
)
access.register(LeaderInterview, visible=_scoped("team_id"), editable=can_hold_interview)


def _scores(staff):
    """Leaders and CS administrators compare all teams; staff see their team's and the
    organisation's figures."""
    if staff.role in {Role.CS_ADMIN, Role.TEAM_LEADER}:
        return None
    if staff.role == Role.STAFF:
        return Q(team_id=staff.team_id) | Q(team__isnull=True)
    return NOTHING


access.register(PeriodScore, visible=_scores)
