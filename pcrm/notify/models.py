from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcrm.lib.channels import LABELS
from pcrm.lib.crypto import blind_index
from pcrm.lib.fields import EncryptedTextField
from pcrm.lib.masking import mask_email, mask_phone


class Message(models.Model):
    """An outgoing message. It is a row first: a sweep delivers what is due, each row
    claimed by a conditional update, so a lost broker message delays it and a second
    worker cannot send it again."""

    class Channel(models.TextChoices):
        EMAIL = "email", LABELS["email"]
        SMS = "sms", LABELS["sms"]

    class Status(models.TextChoices):
        PENDING = "pending", _("대기")
        SENDING = "sending", _("발송 중")
        SENT = "sent", _("발송 완료")
        FAILED = "failed", _("발송 실패")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = EncryptedTextField()
    # the recipient's keyed hash (as citizens' phone_hash/email_hash): what retention
    # finds a citizen's messages by
    recipient_hash = models.CharField(max_length=64, blank=True, editable=False)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    dedupe_key = models.CharField(max_length=120)  # unique (Meta), exact look-ups only
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # the request that queued it, for its delivery's log lines
    request_id = models.CharField(max_length=64, blank=True, editable=False)
    # not sent at night: see pcrm.notify.services.DAYTIME_TEMPLATES
    daytime_only = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("발송 메시지")
        verbose_name_plural = _("발송 메시지")
        ordering = ["-created_at", "-id"]
        # what a delivery run looks for: due messages and claims a dead worker left;
        # the sent rows, nearly all of the table, are in neither index
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="message_due",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=models.Q(status="sending"),
                name="message_claimed",
            ),
            models.Index(
                fields=["recipient_hash"],
                condition=~models.Q(recipient_hash=""),
                name="message_recipient",
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["dedupe_key"], name="message_once")]

    def __str__(self):
        return f"{self.channel} {self.dedupe_key} {self.status}"

    @staticmethod
    def hash_of(channel: str, recipient: str) -> str:
        return blind_index(recipient.lower() if channel == "email" else recipient)

    @property
    def masked_recipient(self) -> str:
        return mask_email(self.recipient) if self.channel == "email" else mask_phone(self.recipient)


class StaffNotification(models.Model):
    """A notice in a staff member's header (reminders, escalations). ``key`` makes each
    notice exist once, however often or in how many workers a sweep runs."""

    staff = models.ForeignKey("org.Staff", on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=160, unique=True)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["staff", "-created_at"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self):
        return self.key
