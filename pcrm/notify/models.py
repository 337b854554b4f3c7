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
    worker cannot send it again.

    A message that cannot reach the citizen through its channel (알림톡 not delivered,
    an SMS refused) falls back to the next one in ``next_channels``: a new row with
    ``fallback_of`` set and its own dedupe key, so each channel is tried once."""

    class Channel(models.TextChoices):
        EMAIL = "email", LABELS["email"]
        SMS = "sms", LABELS["sms"]
        ALIMTALK = "alimtalk", _("알림톡")

    class Status(models.TextChoices):
        PENDING = "pending", _("대기")
        SENDING = "sending", _("발송 중")
        SENT = "sent", _("발송")
        DELIVERED = "delivered", _("전달 확인")
        FAILED = "failed", _("발송 실패")
        FELL_BACK = "fell_back", _("다른 수단으로 대체")

    class Billing(models.TextChoices):
        SMS = "sms", _("단문(SMS)")
        LMS = "lms", _("장문(LMS)")
        ALIMTALK = "alimtalk", _("알림톡")
        EMAIL = "email", _("이메일")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = EncryptedTextField()
    # the recipient's keyed hash (as citizens' phone_hash/email_hash): what retention
    # finds a citizen's messages by
    recipient_hash = models.CharField(max_length=64, blank=True, editable=False)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    dedupe_key = models.CharField(max_length=120)  # unique (Meta), exact look-ups only
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
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
    # what it is (the template), what it is about ("complaint:12"), whose work it is
    # (the team, for the costs page) and what it costs (an SMS or an LMS)
    template = models.CharField(max_length=60, blank=True, editable=False)
    about = models.CharField(max_length=40, blank=True, editable=False)
    team = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        editable=False,
    )
    billing = models.CharField(max_length=8, choices=Billing.choices, blank=True)
    language = models.CharField(max_length=8, default="ko", editable=False)
    # for staff: why it went as it did (a language without templates, a fallback)
    note = models.CharField(max_length=200, blank=True)
    # the channels still to try if this one does not reach the citizen, in order
    next_channels = models.CharField(max_length=40, blank=True, editable=False)
    fallback_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        editable=False,
    )
    # the provider's id for it (its delivery report names it)
    provider_ref = models.CharField(max_length=100, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # when to ask the provider about it next, while sent and not settled (the poll backs
    # off: each message is asked about a few times, not on every run)
    next_poll_at = models.DateTimeField(null=True, blank=True, editable=False)

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
            # sent and not settled yet: what the receipt poll asks the provider about
            models.Index(
                fields=["next_poll_at"],
                condition=models.Q(status="sent", next_poll_at__isnull=False),
                name="message_unsettled",
            ),
            models.Index(
                fields=["provider_ref"],
                condition=~models.Q(provider_ref=""),
                name="message_provider_ref",
            ),
            models.Index(
                fields=["about", "created_at"],
                condition=~models.Q(about=""),
                name="message_about",
            ),
            models.Index(fields=["created_at"], name="message_created"),
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

    @property
    def reference(self) -> str:
        """Our key for it at the provider (their grouping or reference field)."""
        return f"pcrm-{self.pk}"


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
