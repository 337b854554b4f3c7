"""The answer library: team texts at once, organisation-wide ones once a leader approves;
found while answering (trigram, then the most used), Q&A items in the same search;
placeholders filled for the complaint; uses counted."""

import pytest
from django.core.exceptions import PermissionDenied

from complaints import faq, library, workflow
from complaints.models import AnswerText
from pcrm.audit.models import AccessLog
from tests.factories import file_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(org, category):
    complaint, _secret = file_complaint(category, name="김민수", title="가로등 고장")
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    return complaint


def _save(staff, title, text, scope="team"):
    return library.answer_text_save(staff=staff, title=title, text=text, scope=scope)


def test_team_texts_at_once_organisation_texts_after_a_leaders_approval(org):
    team = _save(org.member, "가로등 수리 안내", "수리했습니다.")
    wide = _save(org.member, "민원 처리 기간 안내", "처리 기간은 7일입니다.", scope="org")
    assert team.approved and not wide.approved
    assert set(library.usable(org.member)) == {team}
    assert set(library.usable(org.other_member)) == set()  # not their team's, not approved
    with pytest.raises(PermissionDenied):
        library.answer_text_approve(staff=org.other_leader, item=wide)  # another team's leader
    library.answer_text_approve(staff=org.leader, item=wide)
    assert set(library.usable(org.other_member)) == {wide}
    assert _save(org.leader, "휴일 안내", "휴일입니다.", scope="org").approved  # a leader's own


def test_the_search_ranks_alike_then_most_used_and_fills_placeholders(
    client, org, complaint, django_assert_num_queries
):
    plain = _save(org.member, "가로등 고장 수리 완료", "수리했습니다.")
    used = _save(
        org.member,
        "가로등 고장 처리",
        "{민원인} 님, {접수번호} 민원은 {처리기한}까지 {담당자}가 처리합니다. 문의 {부서 전화}",
    )
    AnswerText.objects.filter(pk=used.pk).update(uses=5)
    _save(org.member, "불법 주차 단속", "단속했습니다.")
    answered, _secret = file_complaint(complaint.category, phone="01055556666")
    workflow.assign(staff=org.leader, complaint=answered, assignee=org.member)
    workflow.answer(staff=org.member, complaint=answered, text="고쳤습니다.")
    item = faq.qa_propose(
        staff=org.member, complaint=answered, question="가로등은 언제 고치나요?", answer="7일 안에"
    )
    faq.qa_decide(staff=org.leader, item=item, approve=True)
    client.force_login(org.member.user)
    url = f"/staff/complaints/{complaint.pk}/library/"
    # session, staff, complaint, texts, Q&A items, and the access log row for the name
    with django_assert_num_queries(6):
        page = client.get(url, {"q": "가로등 고장"}).content.decode()
    assert page.index("가로등 고장 처리") < page.index("가로등 고장 수리 완료")  # used more
    assert "불법 주차" not in page and "가로등은 언제 고치나요?" in page
    due = complaint.due_at.astimezone().strftime("%Y년 %-m월 %-d일")
    filled = f"김민수 님, {complaint.receipt_number} 민원은 {due}까지 {org.member.name}가"
    assert filled in page and "02-120-0000" in page
    log = AccessLog.objects.get(action="reveal", purpose="답변 문구에 민원인 이름 넣기")
    assert log.actor == org.member.user
    assert plain.pk
    # the insert counts a use; a text the member may not use counts nothing
    client.post(f"/staff/complaints/{complaint.pk}/library/{used.pk}/used/")
    other = _save(org.other_member, "다른 팀 문구", "비공개")
    client.post(f"/staff/complaints/{complaint.pk}/library/{other.pk}/used/")
    assert AnswerText.objects.get(pk=used.pk).uses == 6
    assert AnswerText.objects.get(pk=other.pk).uses == 0


def test_an_answer_saved_as_a_text_and_the_page_lists_and_approves(
    client, org, complaint, django_assert_num_queries
):
    reply = workflow.answer(staff=org.member, complaint=complaint, text="가로등을 고쳤습니다.")
    client.force_login(org.member.user)
    prefilled = client.get("/staff/library/", {"answer": reply.pk}).content.decode()
    assert "가로등을 고쳤습니다.</textarea>" in prefilled
    client.post("/staff/library/", {"title": "가로등", "text": "고쳤습니다.", "scope": "org"})
    wide = AnswerText.objects.get()
    assert not wide.approved
    client.force_login(org.leader.user)
    for n in range(40):
        _save(org.leader, f"문구 {n}", "내용")
    # session, staff, the texts awaiting approval, the count, the page, unread notices
    with django_assert_num_queries(6):
        page = client.get("/staff/library/").content.decode()
    assert "승인을 기다리는" in page and "문구 0" in page
    client.post(f"/staff/library/{wide.pk}/approve/")
    assert AnswerText.objects.get(pk=wide.pk).approved


def test_a_member_of_no_team_is_told_why_nothing_was_saved(client):
    from tests.factories import StaffFactory

    admin = StaffFactory(team=None, role="cs_admin")
    client.force_login(admin.user)
    page = client.post("/staff/library/", {"title": "안내", "text": "내용", "scope": "org"})
    assert page.status_code == 200 and "팀에 속한 직원이 문구를 저장합니다" in page.content.decode()
    assert not AnswerText.objects.exists()
