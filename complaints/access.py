"""Who may see and change complaints: the owning team, its leader, CS administrators."""

from django.db.models import Q

from complaints.models import Attachment, Category, Complaint, Mention, QABook, QAItem
from pcrm.org import access
from pcrm.org.models import Staff

Role = Staff.Role


def team_edits(staff, complaint) -> bool:
    return access.in_team(staff, complaint.team_id)


def can_decide(staff, item) -> bool:
    """Who approves or returns a Q&A proposal: its team's leader, a CS administrator."""
    return staff.role == Role.CS_ADMIN or (
        staff.role == Role.TEAM_LEADER and staff.team_id == item.team_id
    )


access.register(Complaint, visible=access.team_rows("team_id"), editable=team_edits)
access.register(Attachment, visible=access.team_rows("complaint__team_id"))
access.register(
    Category,
    visible=lambda staff: None if access.serves(staff) else access.NOTHING,
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
access.register(QABook, visible=lambda staff: None if access.serves(staff) else access.NOTHING)


def mention_reads(staff, complaint) -> bool:
    """A colleague mentioned in one of its notes reads a complaint (from any team) until
    it closes; the reading is logged (``complaints.views``)."""
    return complaint.is_open and Mention.objects.filter(staff=staff, complaint=complaint).exists()


def can_note(staff, complaint) -> bool:
    """Who writes internal notes: the owning team (and CS administrators), and a
    colleague mentioned in one while the complaint is open."""
    return team_edits(staff, complaint) or mention_reads(staff, complaint)
