"""A citizen files a complaint and tracks it in headless Chromium; the filing and tracking
pages pass axe-core with no serious or critical finding and fetch nothing from outside."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from complaints.models import Complaint
from tests.browser import (
    axe_violations,
    click,
    console_errors,
    foreign_requests,
    requested_urls,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _clean(driver, where):
    assert console_errors(driver) == [], where
    assert foreign_requests(requested_urls(driver)) == [], where
    assert axe_violations(driver) == [], where


def test_file_and_track_a_complaint(driver, live_server, category):
    driver.get(f"{live_server.url}/complaints/new/")
    assert driver.find_element(By.TAG_NAME, "h1").text == "민원 신청"
    _clean(driver, "filing page")

    # a first try without the required consent keeps what was typed
    Select(driver.find_element(By.ID, "id_category")).select_by_value(str(category.pk))
    driver.find_element(By.ID, "id_title").send_keys("보도블록 파손")
    driver.find_element(By.ID, "id_body").send_keys("공덕역 2번 출구 앞 보도블록이 깨졌습니다.")
    driver.find_element(By.ID, "id_name").send_keys("김민수")
    driver.find_element(By.ID, "id_phone").send_keys("010-1234-5678")
    click(driver, "form.pcrm-form button[type=submit]", navigates=True)
    assert "필수 항목에 동의해 주세요" in driver.page_source
    assert driver.find_element(By.ID, "id_title").get_attribute("value") == "보도블록 파손"
    _clean(driver, "filing page with errors")

    click(driver, "label[for=id_consent_required]")
    click(driver, "form.pcrm-form button[type=submit]", navigates=True)
    number = driver.find_element(By.ID, "receipt-number").text
    complaint = Complaint.objects.get()
    assert number == complaint.receipt_number
    _clean(driver, "receipt page")

    driver.get(f"{live_server.url}/complaints/track/")
    _clean(driver, "tracking form")
    driver.find_element(By.ID, "id_receipt_number").send_keys(number)
    driver.find_element(By.ID, "id_phone_last4").send_keys("5678")
    click(driver, "main form button[type=submit]", navigates=True)
    assert driver.find_element(By.TAG_NAME, "h1").text == "민원 처리 상황"
    assert number in driver.page_source and "아직 답변 전입니다" in driver.page_source
    _clean(driver, "tracking page")


def test_the_faq_page_is_accessible(driver, live_server, org, category):
    from complaints import faq, workflow
    from tests.factories import file_complaint

    complaint = file_complaint(category)[0]
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    workflow.start(staff=org.member, complaint=complaint)
    workflow.answer(staff=org.member, complaint=complaint, text="1층 민원실에 있습니다.")
    item = faq.qa_propose(
        staff=org.member,
        complaint=complaint,
        question="무인발급기는 어디 있나요?",
        answer="시청 1층 민원실 옆에 있습니다.",
    )
    faq.qa_decide(staff=org.leader, item=item, approve=True)
    driver.get(f"{live_server.url}/faq/?q=무인발급기")
    assert driver.find_element(By.TAG_NAME, "h1").text == "자주 묻는 질문"
    assert "시청 1층 민원실 옆에 있습니다." in driver.page_source
    _clean(driver, "faq page")


def test_a_citizen_withdraws_online_after_confirming(driver, live_server, org, category):
    from complaints import workflow
    from tests.factories import file_complaint

    complaint, secret = file_complaint(category)
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    driver.get(f"{live_server.url}/complaints/track/{secret}/")
    click(driver, f"a[href='/complaints/track/{secret}/withdraw/']", navigates=True)
    assert driver.find_element(By.TAG_NAME, "h1").text == "민원 취하"
    _clean(driver, "withdrawal page")
    driver.find_element(By.ID, "id_reason").send_keys("스스로 해결했습니다")
    click(driver, "form.pcrm-form button[type=submit]", navigates=True)  # not confirmed yet
    assert "확인란을 골라 주세요" in driver.page_source
    assert driver.find_element(By.ID, "id_reason").get_attribute("value") == "스스로 해결했습니다"
    click(driver, "label[for=id_confirmed]")
    click(driver, "form.pcrm-form button[type=submit]", navigates=True)
    assert "민원을 취하했습니다" in driver.page_source
    complaint.refresh_from_db()
    assert complaint.status == "withdrawn"
    _clean(driver, "tracking page after withdrawal")


def test_a_citizen_answers_a_supplement_request_and_sees_the_new_deadline(
    driver, live_server, org, category, tmp_path
):
    """Frozen on Wednesday 11:00: the request came on Tuesday 16:00, so the reply moves
    the deadline by those hours and the page says the new one at once."""
    from datetime import datetime

    import time_machine
    from django.utils import timezone

    from complaints import workflow
    from complaints.models import SupplementReply
    from tests.factories import file_complaint

    kst = timezone.get_fixed_timezone(9 * 60)
    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=kst), tick=False):
        complaint, secret = file_complaint(category)
        workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
        workflow.start(staff=org.member, complaint=complaint)
    with time_machine.travel(datetime(2026, 11, 24, 16, tzinfo=kst), tick=False):
        workflow.request_supplement(
            staff=org.member, complaint=complaint, note="사진을 보내 주세요."
        )
    photo = tmp_path / "현장.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    with time_machine.travel(datetime(2026, 11, 25, 11, tzinfo=kst), tick=True):
        driver.get(f"{live_server.url}/complaints/track/{secret}/")
        assert "사진을 보내 주세요." in driver.find_element(By.ID, "supplement").text
        assert "멈춰 있습니다" in driver.find_element(By.ID, "due-at").text
        _clean(driver, "tracking page with a supplement request")
        click(driver, "#supplement button[type=submit]", navigates=True)  # nothing written
        assert "보완할 내용을 적어 주세요" in driver.page_source
        driver.find_element(By.ID, "id_text").send_keys("사진 보냅니다.")
        driver.find_element(By.ID, "id_attachments").send_keys(str(photo))
        click(driver, "#supplement button[type=submit]", navigates=True)
        status = driver.find_element(By.CSS_SELECTOR, "[role=status]").text
        assert "답변 예정은 2026년 11월 26일(목요일) 15:00까지입니다" in status
        assert "2026년 11월 26일(목요일) 15:00" in driver.find_element(By.ID, "due-at").text
        assert driver.find_elements(By.ID, "supplement") == []
        _clean(driver, "tracking page after the reply")
    reply = SupplementReply.objects.get()
    assert (
        reply.text == "사진 보냅니다." and complaint.attachments.get().original_name == "현장.png"
    )


def test_my_complaints_with_a_code_wrong_expired_and_limited(
    driver, live_server, org, category, settings
):
    """내 민원 in the browser: a wrong code, the right one, the list; an expired code;
    the limit on codes per number."""
    import re
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from pcrm.notify.models import Message
    from tests.factories import file_complaint

    settings.MINE_CODES_PER_CONTACT = 2
    complaint, _secret = file_complaint(category, phone="01012345678", title="가로등 고장")

    def ask():
        driver.get(f"{live_server.url}/complaints/mine/")
        driver.find_element(By.ID, "id_contact").send_keys("010-1234-5678")
        click(driver, "main form button[type=submit]", navigates=True)

    def sent_code():
        body = Message.objects.filter(template="access-code").latest("pk").body
        return re.search(r"\b(\d{6})\b", body).group(1)

    def enter(code):
        field = driver.find_element(By.ID, "id_code")
        field.clear()
        field.send_keys(code)
        click(driver, "main form button[type=submit]", navigates=True)

    ask()
    assert driver.find_element(By.TAG_NAME, "h1").text == "인증번호 입력"
    assert "010-****-5678" in driver.find_element(By.ID, "code-sent").text
    _clean(driver, "code page")
    code = sent_code()
    enter("000000" if code != "000000" else "111111")
    assert "인증번호가 맞지 않습니다. 4번 더 입력할 수 있습니다." in driver.page_source
    _clean(driver, "code page with a wrong code")
    enter(code)
    assert complaint.receipt_number in driver.find_element(By.ID, "my-complaints").text
    _clean(driver, "my complaints")
    click(driver, "form[action='/complaints/mine/end/'] button", navigates=True)
    assert "내 민원 조회를 끝냈습니다" in driver.page_source

    ask()
    code = sent_code()
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        enter(code)
        assert "유효시간(5분)이 지났습니다" in driver.page_source

    ask()  # the third code for this number in ten minutes
    assert "인증번호를 너무 여러 번 요청했습니다" in driver.page_source
    assert driver.find_element(By.ID, "id_contact").get_attribute("value") == "010-1234-5678"
