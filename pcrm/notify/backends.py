"""Where messages leave the system. E-mail goes through Django's mail backend; SMS goes
through ``NOTIFY_SMS_BACKEND``, a class with ``send(phone, body)`` (a provider's
adapter). The console backend writes to the log, for development."""

import logging
from collections import deque

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("pcrm.notify")


class SmsBackend:
    """Interface for an SMS provider. ``send`` raises on failure; it is retried."""

    def send(self, phone: str, body: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    # the latest messages "sent", for tests and development (bounded: workers run for days)
    sent: deque[tuple[str, str]] = deque(maxlen=500)

    def send(self, phone: str, body: str) -> None:
        ConsoleSmsBackend.sent.append((phone, body))
        logger.info("SMS to %s: %s", phone, body)


def sms_backend() -> SmsBackend:
    return import_string(settings.NOTIFY_SMS_BACKEND)()


def deliver(message) -> None:
    if message.channel == "email":
        send_mail(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.recipient],
            fail_silently=False,
        )
    else:
        sms_backend().send(message.recipient, message.body)
