"""The OpenAPI schema at /api/schema/, its offline documentation at /api/docs/, and
Schemathesis run against the served schema: no 5xx, every response as documented."""

import re
from datetime import date

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from pcrm.org.models import ApiToken
from scorecards.models import PeriodScore
from tests.factories import CampaignFactory, CategoryFactory, CitizenFactory, file_complaint

pytestmark = pytest.mark.django_db


def _generated() -> dict:
    """The schema as /api/schema/ serves it, built without a request (collection time)."""
    import json

    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.renderers import JSONRenderer

    return json.loads(JSONRenderer().render(SchemaGenerator().get_schema(public=True)))


def test_schema_is_for_staff_only(org, api, non_staff_user):
    assert api().get("/api/schema/").status_code == 401
    assert api(non_staff_user).get("/api/schema/").status_code == 403
    response = api(org.member).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/complaints/{id}/answer/" in paths
    assert "/api/v1/citizens/{id}/reveal/" in paths
    assert response.json() == _generated()  # what Schemathesis below is run against
    error = paths["/api/v1/complaints/"]["get"]["responses"]["401"]
    assert error["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_docs_load_nothing_from_the_internet(org, api):
    response = api(org.member).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    external = re.findall(r"""(?:src|href)=["'](https?:)?//""", html)
    assert not external, external
    for asset in re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", html):
        assert finders.find(asset.removeprefix("/static/")), asset


@pytest.fixture
def wsgi_in_the_test_transaction():
    """Schemathesis calls the WSGI application in this thread; Django would close the
    test's connection at each request's start and end, as the test client avoids too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(org, settings, wsgi_in_the_test_transaction):
    """Something to find behind each {id}, and a token to call with."""
    complaint = file_complaint(CategoryFactory(team=org.team))[0]
    score = PeriodScore.objects.create(
        team=org.team, period="2026-10", kind="month", start=date(2026, 10, 1)
    )
    ids = {
        "complaints": complaint.pk,
        "citizens": CitizenFactory().pk,
        "campaigns": CampaignFactory().pk,
        "scorecards": score.pk,
    }
    _token, key = ApiToken.issue(staff=org.leader, name="schemathesis")
    settings.API_RATE_LIMIT = 100_000
    return ids, {"Authorization": f"Token {key}"}


schema = schemathesis.openapi.from_dict(_generated())
schema.app = get_wsgi_application()
# random examples only, bounded by max_examples; the coverage phase's exhaustive boundary
# cases would take minutes
schema.config.phases.coverage.enabled = False
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, world):
    ids, headers = world
    identifier = (case.path_parameters or {}).get("id")
    if isinstance(identifier, int) and identifier % 2 == 0:  # half the time, a real object
        resource = next(name for name in ids if f"/{name}/" in case.path)
        case.path_parameters["id"] = ids[resource]
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS)


def test_docs_send_an_anonymous_visitor_to_sign_in(api):
    response = api().get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/api/docs/"
