from django.contrib import admin

from pcrm.notify.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "masked_recipient", "dedupe_key", "status", "attempts"]
    list_filter = ["channel", "status"]
    search_fields = ["dedupe_key"]
    exclude = ["recipient"]
    readonly_fields = [
        "channel",
        "subject",
        "body",
        "dedupe_key",
        "attempts",
        "sent_at",
        "last_error",
    ]
