"""Generated from the API router: every route and method, called by someone who may not
see the object — a member of another team, an auditor, an account that is not staff,
an anonymous caller — is answered 401, 403 or 404, and changes nothing.

A new resource must name an object for this test (``owned_objects``), or the test fails."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from citizens.models import Citizen
from complaints.models import Complaint
from pcrm.org.access import visible_to
from pcrm.urls_api import router
from scorecards.models import PeriodScore
from surveys.models import Campaign
from tests.factories import CampaignFactory, CitizenFactory, file_complaint

pytestmark = pytest.mark.django_db

PERSONAS = ["other_member", "other_leader", "auditor", "non_staff", "anonymous"]
REFUSED = {401, 403, 404}


def _routes():
    for pattern in router.urls:
        view = pattern.callback
        for method in view.actions:
            yield pattern.name, view.cls, method, "pk" in pattern.pattern.regex.groupindex


ROUTES = sorted(set(_routes()), key=lambda route: (route[0], route[2]))


@pytest.fixture
def owned_objects(org, api):
    """One object of each routed type, belonging to ``org.team`` (or to nobody's team
    where the type has no owner, such as a citizen)."""
    from tests.factories import CategoryFactory

    complaint = file_complaint(CategoryFactory(team=org.team))[0]
    return {
        Complaint: complaint,
        Citizen: CitizenFactory(),
        Campaign: CampaignFactory(),
        PeriodScore: PeriodScore.objects.create(
            team=org.team, period="2026-10", kind="month", start=date(2026, 10, 1)
        ),
    }


def _caller(persona, org, non_staff_user):
    client = APIClient()
    if persona == "non_staff":
        client.force_login(non_staff_user)
    elif persona != "anonymous":
        client.force_login(getattr(org, persona).user)
    return client


def _user(persona, org, non_staff_user):
    if persona == "anonymous":
        return None
    return non_staff_user if persona == "non_staff" else getattr(org, persona).user


def test_every_routed_type_has_an_object(owned_objects):
    assert {cls.model for _name, cls, _method, _detail in ROUTES} <= set(owned_objects)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "cls", "method", "detail"), ROUTES)
def test_objects_one_may_not_see_stay_hidden(
    name, cls, method, detail, persona, org, owned_objects, non_staff_user
):
    obj = owned_objects[cls.model]
    user = _user(persona, org, non_staff_user)
    visible = user is not None and visible_to(user, cls.model).filter(pk=obj.pk).exists()
    client = _caller(persona, org, non_staff_user)
    before = cls.model.objects.filter(pk=obj.pk).values().get()
    if detail:
        if visible:
            pytest.skip(f"{persona} may see this {cls.model.__name__}")
        url = reverse(name, kwargs={"pk": obj.pk})
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code in REFUSED, (name, method, persona, response.content)
        assert set(response.json()) >= {"status", "code", "message"}
    else:
        response = getattr(client, method)(reverse(name), {}, format="json")
        if user is None or persona == "non_staff":
            assert response.status_code in {401, 403}, (name, method, persona)
        elif method == "get" and not visible:
            body = response.json()
            rows = body["results"] if isinstance(body, dict) else body
            assert obj.pk not in {row["id"] for row in rows}, (name, persona)
        else:
            pytest.skip("creating is not an access to an existing object")
    assert cls.model.objects.filter(pk=obj.pk).values().get() == before


@pytest.mark.parametrize(
    ("name", "cls", "method", "detail"), [route for route in ROUTES if route[2] == "get"]
)
def test_the_owner_reaches_every_readable_route(name, cls, method, detail, org, owned_objects):
    """The refusals above mean something: the owning team's leader gets each GET."""
    client = APIClient()
    client.force_login(org.leader.user)
    url = reverse(name, kwargs={"pk": owned_objects[cls.model].pk}) if detail else reverse(name)
    assert client.get(url).status_code == 200
