"""Repeated and duplicate complaints: similar ones found by trigram similarity, linking
duplicates, and closing a repeated matter only after 3 filings and 2 answers, with the
team leader's approval."""

import pytest

from complaints import workflow
from complaints.models import Complaint
from complaints.selectors import similar_complaints
from tests.factories import file_complaint

pytestmark = pytest.mark.django_db


def _answered(org, complaint):
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    workflow.answer(staff=org.member, complaint=complaint, text="답변드렸습니다.")
    complaint.refresh_from_db()
    return complaint


def test_similar_complaints_from_the_same_citizen_and_from_others(category):
    mine = file_complaint(category, phone="01012345678", title="공덕역 앞 보도블록 파손")[0]
    again = file_complaint(category, phone="01012345678", title="공덕역 앞 보도블록 파손 재신고")[0]
    file_complaint(category, phone="01012345678", title="가로등이 꺼졌어요")
    neighbour = file_complaint(category, phone="01099998888", title="공덕역 보도블록 파손 신고")[0]
    assert [c.pk for c in similar_complaints(again, same_citizen=True)] == [mine.pk]
    assert [c.pk for c in similar_complaints(again, same_citizen=False)] == [neighbour.pk]


def test_two_filings_may_not_be_closed_as_repeated(org, category):
    first = _answered(org, file_complaint(category, title="같은 민원")[0])
    second = file_complaint(category, title="같은 민원")[0]
    with pytest.raises(workflow.TransitionError, match="접수 2번, 답변 1번"):
        workflow.propose_repeated_closure(
            staff=org.member, complaint=second, related=[first], reason="같은 내용"
        )


def test_three_filings_with_one_answer_are_not_enough(org, category):
    first = _answered(org, file_complaint(category, title="같은 민원")[0])
    second = file_complaint(category, title="같은 민원")[0]
    third = file_complaint(category, title="같은 민원")[0]
    with pytest.raises(workflow.TransitionError, match="접수 3번, 답변 1번"):
        workflow.propose_repeated_closure(
            staff=org.member, complaint=third, related=[first, second], reason="같은 내용"
        )


def test_three_filings_and_two_answers_close_with_the_leaders_approval(org, category, client):
    first = _answered(org, file_complaint(category, title="같은 민원")[0])
    second = _answered(org, file_complaint(category, title="같은 민원")[0])
    third = file_complaint(category, title="같은 민원")[0]
    proposal = workflow.propose_repeated_closure(
        staff=org.member, complaint=third, related=[first, second], reason="세 번째 같은 요구"
    )
    assert proposal.state == "proposed"
    assert Complaint.objects.get(pk=third.pk).status == "received"  # not closed yet
    with pytest.raises(Exception) as refused:
        workflow.decide_repeated_closure(staff=org.member, complaint=third, approve=True)
    assert refused.type.__name__ == "PermissionDenied"
    client.force_login(org.leader.user)
    page = client.get(f"/staff/complaints/{third.pk}/").content.decode()
    assert "반복민원 종결 승인" in page
    client.post(f"/staff/complaints/{third.pk}/act/approve_repeat/", {"note": ""})
    third.refresh_from_db()
    assert third.status == "closed"
    assert third.repeated_closure.state == "approved"
    assert third.repeated_closure.decided_by == org.leader


def test_another_citizens_complaints_cannot_be_counted(org, category):
    first = _answered(org, file_complaint(category, phone="01011112222", title="같은 민원")[0])
    second = _answered(org, file_complaint(category, phone="01011112222", title="같은 민원")[0])
    third = file_complaint(category, phone="01033334444", title="같은 민원")[0]
    with pytest.raises(workflow.TransitionError, match="같은 민원인"):
        workflow.propose_repeated_closure(
            staff=org.member, complaint=third, related=[first, second], reason="x"
        )


def test_linking_a_duplicate_through_the_page(client, org, category):
    original = file_complaint(category, phone="01011112222", title="가로등 고장")[0]
    duplicate = file_complaint(category, phone="01033334444", title="가로등 고장 신고")[0]
    client.force_login(org.member.user)
    client.post(
        f"/staff/complaints/{duplicate.pk}/act/duplicate/",
        {"receipt_number": original.receipt_number},
    )
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original


@pytest.mark.parametrize("events", [1, 20])
@pytest.mark.parametrize("intent_note", [False, True])
def test_the_complaint_page_uses_at_most_eleven_queries(
    client, org, category, django_assert_num_queries, events, intent_note
):
    complaint = file_complaint(category, title="공덕역 보도블록")[0]
    file_complaint(category, phone="01055556666", title="공덕역 보도블록 파손")
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    if intent_note:
        workflow.record_intent(staff=org.member, complaint=complaint, note="보수 일정 문의")
    for n in range(events):
        workflow.log_call(staff=org.member, complaint=complaint, outcome="no_answer", note=f"{n}")
    client.force_login(org.member.user)
    # 1 session user with staff profile, 2 complaint with its category, team, citizen,
    # assignee and proposal, 3 history, 4 attachments, 5 answers, 6 calls, 7 approved Q&A
    # items of the category (suggested while an answer can be written), 8 the messages
    # sent about it, 9 unread notifications, and 10 the intent note's author where there
    # is a note (and the supplement requests where there were any); similar complaints
    # load on their own
    with django_assert_num_queries(11 if intent_note else 10):  # + the session read
        response = client.get(f"/staff/complaints/{complaint.pk}/")
    assert response.status_code == 200
    if intent_note:
        assert org.member.name in response.content.decode()


def test_similar_complaints_load_on_their_own(client, org, category, django_assert_num_queries):
    earlier = file_complaint(category, title="공덕역 앞 보도블록 파손")[0]
    complaint = file_complaint(category, title="공덕역 앞 보도블록 파손 재신고")[0]
    neighbour = file_complaint(category, phone="01099998888", title="공덕역 보도블록 파손 신고")[0]
    client.force_login(org.member.user)
    page = client.get(f"/staff/complaints/{complaint.pk}/").content.decode()
    url = f"/staff/complaints/{complaint.pk}/similar/"
    assert f'hx-get="{url}"' in page and f'href="{url}"' in page  # a link without JavaScript
    # 1 session user with staff profile, 2 the complaint, 3 the same citizen's similar
    # ones, 4 others' similar ones, 5 which of those this member may open
    with django_assert_num_queries(6):  # + the session read
        fragment = client.get(url, headers={"HX-Request": "true"})
    assert earlier.receipt_number in fragment.content.decode()
    assert f'<a href="/staff/complaints/{neighbour.pk}/">' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    whole = client.get(url)
    assert neighbour.receipt_number in whole.content.decode() and "<html" in whole.content.decode()
    client.force_login(org.other_member.user)
    assert client.get(url).status_code == 404
