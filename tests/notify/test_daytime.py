"""Messages a citizen did not just trigger wait for the day (08:00-21:00 Asia/Seoul); a
receipt goes at once; a retry or a late sweep never sends a waiting one at night."""

from datetime import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from pcrm.notify import services
from pcrm.notify.backends import ConsoleSmsBackend
from pcrm.notify.models import Message
from tests.factories import file_complaint

pytestmark = pytest.mark.django_db
KST = timezone.get_fixed_timezone(9 * 60)


def kst(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=KST)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-12-07T05:00", "2026-12-07T08:00"),
        ("2026-12-07T07:59", "2026-12-07T08:00"),
        ("2026-12-07T08:00", "2026-12-07T08:00"),
        ("2026-12-07T20:59", "2026-12-07T20:59"),
        ("2026-12-07T21:00", "2026-12-08T08:00"),
        ("2026-12-07T23:30", "2026-12-08T08:00"),
    ],
)
def test_the_next_sending_hour(moment, expected):
    assert services.next_daytime(kst(moment)) == kst(expected)


def _letter(key: str):
    context = {
        "body": "늘 관심 가져 주셔서 고맙습니다.",
        "organisation_name": "PCRM 시청",
        "team": SimpleNamespace(name="민원처리팀"),
        "signer": SimpleNamespace(name="박정호"),
        "unsubscribe_url": "https://crm.example.go.kr/u/x/",
    }
    return services.message_queue(
        channel="email",
        recipient="citizen@example.kr",
        template="e-letter",
        context=context,
        dedupe_key=key,
    )


def test_a_letter_made_at_five_goes_at_eight_a_receipt_at_once(category):
    with time_machine.travel(kst("2026-12-07T05:00"), tick=False):
        file_complaint(category, phone="01012345678")
        letter = _letter("letter:1")
        assert letter.next_attempt_at == kst("2026-12-07T08:00") and letter.daytime_only
        assert services.deliver_due() == 1  # the receipt, at five in the morning
    assert len(ConsoleSmsBackend.sent) == 1 and mail.outbox == []
    with time_machine.travel(kst("2026-12-07T07:59"), tick=False):
        assert services.deliver_due() == 0
    with time_machine.travel(kst("2026-12-07T08:00"), tick=False):
        assert services.deliver_due() == 1
    assert len(mail.outbox) == 1


def test_a_waiting_message_due_in_the_evening_is_not_sent_at_night():
    with time_machine.travel(kst("2026-12-07T20:30"), tick=False):
        letter = _letter("letter:2")
    assert letter.next_attempt_at == kst("2026-12-07T20:30")
    # the worker was down all evening: the sweep that comes at 23:00 leaves it
    with time_machine.travel(kst("2026-12-07T23:00"), tick=False):
        assert services.deliver_due() == 0
    assert Message.objects.get(pk=letter.pk).status == "pending"
    with time_machine.travel(kst("2026-12-08T08:00"), tick=False):
        assert services.deliver_due() == 1


def test_messages_are_written_in_korean_whoever_writes_them(category):
    from django.utils import translation

    with translation.override("en"), time_machine.travel(kst("2026-12-07T10:00"), tick=False):
        file_complaint(category, phone="01012345678")
    body = Message.objects.get().body
    assert "답변 예정: 12월 10일(목요일) 10:00까지" in body  # three working days on
    assert "Thu" not in body
