from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("민원")

    def ready(self):
        from complaints import access, signals  # noqa: F401  (access rules, holiday hook)
