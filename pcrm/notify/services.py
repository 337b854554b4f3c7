"""Queue and deliver messages exactly once.

A message is a row first. After the queuing transaction commits, a worker is asked to
deliver what is queued (``deliver_queued_messages``); the beat sweep delivers whatever
that missed (a broker outage, a worker that died). Each row is claimed by a conditional
update, so however many runs see it, it leaves once.

Runs are asked for sparingly: while a run that was asked for has not started, further
messages ride on it instead of each publishing a task of its own. A run clears the
"asked for" mark (``WAKE_KEY``) before it reads the queue, so it sees every message
committed while the mark was set; a message committed after the clearing sets the mark
again and asks for the next run. Under load that is one task per batch instead of one per
message; at rest, one per message as before. The mark lives in the shared cache; without
one (``CACHE_SHARED`` off) every message asks."""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from pcrm.lib.calendar import SEOUL
from pcrm.lib.db import insert_once
from pcrm.notify import backends
from pcrm.notify.models import Message
from pcrm.ops import context as request_context

logger = logging.getLogger("pcrm.notify")
MAX_ATTEMPTS = 5
WAKE_KEY = "notify:delivery-asked"
BATCH = 200


def message_queue(**message) -> Message | None:
    """Write the message row (``message_compose``'s arguments; once per ``dedupe_key``)
    and ask a worker to deliver after commit. If the broker is down, the beat sweep
    sends it later."""
    row = message_compose(**message)
    if not insert_once(row):  # queued before under this key
        return None
    transaction.on_commit(ask_for_delivery)
    return row


# messages the citizen did not just ask for: they wait for the day (NOTIFY_DAYTIME_FROM to
# NOTIFY_DAYTIME_UNTIL, Asia/Seoul); a receipt, an answer or a staff notice goes at once
DAYTIME_TEMPLATES = frozenset(
    {
        "survey-invitation",
        "survey-reminder",
        "happy-call-material",
        "e-letter",
        "complaint-progress",
    }
)


def in_daytime(moment: datetime) -> bool:
    local = timezone.localtime(moment, SEOUL).time()
    return settings.NOTIFY_DAYTIME_FROM <= local < settings.NOTIFY_DAYTIME_UNTIL


def next_daytime(moment: datetime) -> datetime:
    """``moment`` if it falls in the sending hours, else the next time they begin."""
    if in_daytime(moment):
        return moment
    local = timezone.localtime(moment, SEOUL)
    day = local.date()
    if local.time() >= settings.NOTIFY_DAYTIME_UNTIL:
        day += timedelta(days=1)
    return datetime.combine(day, settings.NOTIFY_DAYTIME_FROM, tzinfo=SEOUL)


def message_compose(
    *, channel: str, recipient: str, template: str, context: dict, dedupe_key: str
) -> Message:
    """The message row, rendered and not written yet. A caller that writes it itself
    (``pcrm.lib.db.insert_all``) registers ``ask_for_delivery`` to run after commit."""
    subject = ""  # a text message has none
    # in the service's language whoever composes it (a sweep, a command, a staff member
    # browsing in English): dates read "12월 10일(목)", never "(Thu)"
    with translation.override(settings.LANGUAGE_CODE):
        if channel == Message.Channel.EMAIL:
            subject = render_to_string(f"emails/{template}-subject.txt", context).strip()
        body = render_to_string(f"emails/{template}-body.txt", context).strip()
    daytime_only = template in DAYTIME_TEMPLATES
    now = timezone.now()
    return Message(
        channel=channel,
        recipient=recipient,
        recipient_hash=Message.hash_of(channel, recipient),
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        request_id=request_context.current(),
        daytime_only=daytime_only,
        next_attempt_at=next_daytime(now) if daytime_only else now,
    )


def ask_for_delivery() -> None:
    """Ask a worker for a delivery run, unless one asked for has not started yet."""
    from pcrm.notify.tasks import deliver_queued_messages

    try:
        if settings.CACHE_SHARED and not cache.add(
            WAKE_KEY, 1, timeout=settings.NOTIFY_WAKE_TIMEOUT
        ):
            return  # the run asked for will find this message too
        deliver_queued_messages.apply_async(retry=False)
    except Exception:  # the broker (or the cache) is down: the rows wait for the sweep
        logger.warning("broker unavailable; queued messages left for the sweep")
        # so that the next message asks again (if the cache is down too, the mark expires)
        with contextlib.suppress(Exception):
            cache.delete(WAKE_KEY)


def _claim(message_id: int, now) -> bool:
    """Take the message if it is still due (one conditional update: one taker)."""
    return bool(
        due_messages(now)
        .filter(pk=message_id)
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
    # its log lines carry the id of the request that queued it, whichever run sends it
    token = request_context.bind(message.request_id or request_context.current())
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
    else:
        Message.objects.filter(pk=message_id).update(status=Message.Status.SENT, sent_at=now)
        logger.info("message %s sent", message_id)
        return True
    finally:
        request_context.unbind(token)


def due_messages(now):
    """Messages to send now: due ones, and ones a worker claimed and never finished
    (read through two partial indexes; the sent rows are in neither). At night, not
    the ones that wait for the day (a retry, or a run that comes late)."""
    due = Message.objects.filter(
        Q(status=Message.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Message.Status.SENDING, claimed_at__lt=now - _claim_timeout())
    )
    if not in_daytime(now):
        due = due.filter(daytime_only=False)
    return due.order_by("pk")


def deliver_due() -> int:
    """Send everything due, in batches, including what a lost broker message or a dead
    worker left; the number sent now. Runs from the beat sweep and when asked for."""
    sent = 0
    while True:
        due = list(due_messages(timezone.now()).values_list("pk", flat=True)[:BATCH])
        sent += sum(deliver(message_id) for message_id in due)
        # each row left the due set (sent, failed until later, or taken by another run)
        if len(due) < BATCH:
            return sent


def deliver_queued() -> int:
    """A run asked for by ``ask_for_delivery``: clear the mark, then deliver."""
    if settings.CACHE_SHARED:
        cache.delete(WAKE_KEY)
    return deliver_due()


def erase_messages_to(recipient_hashes: list[str]) -> int:
    """Blank every message to these recipients (retention): address, subject and text;
    one not yet sent is not sent. The rows stay, so the counts and "sent once" hold."""
    if not recipient_hashes:
        return 0
    messages = Message.objects.filter(recipient_hash__in=recipient_hashes)
    messages.filter(status__in=[Message.Status.PENDING, Message.Status.SENDING]).update(
        status=Message.Status.FAILED, last_error="보유기간 경과로 삭제"
    )
    return messages.update(recipient="", recipient_hash="", subject="", body="")
