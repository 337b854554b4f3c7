"""API clients for the personas: a session (as a browser would) or a token."""

import pytest
from rest_framework.test import APIClient

from pcrm.org.models import ApiToken
from tests.factories import CategoryFactory, file_complaint


@pytest.fixture
def api():
    """``api(staff)``: a client logged in as that member of staff; ``api()``: anonymous."""

    def make(staff=None):
        client = APIClient()
        if staff is not None:
            client.force_login(getattr(staff, "user", staff))
        return client

    return make


@pytest.fixture
def token_client():
    def make(staff):
        _token, key = ApiToken.issue(staff=staff, name="연계 시험")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def category(org):
    return CategoryFactory(team=org.team, name="도로 파손")


@pytest.fixture
def other_category(org):
    return CategoryFactory(team=org.other_team, name="가로등 고장")


@pytest.fixture
def complaint(category):
    return file_complaint(category, name="김민수", title="보도블록 파손")[0]
