from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "pcrm.org"
    label = "org"
    verbose_name = _("조직")

    def ready(self):
        # the middleware module's receiver starts the idle clock at every login, also one
        # made before any request has passed the middleware (a test's force_login)
        from pcrm.org import access, calendar, middleware, signals  # noqa: F401
