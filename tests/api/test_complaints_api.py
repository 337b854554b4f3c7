"""/api/v1/complaints/: the list, its filters and pages, a complaint, registration and
the workflow actions, through the same checkpoint and services as the pages."""

import uuid

import pytest

from complaints.models import Complaint, Event
from tests.factories import file_complaint

pytestmark = pytest.mark.django_db

LIST = "/api/v1/complaints/"


def _ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_list_shows_the_own_teams_complaints_only(org, api, complaint, other_category):
    other = file_complaint(other_category, phone="01098765432")[0]
    body = api(org.member).get(LIST).json()
    assert [row["id"] for row in body["results"]] == [complaint.pk]
    assert body["count"] == 1
    row = body["results"][0]
    assert row["receipt_number"] == complaint.receipt_number
    assert row["citizen"]["name"] == "김*수"  # masked as on every staff page
    assert row["team"] == {"id": org.team.pk, "name": org.team.name}
    assert _ids(api(org.cs_admin).get(LIST)) == [other.pk, complaint.pk]  # newest first


def test_list_uses_a_fixed_number_of_queries(org, api, category, django_assert_num_queries):
    client = api(org.member)
    file_complaint(category)
    client.get(LIST)  # warm the session and the calendar
    # 1 user with staff profile (the session is in the cache), 2 count,
    # 3 the page (category, team, assignee and citizen joined)
    with django_assert_num_queries(4):  # + the session read
        assert len(_ids(client.get(LIST))) == 1
    for number in range(12):
        file_complaint(category, phone=f"0101234{number:04d}")
    with django_assert_num_queries(4):  # + the session read
        assert len(_ids(client.get(LIST))) == 13


def test_filters(org, api, category, complaint):
    second = file_complaint(category, phone="01055556666", title="가로수 가지치기")[0]
    Complaint.objects.filter(pk=second.pk).update(status=Complaint.Status.IN_PROGRESS)
    client = api(org.member)
    assert _ids(client.get(LIST, {"status": "in_progress"})) == [second.pk]
    assert _ids(client.get(LIST, {"q": complaint.receipt_number})) == [complaint.pk]
    assert _ids(client.get(LIST, {"q": "가지치기"})) == [second.pk]
    assert _ids(client.get(LIST, {"ordering": "received_at"})) == [complaint.pk, second.pk]
    assert _ids(client.get(LIST, {"category": category.pk + 1000})) == []


def test_vulnerable_filter_and_field_only_for_staff_who_may_see_flags(org, api, complaint):
    complaint.citizen.vulnerable = True
    complaint.citizen.save()
    leader = api(org.leader).get(LIST, {"vulnerable": "true"}).json()
    assert [row["vulnerable"] for row in leader["results"]] == [True]
    member = api(org.member).get(LIST, {"vulnerable": "false"}).json()
    # a member without the permission: the filter is ignored and the field says nothing
    assert [row["vulnerable"] for row in member["results"]] == [None]


def test_bad_filter_values_get_a_korean_400(org, api):
    response = api(org.member).get(LIST, {"status": "lost", "received_after": "어제"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["message"] == "입력값을 확인하세요."
    assert set(body["errors"]) == {"status", "received_after"}
    assert "올바르게" in body["errors"]["status"][0] or "선택" in body["errors"]["status"][0]


def test_pages(org, api, category):
    for number in range(5):
        file_complaint(category, phone=f"0107777{number:04d}")
    client = api(org.member)
    first = client.get(LIST, {"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"]
    assert len(client.get(LIST, {"page_size": 2, "page": 3}).json()["results"]) == 1
    missing = client.get(LIST, {"page_size": 2, "page": 9})
    assert missing.status_code == 404
    assert missing.json()["message"].startswith("그런 쪽은 없습니다")


def test_detail_with_history_and_allowed_actions(org, api, complaint):
    body = api(org.member).get(f"{LIST}{complaint.pk}/").json()
    assert body["body"] == "현장 확인 부탁드립니다."
    assert body["citizen"]["name"] == "김*수"
    assert [event["kind"] for event in body["events"]] == ["received"]
    assert "take" in body["actions"] and "answer" not in body["actions"]


def test_detail_of_another_teams_complaint_is_not_found(org, api, complaint):
    response = api(org.other_member).get(f"{LIST}{complaint.pk}/")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "message": "찾을 수 없습니다. 주소나 번호를 확인하세요.",
    }


def _registration(category, **extra):
    return {
        "channel": "phone",
        "category": category.pk,
        "title": "불법 주차 단속 요청",
        "body": "매일 저녁 골목에 차가 서 있습니다.",
        "name": "이영희",
        "phone": "010-2222-3333",
        "consent_required": True,
        **extra,
    }


def test_registration_and_a_retry_files_once(org, api, category):
    client = api(org.member)
    key = str(uuid.uuid4())
    first = client.post(LIST, _registration(category, submission_key=key), format="json")
    assert first.status_code == 201
    again = client.post(LIST, _registration(category, submission_key=key), format="json")
    assert again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone" and complaint.registered_by == org.member
    assert first.json()["receipt_number"] == complaint.receipt_number


def test_registration_without_consent_is_refused_in_korean(org, api, category):
    response = api(org.member).post(
        LIST, _registration(category, consent_required=False, phone="12"), format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"consent_required", "phone"}
    assert not Complaint.objects.exists()


def test_registration_body_must_be_an_object(org, api):
    response = api(org.member).post(LIST, ["제목"], format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["JSON 객체({...})로 보내세요."]


def test_an_auditor_cannot_register(org, api, category):
    response = api(org.auditor).post(LIST, _registration(category), format="json")
    assert response.status_code == 403
    assert response.json()["message"] == "이 작업을 할 권한이 없습니다."


def test_take_start_and_answer(org, api, complaint):
    client = api(org.member)
    url = f"{LIST}{complaint.pk}/"
    taken = client.post(url + "take/")
    assert taken.status_code == 200
    assert taken.json()["status"] == "assigned"
    assert taken.json()["assignee"] == {"id": org.member.pk, "name": org.member.name}
    assert client.post(url + "start/").json()["status"] == "in_progress"
    answered = client.post(url + "answer/", {"text": "보수 공사를 마쳤습니다."}, format="json")
    assert answered.json()["status"] == "answered"
    assert Event.objects.filter(complaint=complaint, kind="answered", staff=org.member).exists()


def test_a_refusal_needs_its_reason_and_remedy(org, api, complaint):
    client = api(org.member)
    url = f"{LIST}{complaint.pk}/"
    client.post(url + "take/")
    response = client.post(url + "answer/", {"text": "불가합니다.", "refusal": True}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"refusal_reason", "remedy"}
    complaint.refresh_from_db()
    assert complaint.status == "assigned"


def test_the_intent_gate_answers_409(org, api, complaint):
    client = api(org.member)
    url = f"{LIST}{complaint.pk}/"
    client.post(url + "take/")
    client.post(url + "unclear/")
    response = client.post(url + "answer/", {"text": "답변"}, format="json")
    assert response.status_code == 409
    assert "질의의도 분석" in response.json()["message"]
    client.post(url + "intent/", {"note": "도로 보수 일정 문의로 봄"}, format="json")
    assert client.post(url + "answer/", {"text": "답변"}, format="json").status_code == 200


def test_actions_of_another_team_are_not_found_and_a_leaders_only_are_forbidden(
    org, api, complaint
):
    url = f"{LIST}{complaint.pk}/"
    assert api(org.other_member).post(url + "take/").status_code == 404
    member = api(org.member)
    # a member may take a complaint for themselves, but only a leader assigns it to others
    response = member.post(url + "assign/", {"assignee": org.leader.pk}, format="json")
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.assignee is None


def test_transfer_hands_over_and_says_where_it_went(org, api, complaint):
    response = api(org.leader).post(
        f"{LIST}{complaint.pk}/transfer/",
        {"team": org.other_team.pk, "note": "가로등 담당 팀 소관"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["team"]["id"] == org.other_team.pk
    # no longer the leader's to see: where it went, not who has it or when it is due
    assert response.json()["assignee"] is None and response.json()["due_at"] is None
    assert api(org.member).get(f"{LIST}{complaint.pk}/").status_code == 404


def test_token_authentication(org, token_client, complaint):
    from pcrm.org.models import ApiToken

    client = token_client(org.member)
    assert _ids(client.get(LIST)) == [complaint.pk]
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    token.revoked_at = token.last_used_at
    token.save()
    response = client.get(LIST)
    assert response.status_code == 401
    assert response.json()["message"] == "토큰이 올바르지 않거나 폐기되었습니다."


def test_anonymous_calls_get_401_with_the_scheme(api):
    response = api().get(LIST)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="api"'
    assert "Authorization: Token" in response.json()["message"]


def test_a_session_post_needs_the_csrf_token(org, complaint):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(org.member.user)
    response = client.post(f"{LIST}{complaint.pk}/take/")
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]


def test_rate_limit_answers_429_in_korean(org, api, settings):
    settings.API_RATE_LIMIT = 3
    client = api(org.member)
    statuses = [client.get(LIST).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(LIST)
    assert response.json()["code"] == "throttled"
    assert "요청" in response.json()["message"]
    assert int(response["Retry-After"]) > 0


def test_unknown_api_address_gets_the_json_error_body(org, api):
    response = api(org.member).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
