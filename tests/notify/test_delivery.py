"""Outgoing messages are rows; a sweep delivers each exactly once, even after the broker
was down when the complaint was filed."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from complaints.models import Complaint
from pcrm.celery import app
from pcrm.notify import services
from pcrm.notify.backends import ConsoleSmsBackend
from pcrm.notify.models import Message
from pcrm.notify.tasks import deliver_due_messages
from tests.factories import file_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sms_outbox():
    ConsoleSmsBackend.sent.clear()
    yield
    ConsoleSmsBackend.sent.clear()


@contextmanager
def broker_at(url):
    """Point the Celery app at another broker (a dead port), then restore it."""
    original = app.conf.broker_url

    def switch(to):
        app.conf.broker_url = to
        app.pool.force_close_all()  # pooled connections belong to the old broker
        app._pool = None
        app.amqp._producer_pool = None

    switch(url)
    try:
        yield
    finally:
        switch(original)


def _queued_in_redis() -> int:
    import redis

    return redis.Redis.from_url(app.conf.broker_url).llen("celery")


def test_confirmation_is_queued_after_commit_and_sent_once(
    category, django_capture_on_commit_callbacks
):
    before = _queued_in_redis()
    with django_capture_on_commit_callbacks(execute=True):
        complaint, _secret = file_complaint(category, phone="01012345678")
    assert _queued_in_redis() == before + 1  # the task really reached Redis
    message = Message.objects.get()
    assert services.deliver(message.pk) is True
    assert services.deliver(message.pk) is False  # a duplicated task sends nothing
    assert deliver_due_messages() == 0
    assert list(ConsoleSmsBackend.sent) == [("01012345678", message.body)]
    assert complaint.receipt_number in message.body
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 1


def test_a_broker_outage_loses_nothing_and_sends_once_afterwards(
    category, django_capture_on_commit_callbacks
):
    with broker_at("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        complaint, _secret = file_complaint(category, phone="01012345678")
    assert Complaint.objects.filter(pk=complaint.pk).exists()
    message = Message.objects.get()
    assert message.status == "pending"
    assert list(ConsoleSmsBackend.sent) == []
    # the broker is back; beat's sweep runs (twice, as beat might) and sends it once
    assert deliver_due_messages() == 1
    assert deliver_due_messages() == 0
    assert len(ConsoleSmsBackend.sent) == 1


def test_email_is_used_when_only_an_email_was_given(category):
    file_complaint(category, phone="", email="kim@example.com")
    deliver_due_messages()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kim@example.com"]
    assert "민원이 접수되었습니다" in mail.outbox[0].subject


def test_a_text_message_has_a_body_and_no_subject(category):
    file_complaint(category, phone="01012345678")
    message = Message.objects.get()
    assert message.channel == "sms" and message.subject == ""
    assert "민원이 접수되었습니다" in message.body


def test_the_same_message_is_never_queued_twice(category):
    complaint, _secret = file_complaint(category)
    again = services.message_queue(
        channel="sms",
        recipient="01012345678",
        template="complaint-received",
        context={"complaint": complaint, "due_at": complaint.due_at, "tracking_url": "x"},
        dedupe_key=f"complaint:{complaint.pk}:received",
    )
    assert again is None
    assert Message.objects.count() == 1


def test_failures_are_retried_a_bounded_number_of_times(category, settings):
    settings.NOTIFY_SMS_BACKEND = "tests.notify.test_delivery.BrokenSms"
    file_complaint(category)
    message = Message.objects.get()
    moment = timezone.now()
    for attempt in range(1, services.MAX_ATTEMPTS + 3):
        with time_machine.travel(moment + timedelta(hours=attempt * 24), tick=False):
            deliver_due_messages()
    message.refresh_from_db()
    assert message.status == "failed"
    assert message.attempts == services.MAX_ATTEMPTS
    assert "provider down" in message.last_error


def test_a_claim_left_by_a_dead_worker_is_taken_over_later(category, settings):
    settings.NOTIFY_CLAIM_TIMEOUT = 600
    file_complaint(category)
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(status="sending", claimed_at=timezone.now())
    assert deliver_due_messages() == 0  # another worker holds it
    with time_machine.travel(timezone.now() + timedelta(seconds=599)):
        assert deliver_due_messages() == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=601)):
        assert deliver_due_messages() == 1


class BrokenSms:
    def send(self, phone, body):
        raise ConnectionError("provider down")
