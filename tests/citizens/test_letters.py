"""E-letters: consent respected, each recipient once under duplicated sweeps, a working
unsubscribe link without login, bounded retries, the citizen's timeline."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from citizens import letters
from citizens.models import Citizen, Consent, Contact, ELetter, ELetterRecipient, Relationship
from pcrm.notify import services as notify
from pcrm.notify.models import Message
from tests.concurrency import at_once
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refused")


def _friend(name, *, email="", opt_in=True, category="friendly"):
    citizen = CitizenFactory(name=name, email=email, e_letter_opt_in=opt_in)
    Relationship.objects.create(citizen=citizen, category=category)
    return citizen


@pytest.fixture
def audience():
    return {
        "yes": _friend("김민수", email="minsu@example.kr"),
        "no_consent": _friend("이영희", email="younghee@example.kr", opt_in=False),
        "no_email": _friend("박정숙"),
        "institution": _friend("최상철", email="org@example.go.kr", category="institutional"),
    }


def _letter(org, audience_kind="friendly"):
    letter = letters.letter_save(
        staff=org.leader,
        title="2026년 하반기 민원 서비스 소식",
        body="{이름} 님, 늘 관심 가져 주셔서 고맙습니다.",
        audience=audience_kind,
    )
    return letters.letter_schedule(staff=org.leader, letter=letter, at=timezone.now())


def test_only_consenting_citizens_with_an_email_get_it(org, audience):
    letter = _letter(org)
    assert letters.send_due_letters() == 1
    rows = ELetterRecipient.objects.filter(letter=letter)
    assert [row.citizen for row in rows] == [audience["yes"]]
    message = Message.objects.get(dedupe_key=f"eletter:{letter.pk}:{audience['yes'].pk}")
    assert "김민수 님, 늘 관심 가져 주셔서 고맙습니다." in message.body
    assert "/letters/unsubscribe/" in message.body and org.leader.name in message.body
    assert Contact.objects.filter(citizen=audience["yes"], kind="eletter.sent").count() == 1
    letter.refresh_from_db()
    assert letter.status == "done"


def test_only_leaders_and_cs_admin_write_letters(org):
    with pytest.raises(PermissionDenied):
        letters.letter_save(staff=org.member, title="x", body="y", audience="friendly")


def test_a_duplicated_sweep_sends_nothing_twice(org, audience):
    letter = _letter(org, "relationships")
    assert letters.send_due_letters() == 2
    assert letters.send_due_letters() == 0
    assert Message.objects.filter(dedupe_key__startswith=f"eletter:{letter.pk}:").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_queue_each_recipient_once(org):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL")
    for n in range(30):
        _friend(f"시민{n}", email=f"c{n}@example.kr")
    letter = _letter(org)
    counts, errors = at_once(letters.send_due_letters, 2)
    assert errors == []
    assert sum(counts) == 30
    assert Message.objects.filter(dedupe_key__startswith=f"eletter:{letter.pk}:").count() == 30


def test_the_unsubscribe_link_works_without_login_and_needs_a_post(client, org, audience):
    citizen = audience["yes"]
    url = f"/letters/unsubscribe/{letters.unsubscribe_token(citizen.pk)}/"
    page = client.get(url)
    assert page.status_code == 200 and "수신 거부" in page.content.decode()
    citizen.refresh_from_db()
    assert citizen.e_letter_opt_in  # a GET changes nothing
    done = client.post(url)
    assert "수신을 거부했습니다" in done.content.decode()
    citizen.refresh_from_db()
    assert not citizen.e_letter_opt_in
    assert Consent.objects.filter(citizen=citizen, purpose="e_letter", granted=False).exists()
    bad = client.get("/letters/unsubscribe/forged-token/")
    assert bad.status_code == 400 and "올바르지 않습니다" in bad.content.decode()
    # the next letter does not reach them
    _letter(org)
    assert letters.send_due_letters() == 0


def test_unsubscribing_after_the_list_was_made_still_stops_the_letter(org, audience):
    letter = _letter(org)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        ELetterRecipient.objects.bulk_create(
            [ELetterRecipient(letter=letter, citizen=audience["yes"])]
        )
        ELetter.objects.filter(pk=letter.pk).update(status="sending")
        letters.unsubscribe(Citizen.objects.get(pk=audience["yes"].pk))
        assert letters.send_due_letters() == 0
    row = ELetterRecipient.objects.get(letter=letter)
    assert row.queued_at is not None and row.message is None


def test_failures_are_recorded_and_retried_a_bounded_number_of_times(org, audience, settings):
    settings.EMAIL_BACKEND = "tests.citizens.test_letters.FailingBackend"
    # within one day's sending hours, whatever the hour the suite runs at: a letter
    # waits for the day, and a retry due at night would wait for the morning
    moment = datetime(2026, 12, 7, 9, tzinfo=timezone.get_fixed_timezone(9 * 60))
    with time_machine.travel(moment, tick=False):
        letter = _letter(org)
        letters.send_due_letters()
    for _attempt in range(notify.MAX_ATTEMPTS + 3):
        moment += timedelta(hours=1)
        with time_machine.travel(moment, tick=False):
            notify.deliver_due()
    message = ELetterRecipient.objects.get(letter=letter).message
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", notify.MAX_ATTEMPTS)
    assert "SMTP server refused" in message.last_error
    assert mail.outbox == []


def test_compose_preview_schedule_and_log_pages(login, org, audience):
    client = login(org.leader)
    response = client.post(
        "/staff/citizens/letters/new/",
        {"title": "소식", "body": "{이름} 님, 안녕하세요.", "audience": "friendly"},
    )
    letter = ELetter.objects.get()
    assert response.status_code == 302
    preview = client.get(f"/staff/citizens/letters/{letter.pk}/").content.decode()
    assert "김*수 님께 가는 모습" in preview and "김*수 님, 안녕하세요." in preview
    assert "김민수" not in preview  # names stay masked on staff pages
    assert "받는 분 1명" in preview
    schedule = f"/staff/citizens/letters/{letter.pk}/schedule/"
    unconfirmed = client.post(schedule, {"at": "", "expected": "1"})
    assert unconfirmed.status_code == 400
    assert "받는 분 수와 내용을 확인해 주세요" in unconfirmed.content.decode()
    _friend("정우성", email="woosung@example.kr")  # the audience grew meanwhile
    stale = client.post(schedule, {"at": "", "expected": "1", "confirmed": "on"})
    assert "받는 분이 2명으로 바뀌었습니다" in stale.content.decode()
    assert ELetter.objects.get().status == "draft"
    client.post(schedule, {"at": "", "expected": "2", "confirmed": "on"})
    assert ELetter.objects.get().status == "scheduled"
    letters.send_due_letters()
    log = client.get(f"/staff/citizens/letters/{letter.pk}/").content.decode()
    assert "김*수" in log and "대기" in log
    assert login(org.other_leader).get(f"/staff/citizens/letters/{letter.pk}/").status_code == 404


@pytest.mark.parametrize("count", [1, 25])
def test_letter_list_query_count_is_fixed(login, org, django_assert_num_queries, count):
    for n in range(count):
        ELetter.objects.create(
            title=f"소식 {n}", body="본문", audience="friendly", signed_by=org.leader
        )
    client = login(org.leader)
    # 1 session user with staff, 2 count, 3 the page with signers, 4 notifications
    with django_assert_num_queries(5):  # + the session read
        response = client.get("/staff/citizens/letters/")
    assert len(response.context["page"].object_list) == min(count, 20)


def test_a_segment_letter_offers_the_buckets_and_refuses_what_it_does_not_know(login, org):
    client = login(org.leader)
    form = client.get("/staff/citizens/letters/new/").content.decode()
    assert '<option value="70plus">70세 이상</option>' in form
    data = {"title": "소식", "body": "본문", "audience": "segment"}
    unknown = client.post("/staff/citizens/letters/new/", {**data, "age": "70대"})
    assert unknown.status_code == 200 and not ELetter.objects.exists()
    assert "목록에서 연령대를 고르세요" in unknown.content.decode()
    nothing = client.post("/staff/citizens/letters/new/", data)
    assert "연령대나 선호 연락 수단을 고르세요" in nothing.content.decode()
    client.post("/staff/citizens/letters/new/", {**data, "age": "70plus"})
    assert ELetter.objects.get().segment == {"age": "70plus"}


def test_a_schedule_is_cancelled_until_sending_starts_and_a_draft_deleted(login, org, audience):
    client = login(org.leader)
    letter = _letter(org)
    client.post(f"/staff/citizens/letters/{letter.pk}/cancel/")
    letter.refresh_from_db()
    assert (letter.status, letter.scheduled_at) == ("draft", None)
    confirm = client.get(f"/staff/citizens/letters/{letter.pk}/delete/")
    assert "되살릴 수 없습니다" in confirm.content.decode() and ELetter.objects.exists()
    client.post(f"/staff/citizens/letters/{letter.pk}/delete/")
    assert not ELetter.objects.exists()

    started = _letter(org)
    letters.send_due_letters()
    with pytest.raises(letters.LetterError):
        letters.letter_cancel(staff=org.leader, letter=started)
    with pytest.raises(letters.LetterError):
        letters.letter_delete(staff=org.leader, letter=started)
    assert (
        login(org.other_leader).post(f"/staff/citizens/letters/{started.pk}/cancel/").status_code
        == 404
    )
