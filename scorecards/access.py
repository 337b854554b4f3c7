"""Who sees stored scores: leaders and CS administrators all teams (the ranking is
shared); staff their team's and the organisation's."""

from django.db.models import Q

from pcrm.org import access
from pcrm.org.models import Staff
from scorecards.models import PeriodScore

Role = Staff.Role


def _scores(staff):
    """Leaders and CS administrators compare all teams; staff see their team's and the
    organisation's figures."""
    if staff.role in {Role.CS_ADMIN, Role.TEAM_LEADER}:
        return None
    if staff.role == Role.STAFF:
        return Q(team_id=staff.team_id) | Q(team__isnull=True)
    return access.NOTHING


access.register(PeriodScore, visible=_scores)
