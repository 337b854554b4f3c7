"""Operations: the request id (in responses, log lines and the tasks a request queues),
JSON logs, /readyz and the Prometheus metrics."""

import io
import json
import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings
from django.utils import timezone

from pcrm import health
from pcrm.celery import app
from pcrm.ops import context
from pcrm.ops.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    fresh = client.get("/healthz")["X-Request-ID"]
    assert len(fresh) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "lb-7f3a"})["X-Request-ID"] == "lb-7f3a"
    odd = client.get("/healthz", headers={"X-Request-ID": "<script>"})["X-Request-ID"]
    assert odd != "<script>" and len(odd) == 32


@pytest.fixture
def json_log():
    """What the ``django.request`` logger writes, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def test_log_lines_are_json_with_the_request_id(client, json_log):
    client.get("/no-such-page/", headers={"X-Request-ID": "req-42"})
    line = json.loads(json_log.getvalue().splitlines()[-1])
    assert line["request_id"] == "req-42"
    assert (line["level"], line["logger"]) == ("WARNING", "django.request")
    assert "/no-such-page/" in line["message"]


def test_a_queued_task_carries_the_request_id_into_the_worker():
    """Through the real broker: the id goes into the message's headers when published,
    and the worker's pre-run handler makes it current while the task runs."""
    from pcrm.ops.task_request_ids import HEADER, forget_request_id, restore_request_id

    queue = "test-request-id"
    token = context.bind("req-77")
    try:  # a connection of its own: other tests close the application's pool
        with app.connection_for_write() as conn:
            app.send_task(
                "pcrm.tasks.clear_expired_sessions", queue=queue, producer=conn.Producer()
            )
    finally:
        context.unbind(token)
    with app.connection_for_read() as conn:
        simple = conn.SimpleQueue(queue)
        message = simple.get(timeout=5)
        message.ack()
        simple.close()
    assert message.headers[HEADER] == "req-77"

    class Task:
        class request:
            pcrm_request_id = message.headers[HEADER]

    restore_request_id(task_id="t1", task=Task)
    assert context.current() == "req-77"
    forget_request_id(task_id="t1")
    assert context.current() == ""


def test_readyz_when_everything_is_in_place(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "broker": "ok",
        "cache": "ok",
        "migrations": "ok",
        "status": "ok",
    }


def test_readyz_is_503_until_the_migrations_are_applied(client, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)
    (latest,) = MigrationLoader(connection).graph.leaf_nodes("complaints")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", list(latest))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["errors"] == {"migrations": "1 unapplied"}


def test_readyz_is_degraded_not_down_when_the_broker_is_down(client):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/readyz")
    assert response.status_code == 200  # the site works on; messages wait in their rows
    assert response.json()["status"] == "degraded"
    assert set(response.json()["errors"]) == {"broker"}


def test_readyz_is_degraded_when_the_cache_is_down(client):
    unreachable = {
        "default": {"BACKEND": "pcrm.lib.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=unreachable):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cache"]) == ("degraded", "down")


def _metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in the metrics")


def test_metrics_for_the_monitoring_network(client, org):
    from complaints.models import Complaint
    from tests.factories import CategoryFactory, file_complaint

    late = file_complaint(CategoryFactory(team=org.team))[0]
    Complaint.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    file_complaint(CategoryFactory(team=org.team), phone="01055556666")
    client.get("/healthz")
    response = client.get("/metrics")  # the test client comes from 127.0.0.1
    assert response.status_code == 200
    text = response.content.decode()
    assert _metric(text, "pcrm_overdue_complaints") == 1
    assert _metric(text, "pcrm_outbox_pending_messages") == 2  # two confirmations
    assert 'pcrm_http_request_duration_seconds_count{method="GET",status="2xx",view="healthz"}' in (
        text
    )
    assert "pcrm_task_queue_length" in text


def test_metrics_are_hidden_from_elsewhere_except_for_cs_administrators(client, org):
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", **outside).status_code == 404
    client.force_login(org.member.user)
    assert client.get("/metrics", **outside).status_code == 404
    client.force_login(org.cs_admin.user)
    assert client.get("/metrics", **outside).status_code == 200


def test_a_refused_request_is_logged_once_without_a_traceback(client, org, caplog):
    import logging

    client.force_login(org.member.user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/staff/audit/access-log/").status_code == 403
    refused = [r for r in caplog.records if r.name == "django.request"]
    assert len(refused) == 1 and refused[0].exc_info is None
    assert "Forbidden" in refused[0].getMessage()
    # one handler prints it: the root's (Django's own console handler is switched off)
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django.request").handlers == []
