from django.urls import reverse
from django.utils.translation import gettext as _

from citizens import selectors
from citizens.access import can_merge, can_see_flags
from pcrm.org.access import serves
from pcrm.org.home import Shortcut, register


@register
def citizen_shortcuts(request) -> list[Shortcut]:
    staff = request.staff
    if not serves(staff):
        return []
    shortcuts = [
        Shortcut(_("고객 찾기"), reverse("citizen-list")),
        Shortcut(_("우호·기관고객"), reverse("relationship-list")),
        Shortcut(_("고객집단별 현황"), reverse("citizen-segments")),
    ]
    if can_see_flags(staff):
        shortcuts.append(
            Shortcut(
                _("재검토할 취약고객"),
                reverse("citizen-reviews"),
                selectors.reviews_due(request.user).count(),
            )
        )
    if can_merge(staff):
        shortcuts.append(Shortcut(_("중복 의심 고객"), reverse("citizen-duplicates")))
    return shortcuts
