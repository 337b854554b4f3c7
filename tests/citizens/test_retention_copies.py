"""Retention removes every copy of a citizen's data: the profile, the attached files,
the outbox's addresses and texts, complaint titles and texts (the statistics kept),
answers, call notes and survey free text; the access log says what went."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from citizens.tasks import anonymise_inactive_citizens
from complaints import workflow
from complaints.models import Answer, Attachment, CallLog, Complaint
from complaints.services import ERASED_TEXT
from pcrm.audit.models import AccessLog
from pcrm.notify.models import Message
from surveys.models import ResponseItem
from tests.factories import file_complaint

pytestmark = pytest.mark.django_db(transaction=True)
KST = timezone.get_fixed_timezone(9 * 60)
START = datetime(2025, 1, 10, 10, tzinfo=KST)


def test_retention_removes_files_messages_texts_and_notes(settings, org, category, stored_files):
    settings.CITIZEN_RETENTION_DAYS = 365
    pdf = SimpleUploadedFile("사진.pdf", b"%PDF-1.4 the citizen's photo", "application/pdf")
    with time_machine.travel(START, tick=False):
        complaint = file_complaint(
            category,
            name="홍길동",
            phone="01077778888",
            email="hong@example.com",
            title="홍길동 집 앞 가로등",
            attachments=[(pdf, "application/pdf")],
        )[0]
        workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
        workflow.start(staff=org.member, complaint=complaint)
        workflow.log_call(
            staff=org.member, complaint=complaint, outcome="reached", note="홍길동 님 통화"
        )
        workflow.answer(staff=org.member, complaint=complaint, text="홍길동 님, 고쳤습니다.")
    with time_machine.travel(START + timedelta(days=600), tick=False):
        other = file_complaint(category, name="이웃", phone="01011112222")[0]
    assert stored_files()
    to_him = list(
        Message.objects.filter(
            recipient_hash__in=[
                Message.hash_of("sms", "01077778888"),
                Message.hash_of("email", "hong@example.com"),
            ]
        ).values_list("pk", flat=True)
    )
    assert to_him
    response_item_ids = list(
        ResponseItem.objects.filter(response__complaint=complaint).values_list("pk", flat=True)
    )

    with time_machine.travel(START + timedelta(days=366 * 2), tick=False):
        assert anonymise_inactive_citizens() >= 1

    complaint.refresh_from_db()
    assert (complaint.title, complaint.body) == (ERASED_TEXT, "")
    assert (complaint.category_id, complaint.status, complaint.received_at) == (
        category.pk,
        Complaint.Status.ANSWERED,
        START,
    )  # the statistics stay
    assert Answer.objects.get(complaint=complaint).text == ERASED_TEXT
    assert not CallLog.objects.filter(complaint=complaint).exclude(note="").exists()
    assert not Attachment.objects.filter(complaint=complaint).exists()
    assert stored_files() == []  # the file on disk too
    for message in Message.objects.filter(pk__in=to_him):
        assert (message.recipient, message.recipient_hash, message.body) == ("", "", "")
    assert not ResponseItem.objects.filter(pk__in=response_item_ids).exclude(text="").exists()
    log = AccessLog.objects.get(action="delete", subject_id=str(complaint.citizen_id))
    removed = log.detail["removed"]
    assert removed["attachments"] == 1 and removed["complaint_texts"] == 1
    assert removed["messages"] >= 1 and removed["complaint_call_notes"] == 1
    other.refresh_from_db()
    assert other.title != ERASED_TEXT  # another citizen's complaint is untouched
