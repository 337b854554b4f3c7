"""What a person sees, in headless Chromium: section titles and questions are drawn
(KRDS hides every legend), links look like links, a leader's ranking offers no link that
fails, and `/` is the citizen's front door."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from selenium.webdriver.common.by import By

from pcrm.lib.crypto import new_secret
from scorecards import services
from surveys import courtesy
from surveys.models import Invitation
from tests.browser import log_in
from tests.factories import file_complaint
from tests.surveys.conftest import weigh_only

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAWN = """
const el = arguments[0], box = el.getBoundingClientRect(), style = getComputedStyle(el);
let clipped = false;
for (let e = el; e && e !== document.body; e = e.parentElement) {
  const s = getComputedStyle(e);
  if (s.clip && s.clip.startsWith('rect(0')) clipped = true;
  if (s.clipPath && s.clipPath.startsWith('inset(50%')) clipped = true;
}
return box.width > 1 && box.height > 1 && style.visibility !== 'hidden' && !clipped;
"""

LOOKS_LIKE_A_LINK = """
const link = arguments[0], style = getComputedStyle(link);
const around = getComputedStyle(link.parentElement);
return style.textDecorationLine.includes('underline') || style.color !== around.color
  || style.borderBottomStyle !== 'none' || style.backgroundColor !== around.backgroundColor;
"""


def _drawn(driver, element) -> bool:
    return driver.execute_script(DRAWN, element)


def test_section_titles_and_questions_are_drawn(driver, live_server, category):
    driver.get(f"{live_server.url}/complaints/new/")
    titles = driver.find_elements(By.CSS_SELECTOR, "fieldset [id^=section-]")
    assert [t.text for t in titles] == ["민원 내용", "민원인 정보", "개인정보 수집·이용 동의"]
    assert all(_drawn(driver, title) for title in titles)
    for fieldset in driver.find_elements(By.CSS_SELECTOR, "fieldset"):
        assert fieldset.get_attribute("aria-labelledby")  # named by the visible title


def test_survey_questions_are_drawn(driver, live_server, org, category):
    from tests.factories import CampaignFactory, make_questionnaire

    campaign = CampaignFactory(
        kind="external",
        questionnaire=make_questionnaire(
            questions=[("likert5", "overall", "이 팀의 서비스에 만족하십니까?")]
        ),
    )
    token, digest = new_secret()
    Invitation.objects.create(
        campaign=campaign,
        team=org.team,
        channel="email",
        token=token,
        token_hash=digest,
        expires_at=timezone.now() + timedelta(days=7),
    )
    driver.get(f"{live_server.url}/s/{token}/")
    question = driver.find_element(By.CSS_SELECTOR, ".pcrm-question-text")
    assert "이 팀의 서비스에 만족하십니까?" in question.text and _drawn(driver, question)


def test_links_look_like_links(driver, live_server, client, org, category):
    complaint, secret = file_complaint(category)
    driver.get(f"{live_server.url}/complaints/receipt/{secret}/")
    for css in ("#tracking-link", "main a[href='/complaints/track/']"):
        link = driver.find_element(By.CSS_SELECTOR, css)
        assert driver.execute_script(LOOKS_LIKE_A_LINK, link), css
    log_in(driver, live_server, client, org.leader)
    driver.get(f"{live_server.url}/staff/complaints/?tab=team")
    number = driver.find_element(By.LINK_TEXT, complaint.receipt_number)
    assert driver.execute_script(LOOKS_LIKE_A_LINK, number)
    driver.get(f"{live_server.url}/staff/dashboard/")
    for link in driver.find_elements(By.CSS_SELECTOR, "main a:not(.krds-btn)"):
        assert driver.execute_script(LOOKS_LIKE_A_LINK, link), link.text
        size = driver.execute_script(
            "return parseFloat(getComputedStyle(arguments[0]).fontSize)", link
        )
        assert size >= 12, link.text


def test_a_leaders_ranking_offers_no_link_that_fails(driver, live_server, client, org):
    weigh_only(org.cs_admin, courtesy=60, same_day=40)
    sheet = courtesy.default_sheet()
    for staff, share in ((org.member, "0.9"), (org.other_member, "0.7")):
        courtesy.courtesy_evaluate(
            evaluator=org.cs_admin,
            staff=staff,
            sheet=sheet,
            evaluated_on=timezone.localdate().replace(day=1),
            scenario="문의",
            points={i.pk: Decimal(i.max_points) * Decimal(share) for i in sheet.items.all()},
        )
    services.scorecards_refresh()
    log_in(driver, live_server, client, org.leader)
    driver.get(f"{live_server.url}/staff/scorecards/")
    assert org.other_team.name in driver.page_source
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "main a")]
    assert links
    for href in links:
        path = href.removeprefix(live_server.url)
        assert client.get(path).status_code < 400, path


def test_the_front_door_is_the_citizens(driver, live_server):
    driver.get(f"{live_server.url}/")
    assert "민원 서비스" in driver.find_element(By.TAG_NAME, "h1").text
    assert driver.find_elements(By.CSS_SELECTOR, "main a[href='/complaints/new/']")
    assert not driver.find_elements(By.ID, "id_password")
    assert Client().get("/").status_code == 200
