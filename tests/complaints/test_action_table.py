"""The action table (complaints.actions) against the services, for every action, every
status and every kind of member of staff: the complaint page offers an action exactly
when the API (the same service) carries it out, and the API refuses (403 not allowed,
404 not visible, 409 not now) exactly when the page does not offer it."""

import re
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from complaints import workflow
from complaints.actions import ACTIONS
from complaints.models import Complaint
from pcrm.org.calendar import organisation_calendar
from tests.factories import CategoryFactory, file_complaint

pytestmark = pytest.mark.django_db

PHONE = "01077778888"
STATUSES = ["received", "assigned", "in_progress", "supplement", "answered", "closed", "withdrawn"]


@pytest.fixture
def history(org, category):
    """Two earlier complaints of the same citizen, answered: a repeated matter may be
    proposed for any new one; one of them is what a duplicate points at."""
    earlier = []
    for n in range(2):
        complaint = file_complaint(category, phone=PHONE, title=f"같은 민원 {n}")[0]
        workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
        workflow.answer(staff=org.member, complaint=complaint, text="답변했습니다.")
        earlier.append(complaint.pk)
    return list(Complaint.objects.filter(pk__in=earlier).order_by("pk"))


def _in_status(org, category, status, *, proposal=False, history=()):
    complaint = file_complaint(category, phone=PHONE, title="같은 민원 또")[0]
    member, leader = org.member, org.leader
    if status != "received":
        workflow.assign(staff=leader, complaint=complaint, assignee=member)
    if status in {"in_progress", "supplement", "answered", "closed"}:
        workflow.start(staff=member, complaint=complaint)
    if status == "supplement":
        workflow.request_supplement(staff=member, complaint=complaint, note="사진을 보내 주세요")
    if status in {"answered", "closed"}:
        workflow.answer(staff=member, complaint=complaint, text="답변했습니다.")
    if status == "closed":
        workflow.close(staff=member, complaint=complaint)
    if status == "withdrawn":
        workflow.withdraw(staff=member, complaint=complaint, reason="민원인이 취하")
    if proposal and status in Complaint.OPEN_STATUSES:
        workflow.propose_repeated_closure(
            staff=member, complaint=complaint, related=list(history), reason="같은 내용 세 번째"
        )
    return Complaint.objects.select_related("repeated_closure").get(pk=complaint.pk)


def _input(name, org, complaint, history):
    due = complaint.due_at.date()
    return {
        "assign": {"assignee": org.member.pk},
        "supplement": {"note": "사진을 보내 주세요"},
        "resume": {"note": ""},
        "intent": {"note": "보수 시기를 묻는 민원"},
        "call": {"outcome": "reached", "note": ""},
        "answer": {"text": "보수했습니다."},
        "close": {"note": ""},
        "transfer": {"team": org.other_team.pk, "note": "담당 팀이 아님"},
        "withdraw": {"note": "민원인이 취하"},
        "reopen": {"note": "다시 봐야 함"},
        "duplicate": {"receipt_number": history[0].receipt_number},
        "propose_repeat": {"related": [c.pk for c in history], "note": "같은 내용 세 번째"},
        "approve_repeat": {"note": ""},
        "reject_repeat": {"note": "다른 내용"},
        "extend": {
            "new_day": organisation_calendar()
            .next_working_day(due + timedelta(days=10))
            .isoformat(),
            "note": "현장 조사",
        },
    }.get(name, {})


def _roles(org):
    return {
        "leader": org.leader,
        "assignee": org.member,
        "teammate": org.teammate,
        "outsider": org.other_member,
    }


@pytest.fixture
def teammate(org):
    from tests.factories import StaffFactory

    org.teammate = StaffFactory(team=org.team, name="이도윤")
    return org.teammate


@pytest.mark.parametrize("status", STATUSES)
def test_the_page_offers_exactly_what_the_service_accepts(org, category, history, teammate, status):
    """One complaint per action, role and status (the action changes it)."""
    other = CategoryFactory(team=org.other_team)  # so transfers have somewhere to go
    assert other.team_id == org.other_team.pk
    mismatches = []
    for name in ACTIONS:
        for role, staff in _roles(org).items():
            proposal = name in {"approve_repeat", "reject_repeat"}
            complaint = _in_status(org, category, status, proposal=proposal, history=history)
            offered = name in workflow.permitted_actions(staff, complaint)
            client = APIClient()
            client.force_login(staff.user)
            response = client.post(
                f"/api/v1/complaints/{complaint.pk}/{name}/",
                _input(name, org, complaint, history),
                format="json",
            )
            accepted = response.status_code == 200
            refused = response.status_code in {403, 404, 409}
            if offered != accepted or not (accepted or refused):
                mismatches.append(
                    (name, role, offered, response.status_code, response.content[:120])
                )
    assert mismatches == []


@pytest.mark.parametrize("status", ["received", "assigned", "in_progress", "answered"])
def test_the_page_shows_a_control_for_each_action_offered_and_no_other(
    client, org, category, history, teammate, status
):
    for staff in _roles(org).values():
        if staff is org.other_member:
            continue  # not visible: a 404
        complaint = _in_status(org, category, status)
        client.force_login(staff.user)
        page = client.get(f"/staff/complaints/{complaint.pk}/").content.decode()
        shown = set(re.findall(rf"/staff/complaints/{complaint.pk}/act/(\w+)/", page))
        assert shown == workflow.permitted_actions(staff, complaint), (status, staff.name)
