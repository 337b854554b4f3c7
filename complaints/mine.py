"""내 민원: a citizen proves a phone number (or an e-mail address) with a six-digit code
and then sees every complaint filed with it, for a while.

The code is valid for ``MINE_CODE_MINUTES`` and ``MINE_CODE_TRIES`` tries; only its
keyed hash is kept. Nothing tells whether a number has complaints before it is proven:
every request gets the same answer, and a code goes only where there are complaints to
show (so that no one is sent codes for nothing)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import AccessCode, Complaint
from pcrm.lib.crypto import blind_index
from pcrm.notify.services import message_queue


class CodeError(ValueError):
    """The code cannot be accepted; the message says why and what to do, in Korean."""


@dataclass(frozen=True)
class Proof:
    """What the citizen proved, kept in their session until ``until``."""

    kind: str
    contact_hash: str
    until: datetime

    def as_session(self) -> dict:
        return {"kind": self.kind, "hash": self.contact_hash, "until": self.until.isoformat()}

    @classmethod
    def from_session(cls, data) -> Proof | None:
        try:
            proof = cls(data["kind"], data["hash"], datetime.fromisoformat(data["until"]))
        except (TypeError, KeyError, ValueError):
            return None
        return proof if proof.until > timezone.now() else None


def contact_hash(kind: str, contact: str) -> str:
    return blind_index(contact.lower() if kind == AccessCode.Kind.EMAIL else contact)


def _code_hash(code_id: int, code: str) -> str:
    return blind_index(f"access-code:{code_id}:{code}")


def _citizen_filter(kind: str, hashed: str) -> dict:
    field = "citizen__email_hash" if kind == AccessCode.Kind.EMAIL else "citizen__phone_hash"
    return {field: hashed}


@transaction.atomic
def code_send(*, kind: str, contact: str) -> AccessCode:
    """A new code for ``contact`` (normalised), sent if it has complaints to show."""
    now = timezone.now()
    hashed = contact_hash(kind, contact)
    row = AccessCode.objects.create(
        kind=kind,
        contact_hash=hashed,
        code_hash="",
        created_at=now,
        expires_at=now + timedelta(minutes=settings.MINE_CODE_MINUTES),
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    AccessCode.objects.filter(pk=row.pk).update(code_hash=_code_hash(row.pk, code))
    if Complaint.objects.filter(**_citizen_filter(kind, hashed)).exists():
        message_queue(
            channel="email" if kind == AccessCode.Kind.EMAIL else "sms",
            recipient=contact,
            template="access-code",
            context={"code": code, "organisation_name": settings.ORGANISATION_NAME},
            dedupe_key=f"access-code:{row.pk}",
        )
    return row


def code_check(*, code_id: int, code: str) -> Proof:
    """The proof, if ``code`` is right, in time and within the tries; else ``CodeError``."""
    now = timezone.now()
    # one try counted by one conditional update: parallel guesses cannot pass the limit
    counted = AccessCode.objects.filter(
        pk=code_id, used_at__isnull=True, tries__lt=settings.MINE_CODE_TRIES, expires_at__gt=now
    ).update(tries=F("tries") + 1)
    row = AccessCode.objects.filter(pk=code_id).first()
    if row is None or row.used_at is not None:
        raise CodeError(_("인증번호를 다시 받아 주세요."))
    if not counted and row.expires_at <= now:
        raise CodeError(_("인증번호의 유효시간(5분)이 지났습니다. 인증번호를 다시 받아 주세요."))
    if not counted:
        raise CodeError(
            _("인증번호를 %(tries)d번 틀려 더 입력할 수 없습니다. 인증번호를 다시 받아 주세요.")
            % {"tries": settings.MINE_CODE_TRIES}
        )
    if not secrets.compare_digest(row.code_hash, _code_hash(row.pk, code.strip())):
        left = settings.MINE_CODE_TRIES - row.tries
        if left <= 0:
            raise CodeError(
                _("인증번호가 맞지 않습니다. 더 입력할 수 없으니 인증번호를 다시 받아 주세요.")
            )
        raise CodeError(
            _("인증번호가 맞지 않습니다. %(left)d번 더 입력할 수 있습니다.") % {"left": left}
        )
    if not AccessCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
        raise CodeError(_("인증번호를 다시 받아 주세요."))
    return Proof(row.kind, row.contact_hash, now + timedelta(minutes=settings.MINE_ACCESS_MINUTES))


def complaints_of(proof: Proof):
    """Every complaint filed with the proven number or address, newest first."""
    return (
        Complaint.objects.filter(**_citizen_filter(proof.kind, proof.contact_hash))
        .select_related("category")
        .order_by("-received_at", "-id")
    )


def codes_purge(*, now=None) -> int:
    """Codes a day old go (they prove nothing any more)."""
    now = now or timezone.now()
    return AccessCode.objects.filter(created_at__lt=now - timedelta(days=1)).delete()[0]
