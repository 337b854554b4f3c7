"""Writing the personal-data access log. Every later app calls ``record_access``."""

from django.db import models
from django.utils import timezone

from pcrm.audit.context import current_actor
from pcrm.audit.models import AccessLog
from pcrm.lib.db import insert
from pcrm.lib.net import client_ip
from pcrm.lib.spreadsheet import xlsx_bytes


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


EXPORT_LIMIT = 100_000  # rows in one download; a longer period is split by the auditor


def access_log_export(*, request, rows, date_from, date_to) -> bytes:
    """The access log of a period as XLSX for the auditor; the download itself is a row
    of the log (who, when, which period, how many rows)."""
    rows = list(rows[: EXPORT_LIMIT + 1])
    if len(rows) > EXPORT_LIMIT:
        raise ValueError(EXPORT_LIMIT)
    period = f"{date_from.isoformat()}~{date_to.isoformat()}"
    record_access(
        subject=("audit.accesslog", period),
        action=AccessLog.Action.EXPORT,
        request=request,
        purpose="접속기록 점검",
        detail={"rows": len(rows), "format": "xlsx"},
    )
    header = [
        "일시",
        "처리자",
        "접속지 IP",
        "수행업무",
        "정보주체 유형",
        "정보주체",
        "표시",
        "목적",
    ]
    table = [
        [
            timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
            row.actor_username,
            row.ip or "",
            str(row.get_action_display()),
            row.subject_type,
            row.subject_id,
            row.subject_label,
            row.purpose,
        ]
        for row in rows
    ]
    return xlsx_bytes(f"접속기록 {period}", [header, *table])
