"""Calls that follow through: reminders as for complaints (due day, overdue, the leader a
working day over), each once however many sweeps run; a rating of 1-2 or an unhappy call
marks the citizen dissatisfied, so the intent-analysis gate applies to their next
complaint and call, until the flag ends or a leader clears it."""

from datetime import datetime, timedelta

import pytest
import time_machine

from citizens.models import Citizen, VulnerabilityFlag
from citizens.services import dissatisfaction_expire, flag_clear
from complaints import services as complaint_services
from complaints import workflow
from pcrm.notify.models import StaffNotification
from surveys import call_reminders, calls
from surveys.errors import SurveyError
from surveys.models import Call
from tests.concurrency import at_once
from tests.factories import StaffFactory, file_complaint
from tests.surveys.conftest import KST

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=KST)


@pytest.fixture
def happy(org, answer):
    """A happy-call held by the team's caller, due Thursday 2026-11-26 18:00."""
    caller = StaffFactory(team=org.team)
    org.team.caller = caller
    org.team.save()
    call = Call.objects.get(complaint=answer())
    assert call.due_at == at("2026-11-26T18:00") and call.assignee == caller
    return call


def _notices():
    return sorted(
        (n.key.split(":")[2], n.staff_id)
        for n in StaffNotification.objects.filter(key__startswith="call:")
    )


def test_the_due_day_the_delay_and_the_leader_a_working_day_later(org, happy):
    caller = happy.assignee
    for moment, expected in [
        ("2026-11-26T08:59", []),
        ("2026-11-26T09:00", [("due_today", caller.pk)]),
        ("2026-11-26T18:01", [("due_today", caller.pk), ("overdue", caller.pk)]),
        # Friday 18:00 is one working day over, not more
        ("2026-11-27T18:00", [("due_today", caller.pk), ("overdue", caller.pk)]),
        (
            "2026-11-30T09:30",  # Monday: more than a working day over
            [("due_today", caller.pk), ("overdue", caller.pk), ("overdue_leader", org.leader.pk)],
        ),
    ]:
        with time_machine.travel(at(moment), tick=False):
            call_reminders.sweep_call_reminders()
            call_reminders.sweep_call_reminders()  # again: nothing new
        assert _notices() == sorted(expected), moment
    link = StaffNotification.objects.get(key__contains=":overdue_leader:").link
    assert link == f"/staff/calls/{happy.pk}/"


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_tell_each_person_once(org, happy):
    def sweep():
        with time_machine.travel(at("2026-11-30T09:30"), tick=False):
            return call_reminders.sweep_call_reminders()

    results, errors = at_once(sweep, 2)
    # the caller's "overdue" and the leader's: each made by one of the two sweeps
    assert errors == [] and sum(results) == 2
    assert _notices() == sorted([("overdue", happy.assignee_id), ("overdue_leader", org.leader.pk)])


def test_a_closed_call_is_not_reminded(org, happy):
    Call.objects.filter(pk=happy.pk).update(status=Call.Status.DONE)
    with time_machine.travel(at("2026-11-30T09:30"), tick=False):
        assert call_reminders.sweep_call_reminders() == 0


def test_a_rating_of_one_turns_on_the_intent_gate(org, answer, category):
    complaint = answer()
    complaint_services.complaint_rate(complaint_id=complaint.pk, rating=1)
    complaint_services.complaint_rate(complaint_id=complaint.pk, rating=1)  # again: one flag
    flag = VulnerabilityFlag.objects.get(citizen=complaint.citizen)
    assert (flag.kind, flag.active, flag.set_by) == ("dissatisfied", True, org.leader)
    assert flag.ends_on == flag.set_at.astimezone(KST).date() + timedelta(days=90)
    assert Citizen.objects.get(pk=complaint.citizen_id).vulnerable
    # their next complaint needs the intent analysis before it is answered
    later, _secret = file_complaint(category, phone="01012345678")
    assert later.citizen_id == complaint.citizen_id
    workflow.assign(staff=org.leader, complaint=later, assignee=org.member)
    with pytest.raises(workflow.TransitionError, match="질의의도 분석"):
        workflow.answer(staff=org.member, complaint=later, text="답변")
    # a leader may clear it sooner; otherwise it ends by itself
    flag_clear(staff=org.leader, flag=flag)
    assert not Citizen.objects.get(pk=complaint.citizen_id).vulnerable


def test_a_fair_rating_marks_nobody_and_the_mark_ends_by_itself(org, answer):
    complaint = answer()
    complaint_services.complaint_rate(complaint_id=complaint.pk, rating=3)
    assert not VulnerabilityFlag.objects.exists()
    complaint_services.complaint_rate(complaint_id=complaint.pk, rating=2)
    flag = VulnerabilityFlag.objects.get()
    assert dissatisfaction_expire(today=flag.ends_on) == 0
    assert dissatisfaction_expire(today=flag.ends_on + timedelta(days=1)) == 1
    assert not Citizen.objects.get(pk=complaint.citizen_id).vulnerable


def test_an_unhappy_call_marks_the_citizen_and_the_next_call_needs_the_intent_note(org, answer):
    complaint = answer()
    call = Call.objects.get(complaint=complaint)
    with time_machine.travel(call.created_at + timedelta(minutes=5), tick=False):
        calls.send_call_material()
    with time_machine.travel(at("2026-11-24T10:30"), tick=False):
        calls.call_attempt(
            staff=org.leader, call=call, attempt=calls.Attempt(outcome="dissatisfied")
        )
    call.refresh_from_db()
    assert call.status == "done"
    assert VulnerabilityFlag.objects.get(citizen=complaint.citizen).source == f"call:{call.pk}"
    # a catch-call to them now waits for the intent note
    catch = Call.objects.create(
        kind=Call.Kind.CATCH,
        reason=Call.Reason.LOW_RATING,
        source="low-rating:test",
        citizen=complaint.citizen,
        team=complaint.team,
        assignee=org.leader,
        list_date=at("2026-11-24T10:00").date(),
        due_at=at("2026-11-25T18:00"),
    )
    with time_machine.travel(at("2026-11-25T10:30"), tick=False):
        with pytest.raises(SurveyError, match="질의의도 분석"):
            calls.call_attempt(staff=org.leader, call=catch, attempt=calls.Attempt("no_answer"))
        calls.call_attempt(
            staff=org.leader,
            call=catch,
            attempt=calls.Attempt("no_answer", intent_note="처리 지연에 대한 불만, 사과 필요"),
        )
    catch.refresh_from_db()
    assert catch.intent_note == "처리 지연에 대한 불만, 사과 필요" and catch.attempts == 1
