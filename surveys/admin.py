from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from surveys import selectors, services
from surveys.models import (
    Call,
    CallAttempt,
    Campaign,
    CourtesyEvaluation,
    CourtesyItem,
    CourtesyScore,
    CourtesySheet,
    Invitation,
    LeaderInterview,
    Question,
    Questionnaire,
)


class QuestionInline(admin.TabularInline):
    """Questions of a questionnaire a campaign uses cannot change (make a new version)."""

    model = Question
    extra = 1

    def _frozen(self, obj):
        return obj is not None and selectors.questionnaire_in_use(obj)

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "version", "created_at")
    search_fields = ("title", "code")
    inlines = [QuestionInline]
    actions = ["new_version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and selectors.questionnaire_in_use(obj):
            return ("code", "version", "title", "intro")
        return ("version",) if obj is not None else ()

    @admin.action(description=_("새 판으로 복사 (조사에 쓰인 설문지를 고칠 때)"))
    def new_version(self, request, queryset):
        for questionnaire in queryset:
            copy = services.questionnaire_new_version(questionnaire=questionnaire)
            self.message_user(
                request,
                _("%(title)s 설문지를 %(version)s판으로 복사했습니다.")
                % {"title": copy.title, "version": copy.version},
            )


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "period", "starts_on", "ends_on", "active")
    list_filter = ("kind", "active", "period")
    search_fields = ("name", "period")
    filter_horizontal = ("teams",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: who was invited, never the token, never a link to an answer."""

    list_display = ("campaign", "team", "channel", "created_at", "expires_at", "used")
    list_filter = ("channel", "used")
    fields = ("campaign", "team", "channel", "created_at", "expires_at", "reminded_at", "used")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CallAttemptInline(admin.TabularInline):
    model = CallAttempt
    extra = 0
    readonly_fields = ("at", "staff", "outcome", "note")
    can_delete = False


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("kind", "reason", "team", "assignee", "due_at", "status", "attempts")
    list_filter = ("kind", "reason", "status", "team")
    raw_id_fields = ("citizen", "complaint", "response")
    fields = ("kind", "reason", "team", "assignee", "due_at", "status", "attempts")
    readonly_fields = ("kind", "reason", "attempts")
    inlines = [CallAttemptInline]


class CourtesyItemInline(admin.TabularInline):
    model = CourtesyItem
    extra = 0


@admin.register(CourtesySheet)
class CourtesySheetAdmin(admin.ModelAdmin):
    list_display = ("name", "threshold", "active")
    inlines = [CourtesyItemInline]


class CourtesyScoreInline(admin.TabularInline):
    model = CourtesyScore
    extra = 0
    readonly_fields = ("item", "points")
    can_delete = False


@admin.register(CourtesyEvaluation)
class CourtesyEvaluationAdmin(admin.ModelAdmin):
    list_display = ("staff", "evaluated_on", "total", "evaluator")
    list_filter = ("evaluated_on",)
    readonly_fields = ("sheet", "staff", "evaluator", "total")
    inlines = [CourtesyScoreInline]


@admin.register(LeaderInterview)
class LeaderInterviewAdmin(admin.ModelAdmin):
    list_display = ("staff", "leader", "due_on", "held_on", "reevaluation_on")
    list_filter = ("held_on",)
    readonly_fields = ("evaluation", "staff")
