"""Reminder and escalation sweeps with frozen time: each at the right working moment,
none twice (sweeping twice, or in two workers at once), none lost after a broker outage."""

from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from complaints import workflow
from complaints.models import Event
from complaints.reminders import send_progress_notices, sweep_reminders
from pcrm.notify.models import Message, StaffNotification
from tests.concurrency import at_once
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    StaffFactory,
    TeamFactory,
    file_complaint,
)

KST = timezone.get_fixed_timezone(9 * 60)


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=KST)


@pytest.fixture
def setting(db):
    department = DepartmentFactory()
    team = TeamFactory(department=department)
    leader = StaffFactory(team=team, role="team_leader", user__email="leader@example.go.kr")
    head = StaffFactory(team=team, role="team_leader", user__email="head@example.go.kr")
    member = StaffFactory(team=team, user__email="member@example.go.kr")
    team.leader = leader
    team.save()
    department.head = head
    department.save()
    return {"team": team, "leader": leader, "head": head, "member": member}


def _file(setting, period, received, **kwargs):
    category = CategoryFactory(team=setting["team"], period=period, **kwargs)
    with time_machine.travel(received, tick=False):
        complaint = file_complaint(category)[0]
        workflow.assign(staff=setting["leader"], complaint=complaint, assignee=setting["member"])
    complaint.refresh_from_db()
    return complaint


def _sweep(moment):
    with time_machine.travel(moment, tick=False):
        return sweep_reminders()


def _kinds(staff):
    return sorted(
        k.split(":")[2]
        for k in StaffNotification.objects.filter(staff=staff).values_list("key", flat=True)
    )


@pytest.mark.django_db
def test_day_period_reminders_at_the_right_moments(setting):
    # received Mon 2026-11-23, 10 working days: due Fri 2026-12-04 18:00
    complaint = _file(setting, "10d", at("2026-11-23T10:00"), same_day_target=False)
    assert complaint.due_at == at("2026-12-04T18:00")
    member, leader, head = setting["member"], setting["leader"], setting["head"]
    assert _sweep(at("2026-11-30T08:59")) == 0
    assert _sweep(at("2026-12-01T08:59")) == 0  # Tue: 3 working days before Fri is Tue 09:00
    assert _sweep(at("2026-12-01T09:00")) == 1
    assert _kinds(member) == ["before_3"]
    assert _sweep(at("2026-12-04T08:59")) == 0
    assert _sweep(at("2026-12-04T09:00")) == 1  # due day
    assert _sweep(at("2026-12-04T18:00")) == 0  # due now, not yet over
    assert _sweep(at("2026-12-04T18:01")) == 2  # overdue: assignee and team leader
    assert _kinds(member) == ["before_3", "due_today", "overdue"]
    assert _kinds(leader) == ["overdue_leader"]
    assert _sweep(at("2026-12-07T18:00")) == 0  # Monday close: exactly one working day over
    assert _sweep(at("2026-12-07T18:01")) == 0  # after hours: the working time has not moved
    assert _sweep(at("2026-12-08T09:01")) == 1  # more than one working day over: department head
    assert _kinds(head) == ["overdue_head"]
    assert Message.objects.filter(dedupe_key__contains=":staff:").count() == 5  # e-mail copies


@pytest.mark.django_db
def test_a_leader_who_is_also_the_worker_and_the_head_hears_of_a_delay_once(setting):
    team, leader = setting["team"], setting["leader"]
    team.department.head = leader
    team.department.save()
    category = CategoryFactory(team=team, period="1d", same_day_target=False)
    with time_machine.travel(at("2026-11-23T10:00"), tick=False):
        complaint = file_complaint(category)[0]  # nobody assigned: the leader is the worker
    assert complaint.due_at == at("2026-11-24T10:00")
    _sweep(at("2026-11-24T09:00"))  # the due day
    _sweep(at("2026-11-24T10:01"))  # over: the worker, the team leader
    _sweep(at("2026-11-26T10:01"))  # more than a working day over: the head's turn
    _sweep(at("2026-11-27T10:01"))
    assert _kinds(leader) == ["due_today", "overdue"]


@pytest.mark.django_db
def test_hour_periods_get_no_three_day_warning(setting):
    complaint = _file(setting, "3d", at("2026-11-23T10:00"), same_day_target=False)
    assert complaint.due_at == at("2026-11-26T10:00")
    _sweep(at("2026-11-25T10:00"))
    _sweep(at("2026-11-26T09:00"))
    assert _kinds(setting["member"]) == ["due_today"]


@pytest.mark.django_db
def test_same_day_items_still_unanswered_at_four(setting):
    complaint = _file(setting, "3d", at("2026-11-23T10:00"))
    assert _sweep(at("2026-11-23T15:59")) == 0
    assert _sweep(at("2026-11-23T16:00")) == 1
    assert _kinds(setting["member"]) == ["same_day_16"]
    answered = _file(setting, "3d", at("2026-11-24T10:00"))
    workflow.answer(staff=setting["member"], complaint=answered, text="답변")
    assert _sweep(at("2026-11-24T16:30")) == 0  # answered in time: no warning
    assert complaint.pk


@pytest.mark.django_db
def test_sweeping_twice_notifies_nobody_twice(setting):
    _file(setting, "3d", at("2026-11-23T10:00"), same_day_target=False)
    assert _sweep(at("2026-11-27T10:00")) == 2  # overdue: assignee and leader
    assert _sweep(at("2026-11-27T10:00")) == 0
    assert _sweep(at("2026-11-27T11:00")) == 1  # a working day over: only the head is new
    assert _sweep(at("2026-11-27T11:00")) == 0
    assert StaffNotification.objects.count() == 3


@pytest.mark.django_db
def test_a_late_sweep_after_a_broker_outage_still_sends(setting):
    """Beat could not reach the broker at 16:00; its next sweep at 16:40 catches up."""
    _file(setting, "3d", at("2026-11-23T10:00"))
    assert _sweep(at("2026-11-23T16:40")) == 1
    assert _kinds(setting["member"]) == ["same_day_16"]


@pytest.mark.django_db
def test_an_extension_starts_a_new_round_of_reminders(setting):
    from datetime import date

    complaint = _file(setting, "3d", at("2026-11-23T10:00"), same_day_target=False)
    _sweep(at("2026-11-26T09:00"))
    workflow.extend(
        staff=setting["leader"], complaint=complaint, new_day=date(2026, 12, 4), reason="조사"
    )
    assert _sweep(at("2026-11-26T11:00")) == 0  # not overdue any more
    assert _sweep(at("2026-12-04T09:00")) == 1
    assert _kinds(setting["member"]) == ["due_today", "due_today"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_notify_once(setting):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL")
    for n in range(5):
        _file(setting, "3d", at("2026-11-23T10:00"), same_day_target=False, name=f"유형{n}")
    results, errors = at_once(lambda: _sweep(at("2026-11-27T10:00")), 2)
    assert errors == []
    assert sum(results) == 10  # 5 complaints x (assignee + leader), split between the two
    assert StaffNotification.objects.count() == 10
    assert Message.objects.filter(dedupe_key__contains=":staff:").count() == 10


@pytest.mark.django_db
def test_notifications_show_in_the_staff_header(client, setting):
    _file(setting, "3d", at("2026-11-23T10:00"), same_day_target=False)
    _sweep(at("2026-11-27T10:00"))
    client.force_login(setting["member"].user)
    html = client.get("/staff/").content.decode()
    assert "알림" in html and "건 새 알림" in html
    page = client.get("/staff/notifications/").content.decode()
    assert "처리기한 초과" in page
    client.post("/staff/notifications/read/")
    assert not StaffNotification.objects.filter(
        staff=setting["member"], read_at__isnull=True
    ).exists()


@pytest.mark.django_db
def test_a_complaint_open_thirty_days_sends_one_progress_notice(setting):
    complaint = _file(setting, "14d", at("2026-10-01T10:00"))
    with time_machine.travel(at("2026-10-30T10:00"), tick=False):
        assert send_progress_notices() == 0
    with time_machine.travel(at("2026-10-31T10:01"), tick=False):
        assert send_progress_notices() == 1
        assert send_progress_notices() == 0
    message = Message.objects.get(dedupe_key=f"complaint:{complaint.pk}:progress30")
    assert "30일" in message.body
    assert (
        Event.objects.filter(complaint=complaint, kind="progress_notice", public=True).count() == 1
    )
