"""Stored scores, the pages that read them (fixed query counts), equity gaps and the
weekly drop notice."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from complaints import workflow
from pcrm.lib.periods import Period
from pcrm.notify.models import StaffNotification
from scorecards import equity, indicators, services
from scorecards.models import PeriodScore
from surveys import courtesy
from tests.factories import CategoryFactory, CitizenFactory, TeamFactory, file_complaint
from tests.surveys.conftest import KST, weigh_only

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 10, tzinfo=KST)


def _evaluate(org, staff, total_points_each, on):
    sheet = courtesy.default_sheet()
    return courtesy.courtesy_evaluate(
        evaluator=org.cs_admin,
        staff=staff,
        sheet=sheet,
        evaluated_on=on,
        scenario="문의",
        points={
            item.pk: Decimal(item.max_points) * total_points_each for item in sheet.items.all()
        },
    )


@pytest.fixture
def stored(org):
    """Courtesy evaluations give both teams a score; the job stores this month's cards.
    Phone courtesy carries most of the weight here, so that it alone makes a composite
    (with the default weights a team needs data for half of them)."""
    weigh_only(org.cs_admin, courtesy=60, same_day=40)
    _evaluate(org, org.member, Decimal("0.9"), date(2026, 11, 10))
    _evaluate(org, org.other_member, Decimal("0.7"), date(2026, 11, 11))
    with time_machine.travel(NOW, tick=False):
        services.scorecards_refresh()
    return "2026-11"


def test_the_job_stores_ranked_cards_for_each_kind_of_period(org, stored):
    periods = set(PeriodScore.objects.values_list("period", flat=True))
    assert {"2026-11", "2026-10", "2026-Q4", "2026-Q3", "2026-H2", "2026-H1"} <= periods
    first = PeriodScore.objects.get(period=stored, team=org.team)
    second = PeriodScore.objects.get(period=stored, team=org.other_team)
    assert (first.rank, second.rank) == (1, 2)
    assert first.values["courtesy"]["value"] == 90.0
    assert first.values["courtesy"]["org"] == 80.0


@pytest.mark.parametrize("extra_teams", [0, 8])
def test_org_view_query_count_is_fixed(login, org, stored, django_assert_num_queries, extra_teams):
    for _n in range(extra_teams):
        TeamFactory(department=org.team.department)
    with time_machine.travel(NOW, tick=False):
        services.scorecards_refresh()
    client = login(org.cs_admin)
    # 1 session user with staff, 2 the month's periods, 3 the cards with teams and
    # departments, 4 the teams whose card this user may open, 5 unread notifications
    with django_assert_num_queries(6):  # + the session read
        response = client.get("/staff/scorecards/", {"period": stored})
    body = response.content.decode()
    assert org.team.name in body and "org-chart-data" in body


def test_a_leader_is_offered_only_the_team_cards_that_open(login, org, stored):
    import re

    client = login(org.leader)
    body = client.get("/staff/scorecards/", {"period": stored}).content.decode()
    assert org.other_team.name in body  # ranked with the others
    links = re.findall(r'href="(/staff/scorecards/teams/\d+/[^"]*)"', body)
    assert links == [f"/staff/scorecards/teams/{org.team.pk}/?period={stored}"]
    assert all(client.get(link.replace("&amp;", "&")).status_code == 200 for link in links)
    admin = login(org.cs_admin).get("/staff/scorecards/", {"period": stored}).content.decode()
    assert f"/staff/scorecards/teams/{org.other_team.pk}/" in admin


def test_team_card_shows_the_difference_to_the_organisation(login, org, stored):
    page = login(org.member).get(f"/staff/scorecards/teams/{org.team.pk}/", {"period": stored})
    body = page.content.decode()
    assert page.status_code == 200
    assert "전화친절도 평균" in body and "90.0" in body and "+10.0" in body
    assert "trend-chart-data" in body
    other = login(org.member).get(f"/staff/scorecards/teams/{org.other_team.pk}/")
    assert other.status_code == 404


@pytest.mark.parametrize("calls", [0, 12])
def test_dashboard_query_count_is_fixed(login, org, stored, django_assert_num_queries, calls):
    from surveys.models import Call

    for n in range(calls):
        Call.objects.create(
            kind="catch",
            reason="low_rating",
            source=f"dash:{n}",
            citizen=CitizenFactory(),
            team=org.team,
            assignee=org.leader,
            list_date=date(2026, 11, 23),
            due_at=NOW,
        )
    client = login(org.leader)
    # 1 session user, 2-4 the board (stats, at risk, overdue), 5 vulnerable open
    # complaints, 6 open calls, 7 interviews due, 8 the month's cards, 9 the shortcuts'
    # count of flags due for review, 10 notifications
    with (
        time_machine.travel(NOW, tick=False),
        django_assert_num_queries(11),  # + the session read
    ):
        response = client.get("/staff/dashboard/")
    assert response.status_code == 200
    assert "dash-trend-data" in response.content.decode()


def test_weights_page_keeps_input_and_says_what_is_wrong(login, org):
    client = login(org.cs_admin)
    data = {code: str(weight) for code, weight in indicators.DEFAULT_WEIGHTS.items()}
    data["external"] = str(indicators.DEFAULT_WEIGHTS["external"] + 5)  # 15
    page = client.post("/staff/scorecards/weights/", data)
    body = page.content.decode()
    assert "가중치의 합은 100이어야 합니다. 지금 합은 105" in body
    assert 'value="15"' in body
    data["internal"] = str(indicators.DEFAULT_WEIGHTS["internal"] - 5)
    assert client.post("/staff/scorecards/weights/", data).status_code == 302
    assert indicators.weights()["external"] == Decimal(15)


def test_export_lists_every_team(login, org, stored):
    import io

    from openpyxl import load_workbook

    response = login(org.cs_admin).get("/staff/scorecards/export.xlsx", {"period": stored})
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=4)]
    assert names == [org.team.name, org.other_team.name, "기관 전체"]


def test_a_drop_is_told_to_the_leader_once(org):
    monday = date(2026, 11, 23)
    previous = (monday - timedelta(weeks=1)).isoformat()
    PeriodScore.objects.create(
        team=org.team,
        period=previous,
        kind="week",
        start=monday - timedelta(weeks=14),
        values={"courtesy": {"points": 90.0, "value": 90.0, "n": 1}},
    )
    _evaluate(org, org.member, Decimal("0.6"), date(2026, 11, 2))  # 60 points this week
    with time_machine.travel(NOW, tick=False):
        assert services.snapshot_week() == 1
        assert services.snapshot_week() == 0
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        assert services.snapshot_week() == 0  # the same week
    notice = StaffNotification.objects.get(staff=org.leader, key__startswith="score-drop:")
    assert "전화친절도 평균" in notice.text and "30.0" in notice.text


def test_equity_gaps_by_vulnerability(org):
    """Five vulnerable citizens' complaints take 4 working hours, twenty others' 1 hour:
    the vulnerable group's processing time is meaningfully above the whole."""
    category = CategoryFactory(team=org.team, period="10d", same_day_target=False)
    vulnerable = [CitizenFactory(vulnerable=True) for _n in range(5)]
    others = [CitizenFactory() for _n in range(20)]
    for citizens, hours in ((vulnerable, 4), (others, 1)):
        for citizen in citizens:
            with time_machine.travel(datetime(2026, 11, 16, 9, tzinfo=KST), tick=False):
                complaint, _s = file_complaint(category, phone=citizen.phone, name=citizen.name)
            assert complaint.citizen_id == citizen.pk
            when = datetime(2026, 11, 16, 9 + hours + (1 if hours >= 3 else 0), tzinfo=KST)
            with time_machine.travel(when, tick=False):
                workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
                workflow.start(staff=org.member, complaint=complaint)
                workflow.record_intent(staff=org.member, complaint=complaint, note="확인")
                workflow.answer(staff=org.member, complaint=complaint, text="처리")
    services.rollup_refresh(start=date(2026, 11, 16), end=date(2026, 11, 17))
    result = {
        dimension: (gaps, overall)
        for dimension, _l, gaps, overall in equity.equity(Period.parse("2026-11"))
    }
    gaps, overall = result["vulnerable"]
    by_segment = {gap.segment: gap for gap in gaps}
    assert overall["hours"].value == pytest.approx((5 * 4 + 20 * 1) / 25)  # 1.6
    yes = by_segment["yes"].measures["hours"]
    assert (yes.n, yes.value, yes.meaningful) == (5, 4.0, True)
    no = by_segment["no"].measures["hours"]
    assert (no.n, no.value) == (20, 1.0) and no.meaningful is True
    assert by_segment["yes"].measures["on_time"].value == 1.0


def test_the_dashboard_leads_with_the_figures_beside_the_organisation_and_last_month(
    login, org, stored
):
    with time_machine.travel(NOW, tick=False):
        page = login(org.leader).get("/staff/dashboard/").content.decode()
    figures = page[page.index('class="pcrm-kpis"') : page.index("</ul>", page.index("pcrm-kpis"))]
    for label in (
        "당일처리율",
        "기한 내 처리율",
        "민원 처리 만족도",
        "전화친절도 평균",
        "기한 초과 건수",
    ):
        assert label in figures
    # courtesy: the team 90.0 against the organisation's 80.0; October had no evaluation
    courtesy = figures[figures.index("전화친절도 평균") :]
    assert "90.0" in courtesy and "기관 평균 80.0" in courtesy and "(더 좋음)" in courtesy
    assert page.index("pcrm-kpis") < page.index("오늘 처리 현황")  # the figures come first
