"""The 100-point conversion, the 95 % interval and the small-group rule, by hand."""

import math

import pytest

from pcrm.lib.stats import summarise, t_quantile
from surveys import selectors, services
from surveys.models import DimensionScore, Question
from tests.factories import CampaignFactory, make_questionnaire

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "value", "score"),
    [
        ("likert5", 1, 0),
        ("likert5", 2, 25),
        ("likert5", 4, 75),
        ("likert5", 5, 100),
        ("likert7", 1, 0),
        ("likert7", 4, 50),
        ("likert7", 6, 83.33),
        ("likert7", 7, 100),
    ],
)
def test_likert_answers_convert_to_one_hundred_points(kind, value, score):
    assert float(Question(kind=kind).score(value)) == pytest.approx(score)


def test_yes_no_and_text_are_not_scored():
    assert Question(kind="yes_no").score(1) is None


@pytest.mark.parametrize(("df", "t"), [(1, 12.7062), (4, 2.7764), (9, 2.2622), (30, 2.0423)])
def test_t_quantiles_match_the_table(df, t):
    assert t_quantile(0.975, df) == pytest.approx(t, abs=1e-4)


def test_interval_matches_a_hand_computation():
    scores = [0, 25, 50, 75, 100]
    result = summarise(len(scores), sum(scores), sum(s * s for s in scores))
    sd = math.sqrt(sum((s - 50) ** 2 for s in scores) / 4)  # 39.5285
    half = 2.7764 * sd / math.sqrt(5)  # 49.08
    assert result.mean == 50
    assert result.sd == pytest.approx(sd)
    assert (result.low, result.high) == (
        pytest.approx(50 - half, abs=1e-3),
        pytest.approx(50 + half, abs=1e-3),
    )


def _respond(campaign, team, values):
    questions = selectors.questions_of(campaign)
    return services.response_store(
        campaign=campaign,
        team_id=team.pk,
        channel="web",
        questions=questions,
        answers=dict(zip([q.pk for q in questions], values, strict=False)),
        invitation=None,
        complaint_id=None,
        at=None,
    )


def test_results_per_team_and_dimension_with_small_groups_hidden(org, django_assert_num_queries):
    campaign = CampaignFactory(
        kind="external",
        questionnaire=make_questionnaire(
            questions=[("likert5", "kindness", "친절"), ("likert5", "speed", "신속")]
        ),
    )
    # team: five responses; kindness 1..5 -> 0, 25, 50, 75, 100; speed all 5 -> 100
    for value in (1, 2, 3, 4, 5):
        _respond(campaign, org.team, [value, 5])
    # other team: four responses, not shown on their own
    for value in (5, 5, 4, 4):
        _respond(campaign, org.other_team, [value, value])
    with django_assert_num_queries(3):  # per team, organisation, the team names
        results = selectors.campaign_results(campaign)
    assert [code for code, _label in results.dimensions] == [
        DimensionScore.TOTAL,
        "kindness",
        "speed",
    ]
    other, team, organisation = results.rows  # teams by name, then the organisation
    assert (other.label, team.label, organisation.team_id) == (
        org.other_team.name,
        org.team.name,
        None,
    )
    kindness = team.cells["kindness"]
    assert (kindness.n, kindness.summary.mean) == (5, 50)
    assert kindness.summary.low == pytest.approx(50 - 2.7764 * 39.5285 / math.sqrt(5), abs=1e-2)
    assert team.cells["speed"].summary.mean == 100
    # each response's total is the mean of its Likert scores: (0+100)/2 ... (100+100)/2
    assert team.cells[DimensionScore.TOTAL].summary.mean == 75
    assert all(not cell.shown and cell.n == 4 for cell in other.cells.values())
    assert organisation.cells["kindness"].n == 9
    assert organisation.cells["kindness"].shown


def test_results_page_and_export_show_only_aggregates(org, login):
    campaign = CampaignFactory(kind="external")
    for value in (1, 2, 3, 4):
        _respond(campaign, org.team, [value, value, 7, "의견"])
    page = login(org.member).get(f"/staff/surveys/{campaign.pk}/")
    body = page.content.decode()
    assert "응답 4건: 비공개" in body
    assert "의견" not in body  # free text is never listed
    export = login(org.member).get(f"/staff/surveys/{campaign.pk}/results.xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_questionnaire_in_use_is_frozen_and_changes_go_into_a_new_version(org, login):
    from surveys.models import Questionnaire

    campaign = CampaignFactory()
    used = campaign.questionnaire
    client = login(org.cs_admin)
    page = client.get(f"/admin/surveys/questionnaire/{used.pk}/change/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="title"' not in body  # read only
    assert 'name="questions-0-text"' not in body
    response = client.post(
        "/admin/surveys/questionnaire/",
        {"action": "new_version", "_selected_action": [used.pk]},
    )
    assert response.status_code == 302
    copy = Questionnaire.objects.get(code=used.code, version=2)
    assert [q.text for q in copy.questions.all()] == [q.text for q in used.questions.all()]
    editable = client.get(f"/admin/surveys/questionnaire/{copy.pk}/change/").content.decode()
    assert 'name="questions-0-text"' in editable
