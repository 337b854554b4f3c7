from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "pcrm.org"
    label = "org"
    verbose_name = _("조직")

    def ready(self):
        from pcrm.org import access, calendar, signals  # noqa: F401
