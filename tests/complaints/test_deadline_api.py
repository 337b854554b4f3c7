import pytest

pytestmark = pytest.mark.django_db

EXAMPLES = [
    ("2026-11-23T10:00+09:00", "3d", "2026-11-26T10:00+09:00"),
    ("2026-11-25T11:00+09:00", "immediate", "2026-11-25T15:00+09:00"),
    ("2026-09-23T10:00+09:00", "2d", "2026-09-29T10:00+09:00"),
    ("2026-09-23T10:00+09:00", "7d", "2026-10-06T18:00+09:00"),
    ("2027-02-01T09:30+09:00", "14d", "2027-02-22T18:00+09:00"),
]


@pytest.mark.parametrize(("received", "period", "due"), EXAMPLES)
def test_specification_examples(client, received, period, due):
    response = client.get("/api/v1/deadline", {"received_at": received, "period": period})
    assert response.status_code == 200
    assert response.json()["due_at"] == due


def test_public_needs_no_login_and_holds_no_personal_data(client):
    response = client.get(
        "/api/v1/deadline", {"received_at": "2026-11-23T10:00+09:00", "period": "3d"}
    )
    assert set(response.json()) == {"received_at", "period", "due_at"}


def test_unencoded_plus_and_naive_times_are_understood(client):
    raw = client.get("/api/v1/deadline?received_at=2026-11-23T10:00+09:00&period=3d")
    assert raw.json()["due_at"] == "2026-11-26T10:00+09:00"
    naive = client.get("/api/v1/deadline", {"received_at": "2026-11-23T10:00", "period": "3d"})
    assert naive.json()["due_at"] == "2026-11-26T10:00+09:00"
    utc = client.get("/api/v1/deadline", {"received_at": "2026-11-23T01:00Z", "period": "3d"})
    assert utc.json()["due_at"] == "2026-11-26T10:00+09:00"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"received_at": "yesterday", "period": "3d"}, "received_at", "ISO 8601"),
        ({"received_at": "2026-11-23T10:00+09:00", "period": "3 days"}, "period", "처리기간은"),
        ({"received_at": "2026-11-23T10:00+09:00"}, "period", None),
        ({"period": "3d"}, "received_at", None),
    ],
)
def test_malformed_parameters_get_400_with_a_message(client, params, field, message):
    response = client.get("/api/v1/deadline", params)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert body["errors"].get(field)
    if message:
        assert message in body["errors"][field][0]


def test_temporary_holiday_is_used(client):
    from datetime import date

    from pcrm.org.models import TemporaryHoliday

    TemporaryHoliday.objects.create(date=date(2026, 11, 24), name="임시공휴일")
    response = client.get(
        "/api/v1/deadline", {"received_at": "2026-11-23T10:00+09:00", "period": "3d"}
    )
    assert response.json()["due_at"] == "2026-11-27T10:00+09:00"
