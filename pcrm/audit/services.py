"""Writing the personal-data access log. Every later app calls ``record_access``."""

from django.db import models

from pcrm.audit.context import current_actor
from pcrm.audit.models import AccessLog
from pcrm.lib.db import insert
from pcrm.lib.net import client_ip


def _subject_of(subject) -> tuple[str, str, str]:
    if isinstance(subject, models.Model):
        label = getattr(subject, "masked_label", None)
        return subject._meta.label_lower, str(subject.pk), str(label or "")
    subject_type, subject_id, *rest = subject
    return subject_type, str(subject_id), str(rest[0]) if rest else ""


def record_access(**entry) -> AccessLog:
    """Append one access-log row (``access_entry``'s arguments)."""
    row = access_entry(**entry)
    insert(row)  # every page that shows personal data writes one: the SQL is built once
    return row


def access_entry(
    *, subject, action: str, request=None, actor=None, ip=None, purpose: str = "", detail=None
) -> AccessLog:
    """An access-log row, not written yet (``record_access`` writes it; a caller may
    write it with other rows through ``pcrm.lib.db.insert_all``).

    ``subject`` is a model instance (its ``masked_label``, if any, is stored) or a
    ``(type, id[, label])`` tuple. The account and address come from ``request``,
    else from ``actor``, else from the request being served (see the middleware).
    """
    if request is not None:
        actor = request.user
        ip = client_ip(request)
    else:
        context = current_actor()
        if context is not None:
            actor = actor if actor is not None else context.user
            ip = ip or context.ip
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    subject_type, subject_id, label = _subject_of(subject)
    return AccessLog(
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        ip=ip,
        subject_type=subject_type,
        subject_id=subject_id,
        subject_label=label[:200],
        action=action,
        purpose=purpose[:200],
        detail=detail or {},
    )


def record_access_many(*, subjects, action: str, actor, purpose: str = "", detail=None) -> int:
    """One row per subject (e.g. every citizen in an export), written in one statement."""
    context = current_actor()
    ip = context.ip if context is not None else None
    username = actor.get_username() if actor is not None else ""
    rows = []
    for subject in subjects:
        subject_type, subject_id, label = _subject_of(subject)
        rows.append(
            AccessLog(
                actor=actor,
                actor_username=username,
                ip=ip,
                subject_type=subject_type,
                subject_id=subject_id,
                subject_label=label[:200],
                action=action,
                purpose=purpose[:200],
                detail=detail or {},
            )
        )
    AccessLog.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
