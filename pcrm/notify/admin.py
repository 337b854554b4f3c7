from django.contrib import admin

from pcrm.notify.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "billing",
        "masked_recipient",
        "dedupe_key",
        "status",
        "attempts",
    ]
    list_filter = ["channel", "billing", "status"]
    search_fields = ["dedupe_key", "provider_ref"]
    exclude = ["recipient"]
    readonly_fields = [
        "channel",
        "billing",
        "subject",
        "body",
        "dedupe_key",
        "attempts",
        "sent_at",
        "delivered_at",
        "provider_ref",
        "note",
        "last_error",
    ]
