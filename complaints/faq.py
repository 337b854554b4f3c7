"""The Q&A book and the public FAQ (질의응답집, 자주 묻는 질문).

Staff propose a question and answer from a complaint they answered; what looks
personal (the shared detector, addresses, a citizen's circumstances) is marked on the
page for them and for the team leader, who edits the texts before approving or returns
the proposal: nothing is changed or published on the detector's word alone. Approved
items are the public FAQ, are suggested on the complaint page while an answer is
written, and are compiled every half-year into a Q&A book mailed to all staff once.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.access import can_decide
from complaints.models import Category, Complaint, QABook, QAItem
from pcrm.lib import personal_data
from pcrm.lib.periods import Period
from pcrm.notify.services import message_queue
from pcrm.org.models import Staff

Role = Staff.Role

_ADDRESS = re.compile(
    r"[가-힣\d]+(로|길)\s?\d+(-\d+)?(번길\s?\d+(-\d+)?)?"  # road-name address
    r"|[가-힣]+[동리]\s?\d+(-\d+)?\s?번지"  # lot number
    r"|\d+동\s?\d+호"  # building and unit
)


# a citizen's own circumstances, which no pattern of numbers finds: when they can be
# called, where they live, their family or health ("오후 2시 이후 통화 가능합니다")
_CIRCUMSTANCES = re.compile(
    r"(?:오전|오후|저녁|아침|점심|평일|주말)?\s?\d{0,2}시?\s?(?:이후|이전|쯤|전|후|에)?\s?"
    r"(?:통화|연락|전화|방문)\s?(?:가능|주시|부탁|바랍|해\s?주|드리겠|하겠)[가-힣]*"
    r"|(?:저희|우리)\s?(?:집|아파트|가족|아이|어머니|아버지|남편|아내)[가-힣]*"
    r"|(?:장애|질병|수술|입원|임신)[가-힣]*"
)
REVIEW_LABELS = {
    **{kind: label.strip("()") for kind, label in personal_data.LABELS.items()},
    "name": "이름",
    "address": "주소",
    "circumstance": "개인 사정",
}


class QAError(Exception):
    pass


class LooksPersonal(QAError):
    """The text shows what looks like personal data; it is shown marked for a person to
    fix or confirm (``reviewed``), never changed or published on the detector's word."""

    def __init__(self, findings):
        self.findings = findings
        super().__init__(
            _(
                "개인정보로 보이는 곳이 %(count)d곳 있습니다. 표시된 곳을 고치거나, "
                "개인정보가 아니면 확인란을 선택해 주세요."
            )
            % {"count": len(findings)}
        )


def review_findings(text: str, *, names=()) -> list[personal_data.Finding]:
    """What a reviewer should look at before a text is published: the detector's
    findings (the organisation's own telephone numbers are not personal), street
    addresses other than the organisation's own, and a citizen's circumstances."""
    own_address = settings.ORGANISATION_ADDRESS
    findings = personal_data.find(text, names=names, own_phones=settings.ORGANISATION_PHONES)
    for pattern, kind in ((_ADDRESS, "address"), (_CIRCUMSTANCES, "circumstance")):
        for match in pattern.finditer(text):
            found = match.group().strip()
            if not found or (kind == "address" and found in own_address):
                continue
            start = match.start() + match.group().index(found)
            findings.append(personal_data.Finding(kind, start, start + len(found), found))
    findings.sort(key=lambda f: (f.start, -f.end))
    kept, end = [], -1
    for finding in findings:  # overlapping findings: the first (longest) one
        if finding.start >= end:
            kept.append(finding)
            end = finding.end
    return kept


def marked(text: str, *, names=()) -> list[tuple[str, str]]:
    """``text`` in pieces for a page: (piece, "") as written, (piece, label) where the
    reviewer should look (the template marks those)."""
    pieces, position = [], 0
    for finding in review_findings(text, names=names):
        pieces += [
            (text[position : finding.start], ""),
            (finding.text, REVIEW_LABELS[finding.kind]),
        ]
        position = finding.end
    pieces.append((text[position:], ""))
    return [(piece, label) for piece, label in pieces if piece]


def _check(texts: list[str], *, names, reviewed: bool) -> None:
    findings = [f for text in texts for f in review_findings(text, names=names)]
    if findings and not reviewed:
        raise LooksPersonal(findings)


def names_for_complaint(complaint: Complaint) -> list[str]:
    """The names a reviewer should not see published: the citizen's and the team's."""
    names = [complaint.citizen.name]
    names += list(Staff.objects.filter(team_id=complaint.team_id).values_list("name", flat=True))
    return names


def qa_propose(
    *,
    staff: Staff,
    complaint: Complaint,
    question: str,
    answer: str,
    keywords: str = "",
    reviewed: bool = False,
) -> QAItem:
    """From an answered complaint of one's team: a Q&A proposal for the leader. Texts
    that look personal are refused (``LooksPersonal``) unless ``reviewed``."""
    if staff.role not in {Role.STAFF, Role.TEAM_LEADER, Role.CS_ADMIN}:
        raise PermissionDenied
    if staff.role != Role.CS_ADMIN and staff.team_id != complaint.team_id:
        raise PermissionDenied
    complaint = Complaint.objects.select_related("citizen").get(pk=complaint.pk)  # fresh
    if complaint.answered_at is None:
        raise QAError(_("답변한 민원에서만 질의응답을 만들 수 있습니다."))
    if not question.strip() or not answer.strip():
        raise QAError(_("질문과 답변을 모두 적어 주세요."))
    question, answer, keywords = question.strip(), answer.strip(), keywords.strip()[:200]
    _check([question, answer, keywords], names=names_for_complaint(complaint), reviewed=reviewed)
    return QAItem.objects.create(
        complaint=complaint,
        category=complaint.category,
        team_id=complaint.team_id,
        question=question,
        answer=answer,
        keywords=keywords,
        proposed_by=staff,
    )


@transaction.atomic
def qa_decide(
    *,
    staff: Staff,
    item: QAItem,
    approve: bool,
    note: str = "",
    question: str | None = None,
    answer: str | None = None,
    keywords: str | None = None,
    reviewed: bool = False,
) -> QAItem:
    """Approve (with the leader's edits of question, answer and keywords, checked for
    what looks personal unless ``reviewed``) or return with a reason."""
    item = (
        QAItem.objects.select_for_update(of=("self",)).select_related("complaint").get(pk=item.pk)
    )
    if not can_decide(staff, item):
        raise PermissionDenied
    if item.state != QAItem.State.PROPOSED:
        raise QAError(_("이미 처리한 제안입니다."))
    if not approve and not note.strip():
        raise QAError(_("반려 사유를 적어 주세요."))
    fields = ["state", "decided_by", "decided_at", "return_note"]
    if approve:
        item.question = (question if question is not None else item.question).strip()
        item.answer = (answer if answer is not None else item.answer).strip()
        item.keywords = (keywords if keywords is not None else item.keywords).strip()[:200]
        if not item.question or not item.answer:
            raise QAError(_("질문과 답변을 모두 적어 주세요."))
        names = names_for_item(item)
        _check([item.question, item.answer, item.keywords], names=names, reviewed=reviewed)
        fields += ["question", "answer", "keywords"]
    item.state = QAItem.State.APPROVED if approve else QAItem.State.RETURNED
    item.decided_by, item.decided_at, item.return_note = staff, timezone.now(), note.strip()
    item.save(update_fields=fields)
    return item


def names_for_item(item: QAItem) -> list[str]:
    return names_for_complaint(item.complaint) if item.complaint_id else []


# --- reading -------------------------------------------------------------------------------


def faq(*, q: str = "", category: int | None = None):
    """Approved items, newest first; ``q`` searches question, answer and keywords."""
    rows = QAItem.objects.filter(state=QAItem.State.APPROVED).select_related("category")
    if category:
        rows = rows.filter(category_id=category)
    for word in q.split()[:5]:
        rows = rows.filter(
            Q(question__icontains=word) | Q(answer__icontains=word) | Q(keywords__icontains=word)
        )
    return rows.order_by("-decided_at", "-id")


def faq_categories():
    return (
        Category.objects.filter(qa_items__state=QAItem.State.APPROVED).distinct().order_by("name")
    )


def suggestions(complaint: Complaint, *, limit: int = 3) -> list[QAItem]:
    """Approved items of the complaint's category, the most alike first (trigram on
    PostgreSQL), shown while an answer is written."""
    from django.db import connection

    rows = QAItem.objects.filter(state=QAItem.State.APPROVED, category_id=complaint.category_id)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        rows = rows.annotate(similarity=TrigramSimilarity("question", complaint.title)).order_by(
            "-similarity", "-decided_at"
        )
    else:
        rows = rows.order_by("-decided_at")
    return list(rows.only("question", "answer")[:limit])


def proposals_for(staff: Staff):
    """What a leader (their team's) or a CS administrator (all) has to decide."""
    rows = QAItem.objects.filter(state=QAItem.State.PROPOSED).select_related(
        "category", "proposed_by", "complaint"
    )
    if staff.role != Role.CS_ADMIN:
        rows = rows.filter(team_id=staff.team_id)
    return rows.order_by("proposed_at", "id")


# --- the half-yearly book ------------------------------------------------------------------------


def book_compile(period: str) -> QABook:
    """The book of one half-year: the items approved in it. Compiled once and kept."""
    try:
        half = Period.parse(period)
    except ValueError:
        half = None
    if half is None or half.kind != "half":
        raise QAError(_("기간은 2026-H1 처럼 적어 주세요."))
    with transaction.atomic():
        book, created = QABook.objects.get_or_create(
            period=half.code,
            defaults={
                "title": _("%(year)d년 %(half)s 질의응답집")
                % {
                    "year": half.start.year,
                    "half": _("상반기") if half.start.month == 1 else _("하반기"),
                }
            },
        )
        if created:
            start_at, end_at = half.bounds()
            book.items.set(
                QAItem.objects.filter(
                    state=QAItem.State.APPROVED, decided_at__gte=start_at, decided_at__lt=end_at
                )
            )
    return book


def book_items(book: QABook):
    return book.items.select_related("category").order_by("category__name", "decided_at", "id")


def mail_due_book(*, now: datetime | None = None) -> int:
    """The beat job: ``QA_BOOK_MAIL_AFTER_DAYS`` after a half-year ends, compile its book
    and e-mail it to all staff, once (the job may run any number of times)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    half = Period.containing("half", today).previous()
    if today < half.end + timedelta(days=settings.QA_BOOK_MAIL_AFTER_DAYS):
        return 0
    book = book_compile(half.code)
    url = settings.PCRM_BASE_URL.rstrip("/") + reverse("qa-book", args=[book.period])
    count = book.items.count()
    sent = 0
    with transaction.atomic():  # the claim and the messages commit together
        if not QABook.objects.filter(pk=book.pk, mailed_at__isnull=True).update(mailed_at=now):
            return 0  # mailed before (or by another worker just now)
        staff_members = Staff.objects.filter(active=True, user__is_active=True).select_related(
            "user"
        )
        for staff in staff_members:
            if not staff.user.email:
                continue
            message_queue(
                channel="email",
                recipient=staff.user.email,
                template="qa-book",
                context={"book": book, "url": url, "count": count},
                dedupe_key=f"qabook:{book.period}:{staff.pk}",
            )
            sent += 1
    return sent


def finished_half(today: date) -> str:
    """The code of the last half-year that has ended, e.g. 2026-H1 in November 2026."""
    return Period.containing("half", today).previous().code
