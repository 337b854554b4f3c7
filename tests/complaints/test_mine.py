"""내 민원: a six-digit code proves a phone number (or an e-mail address) for 30 minutes;
codes last five minutes and five tries, are kept hashed and are rate-limited per number
and per client address; nothing tells whether a number has complaints."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from complaints import workflow
from complaints.models import AccessCode
from pcrm.notify.models import Message
from tests.concurrency import at_once
from tests.factories import file_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(org, category):
    """Two complaints filed with 010-1234-5678 (one answered, one asked for a
    supplement) and one with another number."""
    answered, _s = file_complaint(category, phone="01012345678", title="가로등 고장")
    asked, _s = file_complaint(category, phone="01012345678", title="보도블록 파손")
    other, _s = file_complaint(category, phone="01099998888", title="남의 민원")
    workflow.assign(staff=org.leader, complaint=answered, assignee=org.member)
    workflow.answer(staff=org.member, complaint=answered, text="고쳤습니다.")
    workflow.assign(staff=org.leader, complaint=asked, assignee=org.member)
    workflow.start(staff=org.member, complaint=asked)
    workflow.request_supplement(staff=org.member, complaint=asked, note="사진을 보내 주세요.")
    return answered, asked, other


def _ask(client, contact, ip="10.0.0.1"):
    return client.post("/complaints/mine/", {"contact": contact}, REMOTE_ADDR=ip)


def _code_sent() -> str:
    message = Message.objects.filter(template="access-code").latest("pk")
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def _enter(client, code, ip="10.0.0.1"):
    return client.post("/complaints/mine/code/", {"code": code}, REMOTE_ADDR=ip)


def test_a_proven_number_sees_its_complaints_and_nothing_else(
    client, filed, django_assert_num_queries
):
    answered, asked, other = filed
    start = _ask(client, "010-1234-5678")
    assert start.status_code == 302 and start["Location"] == "/complaints/mine/code/"
    message = Message.objects.get(template="access-code")
    assert message.channel == "sms" and message.recipient == "01012345678"
    code = _code_sent()
    wrong = "000000" if code != "000000" else "111111"
    page = _enter(client, wrong).content.decode()
    assert "인증번호가 맞지 않습니다. 4번 더 입력할 수 있습니다." in page
    assert _enter(client, code)["Location"] == "/complaints/mine/list/"
    with django_assert_num_queries(3):  # the session, the count, the page's rows
        listing = client.get("/complaints/mine/list/")
    text = listing.content.decode()
    assert answered.receipt_number in text and asked.receipt_number in text
    assert other.receipt_number not in text and "남의 민원" not in text
    assert "보완 요청 보고 답하기" in text and "답변 보기" in text
    assert f"/complaints/track/{asked.tracking_secret}/#supplement" in text
    # the code is used up, and neither it nor the number is stored in clear
    row = AccessCode.objects.get()
    assert row.used_at is not None and code not in row.code_hash
    assert "01012345678" not in row.contact_hash
    # ending it closes the list
    client.post("/complaints/mine/end/")
    assert client.get("/complaints/mine/list/")["Location"] == "/complaints/mine/"


def test_the_access_lasts_thirty_minutes(client, filed):
    _ask(client, "01012345678")
    _enter(client, _code_sent())
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert client.get("/complaints/mine/list/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        expired = client.get("/complaints/mine/list/", follow=True)
    assert "다시 확인해야 합니다" in expired.content.decode()


def test_an_expired_code_is_refused(client, filed):
    _ask(client, "01012345678")
    code = _code_sent()
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        page = _enter(client, code).content.decode()
    assert "유효시간(5분)이 지났습니다" in page
    assert client.get("/complaints/mine/list/")["Location"] == "/complaints/mine/"


def test_five_wrong_tries_use_a_code_up(client, filed):
    _ask(client, "01012345678")
    code = _code_sent()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        _enter(client, wrong)
    page = _enter(client, code).content.decode()
    assert "5번 틀려 더 입력할 수 없습니다" in page
    assert AccessCode.objects.get().tries == 5


@pytest.mark.django_db(transaction=True)
def test_guesses_at_once_cannot_pass_the_limit(filed):
    from complaints import mine

    row = mine.code_send(kind="phone", contact="01012345678")

    def guess(n):
        try:
            mine.code_check(code_id=row.pk, code=f"{n:06d}")
        except mine.CodeError:
            return False
        return True

    at_once(guess, arguments=[(n,) for n in range(12)])
    row.refresh_from_db()
    assert row.tries == 5


def test_nothing_tells_whether_a_number_has_complaints(client, filed):
    with_complaints = _ask(client, "01012345678")
    code_page = client.get("/complaints/mine/code/").content.decode()
    other_client = type(client)()
    without = _ask(other_client, "01055550000")
    other_page = other_client.get("/complaints/mine/code/").content.decode()
    assert with_complaints.status_code == without.status_code == 302
    assert with_complaints["Location"] == without["Location"]

    def main(page):  # the page's content, the masked number and the form token aside
        content = re.search(r"<main.*</main>", page, re.S).group(0)
        content = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)
        return re.sub(r"010-\*{4}-\d{4}", "X", content)

    assert main(code_page) == main(other_page) and "X(으)로 신청한 민원이 있으면" in main(code_page)
    # a code went only where there is something to show; both requests are rows alike
    assert Message.objects.filter(template="access-code").count() == 1
    assert AccessCode.objects.count() == 2
    page = _enter(other_client, "123456").content.decode()
    assert "인증번호가 맞지 않습니다" in page


def test_codes_are_limited_per_number_and_per_client_address(client, filed, settings):
    settings.MINE_CODES_PER_CONTACT, settings.MINE_CODES_PER_ADDRESS = 3, 10
    for n in range(3):  # one number asked for from many addresses
        assert _ask(client, "01012345678", ip=f"10.0.1.{n}").status_code == 302
    limited = _ask(client, "01012345678", ip="10.0.1.99")
    assert limited.status_code == 429 and "10분 뒤에" in limited.content.decode()
    for n in range(10):  # many numbers asked for from one address
        assert _ask(client, f"0105555{n:04d}", ip="10.0.2.1").status_code == 302
    assert _ask(client, "01066660000", ip="10.0.2.1").status_code == 429
    assert Message.objects.filter(template="access-code").count() == 3


def test_an_email_only_filer_proves_the_address(client, category):
    complaint, _s = file_complaint(category, phone="", email="Kim@Example.kr")
    _ask(client, "kim@example.kr")
    message = Message.objects.get(template="access-code")
    assert (message.channel, message.recipient) == ("email", "kim@example.kr")
    assert "인증번호" in message.subject
    _enter(client, _code_sent())
    assert complaint.receipt_number in client.get("/complaints/mine/list/").content.decode()


def test_bad_input_is_told_plainly(client):
    assert "010으로 시작하는" in _ask(client, "02-123-4567").content.decode()
    assert "이메일 형식이" in _ask(client, "kim@").content.decode()
    assert client.get("/complaints/mine/code/")["Location"] == "/complaints/mine/"
