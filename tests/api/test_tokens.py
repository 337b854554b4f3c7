"""API tokens: issued by the CS administrator in the admin, the key shown once and only
its hash kept; revoking stops it."""

import re

import pytest
from django.contrib.messages import get_messages

from pcrm.lib.crypto import secret_digest
from pcrm.org.models import ApiToken

pytestmark = pytest.mark.django_db


def test_issuing_shows_the_key_once_and_keeps_its_hash(org, client, api):
    client.force_login(org.cs_admin.user)
    response = client.post(
        "/admin/org/apitoken/add/", {"staff": org.member.pk, "name": "민원 연계"}, follow=True
    )
    assert response.status_code == 200
    text = " ".join(str(message) for message in get_messages(response.wsgi_request))
    key = re.search(r"API 토큰: (\S+) —", text).group(1)
    token = ApiToken.objects.get()
    assert token.key_hash == secret_digest(key) and key not in token.key_hash
    caller = api()
    caller.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert caller.get("/api/v1/complaints/").status_code == 200
    client.post(
        "/admin/org/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert caller.get("/api/v1/complaints/").status_code == 401


def test_a_token_of_staff_who_left_stops_working(org, token_client):
    client = token_client(org.member)
    org.member.active = False
    org.member.save()
    assert client.get("/api/v1/complaints/").status_code == 401


def test_a_malformed_authorization_header_is_explained(api):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token")
    response = client.get("/api/v1/complaints/")
    assert response.status_code == 401
    assert response.json()["message"] == "토큰은 'Authorization: Token <키>' 꼴로 보내세요."
