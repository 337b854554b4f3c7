"""Redis stopped or paused while citizens file and staff work: every filing is accepted
within a bounded wait, none is lost, the outbox is delivered once after recovery, staff
stay signed in, and /readyz says degraded."""

import time

import pytest

from complaints.models import Complaint
from pcrm.lib import refdata
from pcrm.notify import services as notify
from pcrm.notify.models import Message

pytestmark = pytest.mark.django_db


def _file_several(client, form_data, category, count):
    statuses, slowest = [], 0.0
    for n in range(count):
        data = form_data(category, phone=f"010-5555-{n:04d}")
        started = time.monotonic()
        response = client.post("/complaints/new/", data)
        slowest = max(slowest, time.monotonic() - started)
        statuses.append(response.status_code)
    return statuses, slowest


def _delivered_once():
    for _run in range(2):  # a second run finds nothing more to send
        notify.deliver_due()
    messages = list(Message.objects.values_list("status", "attempts"))
    return messages and all(m == (Message.Status.SENT, 1) for m in messages)


def test_filings_go_on_while_redis_is_stopped(client, form_data, category, private_redis):
    refdata.forget()
    statuses, _ = _file_several(client, form_data, category, 3)
    private_redis.stop()
    down, slowest = _file_several(client, form_data, category, 10)
    assert statuses + down == [302] * 13
    assert slowest < 3  # connection refused: no wait at all once marked down
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "degraded"
    private_redis.start()
    assert Complaint.objects.count() == 13
    assert _delivered_once()  # the sweep sends what was queued meanwhile, once each


def test_a_paused_redis_holds_a_request_about_a_second(client, form_data, category, private_redis):
    private_redis.pause()
    try:
        statuses, slowest = _file_several(client, form_data, category, 5)
    finally:
        private_redis.resume()
    assert statuses == [302] * 5
    assert slowest < 3.5  # the socket timeouts, not the kernel's minutes
    assert Complaint.objects.count() == 5
    assert _delivered_once()


def test_staff_stay_signed_in_across_a_redis_restart(client, org, private_redis):
    client.force_login(org.member.user)
    assert client.get("/staff/").status_code == 200
    private_redis.stop()
    assert client.get("/staff/").status_code == 200  # sessions live in the database
    assert client.get("/staff/complaints/").status_code == 200
    private_redis.start()  # empty, as a restarted Redis without persistence is
    assert client.get("/staff/").status_code == 200


def test_rate_limits_still_hold_per_process_while_redis_is_down(
    client, form_data, category, private_redis, settings
):
    settings.FILING_RATE_LIMIT = 3
    private_redis.stop()
    statuses, _ = _file_several(client, form_data, category, 5)
    assert statuses == [302, 302, 302, 429, 429]
