"""Lists show a complaint's title with the personal data a citizen wrote into it replaced
(the shared detector), as they mask contact details; the complaint's own page and the
API's detail show it whole."""

import pytest
from django.template.loader import render_to_string

from tests.factories import file_complaint

pytestmark = pytest.mark.django_db

TITLE = "홍길동 010-1234-5678 가로등 고장 900101-1234567"
PERSONAL = ("홍길동", "010-1234-5678", "1234-5678", "900101-1234567", "1234567")


def _clean(text: str) -> bool:
    return not any(piece in text for piece in PERSONAL)


@pytest.fixture
def titled(category):
    return file_complaint(category, title=TITLE)[0]


def test_the_inbox_and_the_api_list_mask_it_the_detail_shows_it(org, login, titled):
    client = login(org.leader)
    inbox = client.get("/staff/complaints/", {"tab": "team"}).content.decode()
    assert titled.receipt_number in inbox
    assert "가로등 고장" in inbox and "(전화번호)" in inbox and "(주민등록번호)" in inbox
    assert _clean(inbox)

    row = client.get("/api/v1/complaints/").json()["results"][0]
    assert row["title"] == "○○○ (전화번호) 가로등 고장 (주민등록번호)"
    assert client.get(f"/api/v1/complaints/{titled.pk}/").json()["title"] == TITLE
    assert TITLE in client.get(f"/staff/complaints/{titled.pk}/").content.decode()


def test_similar_complaints_and_reminder_mails_mask_it(org, login, category, titled):
    again = file_complaint(category, title="가로등 고장 전화 010 주민 900101", phone="01099998888")[
        0
    ]
    page = login(org.leader).get(f"/staff/complaints/{again.pk}/similar/").content.decode()
    assert titled.receipt_number in page and "가로등 고장" in page
    assert _clean(page)
    mail = render_to_string("emails/staff-reminder-body.txt", {"complaint": titled})
    assert "가로등 고장" in mail and _clean(mail)
