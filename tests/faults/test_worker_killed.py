"""A worker killed in the middle of sending a message: the message is not lost; the
sweep sends it once the dead worker's claim has run out."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from pcrm.notify import services as notify
from pcrm.notify.backends import ConsoleSmsBackend
from pcrm.notify.models import Message

pytestmark = pytest.mark.django_db(transaction=True)
BASE = Path(__file__).resolve().parents[2]


def test_a_message_whose_worker_was_killed_is_sent_later_once(tmp_path, settings):
    message = notify.message_queue(
        channel=Message.Channel.SMS,
        recipient="01012345678",
        template="complaint-received",
        context={"receipt_number": "2026-0000001", "due_at": timezone.now(), "link": "x"},
        dedupe_key="fault:killed-worker",
    )
    mark = tmp_path / "sending"
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict),
        "NOTIFY_SMS_BACKEND": "tests.faults.backends.HangingSmsBackend",
        "PCRM_FAULT_MARK": str(mark),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from pcrm.notify import services; "
            f"services.deliver({message.pk})",
        ],
        cwd=BASE,
        env={**env, "DJANGO_SETTINGS_MODULE": "pcrm.settings"},
    )
    try:
        for _ in range(600):  # the worker has claimed the message and is sending it
            if mark.exists() or worker.poll() is not None:
                break
            time.sleep(0.05)
        assert mark.exists(), "the worker never started sending"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.SENDING, 1)
    assert notify.deliver_due() == 0  # the claim still holds: nobody sends it twice now
    ConsoleSmsBackend.sent.clear()
    later = timezone.now() + timedelta(seconds=settings.NOTIFY_CLAIM_TIMEOUT + 1)
    with time_machine.travel(later, tick=False):
        assert notify.deliver_due() == 1
        assert notify.deliver_due() == 0
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert [phone for phone, _body in ConsoleSmsBackend.sent] == ["01012345678"]
