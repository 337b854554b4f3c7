"""Business actions on citizens. Each runs in one transaction and writes the access log."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.access import can_merge, can_see_flags
from citizens.consents import ConsentText
from citizens.models import Citizen, Consent, Contact, Relationship, VulnerabilityFlag
from citizens.signals import citizen_anonymised
from pcrm.audit.models import AccessLog
from pcrm.audit.services import record_access, record_access_many
from pcrm.lib.db import insert_all, insert_once
from pcrm.notify.services import erase_messages_to
from pcrm.org.access import require as _require
from pcrm.org.access import serves
from pcrm.org.models import Staff

Action = AccessLog.Action


@transaction.atomic
def citizen_create(
    *, staff: Staff, data: dict, consents: dict[ConsentText, bool], source: str
) -> Citizen:
    """Register a citizen with the consents they gave (``source``: how they gave them)."""
    _require(serves(staff))
    citizen = Citizen.objects.create(**data)
    consents_record(citizen=citizen, decisions=consents, source=source, staff=staff)
    record_access(subject=citizen, action=Action.CREATE, actor=staff.user, purpose="고객 등록")
    return citizen


@transaction.atomic
def citizen_update(*, staff: Staff, citizen: Citizen, data: dict) -> list[str]:
    """Change profile fields; the log names the fields changed, never their values."""
    _require(serves(staff) and citizen.anonymised_at is None)
    changed = [field for field, value in data.items() if getattr(citizen, field) != value]
    if changed:
        for field in changed:
            setattr(citizen, field, data[field])
        citizen.save()
        record_access(
            subject=citizen,
            action=Action.UPDATE,
            actor=staff.user,
            purpose="고객 정보 수정",
            detail={"fields": sorted(changed)},
        )
    return changed


def citizen_viewed(*, staff: Staff, citizen: Citizen, purpose: str = "고객 정보 조회") -> None:
    record_access(subject=citizen, action=Action.VIEW, actor=staff.user, purpose=purpose)


def citizen_reveal(*, staff: Staff, citizen: Citizen, purpose: str) -> dict[str, str]:
    """Unmasked contact details, for one response only; the reason is logged."""
    _require(serves(staff))
    purpose = purpose.strip()
    if not purpose:
        raise ValueError("a purpose is required to reveal contact details")
    record_access(subject=citizen, action=Action.REVEAL, actor=staff.user, purpose=purpose)
    return {"phone": citizen.phone_display, "email": citizen.email}


def citizens_exported(*, staff: Staff, citizens, purpose: str, fmt: str) -> None:
    record_access_many(
        subjects=citizens,
        action=Action.EXPORT,
        actor=staff.user,
        purpose=purpose,
        detail={"format": fmt},
    )


def consents_record(
    *, citizen: Citizen, decisions: dict[ConsentText, bool], source: str, staff=None, at=None
) -> list[Consent]:
    """Several decisions given at once (a form's consent block), in one round trip (one
    more if the e-letter choice changes). The rows come back without their keys."""
    rows, choice_changed = consents_given(
        citizen=citizen, decisions=decisions, source=source, staff=staff, at=at or timezone.now()
    )
    insert_all(rows)  # on every filing: SQL built once, no keys needed back
    if choice_changed:
        consent_choice_save(citizen)
    return rows


def consents_given(
    *, citizen: Citizen, decisions: dict[ConsentText, bool], source: str, at, staff=None
) -> tuple[list[Consent], bool]:
    """The rows of several decisions given at once, not written yet, and whether the
    profile's e-letter choice changed with them: set on ``citizen``, for the caller to
    save with the rows."""
    rows = [
        consent_entry(
            citizen=citizen, text=text, granted=granted, source=source, staff=staff, at=at
        )
        for text, granted in decisions.items()
    ]
    choice_changed = False
    for text, granted in decisions.items():
        if text.purpose == "e_letter" and citizen.e_letter_opt_in != granted:
            citizen.e_letter_opt_in = granted
            choice_changed = True
    return rows, choice_changed


def consent_choice_save(citizen: Citizen) -> None:
    """Store on a written profile the e-letter choice ``consents_given`` set on it."""
    citizen.save(update_fields=["e_letter_opt_in", "updated_at"])


def consent_entry(
    *, citizen: Citizen, text: ConsentText, granted: bool, source: str, at, staff=None
) -> Consent:
    """One decision on ``text``, not written yet."""
    return Consent(
        citizen=citizen,
        purpose=text.purpose,
        version=text.version,
        required=text.required,
        granted=granted,
        source=source,
        recorded_by=staff,
        at=at,
    )


@transaction.atomic
def do_not_call_set(*, staff: Staff | None, citizen: Citizen, value: bool) -> None:
    citizen.do_not_call = value
    citizen.save(update_fields=["do_not_call", "updated_at"])
    record_access(
        subject=citizen,
        action=Action.UPDATE,
        actor=staff.user if staff else None,
        purpose="전화 수신 거부 변경",
        detail={"fields": ["do_not_call"]},
    )


@transaction.atomic
def flag_set(
    *, staff: Staff, citizen: Citizen, kind: str, reason: str, review_on
) -> VulnerabilityFlag:
    _require(can_see_flags(staff))
    flag = VulnerabilityFlag.objects.create(
        citizen=citizen, kind=kind, reason=reason, set_by=staff, review_on=review_on
    )
    _refresh_vulnerable(citizen)
    record_access(
        subject=citizen,
        action=Action.UPDATE,
        actor=staff.user,
        purpose="취약고객 지정",
        detail={"flag": flag.pk, "kind": kind},
    )
    return flag


@transaction.atomic
def flag_clear(*, staff: Staff, flag: VulnerabilityFlag) -> None:
    _require(can_see_flags(staff) and flag.active)
    flag.active = False
    flag.cleared_at = timezone.now()
    flag.cleared_by = staff
    flag.save(update_fields=["active", "cleared_at", "cleared_by"])
    _refresh_vulnerable(flag.citizen)
    record_access(
        subject=flag.citizen,
        action=Action.UPDATE,
        actor=staff.user,
        purpose="취약고객 해제",
        detail={"flag": flag.pk},
    )


@transaction.atomic
def flag_reviewed(*, staff: Staff, flag: VulnerabilityFlag, next_review_on) -> None:
    _require(can_see_flags(staff) and flag.active)
    flag.review_on = next_review_on
    flag.save(update_fields=["review_on"])


def dissatisfaction_mark(
    *, citizen_id: int, reviewer: Staff | None, reason: str, source: str, today=None
) -> bool:
    """The citizen is dissatisfied (a rating of 1 or 2, an unhappy call): a "반복 불만"
    flag that ends by itself after ``DISSATISFIED_DAYS`` (its team's leader reviews it),
    so the intent-analysis gate applies to their next complaint and call. Once per
    ``source``; a citizen flagged already has the end moved. ``True`` if marked now."""
    today = today or timezone.localdate()
    ends_on = today + timedelta(days=settings.DISSATISFIED_DAYS)
    with transaction.atomic():
        current = (
            VulnerabilityFlag.objects.select_for_update()
            .filter(citizen_id=citizen_id, kind=VulnerabilityFlag.Kind.DISSATISFIED, active=True)
            .exclude(ends_on__isnull=True)
            .first()
        )
        if VulnerabilityFlag.objects.filter(source=source).exists():
            return False
        if current is not None:
            current.ends_on = current.review_on = max(current.ends_on, ends_on)
            current.save(update_fields=["ends_on", "review_on"])
            return False
        VulnerabilityFlag.objects.create(
            citizen_id=citizen_id,
            kind=VulnerabilityFlag.Kind.DISSATISFIED,
            reason=reason,
            set_by=reviewer,
            review_on=ends_on,
            ends_on=ends_on,
            source=source,
        )
        Citizen.objects.filter(pk=citizen_id).update(vulnerable=True)
    return True


def dissatisfaction_expire(*, today=None) -> int:
    """Flags past their end clear themselves (the beat sweep; running twice is harmless)."""
    today = today or timezone.localdate()
    ended = list(
        VulnerabilityFlag.objects.filter(active=True, ends_on__lt=today).select_related("citizen")
    )
    for flag in ended:
        with transaction.atomic():
            if VulnerabilityFlag.objects.filter(pk=flag.pk, active=True).update(
                active=False, cleared_at=timezone.now()
            ):
                _refresh_vulnerable(flag.citizen)
    return len(ended)


def _refresh_vulnerable(citizen: Citizen) -> None:
    vulnerable = citizen.flags.filter(active=True).exists()
    Citizen.objects.filter(pk=citizen.pk).update(vulnerable=vulnerable)
    citizen.vulnerable = vulnerable


def contact_add(*, counts: bool = True, **entry) -> Contact | None:
    """Add one entry to a citizen's timeline (``contact_entry``'s arguments); with
    ``source`` it is added at most once.

    Other apps call this (complaints filed, calls made, letters sent); citizens never
    imports them. ``counts=False`` for entries that are not a contact with the citizen
    (e.g. a complaint changing hands), so contact frequency and recency stay true, and
    for one the caller counted already (a profile created with its first contact).
    Returns ``None`` when the entry was already there.
    """
    contact = contact_entry(**entry)
    if not insert_once(contact):  # only (citizen, kind, source) is unique
        return None
    if counts:
        contact_count_add(citizen_id=contact.citizen_id, at=contact.at)
    return contact


def contact_entry(
    *,
    citizen_id: int,
    kind: str,
    summary: str,
    at=None,
    channel: str = "",
    staff: Staff | None = None,
    link: str = "",
    source: str = "",
) -> Contact:
    """A timeline entry, not written yet: for a caller that writes it with other rows
    (``pcrm.lib.db.insert_all``) and counts the contact itself (``contact_count_add``)."""
    return Contact(
        citizen_id=citizen_id,
        kind=kind,
        summary=summary[:200],
        at=at or timezone.now(),
        channel=channel,
        staff=staff,
        link=link,
        source=source,
    )


def contact_count_add(*, citizen_id: int, at) -> None:
    """One more contact with the citizen, at ``at`` (the latest one stays the latest)."""
    Citizen.objects.filter(pk=citizen_id).update(
        contact_count=F("contact_count") + 1,
        last_contact_at=Greatest(Coalesce("last_contact_at", at), at),
    )


@transaction.atomic
def relationship_save(
    *, staff: Staff, citizen: Citizen, category: str, owner, interest: str, notes: str
) -> Relationship:
    _require(serves(staff))
    relationship, _created = Relationship.objects.update_or_create(
        citizen=citizen,
        defaults={"category": category, "owner": owner, "interest": interest, "notes": notes},
    )
    record_access(
        subject=citizen, action=Action.UPDATE, actor=staff.user, purpose="우호·기관고객 관리"
    )
    return relationship


_FILLABLE = [
    "organisation_name",
    "contact_person",
    "phone",
    "email",
    "sigungu",
    "dong",
    "birth_year",
    "gender",
]


@transaction.atomic
def citizens_merge(*, staff: Staff, survivor: Citizen, duplicate: Citizen) -> Citizen:
    """Fold ``duplicate`` into ``survivor``: every related row moves, blanks are filled,
    the duplicate is removed, and the merge is logged on both."""
    _require(can_merge(staff))
    if survivor.pk == duplicate.pk:
        raise ValueError(_("같은 고객끼리는 병합할 수 없습니다."))
    survivor, duplicate = (
        Citizen.objects.select_for_update().get(pk=survivor.pk),
        Citizen.objects.select_for_update().get(pk=duplicate.pk),
    )
    moved = {}
    for relation in Citizen._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        related = relation.related_model._base_manager.filter(**{relation.field.name: duplicate})
        if (
            relation.one_to_one
            and relation.related_model._base_manager.filter(
                **{relation.field.name: survivor}
            ).exists()
        ):
            related.delete()  # the survivor keeps its own
            continue
        count = related.update(**{relation.field.name: survivor})
        if count:
            moved[relation.related_model._meta.label_lower] = count
    for field in _FILLABLE:
        if not getattr(survivor, field) and getattr(duplicate, field):
            setattr(survivor, field, getattr(duplicate, field))
    survivor.contact_count += duplicate.contact_count
    survivor.last_contact_at = max(
        filter(None, [survivor.last_contact_at, duplicate.last_contact_at]), default=None
    )
    survivor.do_not_call = survivor.do_not_call or duplicate.do_not_call
    survivor.do_not_contact = survivor.do_not_contact or duplicate.do_not_contact
    survivor.save()
    _refresh_vulnerable(survivor)
    detail = {"survivor": survivor.pk, "duplicate": duplicate.pk, "moved": moved}
    for subject in (survivor, duplicate):
        record_access(
            subject=subject,
            action=Action.UPDATE,
            actor=staff.user,
            purpose="중복 고객 병합",
            detail=detail,
        )
    duplicate.delete()
    return survivor


ANONYMOUS_NAME = "(익명)"


def anonymise_inactive(*, now=None, batch_size: int = 500) -> int:
    """Anonymise citizens without contact past ``CITIZEN_RETENTION_DAYS``. Safe to run
    again or in two workers at once: each citizen is claimed by a conditional update."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CITIZEN_RETENTION_DAYS)
    due = (
        Citizen.objects.filter(anonymised_at__isnull=True)
        .alias(last_activity=Coalesce("last_contact_at", "created_at"))
        .filter(last_activity__lt=cutoff)
        .order_by("pk")
    )
    done = 0
    for citizen_id in due.values_list("pk", flat=True)[:batch_size].iterator():
        with transaction.atomic():
            hashes = (
                Citizen.objects.filter(pk=citizen_id)
                .values_list("phone_hash", "email_hash")
                .first()
            )
            claimed = Citizen.objects.filter(pk=citizen_id, anonymised_at__isnull=True).update(
                anonymised_at=now,
                name=ANONYMOUS_NAME,
                organisation_name="",
                contact_person="",
                phone="",
                phone_hash="",
                email="",
                email_hash="",
                dong="",
                birth_year=None,
                gender="",
                vulnerable=False,
                e_letter_opt_in=False,
            )
            if not claimed:
                continue
            removed = {
                "vulnerability_flags": VulnerabilityFlag.objects.filter(
                    citizen_id=citizen_id
                ).delete()[0],
                "relationships": Relationship.objects.filter(citizen_id=citizen_id).delete()[0],
                "contact_notes": Contact.objects.filter(citizen_id=citizen_id).update(
                    summary="", link=""
                ),
                "messages": erase_messages_to([h for h in hashes or () if h]),
            }
            for _receiver, counts in citizen_anonymised.send(Citizen, citizen_id=citizen_id):
                removed.update(counts or {})
            record_access(
                subject=("citizens.citizen", citizen_id, ANONYMOUS_NAME),
                action=Action.DELETE,
                purpose="보유기간 경과 익명화",
                detail={"retention_days": settings.CITIZEN_RETENTION_DAYS, "removed": removed},
            )
            done += 1
    return done


def record_download(*, staff: Staff, citizen_id: int, what) -> None:
    """A file a citizen gave (e.g. a complaint attachment) was downloaded."""
    record_access(
        subject=("citizens.citizen", citizen_id),
        action=Action.DOWNLOAD,
        actor=staff.user,
        purpose="첨부파일 내려받기",
        detail={"file": str(what.pk)},
    )
