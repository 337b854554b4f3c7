from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("고객(민원인)")

    def ready(self):
        from citizens import access, home  # noqa: F401  (register access rules, shortcuts)
        from citizens.models import Citizen
        from pcrm.ops import registry

        registry.register_count("citizens", Citizen.objects.count)
