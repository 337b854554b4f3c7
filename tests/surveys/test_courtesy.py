"""Phone-courtesy evaluations on the default sheet, and the leader interviews they start."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pcrm.notify.models import StaffNotification
from surveys import courtesy, services
from surveys.models import LeaderInterview

pytestmark = pytest.mark.django_db

DEFAULT = {
    "접속신속": 10,
    "맞이인사": 10,
    "연결태도": 10,
    "언어표현": 10,
    "경청태도": 10,
    "적극안내": 10,
    "응대태도": 10,
    "종료인사": 15,
    "통화종료": 5,
    "전체만족": 10,
}


def _evaluate(org, scores: dict[str, float], staff=None):
    sheet = courtesy.default_sheet()
    items = {item.name: item.pk for item in sheet.items.all()}
    return courtesy.courtesy_evaluate(
        evaluator=org.cs_admin,
        staff=staff or org.member,
        sheet=sheet,
        evaluated_on=date(2026, 11, 23),
        scenario="전입신고 문의",
        points={items[name]: Decimal(str(value)) for name, value in scores.items()},
    )


def test_the_default_sheet_has_the_ten_items_worth_one_hundred():
    sheet = courtesy.default_sheet()
    assert sheet.threshold == 80
    assert [(i.name, i.max_points) for i in sheet.items.order_by("order")] == list(DEFAULT.items())
    assert sum(DEFAULT.values()) == 100


def test_full_marks_total_one_hundred_and_need_no_interview(org):
    evaluation = _evaluate(org, DEFAULT)
    assert evaluation.total == 100
    assert not LeaderInterview.objects.exists()


def test_exactly_eighty_needs_no_interview(org):
    scores = {**DEFAULT, "종료인사": 5, "전체만족": 0}  # 100 - 10 - 10
    assert _evaluate(org, scores).total == 80
    assert not LeaderInterview.objects.exists()


def test_under_eighty_opens_an_interview_for_the_team_leader(org):
    scores = {**DEFAULT, "종료인사": 5, "전체만족": 0, "통화종료": 4.5}
    evaluation = _evaluate(org, scores)
    assert evaluation.total == Decimal("79.5")
    interview = LeaderInterview.objects.get(evaluation=evaluation)
    assert (interview.staff, interview.leader, interview.team) == (org.member, org.leader, org.team)
    assert interview.due_on == date(2026, 12, 7)  # ten working days on
    notice = StaffNotification.objects.get(staff=org.leader)
    assert "79.5" in notice.text


def test_a_score_above_an_items_points_is_refused(org):
    with pytest.raises(services.SurveyError, match="종료인사"):
        _evaluate(org, {**DEFAULT, "종료인사": 16})
    with pytest.raises(services.SurveyError, match="모든 항목"):
        _evaluate(org, {"접속신속": 10})


def test_only_cs_admin_evaluates(org):
    sheet = courtesy.default_sheet()
    with pytest.raises(PermissionDenied):
        courtesy.courtesy_evaluate(
            evaluator=org.leader,
            staff=org.member,
            sheet=sheet,
            evaluated_on=date(2026, 11, 23),
            scenario="x",
            points={},
        )


def test_the_leader_records_the_interview(org):
    interview = _evaluate(org, {**DEFAULT, "전체만족": 0, "종료인사": 0}).interview
    with pytest.raises(PermissionDenied):
        courtesy.interview_record(
            staff=org.other_leader,
            interview=interview,
            held_on=date(2026, 11, 25),
            content="응대 녹취를 함께 들음",
            actions="종료 인사 빠짐없이",
            reevaluation_on=date(2026, 12, 21),
        )
    with pytest.raises(services.SurveyError, match="재평가일"):
        courtesy.interview_record(
            staff=org.leader,
            interview=interview,
            held_on=date(2026, 11, 25),
            content="응대 녹취를 함께 들음",
            actions="종료 인사 빠짐없이",
            reevaluation_on=date(2026, 11, 24),
        )
    courtesy.interview_record(
        staff=org.leader,
        interview=interview,
        held_on=date(2026, 11, 25),
        content="응대 녹취를 함께 들음",
        actions="종료 인사 빠짐없이",
        reevaluation_on=date(2026, 12, 21),
    )
    interview.refresh_from_db()
    assert (interview.held_on, interview.reevaluation_on) == (
        date(2026, 11, 25),
        date(2026, 12, 21),
    )


def test_the_evaluation_form_keeps_input_on_error(org, login):
    client = login(org.cs_admin)
    sheet = courtesy.default_sheet()
    first = sheet.items.order_by("order").first()
    page = client.post(
        "/staff/courtesy/new/",
        {
            "staff": org.member.pk,
            "evaluated_on": "2026-11-23",
            "scenario": "전입신고 문의",
            f"item{first.pk}": "12",
        },
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "배점(10점)을 넘을 수 없습니다." in body
    assert "전입신고 문의" in body
