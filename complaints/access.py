"""Who may see and change complaints: the owning team, its leader, CS administrators."""

from django.db.models import Q

from complaints.faq import can_decide
from complaints.models import Attachment, Category, Complaint, QABook, QAItem
from pcrm.org import access
from pcrm.org.models import Staff

Role = Staff.Role
NOTHING = Q(pk__in=[])


def _team_scope(field: str):
    def visible(staff):
        if staff.role == Role.CS_ADMIN:
            return None
        if staff.role in {Role.STAFF, Role.TEAM_LEADER} and staff.team_id:
            return Q(**{field: staff.team_id})
        return NOTHING

    return visible


def _team_edits(staff, complaint) -> bool:
    return staff.role == Role.CS_ADMIN or (
        staff.role in {Role.STAFF, Role.TEAM_LEADER} and staff.team_id == complaint.team_id
    )


def can_register(staff) -> bool:
    return staff is not None and staff.role in {Role.STAFF, Role.TEAM_LEADER, Role.CS_ADMIN}


access.register(Complaint, visible=_team_scope("team_id"), editable=_team_edits)
access.register(Attachment, visible=_team_scope("complaint__team_id"))
access.register(
    Category,
    visible=lambda staff: None if can_register(staff) else NOTHING,
    editable=lambda staff, obj: staff.role == Role.CS_ADMIN,
)


def _qa_visible(staff):
    """Approved items are public anyway; proposals stay with their team."""
    if staff.role == Role.CS_ADMIN:
        return None
    if staff.role in {Role.STAFF, Role.TEAM_LEADER} and staff.team_id:
        return Q(state="approved") | Q(team_id=staff.team_id)
    return Q(state="approved")


access.register(QAItem, visible=_qa_visible, editable=lambda staff, item: can_decide(staff, item))
access.register(QABook, visible=lambda staff: None if can_register(staff) else NOTHING)
