import re

import pytest

from tests.factories import file_complaint

pytestmark = pytest.mark.django_db
GENERIC = "접수번호와 휴대전화 끝 네 자리가 맞는 민원을 찾지 못했습니다"


def test_receipt_number_and_last_four_digits_open_the_status_page(client, category):
    complaint, secret = file_complaint(category, phone="01012345678")
    response = client.post(
        "/complaints/track/", {"receipt_number": complaint.receipt_number, "phone_last4": "5678"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/track/{secret}/"
    html = client.get(response["Location"]).content.decode()
    assert complaint.receipt_number in html and "접수" in html and "아직 답변 전입니다" in html
    assert "김민수" not in html and "5678" not in html  # no personal data on the page


def test_wrong_digits_and_unknown_numbers_get_one_generic_message(client, category):
    complaint, _secret = file_complaint(category, phone="01012345678")
    wrong = client.post(
        "/complaints/track/", {"receipt_number": complaint.receipt_number, "phone_last4": "0000"}
    )
    unknown = client.post(
        "/complaints/track/", {"receipt_number": "2026-9999999", "phone_last4": "0000"}
    )
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert GENERIC in response.content.decode()

    def page(response, number):  # the same page but for the number typed, the CSRF token
        html = response.content.decode().replace(number, "X")  # and the script nonce
        html = re.sub(r'Nonce": "[\w-]+"', "", html)
        return re.sub(r'value="[A-Za-z0-9]{64}"', "", html)

    assert page(wrong, complaint.receipt_number) == page(unknown, "2026-9999999")


def test_malformed_input_is_explained(client, db):
    response = client.post("/complaints/track/", {"receipt_number": "12345", "phone_last4": "56"})
    html = response.content.decode()
    assert "2026-0001234처럼" in html and "숫자 네 자리" in html


def test_tracking_attempts_are_rate_limited(client, category, settings):
    settings.TRACKING_RATE_LIMIT = 3
    complaint, _secret = file_complaint(category, phone="01012345678")
    for digits in ("0000", "1111", "2222"):
        client.post(
            "/complaints/track/",
            {"receipt_number": complaint.receipt_number, "phone_last4": digits},
        )
    blocked = client.post(
        "/complaints/track/", {"receipt_number": complaint.receipt_number, "phone_last4": "5678"}
    )
    assert blocked.status_code == 429
    assert "10분 뒤에 다시 시도해 주세요" in blocked.content.decode()


def test_an_unknown_secret_is_404(client, db):
    assert client.get(f"/complaints/track/{'A' * 43}/").status_code == 404
    assert client.get(f"/complaints/receipt/{'A' * 43}/").status_code == 404


def test_guessing_one_receipts_digits_from_many_addresses_is_limited(client, category, settings):
    settings.TRACKING_RATE_LIMIT = 3
    complaint, _secret = file_complaint(category, phone="01012345678")
    for n, digits in enumerate(("0000", "1111", "2222")):
        client.post(
            "/complaints/track/",
            {"receipt_number": complaint.receipt_number, "phone_last4": digits},
            REMOTE_ADDR=f"10.0.0.{n + 1}",
        )
    blocked = client.post(
        "/complaints/track/",
        {"receipt_number": complaint.receipt_number, "phone_last4": "5678"},
        REMOTE_ADDR="10.0.0.99",
    )
    assert blocked.status_code == 429


def test_the_status_page_shows_the_answer_and_its_attachments(client, org, category):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints import workflow

    complaint, secret = file_complaint(category, phone="01012345678")
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    pdf = SimpleUploadedFile("결과.pdf", b"%PDF-1.4 answer", "application/pdf")
    workflow.answer(
        staff=org.member,
        complaint=complaint,
        text="보도블록을 교체했습니다.",
        attachments=[(pdf, "application/pdf")],
    )
    html = client.get(f"/complaints/track/{secret}/").content.decode()
    assert "보도블록을 교체했습니다." in html and "결과.pdf" in html and "답변 완료" in html
    attachment = complaint.attachments.get(kind="answer")
    assert client.get(f"/complaints/track/{secret}/files/{attachment.pk}/").status_code == 200
