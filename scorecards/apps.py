from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = _("성과관리")

    def ready(self):
        from scorecards import access, home  # noqa: F401  (rules, shortcuts)
