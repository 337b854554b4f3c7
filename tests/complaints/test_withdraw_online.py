"""A citizen withdraws a complaint online from the tracking page: a reason and a
confirmation first, once only, the staff told at once, the complaint out of the open
lists; an answered one cannot be withdrawn."""

import pytest

from complaints import workflow
from complaints.models import Complaint, Event
from pcrm.notify.models import StaffNotification
from tests.factories import file_complaint

pytestmark = pytest.mark.django_db


def test_withdrawing_asks_for_a_reason_and_a_confirmation_then_tells_the_staff(
    client, org, category
):
    complaint, secret = file_complaint(category)
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    page = client.get(f"/complaints/track/{secret}/").content.decode()
    assert f'href="/complaints/track/{secret}/withdraw/"' in page
    url = f"/complaints/track/{secret}/withdraw/"
    unconfirmed = client.post(url, {"reason": "해결되었습니다"})
    assert unconfirmed.status_code == 200 and "확인란을 골라 주세요" in unconfirmed.content.decode()
    assert Complaint.objects.get().status == "assigned"
    done = client.post(url, {"reason": "스스로 해결했습니다", "confirmed": "on"}, follow=True)
    assert "민원을 취하했습니다" in done.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "withdrawn" and complaint.closed_at is not None
    event = Event.objects.get(complaint=complaint, kind="withdrawn")
    assert event.staff_id is None and "스스로 해결했습니다" in event.note
    notice = StaffNotification.objects.get(staff=org.member)
    assert notice.link == f"/staff/complaints/{complaint.pk}/"
    # a second submission changes nothing; the open lists no longer hold it
    client.post(url, {"reason": "다시", "confirmed": "on"})
    assert Event.objects.filter(complaint=complaint, kind="withdrawn").count() == 1
    assert StaffNotification.objects.count() == 1
    client.force_login(org.member.user)
    inbox = client.get("/staff/complaints/", {"tab": "team"}).content.decode()
    assert complaint.receipt_number not in inbox


def test_an_answered_complaint_cannot_be_withdrawn(client, org, category):
    complaint, secret = file_complaint(category)
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    workflow.answer(staff=org.member, complaint=complaint, text="보수했습니다.")
    assert "취하하기" not in client.get(f"/complaints/track/{secret}/").content.decode()
    refused = client.post(
        f"/complaints/track/{secret}/withdraw/", {"reason": "취소", "confirmed": "on"}
    )
    assert "취하할 수 없습니다" in refused.content.decode()
    assert Complaint.objects.get().status == "answered"
    assert client.get("/complaints/track/not-a-secret/withdraw/").status_code == 404
