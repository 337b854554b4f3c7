"""The login page and the staff home in headless Chromium: no console error, nothing
fetched from outside 127.0.0.1, KRDS styles and fonts applied, no serious axe finding."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from tests.browser import axe_violations, console_errors, foreign_requests, requested_urls
from tests.factories import PASSWORD, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assert_page_is_clean(driver, urls):
    assert console_errors(driver) == []
    assert urls, "the performance log recorded no request"
    assert foreign_requests(urls) == []
    assert axe_violations(driver) == []


def test_login_page_and_staff_home_render_cleanly(driver, live_server):
    StaffFactory(user__username="member", name="김서연")
    driver.get(f"{live_server.url}/accounts/login/")
    assert driver.find_element(By.TAG_NAME, "h1").text == "직원 로그인"
    assert driver.execute_script("return document.documentElement.lang") == "ko"
    font = driver.execute_script("return getComputedStyle(document.body).fontFamily")
    assert "Pretendard GOV" in font
    assert driver.execute_script(
        "return document.fonts.ready.then(() => document.fonts.check('16px \"Pretendard GOV\"'))"
    )
    _assert_page_is_clean(driver, requested_urls(driver))

    driver.find_element(By.ID, "id_username").send_keys("member")
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit].primary").click()
    WebDriverWait(driver, 10).until(expected_conditions.url_to_be(f"{live_server.url}/staff/"))
    assert "김서연님, 안녕하세요" in driver.find_element(By.TAG_NAME, "h1").text
    _assert_page_is_clean(driver, requested_urls(driver))

    # The skip link leads to the main content.
    skip = driver.find_element(By.CSS_SELECTOR, "#krds-skip-link a")
    assert skip.get_attribute("href").endswith("#main-content")
