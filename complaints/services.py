"""Filing complaints: one service for the public form, staff registration and integrations."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.consents import COMPLAINT_PROCESSING, ConsentText
from citizens.contact import recipient_of
from citizens.models import Citizen
from citizens.selectors import profile_by_contact
from citizens.services import (
    consent_choice_save,
    consents_given,
    contact_count_add,
    contact_entry,
    dissatisfaction_mark,
)
from complaints import files
from complaints.models import (
    Answer,
    Attachment,
    CallLog,
    Category,
    Complaint,
    Event,
    Pause,
    ReceiptCounter,
    SupplementReply,
)
from pcrm.audit.models import AccessLog
from pcrm.audit.services import access_entry
from pcrm.lib.calendar import BusinessCalendar
from pcrm.lib.crypto import new_secret
from pcrm.lib.db import insert_all, reserve_keys
from pcrm.notify.models import Message
from pcrm.notify.services import ask_for_delivery, compose_for, message_to
from pcrm.org.calendar import organisation_calendar
from pcrm.org.models import Staff


@dataclass
class Filing:
    """What a complainant gave, already validated (phone normalised, files checked)."""

    category: Category
    title: str
    body: str
    name: str
    phone: str = ""
    email: str = ""
    channel: str = Complaint.Channel.WEB
    consents: dict[ConsentText, bool] = field(default_factory=dict)
    attachments: list = field(default_factory=list)  # (upload, content_type) pairs
    submission_key: uuid.UUID | None = None
    staff: Staff | None = None
    consent_source: str = "web"
    notify: bool = True  # False only for data loaded in bulk (demo, migrations from old systems)


def next_receipt_number(year: int) -> str:
    """Gapless per year: one statement creates or increments the year's counter, and its
    row stays locked until the filing commits (a rolled-back filing gives its number back)."""
    table = ReceiptCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "  # noqa: S608 - table name only
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [year],
        )
        last = cursor.fetchone()[0]
    return f"{year}-{last:07d}"


def matching_citizen(filing: Filing, *, now) -> tuple[Citizen, bool]:
    """The profile with the same phone (or e-mail) hash, else a new one, not written yet:
    ``(citizen, new)``."""
    citizen = profile_by_contact(phone=filing.phone, email=filing.email)
    if citizen is not None:
        return citizen, False
    citizen = Citizen(
        name=filing.name,
        phone=filing.phone,
        email=filing.email.lower(),
        preferred_channel="sms" if filing.phone else "email",
        created_at=now,
        # this filing is the new profile's first contact: counted here rather than by an
        # update of the row just written (see _file)
        contact_count=1,
        last_contact_at=now,
    )
    citizen.refresh_hashes()  # what Citizen.save() adds to a new row
    return citizen, True


def complaint_file(filing: Filing, *, calendar: BusinessCalendar | None = None):
    """File a complaint. Returns ``(complaint, secret, created)``; a repeated submission
    (same ``submission_key``) returns the first complaint with ``created=False``.

    A retry is rare, so it is not looked for first: the key's unique constraint stops
    the second insert (after the first filing commits, if both are in flight) and the
    whole attempt, its receipt number included, rolls back, its copies of the files too."""
    calendar = calendar or organisation_calendar()
    with attachment_files(filing.attachments) as attachments:
        try:
            with transaction.atomic():
                return (*_file_rows(filing, calendar, attachments), True)
        except IntegrityError:
            if not filing.submission_key:
                raise
            existing = Complaint.objects.filter(submission_key=filing.submission_key).first()
            if existing is None:
                raise
        discard_files(attachments)  # the first submission's rows have files of their own
        return existing, existing.tracking_secret, False


@contextmanager
def attachment_files(uploads, kind=Attachment.Kind.CITIZEN) -> Iterator[list[Attachment]]:
    """The uploads (``(file, content_type)`` pairs) written to private storage before the
    transaction that writes their rows (not saved yet: the block does it). If the block
    fails, the files are removed again: no file is left that no row refers to."""
    attachments = [_attachment_file(upload, content_type, kind) for upload, content_type in uploads]
    try:
        yield attachments
    except BaseException:
        discard_files(attachments)
        raise


def discard_files(attachments: list[Attachment]) -> None:
    """Remove the files of attachments whose rows were not written (each file was saved
    under a name of its own: no other row refers to it)."""
    for attachment in attachments:
        attachment.file.delete(save=False)


def _file_rows(filing: Filing, calendar: BusinessCalendar, attachments: list[Attachment]):
    now = timezone.now()
    citizen, new_citizen = matching_citizen(filing, now=now)
    if new_citizen:  # written with the complaint, below
        citizen.pk, complaint_key = reserve_keys(Citizen, Complaint)
    else:
        [complaint_key] = reserve_keys(Complaint)
    consents, choice_changed = consents_given(
        citizen=citizen,
        decisions={COMPLAINT_PROCESSING: True, **filing.consents},
        source=filing.consent_source,
        staff=filing.staff,
        at=now,
    )
    if not new_citizen:  # a new profile is written with this contact counted
        if choice_changed:
            consent_choice_save(citizen)
        contact_count_add(citizen_id=citizen.pk, at=now)
    category = filing.category
    secret, tracking_hash = new_secret()
    complaint = Complaint(
        pk=complaint_key,  # for the rows that refer to it, built before it is written
        tracking_hash=tracking_hash,
        tracking_secret=secret,
        submission_key=filing.submission_key,
        citizen=citizen,
        category=category,
        team_id=category.team_id,
        channel=filing.channel,
        title=filing.title,
        body=filing.body,
        received_at=now,
        period=category.period,
        due_at=(due := calendar.due_at(now, category.period)),
        statutory_due_at=due,
        same_day_due_at=calendar.same_day_target(now) if category.same_day_target else None,
        registered_by=filing.staff,
    )
    link = tracking_url(secret)
    event = Event(
        complaint=complaint, at=now, kind="received", to_status=complaint.status, staff=filing.staff
    )
    for attachment in attachments:
        attachment.complaint = complaint
    # From here to the commit, other filings wait for this one's receipt number: the work
    # that needs no number is done above, and every row written from here goes to the
    # database in one round trip.
    complaint.receipt_number = next_receipt_number(timezone.localtime(now).year)
    rows = [
        *([citizen] if new_citizen else []),
        *consents,
        complaint,
        event,
        contact_entry(
            citizen_id=citizen.pk,
            kind="complaint.filed",
            summary=f"민원 접수 {complaint.receipt_number}: {complaint.title}",
            at=now,
            channel=filing.channel if filing.channel in {"phone", "visit", "letter"} else "web",
            staff=filing.staff,
            source=f"complaint:{complaint.pk}",
        ),
        access_entry(
            subject=citizen,
            action=AccessLog.Action.CREATE if new_citizen else AccessLog.Action.UPDATE,
            actor=filing.staff.user if filing.staff else None,
            purpose="민원 접수",
            detail={"complaint": complaint.receipt_number},
        ),
        *attachments,
    ]
    if filing.notify and (message := _confirmation(complaint, link)) is not None:
        rows.append(message)
        transaction.on_commit(ask_for_delivery)
    # a new complaint's timeline entry and message keys are new: no conflict to skip
    insert_all(rows)
    return complaint, secret


def _attachment_file(upload, content_type, kind=Attachment.Kind.CITIZEN) -> Attachment:
    """The upload written to private storage; its row is not saved yet."""
    digest = files.sha256_of(upload)
    attachment = Attachment(
        kind=kind,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        sha256=digest,
    )
    attachment.file.save(digest, upload, save=False)
    return attachment


def tracking_url(secret: str) -> str:
    return settings.PCRM_BASE_URL.rstrip("/") + reverse("complaint-track-secret", args=[secret])


def notify_citizen(complaint: Complaint, template: str, key: str, **context):
    """Queue a message to the complainant (by their channel, in their language) once per
    ``key``; ``None`` if they cannot be reached, must not be, or it was queued before."""
    message = _to_citizen(complaint, template, key, **context)
    return message_to(**message) if message else None


def _to_citizen(complaint: Complaint, template: str, key: str, **context) -> dict | None:
    """What ``message_to`` needs for a message to the complainant, or ``None`` if it
    must not go (``citizens.contact``)."""
    to = recipient_of(complaint.citizen, template)
    if to is None:
        return None
    if "tracking_url" not in context:  # every message carries the way to the complaint
        context["tracking_url"] = tracking_url(complaint.tracking_secret)
    return {
        "to": to,
        "about": f"complaint:{complaint.pk}",
        "team_id": complaint.team_id,
        "template": template,
        "context": {
            "complaint": complaint,
            "organisation_name": settings.ORGANISATION_NAME,
            **context,
        },
        "dedupe_key": f"complaint:{complaint.pk}:{key}",
    }


def _confirmation(complaint: Complaint, link: str) -> Message | None:
    """The receipt's message to the complainant, not written yet."""
    message = _to_citizen(
        complaint,
        "complaint-received",
        "received",
        due_at=timezone.localtime(complaint.due_at),
        tracking_url=link,
    )
    return compose_for(**message) if message else None


DISSATISFIED_RATING = 2  # a rating this low marks the citizen dissatisfied


def complaint_rate(*, complaint_id: int, rating: int, at=None) -> None:
    """Keep the citizen's satisfaction (1-5) on the complaint; the newest answer counts.
    A rating of 1 or 2 marks the citizen dissatisfied (their team's leader reviews it)."""
    if not 1 <= rating <= 5:
        raise ValueError("rating must be 1..5")
    Complaint.objects.filter(pk=complaint_id).update(rating=rating, rated_at=at or timezone.now())
    if rating <= DISSATISFIED_RATING:
        complaint = Complaint.objects.select_related("team__leader").get(pk=complaint_id)
        dissatisfaction_mark(
            citizen_id=complaint.citizen_id,
            reviewer=complaint.team.leader,
            reason=_("%(number)s 민원 만족도 %(rating)d점")
            % {
                "number": complaint.receipt_number,
                "rating": rating,
            },
            source=f"rating:{complaint_id}",
        )


def statutory_deadline(complaint: Complaint, calendar: BusinessCalendar, *, now=None):
    """The law's deadline for ``complaint``: from its receipt and period, moved by the
    time its clock stood still for supplements."""
    return calendar.after_pauses(
        calendar.due_at(complaint.received_at, complaint.period),
        complaint.period,
        [(p.started_at, p.ended_at) for p in complaint.pauses.all()],
        now=now or timezone.now(),
    )


@transaction.atomic
def recompute_open_deadlines(*, calendar: BusinessCalendar | None = None) -> int:
    """After a temporary holiday was added or removed: every open complaint's deadline
    again from its receipt time, period and pauses (an extension stays as granted)."""
    calendar = calendar or organisation_calendar()
    now = timezone.now()
    changed = []
    open_complaints = (
        Complaint.objects.filter(status__in=Complaint.OPEN_STATUSES)
        .prefetch_related("pauses")
        .only(
            "pk",
            "received_at",
            "period",
            "due_at",
            "statutory_due_at",
            "same_day_due_at",
            "extended_at",
        )
    )
    for complaint in open_complaints.iterator(chunk_size=2000):
        statutory = statutory_deadline(complaint, calendar, now=now)
        same_day = (
            calendar.same_day_target(complaint.received_at) if complaint.same_day_due_at else None
        )
        due = complaint.due_at if complaint.extended_at else statutory
        if (statutory, due, same_day) != (
            complaint.statutory_due_at,
            complaint.due_at,
            complaint.same_day_due_at,
        ):
            complaint.statutory_due_at, complaint.due_at = statutory, due
            complaint.same_day_due_at = same_day
            changed.append(complaint)
    Complaint.objects.bulk_update(
        changed, ["statutory_due_at", "due_at", "same_day_due_at"], batch_size=1000
    )
    return len(changed)


ERASED_TEXT = "(보유기간이 지나 삭제됨)"


def citizen_texts_erase(citizen_id: int) -> dict[str, int]:
    """Retention: what the citizen wrote or was told goes from their complaints (titles,
    texts, answers, notes, call notes) and their attached files with it (removed from
    storage once the rows' removal commits). Category, team, dates, status and rating
    stay for the statistics. Returns what was removed, for the access log."""
    ids = list(Complaint.objects.filter(citizen_id=citizen_id).values_list("pk", flat=True))
    if not ids:
        return {}
    attachments = Attachment.objects.filter(complaint_id__in=ids)
    stored = [a for a in attachments.only("pk", "file") if a.file]
    removed = {
        "complaint_texts": Complaint.objects.filter(pk__in=ids).update(
            title=ERASED_TEXT, body="", intent_note="", extension_reason="", published=False
        ),
        "answers": Answer.objects.filter(complaint_id__in=ids).update(
            text=ERASED_TEXT, refusal_reason="", remedy=""
        ),
        "complaint_call_notes": CallLog.objects.filter(complaint_id__in=ids)
        .exclude(note="")
        .update(note=""),
        "event_notes": Event.objects.filter(complaint_id__in=ids).exclude(note="").update(note=""),
        "supplement_requests": Pause.objects.filter(complaint_id__in=ids)
        .exclude(note="")
        .update(note=""),
        "supplement_replies": SupplementReply.objects.filter(pause__complaint_id__in=ids).update(
            text=ERASED_TEXT
        ),
        "attachments": attachments.delete()[0],
    }
    transaction.on_commit(lambda: discard_files(stored))
    return removed
