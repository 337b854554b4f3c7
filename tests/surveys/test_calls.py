"""Happy-calls and catch-calls: who gets a call, when one may be made, what it records."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from citizens.models import Citizen
from pcrm.notify.models import Message
from surveys import calls, selectors, services
from surveys.models import Call, Invitation, Response
from tests.factories import FlagFactory, StaffFactory, file_complaint
from tests.surveys.conftest import KST, MONDAY_10

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=KST)


def _material_sent(call):
    with time_machine.travel(call.created_at + timedelta(minutes=5), tick=False):
        calls.send_call_material()
    call.refresh_from_db()
    return call


def _try(staff, call, outcome, when, answers=None):
    with time_machine.travel(when, tick=False):
        return calls.call_attempt(
            staff=staff, call=call, attempt=calls.Attempt(outcome=outcome, answers=answers)
        )


def test_an_answer_schedules_a_happy_call_for_the_teams_caller(org, answer):
    caller = StaffFactory(team=org.team)
    org.team.caller = caller
    org.team.save()
    complaint = answer()
    call = Call.objects.get(complaint=complaint)
    assert (call.kind, call.reason, call.assignee, call.status) == (
        "happy",
        "answered",
        caller,
        "open",
    )
    assert call.due_at == at("2026-11-26T18:00")  # three working days after Monday


def test_without_a_caller_the_leader_calls(org, answer):
    assert Call.objects.get(complaint=answer()).assignee == org.leader


def test_do_not_call_gets_the_link_but_no_call(answer, post_campaign):
    complaint = answer()
    Call.objects.all().delete()
    Citizen.objects.filter(pk=complaint.citizen_id).update(do_not_call=True)
    second = answer()  # the same citizen (same phone) again
    assert not Call.objects.filter(complaint=second).exists()
    assert Invitation.objects.filter(complaint=second).exists()


def test_no_citizen_gets_a_call_task_twice_in_thirty_days(answer):
    first = answer()
    assert Call.objects.filter(complaint=first).exists()
    within = answer(at=MONDAY_10 + timedelta(days=29))
    assert not Call.objects.filter(complaint=within).exists()
    after = answer(at=MONDAY_10 + timedelta(days=31))
    assert Call.objects.filter(complaint=after).exists()


def test_the_material_is_sent_once_before_the_call(org, answer):
    call = Call.objects.get(complaint=answer())
    with pytest.raises(services.SurveyError, match="안내 자료"):
        _try(org.leader, call, "no_answer", at("2026-11-23T10:30"))
    with time_machine.travel(at("2026-11-23T10:05"), tick=False):
        assert calls.send_call_material() == 1
        assert calls.send_call_material() == 0
    message = Message.objects.get(dedupe_key=f"call:{call.pk}:material")
    assert "보수 공사를 마쳤습니다." in message.body  # the answer's summary
    assert "/complaints/track/" in message.body  # and the link to the whole answer
    assert "/faq/" in message.body


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        ("2026-11-23T09:59", False),
        ("2026-11-23T10:00", True),
        ("2026-11-23T11:59", True),
        ("2026-11-23T12:00", False),
        ("2026-11-23T13:30", False),
        ("2026-11-23T14:00", True),
        ("2026-11-23T16:59", True),
        ("2026-11-23T17:00", False),
        ("2026-11-28T10:30", False),  # Saturday
        ("2026-12-25T10:30", False),  # 성탄절
    ],
)
def test_calls_only_in_calling_hours_on_working_days(org, answer, moment, allowed):
    call = _material_sent(Call.objects.get(complaint=answer()))
    if allowed:
        assert _try(org.leader, call, "no_answer", at(moment)).attempts == 1
    else:
        with pytest.raises(services.SurveyError, match="10시~12시"):
            _try(org.leader, call, "no_answer", at(moment))


def test_three_tries_on_different_working_days_then_unreachable(org, answer):
    call = _material_sent(Call.objects.get(complaint=answer()))
    _try(org.leader, call, "no_answer", at("2026-11-23T10:30"))
    with pytest.raises(services.SurveyError, match="같은 날"):
        _try(org.leader, call, "no_answer", at("2026-11-23T15:00"))
    _try(org.leader, call, "no_answer", at("2026-11-24T15:00"))
    call = _try(org.leader, call, "no_answer", at("2026-11-25T11:00"))
    assert (call.attempts, call.status) == (3, "unreachable")
    with pytest.raises(services.SurveyError, match="이미 끝난"):
        _try(org.leader, call, "no_answer", at("2026-11-26T11:00"))


def test_a_reached_citizens_answers_are_a_phone_response(org, answer, happy_script):
    complaint = answer()
    call = _material_sent(Call.objects.get(complaint=complaint))
    questions = selectors.questions_of(happy_script)
    call = _try(
        org.leader,
        call,
        "reached",
        at("2026-11-24T14:30"),
        {questions[0].pk: 1, questions[1].pk: 2},
    )
    assert call.status == "done"
    response = Response.objects.get(pk=call.response_id)
    assert (response.channel, response.complaint, response.overall) == ("phone", complaint, 25)
    complaint.refresh_from_db()
    assert complaint.rating == 2


def test_only_the_team_works_its_calls(org, answer):
    call = _material_sent(Call.objects.get(complaint=answer()))
    with pytest.raises(PermissionDenied):
        _try(org.other_leader, call, "no_answer", at("2026-11-24T10:30"))
    with pytest.raises(PermissionDenied):
        _try(org.other_member, call, "no_answer", at("2026-11-24T10:30"))


def test_the_catch_call_list_finds_each_kind_of_at_risk_citizen(org, answer, category):
    # a declined happy-call
    refused = _material_sent(Call.objects.get(complaint=answer()))
    _try(org.leader, refused, "refused", at("2026-11-24T10:30"))
    # a low rating
    low = answer(phone="01020003000")
    services.complaint_rate(complaint_id=low.pk, rating=2, at=at("2026-11-24T11:00"))
    # a vulnerable citizen whose complaint is overdue
    with time_machine.travel(MONDAY_10, tick=False):
        overdue, _s = file_complaint(category, phone="01020004000")
    FlagFactory(citizen=overdue.citizen, set_by=org.leader)
    # a citizen filing a third time in 30 days
    with time_machine.travel(MONDAY_10, tick=False):
        filed = [
            file_complaint(category, phone="01020005000", title=f"같은 민원 {n}")[0]
            for n in range(3)
        ]
    repeated = filed[-1].citizen
    assert {c.citizen_id for c in filed} == {repeated.pk}
    # a do-not-call citizen with a low rating is left alone
    quiet = answer(phone="01020006000")
    Citizen.objects.filter(pk=quiet.citizen_id).update(do_not_call=True)
    services.complaint_rate(complaint_id=quiet.pk, rating=1, at=at("2026-11-24T11:00"))

    with time_machine.travel(at("2026-11-27T08:30"), tick=False):
        created = calls.build_catch_call_list()
        assert calls.build_catch_call_list() == 0  # idempotent
    catch = Call.objects.filter(kind="catch")
    assert created == catch.count() == 4
    reasons = dict(catch.values_list("reason", "citizen_id"))
    assert reasons == {
        "declined": refused.citizen_id,
        "low_rating": low.citizen_id,
        "vulnerable_overdue": overdue.citizen_id,
        "repeated": repeated.pk,
    }
    assert set(catch.values_list("assignee", flat=True)) == {org.leader.pk}
