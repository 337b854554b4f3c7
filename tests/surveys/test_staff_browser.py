"""The leader's dashboard, the team scorecard, the ranking, the equity page and survey
results in headless Chromium: charts drawn, no console errors, nothing fetched from
outside, no serious axe-core finding."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from selenium.webdriver.common.by import By

from scorecards import services
from surveys import courtesy
from tests.browser import axe_violations, console_errors, foreign_requests, log_in, requested_urls
from tests.surveys.conftest import weigh_only

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scores(org):
    weigh_only(org.cs_admin, courtesy=60, same_day=40)
    sheet = courtesy.default_sheet()
    for staff, share, on in (
        (org.member, "0.9", date(2026, 10, 5)),
        (org.member, "0.8", date(2026, 11, 5)),
        (org.other_member, "0.7", date(2026, 11, 6)),
    ):
        courtesy.courtesy_evaluate(
            evaluator=org.cs_admin,
            staff=staff,
            sheet=sheet,
            evaluated_on=on,
            scenario="문의",
            points={i.pk: Decimal(i.max_points) * Decimal(share) for i in sheet.items.all()},
        )
    services.scorecards_refresh()


def _clean(driver, live_server, path, heading, *, charts=0):
    driver.get_log("performance")
    driver.get(f"{live_server.url}{path}")
    assert heading in driver.find_element(By.TAG_NAME, "h1").text, path
    assert console_errors(driver) == [], path
    assert foreign_requests(requested_urls(driver)) == [], path
    assert axe_violations(driver) == [], path
    drawn = driver.execute_script(
        "return [...document.querySelectorAll('canvas[data-chart]')]"
        ".filter(c => window.Chart && Chart.getChart(c)).length"
    )
    assert drawn == charts, path


def test_leader_pages_render_with_charts(driver, live_server, client, org):
    import time_machine

    from tests.surveys.conftest import KST

    # the clock runs on from a fixed Monday, for the server thread as for the test
    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=KST), tick=True):
        _scores(org)
        log_in(driver, live_server, client, org.leader)
        _clean(driver, live_server, "/staff/dashboard/", "팀장 대시보드", charts=1)
        _clean(
            driver,
            live_server,
            f"/staff/scorecards/teams/{org.team.pk}/?period=2026-11",
            "성과",
            charts=1,
        )
        _clean(driver, live_server, "/staff/scorecards/?period=2026-11", "팀 성과 순위", charts=1)
        _clean(driver, live_server, "/staff/scorecards/equity/?period=2026-11", "공평성")
