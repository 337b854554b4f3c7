"""Messages respect the citizen: their channel and language (Korean and English; other
languages get Korean with a note for the staff), the organisation's name and the link
in every one, the day for what they did not just trigger, and do-not-contact or a
withdrawn consent stopping all but the notices the law requires."""

from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from citizens.consents import COMPLAINT_PROCESSING, SATISFACTION_SURVEY
from citizens.models import Citizen
from citizens.services import consents_record
from complaints import reminders, workflow
from pcrm.notify import services
from pcrm.notify.backends import ConsoleSmsBackend
from pcrm.notify.models import Message
from tests.factories import CampaignFactory, file_complaint

pytestmark = pytest.mark.django_db
KST = timezone.get_fixed_timezone(9 * 60)


def kst(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=KST)


def _answered(org, category, **citizen):
    """A complaint filed with a phone and an e-mail, the citizen's preferences set, then
    answered; the answer's message."""
    complaint, _secret = file_complaint(
        category, phone="01012345678", email="kim@example.kr", consents={SATISFACTION_SURVEY: True}
    )
    Citizen.objects.filter(pk=complaint.citizen_id).update(**citizen)
    complaint.refresh_from_db()
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    workflow.answer(staff=org.member, complaint=complaint, text="보수했습니다.")
    return complaint, Message.objects.get(template="complaint-answered")


def test_a_citizen_preferring_email_gets_email(org, category):
    _complaint, message = _answered(org, category, preferred_channel="email")
    assert (message.channel, message.recipient) == ("email", "kim@example.kr")
    services.deliver_due()
    answered = [m for m in mail.outbox if "kim@example.kr" in m.to and "답변" in m.subject]
    assert len(answered) == 1
    assert not any("답변했습니다" in body for _phone, body in ConsoleSmsBackend.sent)


def test_a_citizen_preferring_english_gets_english(org, category):
    complaint, message = _answered(org, category, preferred_language="en")
    assert message.language == "en" and message.note == ""
    assert message.body.startswith(f"[{settings.ORGANISATION_NAME}] Your complaint")
    assert complaint.receipt_number in message.body and "/complaints/track/" in message.body
    assert "답변" not in message.body


def test_other_languages_get_korean_with_a_note_for_the_staff(client, org, category):
    complaint, message = _answered(org, category, preferred_language="vi")
    assert message.language == "ko" and "답변했습니다" in message.body
    assert message.note == "선호 언어(베트남어) 안내문이 없어 한국어로 보냈습니다."
    client.force_login(org.member.user)
    page = client.get(f"/staff/complaints/{complaint.pk}/").content.decode()
    assert "선호 언어(베트남어) 안내문이 없어 한국어로 보냈습니다." in page


def test_every_message_starts_with_the_organisation_and_carries_its_link(org, category):
    CampaignFactory(kind="post_complaint", valid_days=14)
    for language in ("ko", "en"):
        Message.objects.all().delete()
        _answered(org, category, preferred_language=language)
        for message in Message.objects.exclude(template=""):
            assert message.body.startswith(f"[{settings.ORGANISATION_NAME}]"), message.body
            assert "http://" in message.body or "https://" in message.body, message.body


def test_do_not_contact_stops_all_but_the_statutory_notices(org, category):
    CampaignFactory(kind="post_complaint", valid_days=14)
    _complaint, answered = _answered(org, category, do_not_contact=True)
    assert answered.template == "complaint-answered"  # the law's notice goes
    assert not Message.objects.filter(template="survey-invitation").exists()
    templates = set(Message.objects.values_list("template", flat=True))
    assert templates == {"complaint-received", "complaint-answered"}


def test_a_withdrawn_consent_stops_the_progress_notice_not_the_supplement_request(org, category):
    with time_machine.travel(kst("2026-10-01T10:00"), tick=False):
        complaint, _secret = file_complaint(category, phone="01012345678")
        workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
        workflow.start(staff=org.member, complaint=complaint)
        consents_record(
            citizen=complaint.citizen, decisions={COMPLAINT_PROCESSING: False}, source="phone"
        )
        workflow.request_supplement(staff=org.member, complaint=complaint, note="사진")
    with time_machine.travel(kst("2026-11-02T10:00"), tick=False):
        assert reminders.send_progress_notices() == 1  # recorded, not sent
        assert reminders.send_progress_notices() == 0
    templates = set(Message.objects.values_list("template", flat=True))
    assert templates == {"complaint-received", "complaint-supplement"}


def test_a_survey_invitation_made_at_ten_at_night_goes_at_eight(org, category):
    CampaignFactory(kind="post_complaint", valid_days=14)
    with time_machine.travel(kst("2026-12-07T22:00"), tick=False):
        _answered(org, category)
        invitation = Message.objects.get(template="survey-invitation")
        assert invitation.next_attempt_at == kst("2026-12-08T08:00")
        services.deliver_due()  # the answer's notice goes now
    assert Message.objects.get(pk=invitation.pk).status == "pending"
    with time_machine.travel(kst("2026-12-08T07:59"), tick=False):
        assert services.deliver_due() == 0
    with time_machine.travel(kst("2026-12-08T08:00"), tick=False):
        assert services.deliver_due() == 1
    assert Message.objects.get(pk=invitation.pk).status == "sent"
