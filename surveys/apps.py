from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("만족도 조사")

    def ready(self):
        from complaints import tracking
        from surveys import access, home, selectors, signals  # noqa: F401  (rules, hooks)

        tracking.register_link(selectors.open_survey_link)
