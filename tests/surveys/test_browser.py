"""A citizen answers a survey link in Chromium with JavaScript switched off; the page
passes axe-core and fetches nothing from outside."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from surveys import selectors, services
from surveys.models import Invitation, Response
from tests.browser import (
    axe_violations,
    chromium,
    console_errors,
    foreign_requests,
    replaced,
    requested_urls,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def drivers():
    with_js, without_js = chromium(), chromium(javascript=False)
    # KRDS's CSS scrolls smoothly, which leaves WebDriver's own scrolling unfinished when
    # it clicks (and without scripts it cannot be made instant): a window tall enough
    # to need no scrolling
    without_js.set_window_size(1280, 4000)
    yield with_js, without_js
    with_js.quit()
    without_js.quit()


def test_a_citizen_answers_a_survey_without_javascript(drivers, live_server, answer, post_campaign):
    with_js, no_js = drivers
    complaint = answer()
    invitation = Invitation.objects.get(complaint=complaint)
    url = live_server.url + services.survey_url(invitation.token).split("8000", 1)[1]

    with_js.get(url)
    assert console_errors(with_js) == []
    assert foreign_requests(requested_urls(with_js)) == []
    assert axe_violations(with_js) == []

    no_js.get(url)
    assert no_js.find_element(By.TAG_NAME, "h1").text == "민원 처리 만족도 조사"
    questions = selectors.questions_of(post_campaign)
    for question, value in zip(questions[:3], (5, 4, 6), strict=True):
        no_js.find_element(By.CSS_SELECTOR, f"label[for=id_q{question.pk}_{value - 1}]").click()
    no_js.find_element(By.ID, f"id_q{questions[3].pk}").send_keys("빨리 고쳐 주셔서 고맙습니다.")
    page = no_js.find_element(By.TAG_NAME, "html")
    no_js.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(no_js, 15).until(replaced(page))
    assert "응답해 주셔서 감사합니다" in no_js.page_source
    response = Response.objects.get()
    assert response.overall is not None
    complaint.refresh_from_db()
    assert complaint.rating == 5

    # the link is now used: a clear message instead of the form
    with_js.get(url)
    assert "이미 응답한 설문입니다" in with_js.page_source
    assert axe_violations(with_js) == []
