from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PcrmConfig(AppConfig):
    default = True
    name = "pcrm"
    verbose_name = _("PCRM")

    def ready(self):
        from pcrm import checks  # noqa: F401


class PcrmAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "pcrm.admin_site.PcrmAdminSite"
