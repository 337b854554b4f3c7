from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from pcrm.lib.crypto import new_secret


class IssuesKeyOnce:
    """Admin of a model with ``key_hash``: saving a new row makes its key, shows it once
    (``key_message``) and keeps only its digest."""

    key_message: str

    def save_model(self, request, obj, form, change):
        if not change:
            key, obj.key_hash = new_secret()
            messages.warning(request, self.key_message % {"key": key})
        super().save_model(request, obj, form, change)


class PcrmAdminSite(admin.AdminSite):
    """Django admin, open only to CS administrators and superusers."""

    site_header = _("PCRM 관리")
    site_title = _("PCRM 관리")
    index_title = _("설정 관리")

    def has_permission(self, request):
        from pcrm.org.access import is_cs_admin

        return is_cs_admin(request.user)

    def login(self, request, extra_context=None):
        """One login page (with its lockout) for everybody; the admin has none of its own."""
        from django.contrib.auth.views import redirect_to_login
        from django.core.exceptions import PermissionDenied
        from django.urls import reverse

        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(
            request.GET.get("next", reverse("admin:index")), login_url=reverse("login")
        )
