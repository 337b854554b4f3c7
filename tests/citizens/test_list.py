import pytest

from citizens.models import Citizen
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def _names(response):
    return [c.name for c in response.context["page"].object_list]


def test_search_by_name_phone_in_any_format_and_email(client, org):
    kim = CitizenFactory(name="김민수", phone="01012345678", email="kim@example.com")
    CitizenFactory(name="이영희", phone="01099998888")
    client.force_login(org.member.user)
    assert _names(client.get("/staff/citizens/", {"q": "민수"})) == ["김민수"]
    for phone in ("010-1234-5678", "01012345678", "+82 10 1234 5678"):
        assert _names(client.get("/staff/citizens/", {"q": phone})) == [kim.name]
    assert _names(client.get("/staff/citizens/", {"q": "KIM@example.com"})) == [kim.name]
    assert _names(client.get("/staff/citizens/", {"q": "010-1234-567"})) == []  # exact only


def test_district_filter(client, org):
    CitizenFactory(name="마포주민", sigungu="마포구")
    CitizenFactory(name="노원주민", sigungu="노원구")
    client.force_login(org.member.user)
    assert _names(client.get("/staff/citizens/", {"sigungu": "노원구"})) == ["노원주민"]


def test_list_is_paginated(client, org):
    CitizenFactory.create_batch(30)
    client.force_login(org.member.user)
    response = client.get("/staff/citizens/")
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.num_pages == 2
    assert len(client.get("/staff/citizens/", {"page": 2}).context["page"].object_list) == 5


def test_anonymised_citizens_are_not_listed(client, org):
    from django.utils import timezone

    CitizenFactory(name="익명대상", anonymised_at=timezone.now())
    client.force_login(org.member.user)
    assert _names(client.get("/staff/citizens/")) == []


@pytest.mark.parametrize("rows", [1, 40])
def test_list_query_count_does_not_grow_with_rows(client, org, django_assert_num_queries, rows):
    CitizenFactory.create_batch(rows)
    client.force_login(org.leader.user)
    # 1 session user with staff profile, 2 district choices, 3 count, 4 page of citizens,
    # 5 unread notifications
    with django_assert_num_queries(6):  # + the session read
        response = client.get("/staff/citizens/", {"age": "50s"})
    assert response.status_code == 200
    assert Citizen.objects.count() == rows


@pytest.mark.parametrize("rows", [1, 40])
def test_relationship_list_query_count_is_fixed(client, org, django_assert_num_queries, rows):
    from citizens.models import Relationship

    for citizen in CitizenFactory.create_batch(rows):
        Relationship.objects.create(citizen=citizen, category="friendly", owner=org.member)
    client.force_login(org.member.user)
    # 1 session user with staff profile, 2 count, 3 page with citizens and owners,
    # 4 unread notifications
    with django_assert_num_queries(5):  # + the session read
        response = client.get("/staff/citizens/relationships/")
    assert len(response.context["page"].object_list) == min(rows, 25)


def test_relationships_are_found_by_name_or_organisation(client, org):
    from citizens.models import Relationship

    for name, organisation, category in (
        ("김민수", "", "friendly"),
        ("이영희", "공덕동 주민센터", "institutional"),
        ("박정숙", "", "friendly"),
    ):
        citizen = CitizenFactory(name=name, organisation_name=organisation)
        Relationship.objects.create(citizen=citizen, category=category, owner=org.member)
    client.force_login(org.member.user)

    def found(**params):
        page = client.get("/staff/citizens/relationships/", params).context["page"]
        return sorted(rel.citizen.name for rel in page)

    assert found(q="민수") == ["김민수"]
    assert found(q="주민센터") == ["이영희"]
    assert found(q="정숙", category="institutional") == []
    assert found() == ["김민수", "박정숙", "이영희"]


@pytest.mark.parametrize("contacts", [1, 30])
def test_detail_query_count_does_not_grow_with_the_timeline(
    client, org, django_assert_num_queries, contacts
):
    from citizens import services

    citizen = CitizenFactory()
    for i in range(contacts):
        services.contact_add(
            citizen_id=citizen.pk, kind="call", summary=f"상담 {i}", staff=org.member
        )
    client.force_login(org.leader.user)
    # 1 session user with staff profile, 2 citizen with relationship, 3 access-log insert,
    # 4 timeline count, 5 timeline page with staff, 6 flags, 7 consents, 8 unread notifications
    with django_assert_num_queries(9):  # + the session read
        response = client.get(f"/staff/citizens/{citizen.pk}/")
    assert response.status_code == 200
    assert len(response.context["contacts"].object_list) == min(contacts, 20)
