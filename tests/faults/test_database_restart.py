"""The database drops the web process's connections while citizens file (as a restart
of PostgreSQL does; the server ends them with pg_terminate_backend): every filing is
either whole or absent, the citizen's retry (same form, same submission key) files it
once, and nothing is half-written."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from complaints.models import Complaint, Event
from pcrm.notify.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


def test_filings_survive_connections_killed_mid_flight(category, form_data, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    settings.FILING_RATE_LIMIT = 1_000
    forms = [form_data(category, phone=f"010-6666-{n:04d}") for n in range(30)]
    database = connection.settings_dict["NAME"]
    done = threading.Event()
    failures = []

    def file_all():
        citizen = Client(raise_request_exception=False)
        try:
            for data in forms:
                for _attempt in range(20):
                    status = citizen.post("/complaints/new/", data).status_code
                    if status == 302:
                        break
                    failures.append(status)
                    connections.close_all()  # what the next request's start does
                else:
                    raise AssertionError("a filing never got through")
        finally:
            connections.close_all()
            done.set()

    filer = threading.Thread(target=file_all)
    filer.start()
    killed = 0
    with connections["default"].cursor() as cursor:
        while not done.wait(0.03):
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [database],
            )
            killed += cursor.fetchone()[0]
    filer.join(timeout=120)

    assert killed > 0
    assert set(failures) <= {503}  # "try again shortly", never a 500 or a hang
    assert Complaint.objects.count() == len(forms)  # each once, retries included
    for complaint in Complaint.objects.all():
        assert Event.objects.filter(complaint=complaint, kind="received").count() == 1
        assert Message.objects.filter(dedupe_key__startswith=f"complaint:{complaint.pk}:").exists()
