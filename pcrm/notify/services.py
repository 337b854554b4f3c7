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
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from pcrm.lib.calendar import SEOUL
from pcrm.lib.db import insert_once
from pcrm.notify import backends
from pcrm.notify.models import Message, StaffNotification
from pcrm.notify.routing import Recipient, billing_of, channels_for, language_for
from pcrm.ops import context as request_context

logger = logging.getLogger("pcrm.notify")
MAX_ATTEMPTS = 5
WAKE_KEY = "notify:delivery-asked"
BATCH = 200


def message_queue(**message) -> Message | None:
    """Write the message row (``message_compose``'s arguments; once per ``dedupe_key``)
    and ask a worker to deliver after commit. If the broker is down, the beat sweep
    sends it later."""
    return _queued(message_compose(**message))


def message_to(to: Recipient | None, **message) -> Message | None:
    """A message to a citizen (``compose_for``'s arguments), by their channel and in
    their language; ``None`` if they cannot be reached or it was queued before."""
    row = compose_for(to, **message)
    return _queued(row) if row is not None else None


def _queued(row: Message) -> Message | None:
    if not insert_once(row):  # queued before under this key
        return None
    transaction.on_commit(ask_for_delivery)
    return row


# what goes whatever the citizen said about being contacted: the notices the law
# requires (receipt, supplement request, extension, answer, transfer) and what the
# citizen just asked for (a sign-in code)
ALWAYS_SENT = frozenset(
    {
        "complaint-received",
        "complaint-supplement",
        "complaint-extended",
        "complaint-answered",
        "access-code",
    }
)

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
    *,
    channel: str,
    recipient: str,
    template: str,
    context: dict,
    dedupe_key: str,
    language: str = "",
    about: str = "",
    team_id: int | None = None,
    next_channels: str = "",
    note: str = "",
) -> Message:
    """The message row, rendered and not written yet. A caller that writes it itself
    (``pcrm.lib.db.insert_all``) registers ``ask_for_delivery`` to run after commit."""
    language = language or settings.LANGUAGE_CODE
    subject = ""  # a text message has none
    # in the recipient's language whoever composes it (a sweep, a command, a staff member
    # browsing in English): dates read "12월 10일(목)", never "(Thu)", for Korean readers
    with translation.override(language):
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
        template=template,
        about=about,
        team_id=team_id,
        billing=billing_of(channel, body),
        language=language,
        next_channels=next_channels,
        note=note,
    )


def compose_for(
    to: Recipient | None,
    *,
    template: str,
    context: dict,
    dedupe_key: str,
    about: str = "",
    team_id: int | None = None,
) -> Message | None:
    """A citizen's message, not written yet: the first of their channels (the others
    kept for falling back), their language or Korean with a note for the staff."""
    if to is None:
        return None
    language, note = language_for(to)
    chain = channels_for(to, template, language)
    if not chain:
        return None
    (channel, address), rest = chain[0], chain[1:]
    return message_compose(
        channel=channel,
        recipient=address,
        template=template,
        context=context,
        dedupe_key=dedupe_key,
        language=language,
        about=about,
        team_id=team_id,
        next_channels=",".join(name for name, _address in rest),
        note=note,
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
        return _send(message, now)
    finally:
        request_context.unbind(token)


def _send(message: Message, now) -> bool:
    sending = Message.objects.filter(pk=message.pk, status=Message.Status.SENDING)
    try:
        backend = backends.backend_for(message.channel)
        # a provider that reports delivery is asked about it from a minute on
        poll = {"next_poll_at": now + timedelta(seconds=60) if backend.reports else None}
        # a second try (a worker that died mid-send, or a failure the provider may have
        # accepted after all): look it up by our reference before sending it again
        found = backend.find(message) if message.attempts > 1 else ""
        reference = found or backend.send(message)
    except backends.Unconfirmed as exc:
        # it may have been accepted: never again through this channel; the receipt poll
        # asks the provider, and the next channel takes over if nothing was delivered
        sending.update(
            status=Message.Status.SENT, sent_at=now, last_error=_error(exc, "응답 없음"), **poll
        )
        logger.warning("message %s unconfirmed: %s", message.pk, exc)
        return True
    except backends.Rejected as exc:
        logger.warning("message %s refused: %s", message.pk, exc)
        fall_back(message, _error(exc, "거부"), statuses=[Message.Status.SENDING])
        return False
    except Exception as exc:
        logger.warning("message %s failed (attempt %s): %s", message.pk, message.attempts, exc)
        if message.attempts >= MAX_ATTEMPTS:
            fall_back(message, _error(exc, "실패"), statuses=[Message.Status.SENDING])
        else:
            sending.update(
                status=Message.Status.PENDING,
                next_attempt_at=now + timedelta(minutes=2**message.attempts),
                last_error=_error(exc, "실패"),
            )
        return False
    sending.update(status=Message.Status.SENT, sent_at=now, provider_ref=reference[:100], **poll)
    logger.info("message %s sent", message.pk)
    return True


def _error(exc: Exception, what: str) -> str:
    return f"{what}: {type(exc).__name__}: {exc}"[:300]


def fall_back(message: Message, reason: str, *, statuses) -> bool:
    """The message did not reach the citizen through its channel: the next channel
    takes over (a new row, once: its own dedupe key), or it failed if none is left.
    Only from ``statuses`` (one conditional update: one taker among receipts, polls
    and retries): ``True`` if this call moved it."""
    rest = [name for name in message.next_channels.split(",") if name]
    with transaction.atomic():
        moved = Message.objects.filter(pk=message.pk, status__in=statuses).update(
            status=Message.Status.FELL_BACK if rest else Message.Status.FAILED,
            last_error=reason[:300],
        )
        if not moved or not rest:
            return bool(moved)
        channel, now = rest[0], timezone.now()
        row = Message(
            channel=channel,
            recipient=message.recipient,
            recipient_hash=Message.hash_of(channel, message.recipient),
            subject=message.subject,
            body=message.body,
            dedupe_key=f"{message.dedupe_key}>{channel}"[:120],
            request_id=message.request_id,
            daytime_only=message.daytime_only,
            next_attempt_at=next_daytime(now) if message.daytime_only else now,
            template=message.template,
            about=message.about,
            team_id=message.team_id,
            billing=billing_of(channel, message.body),
            language=message.language,
            next_channels=",".join(rest[1:]),
            fallback_of=message,
            note=message.note,
        )
        if insert_once(row):
            transaction.on_commit(ask_for_delivery)
        return True


def receipts_apply(channel: str, receipts: list[backends.Receipt]) -> int:
    """A provider's delivery reports: delivered, or on to the next channel. A report
    that comes again changes nothing. The number of messages settled now."""
    settled = 0
    for receipt in receipts:
        message = Message.objects.filter(channel=channel, provider_ref=receipt.provider_ref).first()
        if message is not None:
            settled += _settle(message, receipt.delivered, receipt.detail)
    return settled


def _settle(message: Message, delivered: bool, detail: str) -> bool:
    if delivered:
        return bool(
            Message.objects.filter(pk=message.pk, status=Message.Status.SENT).update(
                status=Message.Status.DELIVERED, delivered_at=timezone.now()
            )
        )
    reason = f"전달 안 됨: {detail}" if detail else "전달 안 됨"
    return fall_back(message, reason, statuses=[Message.Status.SENT])


def poll_receipts(*, now=None) -> int:
    """Ask the providers about messages sent and not settled whose turn it is:
    delivered, not delivered, or (an 알림톡 with no word after ``NOTIFY_RECEIPT_TIMEOUT``)
    on to the SMS. A message whose answer was lost is looked up by our reference first.
    Each message is asked about every few minutes, for ``NOTIFY_RECEIPT_WINDOW``."""
    now = now or timezone.now()
    settled = 0
    while True:
        due = list(
            Message.objects.filter(status=Message.Status.SENT, next_poll_at__lte=now).order_by(
                "next_poll_at", "pk"
            )[:BATCH]
        )
        for message in due:
            settled += _poll(message, now)
        if len(due) < BATCH:
            return settled


def _poll(message: Message, now) -> bool:
    later = Message.objects.filter(pk=message.pk, status=Message.Status.SENT)
    try:
        backend = backends.backend_for(message.channel)
    except backends.Rejected:  # the channel was switched off since
        later.update(next_poll_at=None)
        return False
    if not message.provider_ref and (found := backend.find(message)):
        message.provider_ref = found[:100]
        later.update(provider_ref=message.provider_ref)
    state = backend.status(message)
    if state is not None:
        return _settle(message, state, "")
    timeout = message.sent_at + timedelta(seconds=settings.NOTIFY_RECEIPT_TIMEOUT)
    if message.channel == Message.Channel.ALIMTALK and now >= timeout:
        return fall_back(message, "전달 확인 없음", statuses=[Message.Status.SENT])
    if now >= message.sent_at + timedelta(seconds=settings.NOTIFY_RECEIPT_WINDOW):
        later.update(next_poll_at=None)  # no word for too long: it stays "sent"
        return False
    upcoming = now + timedelta(minutes=5)
    if message.channel == Message.Channel.ALIMTALK:
        upcoming = min(upcoming, timeout)
    later.update(next_poll_at=upcoming)
    return False


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


def staff_notify(*, key: str, staff, text: str, link: str = "", at=None) -> bool:
    """A notice in a member of staff's header, once per ``key`` however many callers
    (sweeps, workers) make it at once; ``True`` if this call made it."""
    try:
        with transaction.atomic():
            _row, made = StaffNotification.objects.get_or_create(
                key=key,
                defaults={
                    "staff": staff,
                    "text": str(text)[:300],
                    "link": link,
                    "created_at": at or timezone.now(),
                },
            )
    except IntegrityError:  # made by another caller between the look and the write
        return False
    return made
