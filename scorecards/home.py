from django.urls import reverse
from django.utils.translation import gettext as _

from pcrm.org.home import Shortcut, register, register_landing

register_landing("team_leader", "staff-dashboard")


@register
def scorecard_shortcuts(request) -> list[Shortcut]:
    staff = request.staff
    if staff.role in {"team_leader", "cs_admin"}:
        return [Shortcut(_("팀 성과 순위"), reverse("scorecard-org"))]
    if staff.role == "staff" and staff.team_id:
        return [Shortcut(_("우리 팀 성과"), reverse("scorecard-team", args=[staff.team_id]))]
    return []
