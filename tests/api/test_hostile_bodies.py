"""Bodies an attacker sends: nested past any parser's recursion, larger than the limit.
Each gets the API's JSON error body with a 4xx status, never a 500 or an HTML page."""

import pytest

pytestmark = pytest.mark.django_db
LIST = "/api/v1/complaints/"


def _post(client, data: bytes, content_type="application/json"):
    return client.generic("POST", LIST, data, content_type=content_type)


def test_json_nested_a_hundred_thousand_deep_is_a_400(org, token_client):
    response = _post(token_client(org.member), b"[" * 100_000 + b"]" * 100_000)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "중첩" in response.json()["message"]


def test_a_json_body_over_the_limit_is_a_413_in_json(org, token_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = _post(token_client(org.member), b'{"title": "' + b"x" * 2_000 + b'"}')
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "too_large"


def test_a_form_body_over_the_limit_is_a_413_in_json_too(org, token_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = b"title=" + b"x" * 2_000
    response = _post(token_client(org.member), body, "application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert response.json() == {
        "status": 413,
        "code": "too_large",
        "message": "요청 본문이 너무 큽니다. 나누어 보내세요.",
    }


@pytest.mark.parametrize("body", [b"", b"{", b"NaN", b'{"a": Infinity}', b"\xff\xfe"])
def test_malformed_json_is_a_400_with_a_message(org, token_client, body):
    response = _post(token_client(org.member), body)
    assert response.status_code == 400
    assert response.json()["message"]


def test_an_oversized_public_form_gets_a_clear_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = client.post(
        "/complaints/new/", "title=" + "x" * 2_000, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "보낸 내용이 너무 큽니다" in response.content.decode()
