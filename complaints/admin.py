from django.contrib import admin
from django.utils.translation import gettext_lazy

from complaints.models import Category, Complaint, Open311Client, QABook, QAItem
from pcrm.admin_site import IssuesKeyOnce


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "period_shown", "same_day_target", "active"]
    list_filter = ["active", "same_day_target", "team"]
    list_select_related = ["team"]
    search_fields = ["name"]

    @admin.display(description=gettext_lazy("처리기간"), ordering="period")
    def period_shown(self, category):
        return category.period_label  # "3일", "8근무시간", "즉시 (3근무시간)": not "3d"


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Read-only here but for whether its title is published; complaints are worked on
    the staff pages."""

    list_display = [
        "receipt_number",
        "title",
        "category",
        "team",
        "status",
        "received_at",
        "due_at",
    ]
    list_filter = ["status", "channel", "team"]
    list_select_related = ["category", "team"]
    search_fields = ["receipt_number"]
    date_hierarchy = "received_at"
    fields = [
        "receipt_number",
        "category",
        "team",
        "channel",
        "status",
        "title",
        "received_at",
        "period",
        "due_at",
        "same_day_due_at",
        "statutory_due_at",
        "extended_at",
        "published",
    ]
    readonly_fields = [f for f in fields if f != "published"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QAItem)
class QAItemAdmin(admin.ModelAdmin):
    list_display = ("question", "category", "team", "state", "decided_at")
    list_filter = ("state", "category", "team")
    search_fields = ("question", "answer", "keywords")
    raw_id_fields = ("complaint",)
    readonly_fields = ("proposed_by", "proposed_at", "decided_by", "decided_at")


@admin.register(QABook)
class QABookAdmin(admin.ModelAdmin):
    list_display = ("title", "period", "compiled_at", "mailed_at")
    readonly_fields = ("compiled_at", "mailed_at")
    filter_horizontal = ("items",)


@admin.register(Open311Client)
class Open311ClientAdmin(IssuesKeyOnce, admin.ModelAdmin):
    """Issuing a key: the key is shown once, on saving a new client; only its hash stays."""

    list_display = ("name", "active", "consent_terms_agreed_at", "created_at")
    fields = ("name", "active", "consent_terms_agreed_at")
    key_message = gettext_lazy(
        "api_key: %(key)s — 지금 한 번만 보입니다. 연계 기관에 안전하게 전달하세요."
    )
