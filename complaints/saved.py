"""Saved inbox views: a filter kept with a name, privately or for the team; and the
streamed XLSX of a view, however long (rows are read in chunks and written to a file
as they come, never held in memory together)."""

from __future__ import annotations

from itertools import chain
from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import Complaint, SavedView
from pcrm.audit.models import AccessLog
from pcrm.audit.services import record_access_many
from pcrm.lib import personal_data
from pcrm.lib.masking import mask_name
from pcrm.lib.spreadsheet import xlsx_file
from pcrm.org.models import Staff

# filters everyone has without saving them
PRESETS = [(gettext_lazy("이번 달 기한 초과"), "tab=overdue&due=this_month")]
KEYS = {"tab", "q", "category", "status", "channel", "vulnerable", "due"}
STREAM_ROWS = 100_000  # the most one download holds
CHUNK = 2_000


class SavedViewError(ValueError):
    """The view cannot be saved; the message says why, in Korean."""


def clean_query(query: str) -> str:
    """Only the inbox's own filters, in a stable order (no page, nothing else)."""
    pairs = [(k, v) for k, v in parse_qsl(query)[:20] if k in KEYS and v]
    return urlencode(sorted(pairs))[:500]


@transaction.atomic
def saved_view_save(*, staff: Staff, name: str, query: str, shared: bool) -> SavedView:
    """Keep the filter under ``name`` (the same name again replaces it)."""
    name = name.strip()[:60]
    if not name:
        raise SavedViewError(_("보기 이름을 적어 주세요."))
    view, _created = SavedView.objects.update_or_create(
        owner=staff,
        name=name,
        defaults={
            "query": clean_query(query),
            "team_id": staff.team_id if shared else None,
            "created_at": timezone.now(),
        },
    )
    return view


def saved_view_delete(*, staff: Staff, view: SavedView) -> None:
    SavedView.objects.filter(pk=view.pk, owner=staff).delete()


def saved_views_for(staff: Staff) -> list[SavedView]:
    """Their own views and those their team shares, by name (one query)."""
    rows = SavedView.objects.filter(owner=staff)
    if staff.team_id:
        rows = rows | SavedView.objects.filter(team_id=staff.team_id)
    return list(rows.select_related("owner").order_by("name", "id")[:50])


HEADER = ["접수번호", "제목", "유형", "민원인", "상태", "담당자", "처리기한"]
COLUMNS = (
    "receipt_number",
    "title",
    "category__name",
    "citizen_id",
    "citizen__name",
    "status",
    "assignee__name",
    "due_at",
)


def xlsx_stream(*, staff: Staff, complaints, title: str, purpose: str):
    """The complaints as an XLSX file on disk (``pcrm.lib.spreadsheet.xlsx_file``), read
    in chunks and written as they come; each citizen in it logged as a personal-data
    export, a chunk at a time. Returns the open file for the response to stream."""
    return xlsx_file(title, chain([HEADER], _rows(staff, complaints, purpose)))


def _rows(staff: Staff, complaints, purpose: str):
    statuses = dict(Complaint.Status.choices)
    logged: list[tuple] = []
    rows = complaints.values_list(*COLUMNS)[:STREAM_ROWS].iterator(chunk_size=CHUNK)
    for number, text, category, citizen_id, name, status, assignee, due in rows:
        masked = mask_name(name)
        yield [
            number,
            personal_data.redact(text),
            category,
            masked,
            str(statuses.get(status, status)),
            assignee or "",
            timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
        ]
        logged.append(("citizens.citizen", citizen_id, masked))
        if len(logged) == CHUNK:
            _log(staff, logged, purpose)
            logged = []
    if logged:
        _log(staff, logged, purpose)


def _log(staff: Staff, subjects: list[tuple], purpose: str) -> None:
    record_access_many(
        subjects=subjects,
        action=AccessLog.Action.EXPORT,
        actor=staff.user,
        purpose=purpose,
        detail={"format": "xlsx"},
    )
