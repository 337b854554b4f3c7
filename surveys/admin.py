from django.contrib import admin

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
    model = Question
    extra = 1


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "version", "created_at")
    search_fields = ("title", "code")
    inlines = [QuestionInline]


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
