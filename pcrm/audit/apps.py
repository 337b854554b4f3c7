from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "pcrm.audit"
    label = "audit"
    verbose_name = _("개인정보 접속기록")
