"""Internal notes: staff only, marked as such, never reaching the citizen anywhere;
``@이름`` (or the list) mentions a colleague, told once; a mentioned colleague of another
team reads the complaint until it closes, and the reading is logged."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from citizens.consents import SATISFACTION_SURVEY
from complaints import notes, workflow
from complaints.models import Event, Mention
from pcrm.audit.models import AccessLog
from pcrm.notify import services as notify
from pcrm.notify.backends import ConsoleSmsBackend
from pcrm.notify.models import Message, StaffNotification
from tests.factories import CampaignFactory, file_complaint

pytestmark = pytest.mark.django_db
SECRET = "내부메모-7731 민원인 성격이 급함"


@pytest.fixture
def assigned(org, category):
    complaint, secret = file_complaint(
        category, phone="01012345678", consents={SATISFACTION_SURVEY: True}
    )
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    workflow.start(staff=org.member, complaint=complaint)
    return complaint, secret


def test_a_mention_tells_the_colleague_once_and_lets_them_read_until_it_closes(
    client, org, assigned
):
    complaint, _secret = assigned
    client.force_login(org.other_member.user)
    assert client.get(f"/staff/complaints/{complaint.pk}/").status_code == 404  # another team
    client.force_login(org.member.user)
    done = client.post(
        f"/staff/complaints/{complaint.pk}/notes/",
        # named in the text and chosen in the list: one mention, one notice
        {
            "note-text": f"@{org.other_member.name} 도로 소관인지 봐 주세요.",
            "note-mention": [org.other_member.pk],
        },
        follow=True,
    )
    assert "1명에게 알렸습니다" in done.content.decode()
    note = Event.objects.get(complaint=complaint, kind="note")
    assert not note.public and note.staff == org.member
    assert Mention.objects.filter(note=note).count() == 1
    [notice] = StaffNotification.objects.filter(staff=org.other_member)
    assert notice.link == f"/staff/complaints/{complaint.pk}/#note-{note.pk}"
    client.force_login(org.other_member.user)
    page = client.get(f"/staff/complaints/{complaint.pk}/")
    assert page.status_code == 200 and "도로 소관인지 봐 주세요." in page.content.decode()
    log = AccessLog.objects.filter(actor=org.other_member.user, purpose="메모에서 언급되어 열람")
    assert log.count() == 1
    # they may answer in a note, not act on the complaint
    assert (
        "보완 요청" not in page.content.decode().split('id="notes"')[0].split("<h2>처리</h2>")[-1]
    )
    client.post(f"/staff/complaints/{complaint.pk}/notes/", {"note-text": "저희 소관 아닙니다."})
    assert Event.objects.filter(complaint=complaint, kind="note").count() == 2
    # until it closes
    workflow.answer(staff=org.member, complaint=complaint, text="보수했습니다.")
    assert client.get(f"/staff/complaints/{complaint.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        notes.note_add(staff=org.other_member, complaint=complaint, text="늦은 메모")


def test_an_internal_note_never_reaches_the_citizen(client, org, assigned, settings):
    """Everything a citizen can see or receive, searched for the note's text."""
    CampaignFactory(kind="post_complaint", valid_days=14)
    complaint, secret = assigned
    notes.note_add(staff=org.member, complaint=complaint, text=SECRET)
    workflow.request_supplement(staff=org.member, complaint=complaint, note="사진을 보내 주세요.")
    workflow.resume(staff=org.member, complaint=complaint)
    workflow.answer(staff=org.member, complaint=complaint, text="보수했습니다.")
    notify.deliver_due()
    outgoing = [f"{m.subject}\n{m.body}" for m in Message.objects.all()]
    outgoing += [body for _phone, body in ConsoleSmsBackend.sent]
    outgoing += [f"{m.subject}\n{m.body}" for m in mail.outbox]
    assert len(outgoing) >= 4  # receipt, supplement request, answer, survey link
    public = [
        f"/complaints/track/{secret}/",
        f"/complaints/track/{secret}/notice/",
        f"/complaints/receipt/{secret}/",
        f"/open311/v2/requests/{complaint.receipt_number}.json",
        f"/open311/v2/requests/{complaint.receipt_number}.xml",
        "/open311/v2/requests.json",
    ]
    anonymous = type(client)()
    for path in public:
        response = anonymous.get(path)
        assert response.status_code == 200, path
        outgoing.append(response.content.decode())
    for text in outgoing:
        assert "내부메모-7731" not in text and "성격이 급함" not in text
    # staff see it, marked as internal
    client.force_login(org.member.user)
    page = client.get(f"/staff/complaints/{complaint.pk}/").content.decode()
    assert SECRET in page and "민원인에게는 보이지 않습니다" in page


def test_the_autocomplete_offers_colleagues_by_the_start_of_a_name(
    client, org, assigned, django_assert_num_queries
):
    complaint, _secret = assigned
    client.force_login(org.member.user)
    url = f"/staff/complaints/{complaint.pk}/colleagues/"
    first = org.other_member.name[0]
    with django_assert_num_queries(4):  # session, staff, complaint, colleagues
        found = client.get(url, {"note-text": f"확인 부탁 @{first}"}).content.decode()
    assert f'data-mention-id="{org.other_member.pk}"' in found
    assert f'data-mention-id="{org.member.pk}"' not in found  # not oneself
    assert "data-mention-id" not in client.get(url, {"note-text": "골뱅이 없음"}).content.decode()
    done = client.get(url, {"note-text": f"@{org.other_member.name} 끝난 이름"}).content.decode()
    assert "data-mention-id" not in done  # the name was finished


def test_the_notes_page_offers_a_plain_list_and_refuses_an_empty_note(client, org, assigned):
    complaint, _secret = assigned
    client.force_login(org.member.user)
    page = client.get(f"/staff/complaints/{complaint.pk}/notes/").content.decode()
    assert f'<option value="{org.other_member.pk}">' in page and "<select" in page
    empty = client.post(f"/staff/complaints/{complaint.pk}/notes/", {"note-text": "  "})
    assert "메모 내용을 적어 주세요" in empty.content.decode()
    assert not Event.objects.filter(kind="note").exists()


def test_retention_removes_the_notes(org, assigned):
    from complaints.services import citizen_texts_erase

    complaint, _secret = assigned
    notes.note_add(staff=org.member, complaint=complaint, text=SECRET)
    citizen_texts_erase(complaint.citizen_id)
    assert Event.objects.get(kind="note").note == ""
