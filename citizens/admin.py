from django.contrib import admin

from citizens.models import Citizen, Consent, Contact, Relationship, VulnerabilityFlag


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
    """Masked in the admin too; contact details are revealed only on the staff page (logged)."""

    list_display = ["masked_label", "kind", "masked_phone", "sigungu", "created_at"]
    list_filter = ["kind", "sigungu", "preferred_channel"]
    search_fields = ["name"]
    exclude = ["phone", "email"]
    readonly_fields = ["contact_count", "last_contact_at", "anonymised_at", "vulnerable"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["citizen", "purpose", "version", "granted", "at", "source"]
    list_filter = ["purpose", "granted", "source"]
    list_select_related = ["citizen"]
    raw_id_fields = ["citizen", "recorded_by"]


@admin.register(VulnerabilityFlag)
class VulnerabilityFlagAdmin(admin.ModelAdmin):
    list_display = ["citizen", "kind", "set_by", "review_on", "active"]
    list_filter = ["kind", "active"]
    list_select_related = ["citizen", "set_by"]
    raw_id_fields = ["citizen", "set_by", "cleared_by"]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["citizen", "category", "owner", "interest"]
    list_filter = ["category"]
    list_select_related = ["citizen", "owner"]
    raw_id_fields = ["citizen"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["citizen", "at", "kind", "channel", "summary"]
    list_filter = ["kind", "channel"]
    list_select_related = ["citizen"]
    raw_id_fields = ["citizen", "staff"]
