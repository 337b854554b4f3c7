"""Vulnerable customers: marked and sorted first for staff allowed to see flags,
invisible to everybody else; a due review lands on the flagging staff member's list."""

from datetime import date

import pytest
import time_machine

from citizens.models import Citizen, VulnerabilityFlag
from pcrm.audit.models import AccessLog
from tests.factories import CitizenFactory, FlagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org):
    CitizenFactory(name="가나다")
    CitizenFactory(name="나다라")
    flagged = CitizenFactory(name="하늘이")
    FlagFactory(citizen=flagged, set_by=org.leader, reason="홀로 지내심")
    return flagged


def _first_row(client):
    return client.get("/staff/citizens/").context["page"].object_list[0].name


def test_leader_sees_flagged_citizens_first_and_marked(client, org, people):
    client.force_login(org.leader.user)
    assert _first_row(client) == "하늘이"
    html = client.get("/staff/citizens/").content.decode()
    assert "취약고객" in html
    detail = client.get(f"/staff/citizens/{people.pk}/").content.decode()
    assert "홀로 지내심" in detail


def test_member_without_permission_sees_no_trace_of_flags(client, org, people):
    client.force_login(org.member.user)
    assert _first_row(client) == "가나다"
    html = client.get("/staff/citizens/").content.decode()
    assert "취약고객" not in html
    detail = client.get(f"/staff/citizens/{people.pk}/").content.decode()
    assert "홀로 지내심" not in detail and "취약고객" not in detail
    segments = client.get("/staff/citizens/segments/").content.decode()
    assert "취약고객 여부" not in segments
    # the segment filter is ignored rather than leaking who is flagged
    names = [
        c.name for c in client.get("/staff/citizens/", {"vulnerability": "yes"}).context["page"]
    ]
    assert names == ["가나다", "나다라", "하늘이"]
    flag = VulnerabilityFlag.objects.get()
    assert client.get(f"/staff/citizens/flags/{flag.pk}/clear/").status_code == 404


def test_member_allowed_by_cs_admin_sees_flags(client, org, people):
    org.member.sees_vulnerability = True
    org.member.save()
    client.force_login(org.member.user)
    assert _first_row(client) == "하늘이"


def test_flag_set_and_clear_by_leader_are_logged(client, org):
    citizen = CitizenFactory()
    client.force_login(org.leader.user)
    with time_machine.travel(date(2026, 11, 23)):
        response = client.post(
            f"/staff/citizens/{citizen.pk}/flags/",
            {"kind": "disabled", "reason": "청각장애, 문자 선호", "review_on": "2027-05-01"},
        )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.vulnerable
    flag = VulnerabilityFlag.objects.get()
    assert (flag.set_by, flag.review_on) == (org.leader, date(2027, 5, 1))
    assert client.get(f"/staff/citizens/flags/{flag.pk}/clear/").status_code == 200  # confirm
    assert Citizen.objects.get(pk=citizen.pk).vulnerable  # a GET changes nothing
    client.post(f"/staff/citizens/flags/{flag.pk}/clear/")
    citizen.refresh_from_db()
    flag.refresh_from_db()
    assert not citizen.vulnerable and not flag.active and flag.cleared_by == org.leader
    purposes = set(
        AccessLog.objects.filter(subject_id=str(citizen.pk)).values_list("purpose", flat=True)
    )
    assert {"취약고객 지정", "취약고객 해제"} <= purposes


def test_member_cannot_flag(client, org):
    citizen = CitizenFactory()
    client.force_login(org.member.user)
    response = client.post(
        f"/staff/citizens/{citizen.pk}/flags/",
        {"kind": "other", "reason": "x", "review_on": "2030-01-01"},
    )
    assert response.status_code == 403
    assert not VulnerabilityFlag.objects.exists()


def test_review_date_in_the_past_is_refused_with_a_message(client, org):
    citizen = CitizenFactory()
    client.force_login(org.leader.user)
    with time_machine.travel(date(2026, 11, 23)):
        response = client.post(
            f"/staff/citizens/{citizen.pk}/flags/",
            {"kind": "other", "reason": "사유", "review_on": "2026-11-01"},
        )
    assert "재검토일은 오늘 이후로 정하세요" in response.content.decode()
    assert not VulnerabilityFlag.objects.exists()


def test_due_review_appears_on_the_flagging_staff_members_list_only(client, org):
    due = FlagFactory(set_by=org.leader, review_on=date(2026, 11, 20), citizen__name="검토대상")
    FlagFactory(set_by=org.leader, review_on=date(2027, 3, 1), citizen__name="나중검토")
    FlagFactory(set_by=org.other_leader, review_on=date(2026, 11, 1), citizen__name="남의검토")
    client.force_login(org.leader.user)
    with time_machine.travel(date(2026, 11, 23)):
        page = client.get("/staff/citizens/reviews/")
        assert [f.citizen.name for f in page.context["page"]] == ["검토대상"]
        home = client.get("/staff/", follow=True).content.decode()  # a leader's dashboard
        assert "재검토할 취약고객" in home
        response = client.post(
            f"/staff/citizens/flags/{due.pk}/review/", {"next_review_on": "2027-05-20"}
        )
        assert response.status_code == 302
        assert list(client.get("/staff/citizens/reviews/").context["page"]) == []
