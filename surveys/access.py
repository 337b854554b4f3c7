"""Who may see what in surveys.

Campaign results are aggregates: every member of staff may read them (groups under five
responses are never shown). Calls belong to their team: the assignee, the team leader
and CS administrators. Courtesy evaluations are seen by the evaluated member, their team
leader and CS administrators; interviews by the team leader and CS administrators.
"""

from pcrm.org import access
from pcrm.org.models import Staff
from surveys.models import Call, Campaign, CourtesyEvaluation, LeaderInterview

Role = Staff.Role


def can_work_call(staff: Staff, call: Call) -> bool:
    return (
        staff.role == Role.CS_ADMIN
        or call.assignee_id == staff.pk
        or (staff.role == Role.TEAM_LEADER and staff.team_id == call.team_id)
    )


def can_hold_interview(staff: Staff, interview: LeaderInterview) -> bool:
    return staff.role == Role.CS_ADMIN or (
        staff.role == Role.TEAM_LEADER and staff.team_id == interview.team_id
    )


access.register(
    Campaign,
    visible=lambda staff: None if access.serves(staff) else access.NOTHING,
    editable=lambda staff, obj: staff.role == Role.CS_ADMIN,
)
access.register(
    Call, visible=access.team_rows("team_id", own_field="assignee_id"), editable=can_work_call
)
access.register(
    CourtesyEvaluation,
    visible=access.team_rows("staff__team_id", own_field="staff_id"),
    editable=lambda staff, obj: staff.role == Role.CS_ADMIN,
)
access.register(
    LeaderInterview, visible=access.team_rows("team_id", members=False), editable=can_hold_interview
)
