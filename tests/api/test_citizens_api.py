"""/api/v1/citizens/: masked by default, every read in the access log, and the unmasked
contact details only with a stated purpose (logged)."""

import pytest

from pcrm.audit.models import AccessLog
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/citizens/"


@pytest.fixture
def citizen(db):
    return CitizenFactory(name="홍길동", phone="01012345678", email="gildong@example.kr")


def test_list_is_masked_and_uses_fixed_queries(org, api, citizen, django_assert_num_queries):
    client = api(org.member)
    client.get(LIST)
    # 1 user with staff profile, 2 count, 3 the page
    with django_assert_num_queries(4):  # + the session read
        rows = client.get(LIST).json()["results"]
    assert rows[0]["name"] == "홍*동"
    assert rows[0]["phone"] != "010-1234-5678" and rows[0]["phone"].endswith("5678")
    assert "gildong@example.kr" not in str(rows)
    for number in range(10):
        CitizenFactory(phone=f"0109999{number:04d}")
    with django_assert_num_queries(4):  # + the session read
        assert client.get(LIST).json()["count"] == 11


def test_search_by_phone(org, api, citizen):
    CitizenFactory(name="김철수", phone="01055554444")
    rows = api(org.member).get(LIST, {"q": "010-1234-5678"}).json()["results"]
    assert [row["id"] for row in rows] == [citizen.pk]


def test_reading_a_profile_is_logged(org, api, citizen):
    response = api(org.member).get(f"{LIST}{citizen.pk}/")
    assert response.status_code == 200
    assert response.json()["name"] == "홍*동"
    log = AccessLog.objects.get(subject_id=str(citizen.pk), action=AccessLog.Action.VIEW)
    assert (log.actor_id, log.purpose) == (org.member.user_id, "API 고객 조회")


def test_reveal_needs_a_purpose_and_is_logged(org, api, citizen):
    client = api(org.member)
    refused = client.post(f"{LIST}{citizen.pk}/reveal/", {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["purpose"] == ["이 필드는 필수 항목입니다."]
    assert not AccessLog.objects.filter(action=AccessLog.Action.REVEAL).exists()
    response = client.post(
        f"{LIST}{citizen.pk}/reveal/", {"purpose": "답변 결과 전화 안내"}, format="json"
    )
    assert response.json() == {"phone": "010-1234-5678", "email": "gildong@example.kr"}
    log = AccessLog.objects.get(action=AccessLog.Action.REVEAL)
    assert log.purpose == "답변 결과 전화 안내" and log.actor_id == org.member.user_id


def test_an_auditor_sees_no_citizen(org, api, citizen):
    client = api(org.auditor)
    assert client.get(LIST).json()["count"] == 0
    assert client.get(f"{LIST}{citizen.pk}/").status_code == 404
    assert client.post(f"{LIST}{citizen.pk}/reveal/", {"purpose": "x"}).status_code == 404
