"""Reads of citizens for pages and exports, always starting from what the user may see."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from citizens import segments
from citizens.access import can_see_flags
from citizens.consents import TEXTS
from citizens.models import Citizen, Consent, Contact, Relationship, VulnerabilityFlag
from pcrm.lib.crypto import blind_index
from pcrm.lib.db import FirstRow
from pcrm.lib.phone import InvalidPhone, looks_like_phone, normalise_phone
from pcrm.org.access import staff_of, visible_to


def _first_profile_by(hash_field: str) -> FirstRow:
    # each filing looks its complainant up: the SQL is built once (pcrm.lib.db.FirstRow)
    return FirstRow(
        Citizen,
        lambda digest: Citizen.objects.filter(
            **{hash_field: digest}, anonymised_at__isnull=True
        ).order_by("pk"),
    )


_BY_PHONE, _BY_EMAIL = _first_profile_by("phone_hash"), _first_profile_by("email_hash")


def profile_by_contact(*, phone: str = "", email: str = "") -> Citizen | None:
    """The profile with this (normalised) phone number, else this e-mail address; the
    oldest if an import left two. Anonymised profiles are not found."""
    citizen = _BY_PHONE.get(blind_index(phone)) if phone else None
    if citizen is None and email:
        citizen = _BY_EMAIL.get(blind_index(email.lower()))
    return citizen


def _search(queryset, q: str):
    q = q.strip()
    if not q:
        return queryset
    if "@" in q:
        return queryset.filter(email_hash=blind_index(q.lower()))
    if looks_like_phone(q):
        try:
            return queryset.filter(phone_hash=blind_index(normalise_phone(q)))
        except InvalidPhone:
            return queryset.none()
    return queryset.filter(Q(name__contains=q) | Q(organisation_name__contains=q))


def citizen_list(user, *, q: str = "", sigungu: str = "", params=None):
    """Citizens matching a search and segment filters. Staff who may see vulnerability
    flags get flagged citizens first; for others the order says nothing about it."""
    sees_flags = can_see_flags(staff_of(user))
    rows = visible_to(user, Citizen).filter(anonymised_at__isnull=True)
    rows = _search(rows, q)
    if sigungu:
        rows = rows.filter(sigungu=sigungu)
    rows, applied = segments.filter_by_segments(rows, params or {}, sees_flags=sees_flags)
    order = ["-vulnerable", "name", "id"] if sees_flags else ["name", "id"]
    return rows.order_by(*order), applied


def districts(user) -> list[str]:
    return list(
        visible_to(user, Citizen)
        .exclude(sigungu="")
        .order_by("sigungu")
        .values_list("sigungu", flat=True)
        .distinct()
    )


def district_counts(user) -> list[tuple[str, int]]:
    return list(
        visible_to(user, Citizen)
        .filter(anonymised_at__isnull=True)
        .exclude(sigungu="")
        .values("sigungu")
        .annotate(count=Count("pk"))
        .order_by("-count", "sigungu")
        .values_list("sigungu", "count")
    )


def segment_overview(user):
    sees_flags = can_see_flags(staff_of(user))
    rows = visible_to(user, Citizen).filter(anonymised_at__isnull=True)
    return segments.segment_counts(rows, sees_flags=sees_flags), rows.count()


def current_consents(citizen: Citizen) -> list[tuple[object, Consent | None]]:
    """Each known consent text with the citizen's newest decision on it (or ``None``)."""
    newest = {}
    for consent in Consent.objects.filter(citizen=citizen).order_by("purpose", "-at", "-id"):
        newest.setdefault(consent.purpose, consent)
    return [(text, newest.get(purpose)) for purpose, text in TEXTS.items()]


def consenting(citizen_ids, purpose: str) -> set[int]:
    """Which of the citizens' newest decision on ``purpose`` is a yes (one query)."""
    decisions = (
        Consent.objects.filter(citizen_id__in=list(citizen_ids), purpose=purpose)
        .order_by("citizen_id", "-at", "-id")
        .values_list("citizen_id", "granted")
    )
    newest: dict[int, bool] = {}
    for citizen_id, granted in decisions:
        newest.setdefault(citizen_id, granted)
    return {citizen_id for citizen_id, granted in newest.items() if granted}


def has_consent(citizen_id: int, purpose: str) -> bool:
    return citizen_id in consenting([citizen_id], purpose)


def timeline(user, citizen: Citizen):
    return (
        visible_to(user, Contact)
        .filter(citizen=citizen)
        .select_related("staff")
        .order_by("-at", "-id")
    )


def flags_for(user, citizen: Citizen):
    return (
        visible_to(user, VulnerabilityFlag)
        .filter(citizen=citizen)
        .select_related("set_by", "cleared_by")
        .order_by("-active", "-set_at")
    )


def reviews_due(user, *, today=None):
    """Active flags set by this staff member whose review date has come."""
    staff = staff_of(user)
    today = today or timezone.localdate()
    if staff is None:
        return VulnerabilityFlag.objects.none()
    return (
        visible_to(user, VulnerabilityFlag)
        .filter(set_by=staff, active=True, review_on__lte=today)
        .select_related("citizen")
        .order_by("review_on", "pk")
    )


def relationship_list(user, *, category: str = "", owner_id=None, q: str = ""):
    """Friendly and institutional customers; ``q`` finds a name or an organisation."""
    rows = visible_to(user, Relationship).filter(citizen__anonymised_at__isnull=True)
    if category:
        rows = rows.filter(category=category)
    q = q.strip()[:50]
    if q:
        rows = rows.filter(
            Q(citizen__name__icontains=q) | Q(citizen__organisation_name__icontains=q)
        )
    if owner_id:
        rows = rows.filter(owner_id=owner_id)
    return rows.select_related("citizen", "owner").order_by("citizen__name", "pk")


def duplicate_groups(user, *, limit: int = 50) -> list[tuple[str, list[Citizen]]]:
    """Likely duplicates: the same phone hash, or the same name and birth year.
    Returns (reason, citizens) pairs; a citizen may stand in both kinds of group."""
    base = visible_to(user, Citizen).filter(anonymised_at__isnull=True)
    phone_hashes = set(
        base.exclude(phone_hash="")
        .values("phone_hash")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("phone_hash", flat=True)[:limit]
    )
    name_years = set(
        base.exclude(birth_year__isnull=True)
        .values("name", "birth_year")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("name", "birth_year")[:limit]
    )
    if not phone_hashes and not name_years:
        return []
    condition = Q(phone_hash__in=phone_hashes)
    for name, year in name_years:
        condition |= Q(name=name, birth_year=year)
    groups: dict[tuple, list[Citizen]] = defaultdict(list)
    for citizen in base.filter(condition).order_by("pk"):
        if citizen.phone_hash in phone_hashes:
            groups[("phone", citizen.phone_hash)].append(citizen)
        if (citizen.name, citizen.birth_year) in name_years:
            groups[("name", citizen.name, citizen.birth_year)].append(citizen)
    return [(key[0], members) for key, members in groups.items()][:limit]


def is_dissatisfied(citizen_id: int) -> bool:
    """An active "반복 불만" flag: the intent-analysis gate applies to their calls."""
    return VulnerabilityFlag.objects.filter(
        citizen_id=citizen_id, kind=VulnerabilityFlag.Kind.DISSATISFIED, active=True
    ).exists()
