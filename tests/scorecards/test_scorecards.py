"""Scorecards: periods, the handling rollups against hand-computed values (working hours
and same-day targets across a holiday), weights, ranks, grades, small groups."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from complaints import workflow
from complaints.selectors import handling_facts
from pcrm.lib.periods import Period
from pcrm.org.calendar import organisation_calendar
from scorecards import indicators, services
from scorecards.indicators import Value
from scorecards.models import TeamDay
from surveys import courtesy, selectors
from surveys import services as survey_services
from tests.factories import CategoryFactory, file_complaint
from tests.surveys.conftest import KST, weigh_only

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=KST)


def _answer(org, complaint, when):
    with time_machine.travel(when, tick=False):
        workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
        workflow.start(staff=org.member, complaint=complaint)
        workflow.answer(staff=org.member, complaint=complaint, text="처리했습니다.")


@pytest.fixture
def christmas(org):
    """Two same-day complaints around Christmas 2026 (Friday), answered on Monday."""
    category = CategoryFactory(team=org.team, period="3d", same_day_target=True)
    with time_machine.travel(at("2026-12-24T17:00"), tick=False):
        late_in_day, _s = file_complaint(category, phone="01011110001")
    with time_machine.travel(at("2026-12-24T19:00"), tick=False):
        after_hours, _s = file_complaint(category, phone="01011110002")
    _answer(org, late_in_day, at("2026-12-28T10:00"))
    _answer(org, after_hours, at("2026-12-28T10:00"))
    return late_in_day, after_hours


def test_rollups_count_working_hours_and_same_day_targets_across_a_holiday(org, christmas):
    services.rollup_refresh(start=date(2026, 12, 24), end=date(2026, 12, 29))
    thursday = TeamDay.objects.get(team=org.team, day=date(2026, 12, 24))
    # 17:00 is due the same day (missed); 19:00 is after hours: due Monday, the next
    # working day after Christmas and the weekend (met at 10:00)
    assert (thursday.received, thursday.same_day_eligible, thursday.same_day_met) == (2, 2, 1)
    monday = TeamDay.objects.get(team=org.team, day=date(2026, 12, 28))
    # Thu 17-18 + Mon 9-10 = 2 h, and Mon 9-10 = 1 h: 180 working minutes
    assert (monday.answered, monday.answered_on_time, monday.processing_minutes) == (2, 2, 180)
    assert not TeamDay.objects.filter(day=date(2026, 12, 25)).exists()  # nothing happened


def test_rollups_kept_by_the_job_equal_a_recomputation_from_scratch(org, christmas, settings):
    settings.ROLLUP_DAYS_BACK = 7
    for moment in ("2026-12-24T18:30", "2026-12-26T09:00", "2026-12-28T12:00", "2026-12-29T08:00"):
        with time_machine.travel(at(moment), tick=False):
            services.rollup_recent()
    kept = set(
        TeamDay.objects.values_list(
            "team_id", "day", "received", "same_day_met", "answered", "processing_minutes"
        )
    )
    TeamDay.objects.all().delete()
    services.rollup_refresh(start=date(2026, 12, 20), end=date(2026, 12, 30))
    fresh = set(
        TeamDay.objects.values_list(
            "team_id", "day", "received", "same_day_met", "answered", "processing_minutes"
        )
    )
    assert kept == fresh and kept


def test_facts_leave_out_the_time_a_supplement_request_stopped_the_clock(org):
    category = CategoryFactory(team=org.team, period="10d", same_day_target=False)
    with time_machine.travel(at("2026-11-23T09:00"), tick=False):
        complaint, _s = file_complaint(category)
        workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
        workflow.start(staff=org.member, complaint=complaint)
    with time_machine.travel(at("2026-11-23T11:00"), tick=False):
        workflow.request_supplement(staff=org.member, complaint=complaint, note="서류 보완")
    with time_machine.travel(at("2026-11-24T11:00"), tick=False):
        workflow.resume(staff=org.member, complaint=complaint)
    with time_machine.travel(at("2026-11-24T14:00"), tick=False):
        workflow.answer(staff=org.member, complaint=complaint, text="처리했습니다.")
    start = at("2026-11-24T00:00")
    facts = handling_facts(start, start + timedelta(days=1), organisation_calendar())
    # Mon 9-11 worked (2 h), paused Mon 11 - Tue 11, Tue 11-12 and 13-14 worked (2 h)
    assert facts[org.team.pk].processing_minutes == 240


def test_withdrawn_complaints_count_apart_neither_answered_nor_missed(client, login, org):
    """취하 online by the citizen: counted as withdrawn on its day, out of the same-day
    rate (no answer was due), not answered; the team's page says so."""
    category = CategoryFactory(team=org.team, period="3d", same_day_target=True)
    with time_machine.travel(at("2026-11-23T10:00"), tick=False):
        kept, _s = file_complaint(category, phone="01011110001")
        _withdrawn, secret = file_complaint(category, phone="01011110002")
    with time_machine.travel(at("2026-11-23T11:00"), tick=False):
        client.post(
            f"/complaints/track/{secret}/withdraw/", {"reason": "해결됨", "confirmed": "on"}
        )
    _answer(org, kept, at("2026-11-23T15:00"))
    services.rollup_refresh(start=date(2026, 11, 23), end=date(2026, 11, 24))
    day = TeamDay.objects.get(team=org.team, day=date(2026, 11, 23))
    assert (day.received, day.withdrawn, day.answered) == (2, 1, 1)
    assert (day.same_day_eligible, day.same_day_met) == (1, 1)  # 100 %, not 50 %
    with time_machine.travel(at("2026-12-02T09:00"), tick=False):
        services.scorecards_refresh()
        page = login(org.leader).get(
            f"/staff/scorecards/teams/{org.team.pk}/", {"period": "2026-11"}
        )
    assert "접수 2건 · 답변 1건 · 취하 1건" in page.content.decode()


def test_weights_must_sum_to_one_hundred(org):
    values = dict(indicators.DEFAULT_WEIGHTS)
    assert sum(values.values()) == 100
    with pytest.raises(PermissionDenied):
        indicators.weights_save(staff=org.leader, values=values)
    values["external"] -= 1
    with pytest.raises(indicators.WeightError, match="99"):
        indicators.weights_save(staff=org.cs_admin, values=values)
    values["internal"] += 1
    indicators.weights_save(staff=org.cs_admin, values=values)
    assert indicators.weights()["external"] == Decimal(indicators.DEFAULT_WEIGHTS["external"] - 1)
    with pytest.raises(indicators.WeightError):
        indicators.weights_save(staff=org.cs_admin, values={"external": 100})


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    ranks = indicators.competition_ranks({"a": 90.0, "b": 80.0, "c": 80.0, "d": 70.0, "e": None})
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


@pytest.mark.parametrize(
    ("rank", "grade"),
    [(1, "가"), (2, "나"), (3, "나"), (4, "다"), (7, "다"), (8, "라"), (9, "라"), (10, "마")],
)
def test_grade_bands_at_their_boundaries(rank, grade):
    assert indicators.grade_for(rank, 10) == grade


def test_small_groups_show_no_number_and_rates_carry_an_interval():
    indicator = indicators.BY_CODE["on_time"]
    assert indicators.rate_value(indicator, 3, 4).value is None
    value = indicators.rate_value(indicator, 8, 10)
    assert value.value == pytest.approx(0.8)
    # Wilson 95 % interval for 8 of 10
    assert (value.low, value.high) == (
        pytest.approx(0.4902, abs=1e-4),
        pytest.approx(0.9433, abs=1e-4),
    )


def test_composite_weights_the_points_of_indicators_with_data():
    values = {code: Value(n=0, value=None) for code in indicators.BY_CODE}
    values["external"] = Value(n=10, value=80.0, points=80.0)
    values["on_time"] = Value(n=10, value=0.5, points=50.0)
    weighting = {code: Decimal(0) for code in indicators.BY_CODE}
    weighting.update(external=Decimal(60), on_time=Decimal(40))
    assert indicators.composite(values, weighting) == (68.0, True)
    weighting["courtesy"] = Decimal(10)  # no evaluations: left out, and said so
    assert indicators.composite(values, weighting) == (68.0, False)


def test_board_ranks_teams_against_the_organisation(org, christmas, django_assert_num_queries):

    from tests.factories import CampaignFactory, make_questionnaire

    campaign = CampaignFactory(
        kind="external",
        questionnaire=make_questionnaire(questions=[("likert5", "overall", "만족")]),
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 12, 31),
    )
    for team, values in ((org.team, [5] * 6), (org.other_team, [1, 2, 1, 2, 1, 2])):
        for value in values:
            survey_services.response_store(
                campaign=campaign,
                team_id=team.pk,
                channel="web",
                questions=selectors.questions_of(campaign),
                answers={selectors.questions_of(campaign)[0].pk: value},
                invitation=None,
                complaint_id=None,
                at=None,
            )
    services.rollup_refresh(start=date(2026, 12, 1), end=date(2027, 1, 1))
    weigh_only(org.cs_admin, external=60, same_day=40)
    period = Period.parse("2026-H2")
    with django_assert_num_queries(12):  # a grouped query per source, whatever the volume
        cards, organisation = services.board(period, now=at("2027-01-05T10:00"))
    first, second = cards
    assert (first.team, first.rank, second.team, second.rank) == (org.team, 1, org.other_team, 2)
    external = first.values["external"]
    assert (external.n, external.value, external.org) == (6, 100.0, pytest.approx(56.25))
    assert external.meaningful is True  # six answers of 100 against 56.25
    low = second.values["external"]
    assert low.value == pytest.approx(12.5) and low.meaningful is True
    assert organisation["external"].n == 12
    assert first.values["same_day"].value is None  # two receipts: fewer than five


def test_every_indicator_from_a_hand_built_month(org, category):
    """November 2026 for one team, every number worked out by hand."""
    from complaints.models import Complaint
    from complaints.services import complaint_rate
    from surveys.models import LeaderInterview
    from tests.factories import CampaignFactory, make_questionnaire

    def respond(kind, values, at=None, on=date(2026, 11, 30)):
        campaign = CampaignFactory(
            kind=kind,
            questionnaire=make_questionnaire(questions=[("likert5", "overall", "만족")]),
            starts_on=date(2026, 11, 1),
            ends_on=on,
        )
        question = selectors.questions_of(campaign)[0]
        for value in values:
            survey_services.response_store(
                campaign=campaign,
                team_id=org.team.pk,
                channel="web",
                questions=[question],
                answers={question.pk: value},
                invitation=None,
                complaint_id=None,
                at=at,
            )

    respond("internal", [5, 5, 4, 4, 3])  # 100, 100, 75, 75, 50 -> 80
    respond("cooperation", [3, 3, 3, 3, 3])  # 50
    respond("happy_call", [2, 2, 2, 2, 4], at=at("2026-11-20T10:00"))  # 25 x4, 75 -> 35
    complaints = []
    with time_machine.travel(at("2026-11-02T10:00"), tick=False):
        for n in range(6):
            complaints.append(file_complaint(category, phone=f"0103000{n:04d}")[0])
    for complaint, rating in zip(complaints, [5, 5, 5, 4, 1], strict=False):  # 100x3, 75, 0
        complaint_rate(complaint_id=complaint.pk, rating=rating, at=at("2026-11-10T10:00"))
    # two of the six are linked as duplicates; all six are open, four past their deadline
    Complaint.objects.filter(pk__in=[c.pk for c in complaints[:2]]).update(
        duplicate_of=complaints[5]
    )
    Complaint.objects.filter(pk__in=[c.pk for c in complaints[:4]]).update(
        due_at=at("2026-11-20T18:00")
    )
    Complaint.objects.filter(pk__in=[c.pk for c in complaints[4:]]).update(
        due_at=at("2026-11-30T18:00")
    )
    evaluation = courtesy.courtesy_evaluate(
        evaluator=org.cs_admin,
        staff=org.member,
        sheet=courtesy.default_sheet(),
        evaluated_on=date(2026, 11, 3),
        scenario="문의",
        points={i.pk: i.max_points // 2 for i in courtesy.default_sheet().items.all()},
    )
    interview = LeaderInterview.objects.get(evaluation=evaluation)  # 49 points -> interview
    interview.held_on = interview.due_on  # on time, just
    interview.save()
    from complaints.models import QAItem

    QAItem.objects.create(
        category=category,
        team=org.team,
        question="질문",
        answer="답변",
        state="approved",
        proposed_by=org.member,
        decided_by=org.leader,
        decided_at=at("2026-11-12T10:00"),
    )
    services.rollup_refresh(start=date(2026, 11, 1), end=date(2026, 12, 1))

    values = services.indicator_values(Period.parse("2026-11"), now=at("2026-11-25T10:00"))
    team = values[org.team.pk]
    assert team["internal"].value == 80
    assert team["cooperation"].value == 50
    assert team["happy_call"].value == 35
    assert team["post_complaint"].value == 75  # (100 * 3 + 75 + 0) / 5
    assert (team["repeated"].n, team["repeated"].value) == (6, pytest.approx(2 / 6))
    assert team["repeated"].points == pytest.approx(100 * 4 / 6)
    assert team["overdue"].value == 4
    assert team["courtesy"].value == 49  # half of each item, rounded down: 7 x 5 + 7 + 2 + 5
    assert (team["interviews"].n, team["interviews"].value) == (1, 1.0)
    assert team["external"].value is None and team["external"].n == 0
    # one approved Q&A item of the two a month that earn full points
    assert (team["qa_items"].value, team["qa_items"].points) == (1, 50)


def test_the_rebuild_command_recomputes_a_range(org, christmas, capsys):
    from django.core.management import call_command

    call_command("scorecards_rebuild", "--since", "2026-12-20", "--until", "2026-12-31")
    assert TeamDay.objects.filter(team=org.team, day=date(2026, 12, 28)).get().answered == 2
    assert "stored scores" in capsys.readouterr().out
