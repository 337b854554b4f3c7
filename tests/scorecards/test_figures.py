"""Figures that say what they seem to: an organisation's count is the teams' average, a
team without enough data gets "자료 부족" rather than 0.0 and the last grade, intervals
stay on their scale, segments and periods are named, the picker offers a year."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from pcrm.lib.periods import Period
from scorecards import equity, indicators, selectors, services
from scorecards.indicators import BY_CODE, DEFAULT_WEIGHTS, Value
from tests.factories import CategoryFactory, file_complaint
from tests.surveys.conftest import KST

pytestmark = pytest.mark.django_db
FILED = datetime(2026, 11, 2, 10, tzinfo=KST)


def test_the_organisation_figure_of_a_count_is_the_teams_average(org, category):
    other = CategoryFactory(team=org.other_team, name="가로등 고장", period="3d")
    with time_machine.travel(FILED, tick=False):
        for n in range(2):
            file_complaint(category, phone=f"0101111{n:04d}")
        for n in range(4):
            file_complaint(other, phone=f"0102222{n:04d}")
    later = FILED + timedelta(days=10)
    with time_machine.travel(later, tick=False):
        services.rollup_recent(now=later)
        values = services.indicator_values(Period.parse("2026-11"), now=later)
    assert values[org.team.pk]["overdue"].value == 2
    assert values[org.other_team.pk]["overdue"].value == 4
    assert values[None]["overdue"].value == 3  # 6 in all, over two teams
    assert values[org.team.pk]["overdue"].org == 3


def _values(**points) -> dict[str, Value]:
    values = {code: Value(n=0, value=None) for code in DEFAULT_WEIGHTS}
    for code, given in points.items():
        values[code] = Value(n=10, value=given, points=given)
    return values


def test_too_little_data_is_no_score_rather_than_zero():
    weights = {code: Decimal(w) for code, w in DEFAULT_WEIGHTS.items()}
    assert sum(weights.values()) == 100
    # a team that only has the Q&A count (nothing contributed): 5 % of the weight
    assert indicators.composite(_values(qa_items=0.0), weights) == (None, False)
    # 45 % of the weight: still too little
    few = _values(external=80.0, internal=80.0, cooperation=80.0, post_complaint=80.0, overdue=0)
    assert indicators.composite(few, weights) == (None, False)
    # half of the weight: a score, marked incomplete
    half = _values(
        external=80.0, internal=80.0, cooperation=80.0, post_complaint=80.0, same_day=60.0
    )
    assert indicators.composite(half, weights) == (76.0, False)


def test_intervals_stay_on_their_scale():
    # five answers of 100 and one of 98: the unbounded interval would reach 100.5
    near_top = indicators.mean_value(BY_CODE["external"], 6, 598.0, 5 * 100.0**2 + 98.0**2)
    assert near_top.high == 100.0 and near_top.low < near_top.value <= 100.0
    # five answers in six minutes and one in two hours: it would start below zero
    near_zero = indicators.mean_value(BY_CODE["processing_hours"], 6, 2.5, 5 * 0.01 + 4.0)
    assert near_zero.low == 0.0 and near_zero.high > near_zero.value
    spread = indicators.rate_value(BY_CODE["on_time"], 10, 10)
    assert spread.high <= 1.0


def test_segments_and_periods_have_names():
    assert equity._segment_labels()["language"]["vi"] == "베트남어"
    assert Period.parse("2026-11").label == "2026년 11월"
    assert Period.parse("2026-Q4").label == "2026년 4분기"
    assert Period.parse("2026-H1").label == "2026년 상반기"


def test_the_picker_offers_twelve_months_four_quarters_and_four_halves(org):
    now = datetime(2026, 12, 6, 10, tzinfo=KST)
    with time_machine.travel(now, tick=False):
        services.scores_refresh(now=now)
    months = selectors.periods("month")
    assert months[0] == "2026-12" and months[-1] == "2026-01" and len(months) == 12
    assert selectors.periods("quarter") == ["2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1"]
    assert selectors.periods("half") == ["2026-H2", "2026-H1", "2025-H2", "2025-H1"]
    # a second run redoes the current and the previous period only
    with time_machine.travel(now, tick=False):
        written = services.scores_refresh(now=now)
    teams_and_organisation = 2 + 1
    assert written == 3 * 2 * teams_and_organisation


def test_the_pages_open_on_the_newest_period_that_has_a_score(org):
    from datetime import date

    from scorecards.models import PeriodScore

    for period, composite in (("2026-12", None), ("2026-11", 71.5), ("2026-10", 70.0)):
        PeriodScore.objects.create(
            team=org.team,
            period=period,
            kind="month",
            start=date(2026, int(period[5:]), 1),
            composite=composite,
        )
    codes = ["2026-12", "2026-11", "2026-10"]
    assert selectors.newest_scored("month", codes) == "2026-11"
    PeriodScore.objects.update(composite=None)
    assert selectors.newest_scored("month", codes) == "2026-12"
    assert selectors.newest_scored("month", []) == ""
