"""The inbox, a complaint page and the same-day board in headless Chromium (htmx loaded):
no console errors, nothing fetched from outside 127.0.0.1, no serious axe-core finding."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser import axe_violations, console_errors, foreign_requests, log_in, requested_urls
from tests.factories import file_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_complaint_pages_render_cleanly(driver, live_server, client, org, category):
    complaint = file_complaint(category, title="보도블록 파손")[0]
    file_complaint(category, phone="01099990000", title="가로등 고장")
    log_in(driver, live_server, client, org.leader)
    for path, heading in [
        ("/staff/complaints/?tab=team", "민원함"),
        (f"/staff/complaints/{complaint.pk}/", complaint.receipt_number),
        ("/staff/complaints/today/", "당일처리 현황판"),
        (f"/staff/complaints/{complaint.pk}/act/assign/", "담당자 배정"),
        ("/staff/notifications/", "알림"),
    ]:
        driver.get_log("performance")
        driver.get(f"{live_server.url}{path}")
        assert heading in driver.find_element(By.TAG_NAME, "h1").text, path
        assert console_errors(driver) == [], path
        assert foreign_requests(requested_urls(driver)) == [], path
        assert axe_violations(driver) == [], path
        if "tab=" in path or "today" in path:  # the pages that refresh themselves
            assert driver.execute_script("return typeof htmx") == "object", path
