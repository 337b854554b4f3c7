from django.urls import reverse
from django.utils.translation import gettext as _

from pcrm.org.access import serves
from pcrm.org.home import Shortcut, register


@register
def survey_shortcuts(request) -> list[Shortcut]:
    if not serves(request.staff):
        return []
    return [
        Shortcut(_("해피콜·캐치콜"), reverse("call-list")),
        Shortcut(_("만족도 조사 결과"), reverse("campaign-list")),
        Shortcut(_("전화친절도"), reverse("courtesy-list")),
    ]
