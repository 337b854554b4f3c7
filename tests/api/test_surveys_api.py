"""/api/v1/surveys/campaigns/ and /api/v1/scorecards/: aggregates only, small groups
without figures, scorecards as stored."""

from datetime import date

import pytest

from scorecards.models import PeriodScore
from surveys import selectors, services
from tests.factories import CampaignFactory, make_questionnaire

pytestmark = pytest.mark.django_db


def _respond(campaign, team, value):
    questions = selectors.questions_of(campaign)
    services.response_store(
        campaign=campaign,
        team_id=team.pk,
        channel="web",
        questions=questions,
        answers={questions[0].pk: value},
        invitation=None,
        complaint_id=None,
        at=None,
    )


@pytest.fixture
def campaign(org):
    campaign = CampaignFactory(
        kind="external",
        questionnaire=make_questionnaire(questions=[("likert5", "kindness", "친절")]),
    )
    for value in (1, 2, 3, 4, 5):
        _respond(campaign, org.team, value)
    for value in (5, 4):
        _respond(campaign, org.other_team, value)
    return campaign


def test_campaign_list_uses_fixed_queries(org, api, campaign, django_assert_num_queries):
    client = api(org.member)
    client.get("/api/v1/surveys/campaigns/")
    # 1 user with staff profile, 2 count, 3 the page with response counts
    with django_assert_num_queries(4):  # + the session read
        rows = client.get("/api/v1/surveys/campaigns/").json()["results"]
    assert [(row["id"], row["responses"]) for row in rows] == [(campaign.pk, 7)]
    CampaignFactory.create_batch(4)
    with django_assert_num_queries(4):  # + the session read
        assert client.get("/api/v1/surveys/campaigns/").json()["count"] == 5


def test_results_hide_groups_under_five(org, api, campaign):
    body = api(org.member).get(f"/api/v1/surveys/campaigns/{campaign.pk}/results/").json()
    assert body["responses"] == 7 and body["minimum_group"] == 5
    rows = {row["label"]: row["cells"][0] for row in body["rows"]}
    assert rows[org.team.name]["mean"] == 50.0 and rows[org.team.name]["n"] == 5
    assert rows[org.other_team.name] == {
        "dimension": "total",
        "n": 2,
        "mean": None,
        "low": None,
        "high": None,
    }
    assert rows["기관 전체"]["n"] == 7


def _score(team, period="2026-10", rank=None, composite=None):
    return PeriodScore.objects.create(
        team=team,
        period=period,
        kind="month",
        start=date(2026, 10, 1),
        composite=composite,
        rank=rank,
        grade="나" if rank else "",
        values={"courtesy": {"n": 3, "value": 90.0}},
    )


def test_scorecards_of_a_period_ranked(org, api):
    _score(org.team, rank=2, composite=70)
    _score(org.other_team, rank=1, composite=80)
    _score(None, composite=75)
    rows = api(org.leader).get("/api/v1/scorecards/", {"period": "2026-10"}).json()
    assert [row["team"] and row["team"]["id"] for row in rows] == [
        org.other_team.pk,
        org.team.pk,
        None,
    ]
    assert rows[0]["composite"] == 80.0 and rows[0]["values"]["courtesy"]["n"] == 3
    # a member sees their own team's and the organisation's figures only
    own = api(org.member).get("/api/v1/scorecards/").json()  # the latest stored month
    assert [row["team"] and row["team"]["id"] for row in own] == [org.team.pk, None]


def test_scorecard_queries_do_not_grow(org, api, django_assert_num_queries):
    client = api(org.leader)
    _score(org.team, rank=1)
    client.get("/api/v1/scorecards/", {"period": "2026-10"})
    # 1 user with staff profile, 2 the period's rows with their teams
    with django_assert_num_queries(3):  # + the session read
        assert len(client.get("/api/v1/scorecards/", {"period": "2026-10"}).json()) == 1
    _score(org.other_team, rank=2)
    _score(None)
    with django_assert_num_queries(3):  # + the session read
        assert len(client.get("/api/v1/scorecards/", {"period": "2026-10"}).json()) == 3


def test_another_teams_scorecard_is_hidden_from_a_member(org, api):
    other = _score(org.other_team, rank=1)
    assert api(org.member).get(f"/api/v1/scorecards/{other.pk}/").status_code == 404
    assert api(org.leader).get(f"/api/v1/scorecards/{other.pk}/").status_code == 200


def test_a_malformed_period_is_explained(org, api):
    response = api(org.leader).get("/api/v1/scorecards/", {"period": "지난달"})
    assert response.status_code == 400
    assert response.json()["errors"]["period"] == [
        "기간은 2026-11, 2026-Q4, 2026-H2 꼴로 적으세요."
    ]
