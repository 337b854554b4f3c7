"""Queue and deliver messages exactly once."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from pcrm.lib.db import insert_once
from pcrm.notify import backends
from pcrm.notify.models import Message

logger = logging.getLogger("pcrm.notify")
MAX_ATTEMPTS = 5


def message_queue(
    *, channel: str, recipient: str, template: str, context: dict, dedupe_key: str
) -> Message | None:
    """Write the message row (once per ``dedupe_key``) and ask a worker to send it after
    commit. If the broker is down, the beat sweep sends it later."""
    subject = ""  # a text message has none
    if channel == Message.Channel.EMAIL:
        subject = render_to_string(f"emails/{template}-subject.txt", context).strip()
    body = render_to_string(f"emails/{template}-body.txt", context).strip()
    message = Message(
        channel=channel, recipient=recipient, subject=subject, body=body, dedupe_key=dedupe_key
    )
    if not insert_once(message):  # queued before under this key
        return None
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int) -> None:
    from pcrm.notify.tasks import deliver_message

    try:
        deliver_message.apply_async((message_id,), retry=False)
    except Exception:  # the broker is down: the row waits for the sweep
        logger.warning("broker unavailable; message %s left for the sweep", message_id)


def _claim(message_id: int, now) -> bool:
    stale = now - _claim_timeout()
    return bool(
        Message.objects.filter(pk=message_id)
        .filter(
            Q(status=Message.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Message.Status.SENDING, claimed_at__lt=stale)
        )
        .update(status=Message.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def _claim_timeout() -> timedelta:
    """How long a claim holds: a worker that died mid-send loses its claim after this."""
    return timedelta(seconds=settings.NOTIFY_CLAIM_TIMEOUT)


def deliver(message_id: int) -> bool:
    """Send one message if it is due and nobody else holds it; ``True`` if sent now."""
    now = timezone.now()
    if not _claim(message_id, now):
        return False
    message = Message.objects.get(pk=message_id)
    try:
        backends.deliver(message)
    except Exception as exc:
        failed = message.attempts >= MAX_ATTEMPTS
        Message.objects.filter(pk=message_id).update(
            status=Message.Status.FAILED if failed else Message.Status.PENDING,
            next_attempt_at=now + timedelta(minutes=2**message.attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:300],
        )
        logger.warning("message %s failed (attempt %s): %s", message_id, message.attempts, exc)
        return False
    Message.objects.filter(pk=message_id).update(status=Message.Status.SENT, sent_at=now)
    return True


def deliver_due(*, limit: int = 200) -> int:
    """The beat sweep: send what is due, including what a lost broker message left."""
    now = timezone.now()
    due = Message.objects.filter(
        Q(status=Message.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Message.Status.SENDING, claimed_at__lt=now - _claim_timeout())
    ).values_list("pk", flat=True)[:limit]
    return sum(deliver(message_id) for message_id in list(due))
