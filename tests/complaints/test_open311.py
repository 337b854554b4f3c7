"""Open311 GeoReport v2, checked against the specification's field names, formats and
error format: services in JSON and XML, filing with an api_key (consent included), and
reading requests back without personal data."""

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.utils import timezone

from citizens.models import Consent
from complaints import workflow
from complaints.models import Complaint, Open311Client
from pcrm.lib.crypto import secret_digest
from tests.factories import file_complaint

pytestmark = pytest.mark.django_db
KST = timezone.get_fixed_timezone(9 * 60)
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
}


@pytest.fixture
def api_key(db):
    key = "test-key-0123456789"
    Open311Client.objects.create(name="시민 앱", key_hash=secret_digest(key))
    return key


def _filing(category, key, **extra):
    return {
        "api_key": key,
        "service_code": str(category.pk),
        "description": "공덕역 2번 출구 앞 보도블록이 깨졌습니다",
        "address_string": "마포대로 92",
        "first_name": "민수",
        "last_name": "김",
        "phone": "010-1234-5678",
        "consent": "true",
        **extra,
    }


def test_services_in_json_and_xml(client, category):
    rows = client.get("/open311/v2/services.json").json()
    assert [set(row) for row in rows] == [SERVICE_FIELDS]
    assert rows[0]["service_code"] == str(category.pk) and rows[0]["metadata"] is False
    xml = client.get("/open311/v2/services.xml")
    assert xml["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(xml.content)  # noqa: S314 (our own response)
    assert root.tag == "services"
    service = root.find("service")
    assert {child.tag for child in service} == SERVICE_FIELDS
    assert service.findtext("metadata") == "false"
    definition = client.get(f"/open311/v2/services/{category.pk}.json").json()
    assert definition == {"service_code": str(category.pk), "attributes": []}
    missing = client.get("/open311/v2/services/999999.json")
    assert missing.status_code == 404 and set(missing.json()[0]) == {"code", "description"}


def test_filing_files_a_complaint_as_the_public_form_does(client, category, api_key):
    response = client.post("/open311/v2/requests.json", _filing(category, api_key))
    assert response.status_code == 201
    (created,) = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    complaint = Complaint.objects.get(receipt_number=created["service_request_id"])
    assert (complaint.channel, complaint.category, complaint.citizen.name) == (
        "open311",
        category,
        "김민수",
    )
    assert "마포대로 92" in complaint.body
    assert Consent.objects.filter(
        citizen=complaint.citizen, purpose="complaint_processing", granted=True
    ).exists()


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"service_code": "999999"}, 404, "서비스 코드"),
        ({"description": ""}, 400, "description"),
        ({"address_string": ""}, 400, "위치"),
        ({"consent": ""}, 400, "동의"),
        ({"phone": "12345"}, 400, "전화번호"),
        ({"phone": ""}, 400, "phone 또는 email"),
    ],
)
def test_filing_errors_use_the_spec_format(client, category, api_key, change, status, words):
    response = client.post("/open311/v2/requests.json", _filing(category, api_key, **change))
    assert response.status_code == status
    (error,) = response.json()
    assert error["code"] == status and words in error["description"]
    assert not Complaint.objects.exists()


def test_coordinates_are_a_location_too(client, category, api_key):
    from complaints.models import Complaint

    data = _filing(category, api_key, address_string="", lat="37.544", long="126.951")
    response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 201
    complaint = Complaint.objects.get(receipt_number=response.json()[0]["service_request_id"])
    assert complaint.body.endswith("위치: 37.544, 126.951")
    without = _filing(category, api_key, address_string="", lat="", long="")
    assert client.post("/open311/v2/requests.json", without).status_code == 400


@pytest.fixture
def history(org, category):
    now = datetime(2026, 11, 23, 10, tzinfo=KST)
    with time_machine.travel(now - timedelta(days=100), tick=False):
        old = file_complaint(category, phone="01011112222", title="오래된 민원")[0]
    with time_machine.travel(now - timedelta(days=5), tick=False):
        answered = file_complaint(
            category, phone="01033334444", name="이영희", title="가로등 고장"
        )[0]
        workflow.assign(staff=org.leader, complaint=answered, assignee=org.member)
        workflow.start(staff=org.member, complaint=answered)
        workflow.answer(staff=org.member, complaint=answered, text="교체했습니다.")
    with time_machine.travel(now - timedelta(days=1), tick=False):
        open_one = file_complaint(category, phone="01055556666", title="보도블록 파손")[0]
    return now, old, answered, open_one


def test_reading_requests_without_personal_data(client, history):
    now, _old, answered, open_one = history
    with time_machine.travel(now, tick=False):
        rows = client.get("/open311/v2/requests.json").json()
    assert [row["service_request_id"] for row in rows] == [
        open_one.receipt_number,
        answered.receipt_number,
    ]  # the default window is 90 days: the old one is left out
    assert all(set(row) == REQUEST_FIELDS for row in rows)
    by_id = {row["service_request_id"]: row for row in rows}
    assert (
        by_id[answered.receipt_number]["status"],
        by_id[answered.receipt_number]["status_notes"],
    ) == ("closed", "답변 완료")
    assert by_id[open_one.receipt_number]["status"] == "open"
    body = client.get("/open311/v2/requests.json").content.decode()
    for personal in ("이영희", "김민수", "010", "현장 확인 부탁드립니다"):
        assert personal not in body
    expected = datetime.fromisoformat(by_id[open_one.receipt_number]["expected_datetime"])
    assert expected == open_one.due_at


def test_request_filters(client, history):
    now, old, answered, open_one = history
    with time_machine.travel(now, tick=False):

        def ids(**params):
            return [
                r["service_request_id"]
                for r in client.get("/open311/v2/requests.json", params).json()
            ]

        assert ids(status="open") == [open_one.receipt_number]
        assert ids(status="closed") == [answered.receipt_number]
        assert ids(start_date=(now - timedelta(days=200)).isoformat()) == [
            open_one.receipt_number,
            answered.receipt_number,
            old.receipt_number,
        ]
        assert ids(end_date=(now - timedelta(days=3)).isoformat()) == [answered.receipt_number]
        assert ids(service_request_id=f"{old.receipt_number},{open_one.receipt_number}") == [
            open_one.receipt_number,
            old.receipt_number,
        ]
        assert ids(service_code="999999") == []
        bad = client.get("/open311/v2/requests.json", {"start_date": "yesterday"})
        assert bad.status_code == 400 and bad.json()[0]["code"] == 400
    one = client.get(f"/open311/v2/requests/{old.receipt_number}.json").json()
    assert [row["service_request_id"] for row in one] == [old.receipt_number]
    assert client.get("/open311/v2/requests/2026-9999999.json").status_code == 404


def test_open311_is_rate_limited_with_a_clear_body(client, category, settings):
    settings.OPEN311_RATE_LIMIT = 2
    for _n in range(2):
        assert client.get("/open311/v2/services.json").status_code == 200
    limited = client.get("/open311/v2/services.json")
    assert limited.status_code == 429 and limited["Retry-After"]
    assert limited.json()[0]["code"] == 429


def test_the_feed_shows_a_title_only_when_published_and_then_without_personal_data(
    client, category
):
    title = "홍길동 010-1234-5678 가로등 900101-1234567"
    hidden = file_complaint(category, phone="01011112222", title=title)[0]
    shown = file_complaint(category, phone="01011113333", title=title)[0]
    Complaint.objects.filter(pk=shown.pk).update(published=True)
    rows = {r["service_request_id"]: r for r in client.get("/open311/v2/requests.json").json()}
    assert rows[hidden.receipt_number]["description"] == ""
    assert rows[shown.receipt_number]["description"] == "○○○ (전화번호) 가로등 (주민등록번호)"


def test_a_request_reads_in_xml_too(client, category):
    complaint = file_complaint(category, phone="01011112222")[0]
    response = client.get(f"/open311/v2/requests/{complaint.receipt_number}.xml")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    request = ElementTree.fromstring(response.content).find("request")  # noqa: S314
    assert {child.tag for child in request} == REQUEST_FIELDS
    assert request.findtext("service_request_id") == complaint.receipt_number
    missing = client.get("/open311/v2/requests/2026-9999999.xml")
    assert missing.status_code == 404
    error = ElementTree.fromstring(missing.content)  # noqa: S314 (our own response)
    assert error.findtext("error/code") == "404"


def test_a_client_that_agreed_to_the_consent_terms_files_without_the_extension(
    client, category, api_key
):
    data = _filing(category, api_key)
    del data["consent"]
    assert client.post("/open311/v2/requests.json", data).status_code == 400
    Open311Client.objects.update(consent_terms_agreed_at=timezone.now())
    filed = client.post("/open311/v2/requests.json", data)
    assert filed.status_code == 201
    complaint = Complaint.objects.get(receipt_number=filed.json()[0]["service_request_id"])
    assert Consent.objects.get(citizen=complaint.citizen, required=True).granted
    refused = client.post("/open311/v2/requests.json", {**data, "consent": "false"})
    assert refused.status_code == 400 and Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"service_code": "999999"}, 404, "그런 서비스 코드가 없습니다"),
        ({"service_code": "abc", "description": ""}, 404, "그런 서비스 코드가 없습니다"),
        ({"description": "  "}, 400, "description(민원 내용)"),
        ({"address_string": ""}, 400, "위치(address_string 또는 lat와 long)"),
        ({"consent": "false"}, 400, "consent=true"),
        ({"phone": "010-12"}, 400, "010-1234-5678처럼"),
        ({"phone": "", "email": ""}, 400, "phone 또는 email"),
        ({"email": "not an address", "phone": ""}, 400, "이메일"),
    ],
)
def test_a_bad_filing_gets_its_first_problem_in_the_specifications_format(
    client, category, api_key, changes, status, message
):
    from complaints.models import Complaint

    response = client.post("/open311/v2/requests.json", _filing(category, api_key, **changes))
    assert response.status_code == status
    body = response.json()
    assert body[0]["code"] == status and message in body[0]["description"]
    assert not Complaint.objects.exists()
