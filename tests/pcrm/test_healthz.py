import pytest
from django.db import connection
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "cache": "ok", "status": "ok"}


def test_healthz_is_degraded_when_the_broker_is_down(client):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):  # nothing listens there
        response = client.get("/healthz")
    assert response.status_code == 200  # the web process lives on: do not restart it
    body = response.json()
    assert (body["status"], body["database"], body["broker"]) == ("degraded", "ok", "down")
    assert "broker" in body["errors"]


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_is_down(client):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server to point away from")
    original = connection.settings_dict.copy()
    connection.close()
    connection.settings_dict["PORT"] = "1"  # a port with no PostgreSQL behind it
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["broker"]) == ("down", "down", "ok")
    assert body["errors"]["database"] == "OperationalError"
