"""Citizen pages in headless Chromium: Korean, no console errors, no request leaving
127.0.0.1, and no serious or critical axe-core finding."""

import pytest
from selenium.webdriver.common.by import By

from citizens import services
from tests.browser import axe_violations, console_errors, foreign_requests, log_in, requested_urls
from tests.factories import CitizenFactory, FlagFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_pages_render_cleanly(driver, live_server, client, org):
    citizen = CitizenFactory(name="김민수", phone="01012345678", email="kim@example.com")
    FlagFactory(citizen=citizen, set_by=org.leader)
    services.contact_add(citizen_id=citizen.pk, kind="call", summary="전화 상담", channel="phone")
    CitizenFactory.create_batch(3)
    log_in(driver, live_server, client, org.leader.user)
    for path, heading in [
        ("/staff/citizens/", "고객 목록"),
        (f"/staff/citizens/{citizen.pk}/", "김*수"),
        ("/staff/citizens/segments/", "고객집단별 현황"),
        ("/staff/citizens/relationships/", "우호·기관고객"),
        ("/staff/citizens/relationships/import/", "우호·기관고객 일괄 등록"),
        ("/staff/citizens/new/", "고객 등록"),
        ("/staff/citizens/duplicates/", "중복 의심 고객"),
    ]:
        driver.get_log("performance")  # drop what earlier pages logged
        driver.get(f"{live_server.url}{path}")
        assert heading in driver.find_element(By.TAG_NAME, "h1").text, path
        assert driver.execute_script("return document.documentElement.lang") == "ko"
        assert console_errors(driver) == [], path
        assert foreign_requests(requested_urls(driver)) == [], path
        assert axe_violations(driver) == [], path
