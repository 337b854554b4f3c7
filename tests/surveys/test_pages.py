"""Staff list pages run a fixed number of queries; the call page works and logs the view."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from pcrm.audit.models import AccessLog
from surveys import courtesy
from surveys.models import Call
from tests.factories import CampaignFactory, CitizenFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _calls(org, n):
    for i in range(n):
        Call.objects.create(
            kind="catch" if i % 3 == 1 else "happy",
            reason="low_rating" if i % 3 == 1 else "answered",
            status="done" if i % 3 == 2 else "open",
            closed_at=timezone.now() if i % 3 == 2 else None,
            source=f"test:{i}",
            citizen=CitizenFactory(),
            team=org.team,
            assignee=org.leader,
            list_date=timezone.localdate(),
            due_at=timezone.now() + timedelta(days=1),
        )


@pytest.mark.parametrize("rows", [3, 30])  # every tab has rows either way
@pytest.mark.parametrize("tab", ["mine", "team", "catch", "closed"])
def test_call_list_query_count_is_fixed(login, org, django_assert_num_queries, rows, tab):
    _calls(org, rows)
    client = login(org.leader)
    # 1 session user with staff profile, 2 count, 3 page with citizens, complaints, teams,
    # assignees, 4 unread notifications
    with django_assert_num_queries(5):  # + the session read
        response = client.get("/staff/calls/", {"tab": tab})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_campaign_list_query_count_is_fixed(login, org, django_assert_num_queries, rows):
    CampaignFactory.create_batch(rows)
    client = login(org.member)
    # 1 session user with staff profile, 2 count, 3 page with response counts, 4 notifications
    with django_assert_num_queries(5):  # + the session read
        response = client.get("/staff/surveys/")
    assert len(response.context["page"].object_list) == min(rows, 25)


@pytest.mark.parametrize("rows", [1, 30])
def test_courtesy_list_query_count_is_fixed(login, org, django_assert_num_queries, rows):
    sheet = courtesy.default_sheet()
    points = {item.pk: 5 for item in sheet.items.all()}  # 55: every one needs an interview
    for i in range(rows):
        courtesy.courtesy_evaluate(
            evaluator=org.cs_admin,
            staff=StaffFactory(team=org.team),
            sheet=sheet,
            evaluated_on=date(2026, 11, 2) + timedelta(days=i % 20),
            scenario="문의",
            points=points,
        )
    client = login(org.leader)
    # 1 session user with staff profile, 2 count, 3 page with staff, teams and evaluators,
    # 4 open interviews with their staff and evaluations, 5 notifications
    with django_assert_num_queries(6):  # + the session read
        response = client.get("/staff/courtesy/")
    assert response.status_code == 200


def test_the_number_is_masked_until_the_caller_gives_a_reason_which_is_logged(login, org):
    _calls(org, 1)
    call = Call.objects.get()
    client = login(org.leader)
    page = client.get(f"/staff/calls/{call.pk}/").content.decode()
    assert call.citizen.phone_display not in page and call.citizen.masked_phone in page
    assert AccessLog.objects.filter(
        subject_type="citizens.citizen", subject_id=str(call.citizen_id), action="view"
    ).exists()
    refused = client.post(f"/staff/calls/{call.pk}/reveal/", {"purpose": " "})
    assert call.citizen.phone_display not in refused.content.decode()
    assert "사유를 적어야 합니다" in refused.content.decode()
    shown = client.post(f"/staff/calls/{call.pk}/reveal/", {"purpose": "해피콜 통화"})
    assert call.citizen.phone_display in shown.content.decode()
    reveal = AccessLog.objects.get(subject_id=str(call.citizen_id), action="reveal")
    assert reveal.purpose == "해피콜 통화"
    other_team = login(org.other_member).post(f"/staff/calls/{call.pk}/reveal/", {"purpose": "x"})
    assert other_team.status_code == 404


def test_recording_an_attempt_outside_hours_says_when_to_call(login, org):
    import time_machine

    from tests.surveys.conftest import KST

    _calls(org, 1)
    call = Call.objects.get()
    with time_machine.travel(timezone.datetime(2026, 11, 23, 19, tzinfo=KST), tick=False):
        page = login(org.leader).post(f"/staff/calls/{call.pk}/", {"outcome": "no_answer"})
    assert page.status_code == 200
    assert "10시~12시, 14시~17시" in page.content.decode()
    assert call.attempt_rows.count() == 0
