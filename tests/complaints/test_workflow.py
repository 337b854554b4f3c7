"""Every transition, the forbidden ones, the intent gate, refusals and concurrency."""

from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from citizens.models import Contact
from complaints import workflow
from complaints.models import Complaint, Event
from pcrm.notify.models import Message
from tests.concurrency import at_once
from tests.factories import CategoryFactory, FlagFactory, StaffFactory, file_complaint

pytestmark = pytest.mark.django_db
KST = timezone.get_fixed_timezone(9 * 60)
MONDAY_10 = datetime(2026, 11, 23, 10, tzinfo=KST)


@pytest.fixture
def complaint(category):
    with time_machine.travel(MONDAY_10, tick=False):
        return file_complaint(category)[0]


def _kinds(complaint):
    return list(Event.objects.filter(complaint=complaint).values_list("kind", flat=True))


def test_the_happy_path_writes_events_and_the_timeline(org, complaint):
    c = workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    assert (c.status, c.assignee) == ("assigned", org.member)
    c = workflow.start(staff=org.member, complaint=c)
    assert c.status == "in_progress"
    workflow.answer(staff=org.member, complaint=c, text="보수 공사를 마쳤습니다.")
    c.refresh_from_db()
    assert c.status == "answered" and c.answered_at is not None
    workflow.close(staff=org.member, complaint=c)
    c.refresh_from_db()
    assert c.status == "closed"
    assert _kinds(c) == ["received", "assigned", "started", "answered", "closed"]
    event = Event.objects.get(complaint=c, kind="started")
    assert (event.staff, event.from_status, event.to_status) == (
        org.member,
        "assigned",
        "in_progress",
    )
    timeline = set(Contact.objects.filter(citizen=c.citizen).values_list("kind", flat=True))
    assert {
        "complaint.filed",
        "complaint.assigned",
        "complaint.answered",
        "complaint.closed",
    } <= timeline
    c.citizen.refresh_from_db()
    assert c.citizen.contact_count == 2  # filing and answer are contacts; handovers are not


def test_a_member_may_take_an_unassigned_complaint_but_not_assign_others(org, complaint):
    with pytest.raises(PermissionDenied):
        workflow.assign(staff=org.member, complaint=complaint, assignee=org.leader)
    c = workflow.take(staff=org.member, complaint=complaint)
    assert c.assignee == org.member
    other = StaffFactory(team=org.team)
    with pytest.raises(workflow.TransitionError, match="이미 다른 담당자"):
        workflow.take(staff=other, complaint=c)


def test_other_teams_and_other_roles_are_refused(org, complaint):
    for outsider in (org.other_member, org.other_leader, org.auditor):
        with pytest.raises(PermissionDenied):
            workflow.take(staff=outsider, complaint=complaint)
    c = workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    colleague = StaffFactory(team=org.team)
    with pytest.raises(PermissionDenied):
        workflow.start(staff=colleague, complaint=c)  # not the assignee


def test_pages_refuse_other_teams_with_404_and_auditors_with_403(client, org, complaint):
    url = f"/staff/complaints/{complaint.pk}/"
    client.force_login(org.other_member.user)
    assert client.get(url).status_code == 404
    assert client.post(url + "act/take/").status_code == 404
    client.force_login(org.auditor.user)
    assert client.get(url).status_code == 403
    client.force_login(org.member.user)
    assert client.get(url).status_code == 200
    assert client.post(url + "act/nonsense/").status_code == 404
    assert client.get(url + "act/take/").status_code == 405


def test_a_wrong_state_says_so(org, complaint):
    with pytest.raises(workflow.TransitionError, match="'접수' 상태에서는"):
        workflow.close(staff=org.leader, complaint=complaint)


def test_supplement_pauses_the_clock_and_resume_moves_the_deadline(org, complaint):
    c = workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    c = workflow.start(staff=org.member, complaint=c)
    with time_machine.travel(datetime(2026, 11, 24, 16, tzinfo=KST), tick=False):
        workflow.request_supplement(staff=org.member, complaint=c, note="현장 사진을 보내 주세요.")
    c.refresh_from_db()
    assert c.status == "supplement"
    with time_machine.travel(datetime(2026, 11, 25, 11, tzinfo=KST), tick=False):
        c = workflow.resume(staff=org.member, complaint=c)
    assert c.status == "in_progress"
    assert c.due_at == datetime(2026, 11, 26, 15, tzinfo=KST)  # 4 working hours later
    assert Message.objects.filter(dedupe_key__contains=":supplement:").count() == 1


def test_transfer_needs_a_reason_and_starts_afresh_in_the_other_team(org, complaint):
    c = workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    with pytest.raises(workflow.TransitionError, match="이송 사유"):
        workflow.transfer(staff=org.member, complaint=c, team=org.other_team, reason=" ")
    c = workflow.transfer(staff=org.member, complaint=c, team=org.other_team, reason="도로 소관")
    assert (c.team, c.assignee, c.status) == (org.other_team, None, "received")
    with pytest.raises(PermissionDenied):  # no longer the member's team
        workflow.start(staff=org.member, complaint=c)


def test_withdraw_and_reopen(org, complaint):
    c = workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    c = workflow.start(staff=org.member, complaint=c)
    workflow.answer(staff=org.member, complaint=c, text="답변")
    with pytest.raises(PermissionDenied):
        workflow.reopen(staff=org.member, complaint=c, reason="추가 확인")  # leaders reopen
    c = workflow.reopen(staff=org.leader, complaint=c, reason="민원인이 다시 요청")
    assert c.status == "in_progress"
    c = workflow.withdraw(staff=org.member, complaint=c, reason="민원인이 전화로 취하")
    assert c.status == "withdrawn" and c.closed_at is not None


def test_one_extension_with_reason_and_new_date_told_to_the_citizen(org, complaint):
    with pytest.raises(PermissionDenied):
        workflow.extend(
            staff=org.member, complaint=complaint, new_day=date(2026, 12, 4), reason="x"
        )
    with pytest.raises(workflow.TransitionError, match="근무일"):
        workflow.extend(
            staff=org.leader, complaint=complaint, new_day=date(2026, 12, 5), reason="x"
        )
    c = workflow.extend(
        staff=org.leader, complaint=complaint, new_day=date(2026, 12, 4), reason="현장 조사 필요"
    )
    assert c.due_at == datetime(2026, 12, 4, 18, tzinfo=KST)
    assert c.statutory_due_at == datetime(2026, 11, 26, 10, tzinfo=KST)
    assert Message.objects.filter(dedupe_key=f"complaint:{c.pk}:extended").count() == 1
    with pytest.raises(workflow.TransitionError, match="한 번만"):
        workflow.extend(staff=org.leader, complaint=c, new_day=date(2026, 12, 11), reason="또")


def test_refusal_needs_reason_and_remedy(org, complaint):
    c = workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    with pytest.raises(workflow.TransitionError, match="구제절차"):
        workflow.answer(
            staff=org.member, complaint=c, text="불가", refusal=True, refusal_reason="법령상 불가"
        )
    reply = workflow.answer(
        staff=org.member,
        complaint=c,
        text="불가합니다.",
        refusal=True,
        refusal_reason="사유지입니다.",
        remedy="90일 안에 행정심판을 청구할 수 있습니다.",
    )
    assert reply.refusal and reply.remedy.startswith("90일")
    assert Message.objects.filter(dedupe_key=f"complaint:{c.pk}:answer:{reply.pk}").count() == 1


def test_an_answer_that_fails_keeps_no_file_and_one_that_is_sent_keeps_its_own(
    org, complaint, stored_files, monkeypatch
):
    def pdf():
        return [(SimpleUploadedFile("결과.pdf", b"%PDF-1.4 answer"), "application/pdf")]

    def notifier_down(*args, **kwargs):
        raise RuntimeError("template missing")

    c = workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    with monkeypatch.context() as patch:  # a fault after the file and its row were written
        patch.setattr(workflow, "notify_citizen", notifier_down)
        with pytest.raises(RuntimeError):
            workflow.answer(staff=org.member, complaint=c, text="답변", attachments=pdf())
    assert stored_files() == [] and not c.attachments.exists()
    workflow.answer(staff=org.member, complaint=c, text="답변", attachments=pdf())
    [stored] = stored_files()
    assert stored == Path(c.attachments.get(kind="answer").file.path)


def test_refusal_form_keeps_the_answer_text(client, org, complaint):
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    client.force_login(org.member.user)
    response = client.post(
        f"/staff/complaints/{complaint.pk}/act/answer/",
        {"text": "긴 답변 초안입니다.", "refusal": "on", "refusal_reason": "", "remedy": ""},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "긴 답변 초안입니다." in html and "거부 사유를 적어 주세요" in html
    assert Complaint.objects.get(pk=complaint.pk).status == "assigned"


def test_intent_analysis_gates_calls_and_answers(client, org, category):
    flagged_citizen = FlagFactory(set_by=org.leader).citizen
    c = file_complaint(category, phone=flagged_citizen.phone)[0]
    assert c.citizen == flagged_citizen
    c = workflow.assign(staff=org.leader, complaint=c, assignee=org.member)
    assert workflow.needs_intent_analysis(c)
    with pytest.raises(workflow.TransitionError, match="질의의도 분석"):
        workflow.answer(staff=org.member, complaint=c, text="답변")
    with pytest.raises(workflow.TransitionError, match="질의의도 분석"):
        workflow.log_call(staff=org.member, complaint=c, outcome="reached")
    client.force_login(org.member.user)
    page = client.get(f"/staff/complaints/{c.pk}/").content.decode()
    assert "먼저 질의의도를 분석하세요" in page and "질의의도 분석 적기" in page
    assert "답변 보내기" not in page
    workflow.record_intent(staff=org.member, complaint=c, note="보상 여부를 알고 싶어 하심")
    workflow.log_call(staff=org.member, complaint=c, outcome="reached", note="설명드림")
    workflow.answer(staff=org.member, complaint=c, text="답변")
    assert Complaint.objects.get(pk=c.pk).status == "answered"


def test_unclear_complaints_need_intent_analysis_too(org, complaint):
    c = workflow.mark_unclear(staff=org.member, complaint=complaint, unclear=True)
    c = workflow.assign(staff=org.leader, complaint=c, assignee=org.member)
    with pytest.raises(workflow.TransitionError):
        workflow.answer(staff=org.member, complaint=c, text="답변")


def test_actions_through_the_page(client, org, complaint):
    client.force_login(org.member.user)
    url = f"/staff/complaints/{complaint.pk}/act/"
    assert client.post(url + "take/").status_code == 302
    client.post(url + "start/")
    response = client.post(url + "answer/", {"text": "조치했습니다."}, follow=True)
    assert "답변을 보냈습니다" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == "answered"
    again = client.post(url + "start/", follow=True)
    assert "상태에서는 처리를 시작할 수 없습니다" in again.content.decode()


def test_each_action_says_what_it_did(client, org, complaint):
    from complaints.actions import ACTIONS

    assert all(entry.done for entry in ACTIONS.values())  # none falls back to a vague word
    client.force_login(org.member.user)
    url = f"/staff/complaints/{complaint.pk}/act/"

    def said(action, data=None):
        page = client.post(url + action + "/", data or {}, follow=True).content.decode()
        return page.split('class="pcrm-messages"')[1].split("</ul>")[0]

    assert "민원을 맡았습니다" in said("take")
    assert "처리를 시작했습니다" in said("start")
    assert "취지 불명확으로 표시했습니다" in said("unclear")
    assert "취지 불명확 표시를 풀었습니다" in said("unclear")
    assert "질의의도 분석을 저장했습니다" in said("intent", {"note": "보수 시기를 묻는 민원"})
    assert "통화 기록을 남겼습니다" in said("call", {"outcome": "reached", "note": "설명함"})


@pytest.mark.django_db(transaction=True)
def test_two_staff_taking_the_same_complaint_at_once_lose_nothing():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are proven on PostgreSQL")
    team = CategoryFactory().team
    category = Complaint._meta.get_field("category").related_model.objects.get(team=team)
    complaint = file_complaint(category)[0]
    first, second = StaffFactory(team=team), StaffFactory(team=team)
    outcomes = {}

    def take(staff):
        try:
            workflow.take(staff=staff, complaint=complaint)
            outcomes[staff.pk] = "took"
        except workflow.TransitionError:
            outcomes[staff.pk] = "refused"

    at_once(take, arguments=[(first,), (second,)])
    assert sorted(outcomes.values()) == ["refused", "took"]
    winner = next(pk for pk, result in outcomes.items() if result == "took")
    complaint.refresh_from_db()
    assert complaint.assignee_id == winner
    assert Event.objects.filter(complaint=complaint, kind="assigned").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_different_actions_are_both_kept():
    """A leader extends while the assignee records intent: both changes survive."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are proven on PostgreSQL")
    category = CategoryFactory()
    team = category.team
    leader = StaffFactory(team=team, role="team_leader")
    member = StaffFactory(team=team)
    with time_machine.travel(MONDAY_10, tick=False):
        complaint = file_complaint(category)[0]
    workflow.assign(staff=leader, complaint=complaint, assignee=member)
    actions = [
        lambda: workflow.extend(
            staff=leader, complaint=complaint, new_day=date(2026, 12, 4), reason="조사"
        ),
        lambda: workflow.record_intent(staff=member, complaint=complaint, note="보수 일정 문의"),
    ]
    _results, errors = at_once(lambda action: action(), arguments=[(a,) for a in actions])
    assert errors == []
    complaint.refresh_from_db()
    assert complaint.extended_at is not None and complaint.intent_note == "보수 일정 문의"


def test_messages_to_the_citizen_name_the_sender_and_carry_the_link(org, complaint, settings):
    from pcrm.notify.models import Message

    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    workflow.start(staff=org.member, complaint=complaint)
    workflow.request_supplement(staff=org.member, complaint=complaint, note="사진을 보내 주세요")
    workflow.resume(staff=org.member, complaint=complaint, note="받았습니다")
    workflow.answer(staff=org.member, complaint=complaint, text="보수했습니다.")
    bodies = list(Message.objects.order_by("pk").values_list("body", flat=True))
    assert len(bodies) >= 3  # the receipt, the supplement request, the answer
    for body in bodies:
        assert body.startswith(f"[{settings.ORGANISATION_NAME}]")
        assert "/complaints/track/" in body
