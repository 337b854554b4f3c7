"""Q&A items and the FAQ: what looks personal held for a person's look, the leader's
edits and approval, search, suggestions, the half-yearly book and its one mailing."""

from datetime import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from complaints import faq, workflow
from complaints.models import QABook, QAItem
from pcrm.notify.models import Message
from tests.factories import StaffFactory, file_complaint

pytestmark = pytest.mark.django_db
KST = timezone.get_fixed_timezone(9 * 60)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "김민수입니다. 010-1234-5678로 연락 주세요",
            [("김민수", "이름"), ("010-1234-5678", "전화번호")],
        ),
        (
            "집 전화 02 123 4567, 휴대폰 01012345678",
            [("02 123 4567", "전화번호"), ("01012345678", "전화번호")],
        ),
        ("minsu.kim+a@example.co.kr 로 보내 주세요", [("minsu.kim+a@example.co.kr", "이메일")]),
        ("마포대로 174 앞 보도블록", [("마포대로 174", "주소")]),
        ("공덕동 123-4 번지 골목", [("공덕동 123-4 번지", "주소")]),
        ("101동 1203호에 삽니다", [("101동 1203호", "주소")]),
        ("담당 박정호 주무관이 안내", [("박정호", "이름")]),
        ("이영희님께서 문의하셨습니다", [("이영희", "이름")]),
        ("오후 2시 이후 통화 가능합니다", [("오후 2시 이후 통화 가능합니다", "개인 사정")]),
        ("저희 어머니가 다니시는 길입니다", [("저희 어머니가", "개인 사정")]),
        # what is no one's: the organisation's own number and address, plain facts
        ("문의: 02-120-0000 (세종대로 110 시청 민원실)", []),
        ("처리 기간은 3일입니다", []),
        ("고객님, 민원인님께 안내했습니다", []),
    ],
)
def test_what_looks_personal_is_found_for_review(text, expected, settings):
    settings.ORGANISATION_PHONES = ["02-120-0000"]
    settings.ORGANISATION_ADDRESS = "서울특별시 중구 세종대로 110"
    findings = faq.review_findings(text, names=["김민수", "박정호"])
    assert [(f.text, faq.REVIEW_LABELS[f.kind]) for f in findings] == expected


@pytest.fixture
def answered(org, category):
    complaint = file_complaint(category, name="김민수", title="무인발급기 위치 문의")[0]
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    workflow.start(staff=org.member, complaint=complaint)
    workflow.answer(staff=org.member, complaint=complaint, text="1층 민원실에 있습니다.")
    complaint.refresh_from_db()
    return complaint


def _propose(org, complaint, staff=None, **texts):
    return faq.qa_propose(
        staff=staff or org.member,
        complaint=complaint,
        question=texts.get("question", "무인발급기는 어디 있나요?"),
        answer=texts.get("answer", "시청 1층 민원실 옆에 있습니다."),
        keywords=texts.get("keywords", "무인발급기, 위치"),
        reviewed=texts.get("reviewed", False),
    )


def test_a_proposal_that_looks_personal_is_held_for_a_look_not_changed(org, answered):
    personal = {
        "question": "김민수입니다. 무인발급기는 어디 있나요? 010-1234-5678",
        "answer": "김서연 주무관: 오후 2시 이후 통화 가능합니다.",
    }
    with pytest.raises(faq.LooksPersonal) as held:
        _propose(org, answered, **personal)
    assert [f.text for f in held.value.findings] == [
        "김민수",
        "010-1234-5678",
        "김서연",
        "오후 2시 이후 통화 가능합니다",
    ]
    assert not QAItem.objects.exists()
    item = _propose(org, answered, question="무인발급기는 어디 있나요? (02-120-0000)")
    assert item.question == "무인발급기는 어디 있나요? (02-120-0000)"  # the office's number
    assert (item.state, item.team, item.category) == ("proposed", org.team, answered.category)
    confirmed = _propose(org, answered, question="김민수 님 질문", reviewed=True)
    assert confirmed.question == "김민수 님 질문"  # as written, on a person's word


def test_the_leader_edits_before_approving_and_is_shown_what_looks_personal(org, answered, login):
    item = _propose(org, answered, answer="김서연 주무관: 1층에 있습니다.", reviewed=True)
    client = login(org.leader)
    page = client.get(f"/staff/qa/{item.pk}/decide/").content.decode()
    assert '<mark title="이름">김서연</mark>' in page
    url = f"/staff/qa/{item.pk}/decide/"
    data = {"decision": "approve", "question": item.question, "keywords": "위치"}
    held = client.post(url, {**data, "answer": "김서연 주무관: 1층에 있습니다."})
    assert held.status_code == 400 and "개인정보로 보이는 곳이 1곳" in held.content.decode()
    item.refresh_from_db()
    assert item.state == "proposed"
    client.post(url, {**data, "answer": "민원실 담당 주무관: 1층 민원실 옆에 있습니다."})
    item.refresh_from_db()
    assert (item.state, item.answer) == (
        "approved",
        "민원실 담당 주무관: 1층 민원실 옆에 있습니다.",
    )


def test_only_answered_complaints_of_ones_team(org, category, answered):
    open_one = file_complaint(category, phone="01099998888")[0]
    with pytest.raises(faq.QAError):
        _propose(org, open_one)
    with pytest.raises(PermissionDenied):
        _propose(org, answered, staff=org.other_member)


def test_the_team_leader_approves_or_returns(org, answered):
    item = _propose(org, answered)
    for outsider in (org.member, org.other_leader):
        with pytest.raises(PermissionDenied):
            faq.qa_decide(staff=outsider, item=item, approve=True)
    with pytest.raises(faq.QAError, match="반려 사유"):
        faq.qa_decide(staff=org.leader, item=item, approve=False)
    faq.qa_decide(staff=org.leader, item=item, approve=True)
    with pytest.raises(faq.QAError):
        faq.qa_decide(staff=org.leader, item=item, approve=False, note="중복")
    item.refresh_from_db()
    assert (item.state, item.decided_by) == ("approved", org.leader)


def test_the_public_faq_shows_approved_items_and_searches(
    client, org, answered, django_assert_num_queries
):
    approved = _propose(org, answered)
    faq.qa_decide(staff=org.leader, item=approved, approve=True)
    _propose(org, answered, question="아직 승인 안 된 질문")
    # 1 categories with approved items, 2 count, 3 the page of items
    with django_assert_num_queries(3):
        page = client.get("/faq/")
    body = page.content.decode()
    assert "무인발급기는 어디 있나요" in body and "아직 승인 안 된 질문" not in body
    assert "무인발급기는" in client.get("/faq/", {"q": "위치"}).content.decode()
    assert "무인발급기는" not in client.get("/faq/", {"q": "주차"}).content.decode()
    other = client.get("/faq/", {"category": answered.category_id + 999}).content.decode()
    assert "무인발급기는" in other  # an unknown category is ignored, not an error


def test_approved_answers_are_suggested_while_answering(org, category, answered, login):
    faq.qa_decide(staff=org.leader, item=_propose(org, answered), approve=True)
    new = file_complaint(category, phone="01055556666", title="무인발급기 어디 있어요")[0]
    workflow.assign(staff=org.leader, complaint=new, assignee=org.member)
    page = login(org.member).get(f"/staff/complaints/{new.pk}/").content.decode()
    assert "비슷한 질의응답" in page and "시청 1층 민원실 옆에 있습니다." in page


def _approved_at(org, answered, moment):
    item = _propose(org, answered, question=f"질문 {moment.isoformat()}")
    with time_machine.travel(moment, tick=False):
        faq.qa_decide(staff=org.leader, item=item, approve=True)
    return item


def test_the_book_holds_the_half_years_items(org, answered):
    june = _approved_at(org, answered, datetime(2026, 6, 30, 23, 59, tzinfo=KST))
    july = _approved_at(org, answered, datetime(2026, 7, 1, 0, 0, tzinfo=KST))
    first = faq.book_compile("2026-H1")
    second = faq.book_compile("2026-H2")
    assert list(first.items.all()) == [june]
    assert list(second.items.all()) == [july]
    assert faq.book_compile("2026-H1").pk == first.pk  # compiled once
    with pytest.raises(faq.QAError):
        faq.book_compile("2026-H3")


def test_the_book_is_mailed_to_all_staff_once(org, answered, settings):
    settings.QA_BOOK_MAIL_AFTER_DAYS = 14
    _approved_at(org, answered, datetime(2026, 5, 10, 10, tzinfo=KST))
    for staff in (org.member, org.leader):
        staff.user.email = f"{staff.user.username}@example.go.kr"
        staff.user.save()
    StaffFactory(user__email="", team=org.team)  # no address: nothing to send
    with time_machine.travel(datetime(2026, 7, 14, 9, tzinfo=KST), tick=False):
        assert faq.mail_due_book() == 0  # not yet
    with time_machine.travel(datetime(2026, 7, 15, 9, tzinfo=KST), tick=False):
        assert faq.mail_due_book() == 2
        assert faq.mail_due_book() == 0
    with time_machine.travel(datetime(2026, 8, 1, 9, tzinfo=KST), tick=False):
        assert faq.mail_due_book() == 0
    book = QABook.objects.get(period="2026-H1")
    assert book.mailed_at is not None and book.items.count() == 1
    assert Message.objects.filter(dedupe_key__startswith="qabook:2026-H1:").count() == 2


def test_book_pages(org, answered, login):
    _approved_at(org, answered, datetime(2026, 5, 10, 10, tzinfo=KST))
    client = login(org.cs_admin)
    response = client.post("/staff/qa/books/compile/", {"period": "2026-H1"})
    assert response.status_code == 302
    page = client.get("/staff/qa/books/2026-H1/").content.decode()
    assert "2026년 상반기 질의응답집" in page and "시청 1층 민원실" in page
    xlsx = client.get("/staff/qa/books/2026-H1/", {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert QAItem.objects.filter(books__period="2026-H1").count() == 1
    assert login(org.member).get("/staff/qa/books/2026-H2/").status_code == 404
