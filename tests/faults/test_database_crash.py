"""PostgreSQL crashes and starts again while citizens file through the production web
server (gunicorn, ``DEBUG=0``), on a cluster of the test's own: each filing made while
the database is away comes back as the held form (503, what the citizen typed, one
button to send it again); sending it again files it once; no complaint is half-written;
other pages answer 503 in their own format rather than 500."""

import json
import threading
import urllib.parse
import uuid
from html.parser import HTMLParser

import psycopg2
import pytest
from django.db import connection
from psycopg2 import sql

from complaints.models import Complaint, Event
from pcrm.notify.models import Message

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CSRF = "f" * 32
FILINGS = 30


class HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields.append((attrs["name"], attrs.get("value") or ""))


def held_fields(html: str) -> list[tuple[str, str]]:
    parser = HiddenInputs()
    parser.feed(html)
    return [(k, v) for k, v in parser.fields if k != "csrfmiddlewaretoken"]


def post_form(web, fields):
    body = urllib.parse.urlencode([("csrfmiddlewaretoken", CSRF), *fields]).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={CSRF}",
    }
    return web.request("POST", "/complaints/new/", body, headers)


def test_filings_across_a_postgres_crash(category, private_stack):
    postgres, web = private_stack(connection.settings_dict["NAME"])
    filed, held, held_pages = [], [], []
    crashed, back = threading.Event(), threading.Event()
    errors = []

    def file_all():
        try:
            for number in range(FILINGS):
                fields = [
                    ("submission_key", str(uuid.uuid4())),
                    ("category", str(category.pk)),
                    ("title", f"가로등 고장 {number}번"),
                    ("body", f"{number}번 가로등이 꺼져 있습니다.\n밤에 어둡습니다."),
                    ("name", "김민수"),
                    ("phone", f"010-5555-{number:04d}"),
                    ("consent_required", "on"),
                ]
                for _attempt in range(300):
                    status, headers, html = post_form(web, fields)
                    if status == 302:
                        filed.append(number)
                        break
                    held.append(status)
                    held_pages.append(html)
                    assert headers.get("Retry-After") == "15", (status, headers, html[:300])
                    fields = held_fields(html)  # the citizen presses "다시 보내기"
                    back.wait(0.1)
                else:
                    raise AssertionError(f"filing {number} never got through")
                if number == FILINGS // 3:
                    crashed.wait(60)  # the rest are filed while the database is away
        except BaseException as error:
            errors.append(error)
            raise

    filer = threading.Thread(target=file_all)
    filer.start()
    while len(filed) <= FILINGS // 3 and filer.is_alive():
        back.wait(0.05)
    postgres.crash()
    crashed.set()
    while len(held) < 3 and filer.is_alive():  # filings meet the crash
        back.wait(0.05)
    # other pages, while the database is away: a clear 503 in each one's format
    status, headers, page = web.request("GET", "/complaints/new/")
    assert (status, headers["Retry-After"]) == (503, "15")
    assert "잠시 서비스를 이용할 수 없습니다" in page
    status, _headers, body = web.request(
        "GET", "/api/v1/complaints/", headers={"Authorization": "Token " + "0" * 40}
    )
    assert (status, json.loads(body)["code"]) == (503, "unavailable")
    status, _headers, body = web.request("GET", "/open311/v2/services.json")
    assert status == 503 and json.loads(body)[0]["code"] == 503
    postgres.start()
    back.set()
    filer.join(timeout=120)

    assert not errors, errors
    assert sorted(filed) == list(range(FILINGS))
    assert held and set(held) == {503}
    for page in held_pages:  # the held form, with the citizen's own words
        assert "다시 보내기" in page and "가로등 고장" in page and "밤에 어둡습니다" in page

    with psycopg2.connect(postgres.url) as database, database.cursor() as cursor:

        def query(text, *tables, arguments=()):
            names = [sql.Identifier(model._meta.db_table) for model in tables]
            cursor.execute(sql.SQL(text).format(*names), arguments)
            return cursor.fetchall()

        complaints = query("SELECT id, title, receipt_number FROM {}", Complaint)
        assert len(complaints) == FILINGS  # each once, the resent ones included
        assert len({title for _id, title, _number in complaints}) == FILINGS
        assert all(number for _id, _title, number in complaints)
        for pk, _title, _number in complaints:  # whole: its history and its confirmation
            received = "SELECT count(*) FROM {} WHERE complaint_id = %s AND kind = 'received'"
            assert query(received, Event, arguments=[pk]) == [(1,)]
            confirmations = "SELECT count(*) FROM {} WHERE dedupe_key LIKE %s"
            assert query(confirmations, Message, arguments=[f"complaint:{pk}:%"])[0][0] >= 1
