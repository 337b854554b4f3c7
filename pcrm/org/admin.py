from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcrm.admin_site import IssuesKeyOnce
from pcrm.org.models import ApiToken, Department, LoginThrottle, Staff, Team, TemporaryHoliday


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "head"]
    search_fields = ["name"]
    autocomplete_fields = ["head"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "leader"]
    list_filter = ["department"]
    list_select_related = ["department", "leader"]
    search_fields = ["name"]
    autocomplete_fields = ["leader"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "team", "role", "sees_vulnerability", "active"]
    list_filter = ["role", "active", "sees_vulnerability", "team__department"]
    list_select_related = ["user", "team"]
    search_fields = ["name", "user__username"]
    autocomplete_fields = ["user", "team"]


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Unlocking an account early is deleting its row."""

    list_display = ["username", "failures", "locked_until", "last_failure_at"]
    search_fields = ["username"]
    readonly_fields = ["username", "failures", "locked_until", "last_failure_at"]

    def has_add_permission(self, request):
        return False


@admin.register(TemporaryHoliday)
class TemporaryHolidayAdmin(admin.ModelAdmin):
    """Adding or removing one recomputes the deadlines of open complaints."""

    list_display = ["date", "name", "created_by", "created_at"]
    exclude = ["created_by"]

    def save_model(self, request, obj, form, change):
        from pcrm.org.access import staff_of

        obj.created_by = staff_of(request.user)
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(IssuesKeyOnce, admin.ModelAdmin):
    """Issuing: the key is shown once, on saving a new token; only its hash stays.
    Revoking keeps the row (and its history) but the key stops working."""

    list_display = ["staff", "name", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["staff"]
    list_filter = ["revoked_at"]
    search_fields = ["staff__name", "name"]
    autocomplete_fields = ["staff"]
    actions = ["revoke"]
    key_message = _("API 토큰: %(key)s — 지금 한 번만 보입니다. 안전하게 보관하세요.")

    def get_fields(self, request, obj=None):
        return ["staff", "name"] if obj is None else ["staff", "name", "created_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["staff", "created_at", "revoked_at"]

    @admin.action(description=_("선택한 토큰 폐기"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        messages.success(request, _("토큰 %(n)d개를 폐기했습니다.") % {"n": count})
