"""E-letters (전자서한) to friendly and institutional customers.

A team leader composes a letter, previews it for one recipient and schedules it. A beat
sweep then writes one send-log row per recipient (unique per letter and citizen) and
queues each row's message through the outbox exactly once (the row is claimed with a
conditional update, the message has a dedupe key); the outbox retries a failed send a
bounded number of times. Only citizens who agreed to e-letters and have an e-mail
address receive one; every letter carries an unsubscribe link that needs no login.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens import segments
from citizens.consents import E_LETTER
from citizens.models import Citizen, ELetter, ELetterRecipient, Relationship
from citizens.services import consents_record, contact_add
from pcrm.notify.services import message_queue
from pcrm.org.models import Staff

Role = Staff.Role
UNSUBSCRIBE_SALT = "pcrm.e-letter.unsubscribe"


class LetterError(Exception):
    pass


def can_send(staff: Staff) -> bool:
    return staff.role in {Role.TEAM_LEADER, Role.CS_ADMIN}


def letter_save(
    *,
    staff: Staff,
    title: str,
    body: str,
    audience: str,
    segment: dict | None = None,
    letter: ELetter | None = None,
) -> ELetter:
    """Create or change a draft, signed by the team leader writing it."""
    if not can_send(staff):
        raise PermissionDenied
    if letter is not None and letter.status != ELetter.Status.DRAFT:
        raise LetterError(_("예약하거나 보낸 서한은 고칠 수 없습니다."))
    if audience not in ELetter.Audience.values:
        raise LetterError(_("받는 분을 골라 주세요."))
    letter = letter or ELetter(signed_by=staff)
    letter.title, letter.body, letter.audience = title.strip(), body.strip(), audience
    letter.segment = segment or {}
    letter.save()
    return letter


def recipients(letter: ELetter) -> QuerySet:
    """Who the letter goes to now: the audience, less those without an e-mail address or
    without e-letter consent (and anonymised records)."""
    rows = Citizen.objects.filter(e_letter_opt_in=True, anonymised_at__isnull=True).exclude(
        email=""
    )
    if letter.audience in {ELetter.Audience.FRIENDLY, ELetter.Audience.INSTITUTIONAL}:
        rows = rows.filter(relationship__category=letter.audience)
    elif letter.audience == ELetter.Audience.RELATIONSHIPS:
        rows = rows.filter(relationship__category__in=Relationship.Category.values)
    else:
        rows, _applied = segments.filter_by_segments(rows, letter.segment, sees_flags=False)
    return rows.order_by("pk")


def render_for(letter: ELetter, citizen: Citizen, *, masked: bool = False) -> str:
    """The body as ``citizen`` reads it; ``masked`` for a preview on a staff page."""
    name = citizen.masked_label if masked else citizen.name
    return letter.body.replace("{이름}", name or _("고객"))


def unsubscribe_token(citizen_id: int) -> str:
    return signing.dumps(citizen_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(citizen_id: int) -> str:
    path = reverse("e-letter-unsubscribe", args=[unsubscribe_token(citizen_id)])
    return settings.PCRM_BASE_URL.rstrip("/") + path


def citizen_for_token(token: str) -> Citizen | None:
    try:
        citizen_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Citizen.objects.filter(pk=citizen_id).first()


def unsubscribe(citizen: Citizen) -> None:
    """Stop e-letters: a consent withdrawal on record (the citizen's own, on the web)."""
    if citizen.e_letter_opt_in:
        consents_record(citizen=citizen, decisions={E_LETTER: False}, source="web")


def letter_schedule(
    *, staff: Staff, letter: ELetter, at: datetime, expected: int | None = None
) -> ELetter:
    """Schedule a draft; ``expected`` is the number of recipients the sender confirmed,
    refused if the audience has changed since."""
    if not _may_send(staff, letter):
        raise PermissionDenied
    if letter.status != ELetter.Status.DRAFT:
        raise LetterError(_("이미 예약한 서한입니다."))
    if not letter.title or not letter.body:
        raise LetterError(_("제목과 본문을 적어 주세요."))
    if expected is not None:
        count = recipients(letter).count()
        if count != expected:
            raise LetterError(
                _("받는 분이 %(count)d명으로 바뀌었습니다. 다시 확인하고 예약해 주세요.")
                % {"count": count}
            )
    return _move(
        letter,
        ELetter.Status.DRAFT,
        _("이미 예약한 서한입니다."),
        status=ELetter.Status.SCHEDULED,
        scheduled_at=at,
    )


def _move(letter: ELetter, only_from: str, refusal: str, **change) -> ELetter:
    """Change the letter if it is still in ``only_from`` (one conditional update: two
    clicks, or a sweep starting meanwhile, cannot both win), else refuse."""
    if not ELetter.objects.filter(pk=letter.pk, status=only_from).update(**change):
        raise LetterError(refusal)
    letter.refresh_from_db()
    return letter


def _may_send(staff: Staff, letter: ELetter) -> bool:
    """The leader who signs it, or the CS office."""
    return can_send(staff) and (staff.role == Role.CS_ADMIN or letter.signed_by_id == staff.pk)


def letter_cancel(*, staff: Staff, letter: ELetter) -> ELetter:
    """A scheduled letter back to a draft, as long as sending has not started."""
    if not _may_send(staff, letter):
        raise PermissionDenied
    return _move(
        letter,
        ELetter.Status.SCHEDULED,
        _("이미 보내기 시작한 서한은 취소할 수 없습니다."),
        status=ELetter.Status.DRAFT,
        scheduled_at=None,
    )


def letter_delete(*, staff: Staff, letter: ELetter) -> None:
    """A draft removed; a letter scheduled or sent stays (its send log is a record)."""
    if not _may_send(staff, letter):
        raise PermissionDenied
    deleted, _rows = ELetter.objects.filter(pk=letter.pk, status=ELetter.Status.DRAFT).delete()
    if not deleted:
        raise LetterError(_("초안만 지울 수 있습니다. 예약한 서한은 먼저 예약을 취소하세요."))


def send_due_letters(*, now: datetime | None = None, batch: int = 500) -> int:
    """The beat sweep: due letters get their recipient rows, and each row its message,
    once. Returns how many messages it queued this time."""
    now = now or timezone.now()
    queued = 0
    due = ELetter.objects.filter(
        status__in=[ELetter.Status.SCHEDULED, ELetter.Status.SENDING], scheduled_at__lte=now
    ).select_related("signed_by__team")
    for letter in due:
        if letter.status == ELetter.Status.SCHEDULED:
            ELetterRecipient.objects.bulk_create(
                [
                    ELetterRecipient(letter=letter, citizen_id=pk)
                    for pk in recipients(letter).values_list("pk", flat=True)
                ],
                ignore_conflicts=True,
                batch_size=1000,
            )
            ELetter.objects.filter(pk=letter.pk, status=ELetter.Status.SCHEDULED).update(
                status=ELetter.Status.SENDING
            )
        rows = list(
            ELetterRecipient.objects.filter(letter=letter, queued_at__isnull=True)
            .select_related("citizen")
            .order_by("pk")[:batch]
        )
        for row in rows:
            queued += _queue(letter, row, now)
        if not ELetterRecipient.objects.filter(letter=letter, queued_at__isnull=True).exists():
            ELetter.objects.filter(pk=letter.pk, status=ELetter.Status.SENDING).update(
                status=ELetter.Status.DONE
            )
    return queued


def _queue(letter: ELetter, row: ELetterRecipient, now: datetime) -> int:
    with transaction.atomic():
        if not ELetterRecipient.objects.filter(pk=row.pk, queued_at__isnull=True).update(
            queued_at=now
        ):
            return 0  # another worker has it
        citizen = row.citizen
        if not (citizen.e_letter_opt_in and citizen.email) or citizen.do_not_contact:
            return 0  # unsubscribed since the list was made: the row stays, empty
        signer = letter.signed_by
        message = message_queue(
            channel="email",
            recipient=citizen.email,
            template="e-letter",
            context={
                "letter": letter,
                "body": render_for(letter, citizen),
                "signer": signer,
                "team": signer.team,
                "organisation_name": settings.ORGANISATION_NAME,
                "unsubscribe_url": unsubscribe_url(citizen.pk),
            },
            dedupe_key=f"eletter:{letter.pk}:{citizen.pk}",
            team_id=signer.team_id,
        )
        if message is not None:
            ELetterRecipient.objects.filter(pk=row.pk).update(message=message)
        contact_add(
            citizen_id=citizen.pk,
            kind="eletter.sent",
            summary=_("전자서한: %(title)s") % {"title": letter.title},
            at=now,
            channel="email",
            staff=signer,
            source=f"eletter:{letter.pk}",
        )
    return 1
