"""The answer library: reusable answers saved by staff for their team, or (approved by a
leader) for the whole organisation; found while answering, filled in for the complaint.

Placeholders: ``{민원인}``, ``{접수번호}``, ``{처리기한}``, ``{담당자}``, ``{부서 전화}``."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from complaints.models import AnswerText, Complaint, QAItem
from pcrm.audit.models import AccessLog
from pcrm.audit.services import record_access
from pcrm.org.access import require
from pcrm.org.models import Staff

Role = Staff.Role


class LibraryError(ValueError):
    """The text cannot be saved; the message says why, in Korean."""


def fill(text: str, complaint: Complaint, staff: Staff) -> str:
    """The text with its placeholders filled in for ``complaint``."""
    due = formats.date_format(timezone.localtime(complaint.due_at), "Y년 n월 j일")
    worker = complaint.assignee or staff
    values = {
        "{민원인}": complaint.citizen.name,
        "{접수번호}": complaint.receipt_number,
        "{처리기한}": due,
        "{담당자}": worker.name,
        "{부서 전화}": settings.ORGANISATION_PHONES[0] if settings.ORGANISATION_PHONES else "",
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def can_approve(staff: Staff, item: AnswerText) -> bool:
    """Organisation-wide texts: a CS administrator, or the leader of the writer's team."""
    return staff.role == Role.CS_ADMIN or (
        staff.role == Role.TEAM_LEADER and staff.team_id == item.team_id
    )


def awaiting(staff: Staff):
    """The organisation-wide texts this member of staff may approve (``can_approve``)."""
    rows = AnswerText.objects.filter(approved=False)
    if staff.role == Role.CS_ADMIN:
        return rows
    if staff.role == Role.TEAM_LEADER:
        return rows.filter(team_id=staff.team_id)
    return rows.none()


@transaction.atomic
def answer_text_save(*, staff: Staff, title: str, text: str, scope: str) -> AnswerText:
    """Save a text for the team (in use at once) or the organisation (in use once a leader
    approves it; at once when a leader or CS administrator saves it)."""
    if staff.team_id is None:
        raise LibraryError(_("팀에 속한 직원이 문구를 저장합니다. 팀 직원에게 부탁해 주세요."))
    if not title.strip() or not text.strip():
        raise LibraryError(_("제목과 문구를 모두 적어 주세요."))
    item = AnswerText(
        title=title.strip(), text=text.strip(), scope=scope, team_id=staff.team_id, created_by=staff
    )
    if scope == AnswerText.Scope.TEAM or can_approve(staff, item):
        item.approved, item.approved_by = True, staff
    item.save()
    return item


@transaction.atomic
def answer_text_approve(*, staff: Staff, item: AnswerText) -> AnswerText:
    require(can_approve(staff, item))
    AnswerText.objects.filter(pk=item.pk).update(approved=True, approved_by=staff)
    item.approved, item.approved_by = True, staff
    return item


def answer_text_used(*, staff: Staff, item_id: int) -> None:
    """One more use (for the ranking), of a text this member of staff may use."""
    usable(staff).filter(pk=item_id).update(uses=F("uses") + 1)


def usable(staff: Staff):
    """The approved texts of the member's team and of the whole organisation."""
    return AnswerText.objects.filter(
        Q(scope=AnswerText.Scope.ORGANISATION) | Q(team_id=staff.team_id), approved=True
    )


def listed(staff: Staff, query: str = ""):
    """The library page's list: the usable texts matching ``query``, most used first."""
    rows = usable(staff).select_related("team", "created_by")
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(text__icontains=query))
    return rows.order_by("-uses", "title", "id")


NAME = "{민원인}"


def offer(staff: Staff, complaint: Complaint, query: str, *, request=None):
    """The answer form's search: (text, filled in for the complaint) pairs and Q&A items.
    Filling in the citizen's name shows it in clear: logged as a reveal."""
    texts, items = search(staff, query, category_id=complaint.category_id)
    if any(NAME in text.text for text in texts):
        record_access(
            subject=complaint.citizen,
            action=AccessLog.Action.REVEAL,
            request=request,
            actor=staff.user,
            purpose=_("답변 문구에 민원인 이름 넣기"),
            detail={"complaint": complaint.receipt_number},
        )
    return [(text, fill(text.text, complaint, staff)) for text in texts], items


SIMILARITY = 0.1  # a short search against a title: looser than similar complaints


def search(staff: Staff, query: str, *, category_id: int, limit: int = 6):
    """Library texts and approved Q&A items of the category for ``query``: the most alike
    first (trigram on PostgreSQL), then the most used. Two queries."""
    texts = usable(staff)
    items = QAItem.objects.filter(state=QAItem.State.APPROVED, category_id=category_id)
    query = query.strip()[:100]
    if not query:
        return list(texts.order_by("-uses", "title")[:limit]), []
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        texts = (
            texts.annotate(similarity=TrigramSimilarity("title", query))
            .filter(Q(similarity__gte=SIMILARITY) | Q(text__icontains=query))
            .order_by("-similarity", "-uses", "title")
        )
        items = (
            items.annotate(similarity=TrigramSimilarity("question", query))
            .filter(Q(similarity__gte=SIMILARITY) | Q(answer__icontains=query))
            .order_by("-similarity", "-decided_at")
        )
    else:
        texts = texts.filter(Q(title__icontains=query) | Q(text__icontains=query))
        items = items.filter(Q(question__icontains=query) | Q(answer__icontains=query))
    return list(texts[:limit]), list(items.only("question", "answer")[:limit])
