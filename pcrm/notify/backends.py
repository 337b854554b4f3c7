"""Where messages leave the system, one backend per channel.

E-mail goes through Django's mail backend. SMS and 알림톡 go through the classes named
by ``NOTIFY_SMS_BACKEND`` and ``NOTIFY_ALIMTALK_BACKEND``: NAVER Cloud SENS or NHN Cloud
(``pcrm.notify.providers``), the console (development: the log) or a file (tests and
staging: one JSON line per message).

A backend's ``send(message)`` returns the provider's id for the message, or raises:

- ``SendError``: not accepted (the provider down, a 5xx): tried again later;
- ``Rejected``: refused for good (a wrong number, a template that does not match): not
  tried again through this channel, the next channel is;
- ``Unconfirmed``: the request left and no answer came (a timeout after sending): it may
  have been accepted, so it is never sent again through this channel; the receipt poll
  asks the provider, and the next channel takes over if nothing was delivered.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("pcrm.notify")


class SendError(Exception):
    """Not accepted this time; worth trying again."""


class Rejected(SendError):
    """Refused for good through this channel."""


class Unconfirmed(SendError):
    """Sent, maybe accepted, no answer: never to be sent again through this channel."""


@dataclass(frozen=True)
class Receipt:
    """A provider's word on one message: delivered or not."""

    provider_ref: str
    delivered: bool
    detail: str = ""


class Backend:
    """A channel's way out. ``status``, ``find`` and ``receipts`` are for providers
    that report delivery (``reports``); the others settle at "sent"."""

    reports = False

    def send(self, message) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def status(self, message) -> bool | None:
        """Delivered (True), not delivered (False), or not known yet (None)."""
        return None

    def find(self, message) -> str:
        """The provider's id of a message sent without an answer, if it arrived there."""
        return ""

    def receipts(self, payload) -> list[Receipt]:
        """The delivery reports in a webhook call's JSON body."""
        return []


class EmailBackend(Backend):
    def send(self, message) -> str:
        send_mail(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.recipient],
            fail_silently=False,
        )
        return ""


class ConsoleSmsBackend(Backend):
    """Development: the message goes to the log (and the latest few to ``sent``)."""

    # the latest messages "sent", for tests and development (bounded: workers run for days)
    sent: deque[tuple[str, str]] = deque(maxlen=500)

    def send(self, message) -> str:
        type(self).sent.append((message.recipient, message.body))
        logger.info("%s to %s: %s", message.channel, message.recipient, message.body)
        return f"console-{message.pk}"


class ConsoleAlimtalkBackend(ConsoleSmsBackend):
    sent: deque[tuple[str, str]] = deque(maxlen=500)


class FileBackend(Backend):
    """One JSON line per message in ``NOTIFY_FILE_DIR/<channel>.jsonl``."""

    def send(self, message) -> str:
        folder = Path(settings.NOTIFY_FILE_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        line = {
            "reference": message.reference,
            "channel": message.channel,
            "billing": message.billing,
            "to": message.recipient,
            "subject": message.subject,
            "body": message.body,
            "at": timezone.now().isoformat(),
        }
        with (folder / f"{message.channel}.jsonl").open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return f"file-{message.pk}"


def backend_for(channel: str) -> Backend:
    if channel == "email":
        return EmailBackend()
    path = settings.NOTIFY_SMS_BACKEND if channel == "sms" else settings.NOTIFY_ALIMTALK_BACKEND
    if not path:
        raise Rejected(f"no backend for {channel}")
    return import_string(path)()
