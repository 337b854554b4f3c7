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


def test_a_mention_is_completed_from_the_suggestions(driver, live_server, client, org, category):
    """Typing "@" and the start of a name offers colleagues (htmx); choosing one completes
    the name; the note mentions them, and they are told."""
    from selenium.webdriver.support.ui import WebDriverWait

    from complaints import workflow
    from complaints.models import Mention
    from pcrm.notify.models import StaffNotification
    from tests.browser import click

    complaint = file_complaint(category)[0]
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    log_in(driver, live_server, client, org.member)
    driver.get(f"{live_server.url}/staff/complaints/{complaint.pk}/")
    text = driver.find_element(By.ID, "id_note-text")
    text.send_keys(f"현장 확인 부탁드립니다 @{org.other_member.name[0]}")
    wanted = f"#mention-suggestions [data-mention-id='{org.other_member.pk}']"
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, wanted))
    assert axe_violations(driver) == []
    click(driver, wanted)
    assert text.get_attribute("value") == f"현장 확인 부탁드립니다 @{org.other_member.name} "
    click(driver, "#note-form button[type=submit]", navigates=True)
    assert "1명에게 알렸습니다" in driver.page_source
    assert Mention.objects.get().staff == org.other_member
    assert StaffNotification.objects.filter(staff=org.other_member).count() == 1
    assert console_errors(driver) == []
    assert axe_violations(driver) == []


def test_a_library_text_goes_into_the_answer_filled_in(driver, live_server, client, org, category):
    from selenium.webdriver.support.ui import WebDriverWait

    from complaints import library, workflow
    from complaints.models import AnswerText
    from tests.browser import click

    complaint = file_complaint(category, name="김민수", title="가로등 고장")[0]
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    workflow.start(staff=org.member, complaint=complaint)
    text = library.answer_text_save(
        staff=org.member, title="가로등 고장 처리", text="{민원인} 님, 수리했습니다.", scope="team"
    )
    log_in(driver, live_server, client, org.member)
    driver.get(f"{live_server.url}/staff/complaints/{complaint.pk}/")
    click(driver, "details.pcrm-disclosure:has(#library-q) > summary")
    driver.find_element(By.ID, "library-q").send_keys("가로등")
    wanted = "#library-results [data-insert]"
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, wanted))
    assert axe_violations(driver) == []
    click(driver, wanted)
    answer = driver.find_element(
        By.CSS_SELECTOR, "form[action$='/act/answer/'] textarea[name=text]"
    )
    assert answer.get_attribute("value").endswith("김민수 님, 수리했습니다.")
    WebDriverWait(driver, 10).until(lambda d: AnswerText.objects.get(pk=text.pk).uses == 1)
    assert console_errors(driver) == []
