from django.contrib import admin

from pcrm.org.models import Department, LoginThrottle, Staff, Team, TemporaryHoliday


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
