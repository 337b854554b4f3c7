"""Who may see and change citizens, and who may see vulnerability flags.

Every citizen page fetches through ``pcrm.org.access.get_for_user``; these rules are
registered with it from ``CitizensConfig.ready``.
"""

from django.db.models import Q

from citizens.models import Citizen, Consent, Contact, ELetter, Relationship, VulnerabilityFlag
from pcrm.org import access
from pcrm.org.models import Staff

Role = Staff.Role
NOTHING = access.NOTHING


def can_see_flags(staff: Staff | None) -> bool:
    """Team leaders and CS administrators, and staff whom cs_admin allowed to."""
    if staff is None:
        return False
    if staff.role in {Role.TEAM_LEADER, Role.CS_ADMIN}:
        return True
    return staff.role == Role.STAFF and staff.sees_vulnerability


def can_merge(staff: Staff | None) -> bool:
    return staff is not None and staff.role in {Role.TEAM_LEADER, Role.CS_ADMIN}


def _citizen_rows(staff):
    return None if access.serves(staff) else NOTHING


def _citizen_editable(staff, obj) -> bool:
    return access.serves(staff) and getattr(obj, "anonymised_at", None) is None


def _flags_visible(staff):
    return None if access.serves(staff) and can_see_flags(staff) else NOTHING


access.register(Citizen, visible=_citizen_rows, editable=_citizen_editable)
access.register(Consent, visible=_citizen_rows)
access.register(Contact, visible=_citizen_rows)
access.register(Relationship, visible=_citizen_rows, editable=lambda s, o: access.serves(s))
access.register(
    VulnerabilityFlag,
    visible=_flags_visible,
    editable=lambda staff, flag: can_see_flags(staff) and flag.active,
)


def _letters(staff):
    """A team leader sees the letters signed in their team; CS administrators all."""
    if staff.role == Staff.Role.CS_ADMIN:
        return None
    if staff.role == Staff.Role.TEAM_LEADER and staff.team_id:
        return Q(signed_by__team_id=staff.team_id)
    return Q(pk__in=[])


access.register(
    ELetter,
    visible=_letters,
    editable=lambda staff, letter: (
        staff.role == Staff.Role.CS_ADMIN or letter.signed_by_id == staff.pk
    ),
)
