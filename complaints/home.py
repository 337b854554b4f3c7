from django.urls import reverse
from django.utils.translation import gettext as _

from pcrm.org.access import serves
from pcrm.org.home import Shortcut, register


@register
def complaint_shortcuts(request) -> list[Shortcut]:
    if not serves(request.staff):
        return []
    return [
        Shortcut(_("민원함"), reverse("staff-inbox")),
        Shortcut(_("당일처리 현황판"), reverse("staff-board")),
        Shortcut(_("민원 대리 접수"), reverse("staff-complaint-new")),
    ] + (
        [Shortcut(_("질의응답 승인"), reverse("qa-review"))]
        if request.staff.role in {"team_leader", "cs_admin"}
        else []
    )
