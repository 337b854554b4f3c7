"""Outgoing messages are rows; a sweep delivers each exactly once, even after the broker
was down when the complaint was filed."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone
from kombu import pools as kombu_pools

from complaints.models import Complaint
from pcrm.celery import app
from pcrm.notify import services
from pcrm.notify.backends import Backend, ConsoleSmsBackend
from pcrm.notify.models import Message
from pcrm.notify.tasks import deliver_due_messages, deliver_queued_messages
from pcrm.ops import context
from tests.concurrency import at_once
from tests.factories import file_complaint

pytestmark = pytest.mark.django_db


@contextmanager
def broker_at(url):
    """Point the Celery app at another broker (a dead port), then restore it."""
    original = app.conf.broker_url

    def switch(to):
        # publishing uses broker_write_url, which Celery filled in from broker_url
        app.conf.broker_url = app.conf.broker_write_url = app.conf.broker_read_url = to
        app.pool.force_close_all()  # pooled connections belong to the old broker
        app._pool = None
        app.amqp._producer_pool = None
        kombu_pools.reset()  # kombu keeps producer pools per broker URL, the closed ones too

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
    # the failed request left no "run asked for" mark behind: the next message asks again
    before = _queued_in_redis()
    with django_capture_on_commit_callbacks(execute=True):
        file_complaint(category, phone="01099998888")
    assert _queued_in_redis() == before + 1
    # the broker is back; beat's sweep runs (twice, as beat might) and sends each once
    assert deliver_due_messages() == 2
    assert deliver_due_messages() == 0
    assert len(ConsoleSmsBackend.sent) == 2


def test_messages_queued_before_a_run_starts_ride_on_it(
    category, django_capture_on_commit_callbacks
):
    before = _queued_in_redis()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            file_complaint(category, phone=f"0101234000{n}")
    assert _queued_in_redis() == before + 1  # one run asked for, not five
    assert deliver_queued_messages() == 5  # the run finds all five
    assert len(ConsoleSmsBackend.sent) == 5
    # the run cleared the mark: the next message asks for a run of its own
    with django_capture_on_commit_callbacks(execute=True):
        file_complaint(category, phone="01012340009")
    assert _queued_in_redis() == before + 2
    assert deliver_queued_messages() == 1


def test_without_a_shared_cache_every_message_asks(
    category, settings, django_capture_on_commit_callbacks
):
    settings.CACHE_SHARED = False  # a web process and a worker would not see one mark
    before = _queued_in_redis()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            file_complaint(category, phone=f"0101234000{n}")
    assert _queued_in_redis() == before + 3


def test_a_run_delivers_more_than_one_batch(category, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 2)
    for n in range(5):
        file_complaint(category, phone=f"0101234000{n}")
    assert deliver_queued_messages() == 5
    assert Message.objects.filter(status="sent").count() == 5


def test_two_runs_at_once_send_each_message_once(category, transactional_db):
    for n in range(30):
        file_complaint(category, phone=f"010123400{n:02d}")
    results, errors = at_once(services.deliver_queued, 2)
    assert errors == []
    assert sorted(results)[0] + sorted(results)[1] == 30
    assert len(ConsoleSmsBackend.sent) == 30
    assert len({phone for phone, _body in ConsoleSmsBackend.sent}) == 30


class RecordingSms(Backend):
    request_ids: list[str] = []

    def send(self, message):
        RecordingSms.request_ids.append(context.current())
        return ""


def test_a_message_is_sent_under_the_request_id_that_queued_it(category, settings):
    settings.NOTIFY_SMS_BACKEND = "tests.notify.test_delivery.RecordingSms"
    RecordingSms.request_ids.clear()
    token = context.bind("filing-request-1")
    try:
        file_complaint(category, phone="01012345678")
    finally:
        context.unbind(token)
    assert Message.objects.get().request_id == "filing-request-1"
    token = context.bind("delivery-run-9")  # the run was asked for by another request
    try:
        deliver_queued_messages()
        assert context.current() == "delivery-run-9"  # restored after the send
    finally:
        context.unbind(token)
    assert RecordingSms.request_ids == ["filing-request-1"]


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


class BrokenSms(Backend):
    def send(self, message):
        raise ConnectionError("provider down")


def test_a_delivery_run_reads_due_messages_through_indexes(category):
    """Nearly every row of a live outbox was sent long ago; a run must not read them."""
    if connection.vendor != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    file_complaint(category, phone="01012345678")  # one pending
    old = timezone.now() - timedelta(days=30)
    Message.objects.bulk_create(
        [
            Message(
                channel="sms",
                recipient="01000000000",
                body="접수",
                dedupe_key=f"sent-{n}",
                status="sent",
                sent_at=old,
                created_at=old,
            )
            for n in range(10000)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notify_message")
    plan = services.due_messages(timezone.now())[: services.BATCH].explain()
    assert "notify_message" in plan
    assert "Seq Scan on notify_message" not in plan, plan
