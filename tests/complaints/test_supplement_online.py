"""A citizen answers a supplement request online from the tracking page: text and up to
three checked files, once per request, the clock running again with the new deadline
shown at once, the assignee told; and the answer as a printable result notice (제27조)."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from citizens.consents import SATISFACTION_SURVEY
from complaints import services, workflow
from complaints.models import Attachment, Complaint, Event, SupplementReply
from pcrm.notify.models import StaffNotification
from surveys.models import Invitation
from tests.concurrency import at_once
from tests.factories import CampaignFactory, file_complaint

pytestmark = pytest.mark.django_db
KST = timezone.get_fixed_timezone(9 * 60)
MONDAY_10 = datetime(2026, 11, 23, 10, tzinfo=KST)
TUESDAY_16 = datetime(2026, 11, 24, 16, tzinfo=KST)
WEDNESDAY_11 = datetime(2026, 11, 25, 11, tzinfo=KST)
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def _png(name="현장.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


@pytest.fixture
def asked(org, category):
    """A complaint filed on Monday 10:00 whose assignee asked on Tuesday 16:00 for a
    photograph: (complaint, secret, the request)."""
    with time_machine.travel(MONDAY_10, tick=False):
        complaint, secret = file_complaint(category)
        workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
        workflow.start(staff=org.member, complaint=complaint)
    with time_machine.travel(TUESDAY_16, tick=False):
        workflow.request_supplement(
            staff=org.member, complaint=complaint, note="파손 부위 사진을 보내 주세요."
        )
    complaint.refresh_from_db()
    return complaint, secret, complaint.pauses.get()


def test_the_reply_lands_on_the_complaint_resumes_the_clock_and_shows_the_new_deadline(
    client, org, asked
):
    complaint, secret, pause = asked
    with time_machine.travel(WEDNESDAY_11, tick=False):
        page = client.get(f"/complaints/track/{secret}/").content.decode()
        assert "파손 부위 사진을 보내 주세요." in page and "보완 자료 내기" in page
        assert "처리기한이 멈춰 있습니다" in page
        assert "이 민원 취하하기" not in page  # one thing to do while asked
        done = client.post(
            f"/complaints/track/{secret}/supplement/",
            {"pause": pause.pk, "text": "사진 두 장 보냅니다.", "attachments": [_png()]},
            follow=True,
        )
    text = done.content.decode()
    # resumed: the supplement time (Tuesday 16:00 to Wednesday 11:00) does not count
    assert "답변 예정은 2026년 11월 26일(목요일) 15:00까지입니다" in text
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"
    assert timezone.localtime(complaint.due_at) == datetime(2026, 11, 26, 15, tzinfo=KST)
    assert "2026년 11월 26일(목요일) 15:00" in text.split('id="due-at"')[1][:200]
    reply = SupplementReply.objects.get()
    assert (reply.pause, reply.text) == (pause, "사진 두 장 보냅니다.")
    pause.refresh_from_db()
    assert pause.ended_at == WEDNESDAY_11
    attachment = Attachment.objects.get(kind="supplement")
    assert attachment.complaint == complaint and attachment.content_type == "image/png"
    assert Event.objects.filter(complaint=complaint, kind="supplement_replied").count() == 1
    notice = StaffNotification.objects.get(staff=org.member)
    assert "보완 자료를 냈습니다" in notice.text
    assert notice.link == f"/staff/complaints/{complaint.pk}/"
    # the staff page shows the reply and its file
    client.force_login(org.member.user)
    staff_page = client.get(f"/staff/complaints/{complaint.pk}/").content.decode()
    assert "민원인 보완 제출" in staff_page and "현장.png" in staff_page


def test_a_repeated_submission_files_nothing_twice(client, org, asked):
    _complaint, secret, pause = asked
    url = f"/complaints/track/{secret}/supplement/"
    client.post(url, {"pause": pause.pk, "text": "사진입니다.", "attachments": [_png()]})
    again = client.post(
        url, {"pause": pause.pk, "text": "사진입니다.", "attachments": [_png()]}, follow=True
    )
    assert "이미 답하셨습니다" in again.content.decode()
    assert SupplementReply.objects.count() == 1
    assert Attachment.objects.filter(kind="supplement").count() == 1
    assert StaffNotification.objects.count() == 1
    assert Event.objects.filter(kind="supplement_replied").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_make_one_reply(org, asked, stored_files):
    complaint, _secret, pause = asked

    def reply():
        return workflow.supplement_reply(
            complaint=complaint,
            pause_id=pause.pk,
            text="사진입니다.",
            attachments=[(_png(), "image/png")],
        )[1]

    results, errors = at_once(reply, 2)
    assert errors == [] and sorted(results) == [False, True]
    assert SupplementReply.objects.count() == 1
    # the loser's file was removed again: one stored file for one attachment row
    assert len(stored_files()) == 1


def test_a_further_reply_needs_a_further_request(client, org, asked):
    complaint, secret, pause = asked
    url = f"/complaints/track/{secret}/supplement/"
    client.post(url, {"pause": pause.pk, "text": "사진입니다."})
    page = client.get(f"/complaints/track/{secret}/").content.decode()
    assert "보완 자료 내기" not in page  # nothing asked now
    workflow.request_supplement(staff=org.member, complaint=complaint, note="위치도 알려 주세요.")
    second = Complaint.objects.get().pauses.order_by("-started_at").first()
    assert second.pk != pause.pk
    client.post(url, {"pause": second.pk, "text": "공덕역 2번 출구입니다."})
    assert SupplementReply.objects.count() == 2
    page = client.get(f"/complaints/track/{secret}/").content.decode()
    assert "위치도 알려 주세요." in page and "공덕역 2번 출구입니다." in page


def test_bad_input_keeps_what_was_typed_and_changes_nothing(client, asked):
    complaint, secret, pause = asked
    url = f"/complaints/track/{secret}/supplement/"
    empty = client.post(url, {"pause": pause.pk, "text": "  "})
    assert empty.status_code == 200 and "보완할 내용을 적어 주세요" in empty.content.decode()
    fake = SimpleUploadedFile("사진.png", b"MZ\x90\x00 not an image", "image/png")
    bad = client.post(url, {"pause": pause.pk, "text": "사진입니다.", "attachments": [fake]})
    body = bad.content.decode()
    assert bad.status_code == 200 and "올릴 수 없는 형식" in body
    assert "사진입니다.</textarea>" in body
    four = client.post(
        url,
        {"pause": pause.pk, "text": "사진", "attachments": [_png(f"{i}.png") for i in range(4)]},
    )
    assert "3개까지" in four.content.decode()
    other = file_complaint(complaint.category, phone="01099998888")[0]
    foreign = client.post(url, {"pause": other.pk * 1000, "text": "사진입니다."})
    assert "그런 보완 요청이 없습니다" in foreign.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == "supplement"
    assert SupplementReply.objects.count() == 0 and Attachment.objects.count() == 0
    assert client.post("/complaints/track/not-a-secret/supplement/", {}).status_code == 404


def test_retention_removes_the_request_and_the_reply(client, asked):
    complaint, secret, pause = asked
    client.post(
        f"/complaints/track/{secret}/supplement/",
        {"pause": pause.pk, "text": "제 번호 010-1111-2222"},
    )
    removed = services.citizen_texts_erase(complaint.citizen_id)
    assert removed["supplement_requests"] == 1 and removed["supplement_replies"] == 1
    assert "010-1111-2222" not in SupplementReply.objects.get().text
    pause.refresh_from_db()
    assert pause.note == ""


# --- the answer as the written result notice -----------------------------------------------


def test_the_result_notice_shows_the_answer_refusal_remedy_files_and_survey(client, org, category):
    CampaignFactory(kind="post_complaint", valid_days=14)
    complaint, secret = file_complaint(category, consents={SATISFACTION_SURVEY: True})
    assert client.get(f"/complaints/track/{secret}/notice/").status_code == 404  # no answer yet
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    workflow.start(staff=org.member, complaint=complaint)
    workflow.answer(
        staff=org.member,
        complaint=complaint,
        text="요청하신 위치는 사유지입니다.",
        refusal=True,
        refusal_reason="사유지라 시가 보수할 수 없습니다.",
        remedy="처분이 있음을 안 날부터 90일 안에 행정심판을 청구할 수 있습니다.",
        attachments=[(SimpleUploadedFile("도면.pdf", b"%PDF-1.4 plan"), "application/pdf")],
    )
    tracking = client.get(f"/complaints/track/{secret}/").content.decode()
    assert f'href="/complaints/track/{secret}/notice/"' in tracking
    assert "민원 처리 만족도 조사에 답하기" in tracking
    notice = client.get(f"/complaints/track/{secret}/notice/").content.decode()
    assert "민원 처리결과 통지서" in notice and "제27조" in notice
    assert complaint.receipt_number in notice
    for text in ("요청하신 위치는 사유지입니다.", "사유지라 시가 보수할 수 없습니다.", "행정심판"):
        assert text in notice
    attachment = Attachment.objects.get(kind="answer")
    assert f"/complaints/track/{secret}/files/{attachment.pk}/" in notice and "도면.pdf" in notice
    token = Invitation.objects.get(complaint=complaint).token
    assert f'href="/s/{token}/"' in notice and "data-print" in notice
    # once answered, the survey link goes from both pages
    Invitation.objects.update(used=True)
    assert (
        "만족도 조사에 답하기"
        not in client.get(f"/complaints/track/{secret}/notice/").content.decode()
    )


def test_an_expired_survey_is_not_offered(client, org, category):
    CampaignFactory(kind="post_complaint", valid_days=14)
    complaint, secret = file_complaint(category, consents={SATISFACTION_SURVEY: True})
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    workflow.answer(staff=org.member, complaint=complaint, text="보수했습니다.")
    assert "만족도 조사에 답하기" in client.get(f"/complaints/track/{secret}/").content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        page = client.get(f"/complaints/track/{secret}/").content.decode()
    assert "만족도 조사에 답하기" not in page
