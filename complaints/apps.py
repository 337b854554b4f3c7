from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("민원")

    def ready(self):
        from complaints import access, home, signals  # noqa: F401  (rules, shortcuts, hooks)
