"""Public filing without an account, without JavaScript: the form, the receipt, the
citizen profile, consents, duplicate submissions, staff registration, rate limits."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citizens.models import Citizen, Consent, Contact
from complaints.models import Attachment, Complaint, Event
from pcrm.audit.models import AccessLog
from pcrm.notify.models import Message
from tests.factories import CitizenFactory, public_form_data

pytestmark = pytest.mark.django_db
KST = timezone.get_fixed_timezone(9 * 60)
MONDAY_10 = datetime(2026, 11, 23, 10, tzinfo=KST)


_form_data = public_form_data


def test_the_form_works_without_javascript_and_shows_expected_dates(client, category):
    with time_machine.travel(MONDAY_10, tick=False):
        html = client.get("/complaints/new/").content.decode()
    assert 'enctype="multipart/form-data"' in html and "<script" in html  # KRDS script only
    assert "도로 파손 신고 — 처리기간 3일, 답변 예정 11월 26일(목요일) 10:00" in html
    for statutory_item in (
        "수집·이용 목적",
        "수집 항목",
        "보유·이용 기간",
        "동의를 거부할 권리와 불이익",
    ):
        assert statutory_item in html
    assert "동의하지 않아도 민원 신청과 처리에는 아무런 영향이 없습니다" in html


def test_filing_end_to_end(client, category, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY_10, tick=False):
        data = _form_data(client, category)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/complaints/new/", data)
        assert response.status_code == 302
        receipt = client.get(response["Location"])
    complaint = Complaint.objects.get()
    assert re.fullmatch(r"2026-\d{7}", complaint.receipt_number)
    assert complaint.receipt_number == "2026-0000001"
    assert (complaint.channel, complaint.status, complaint.team) == (
        "web",
        "received",
        category.team,
    )
    assert complaint.due_at == datetime(2026, 11, 26, 10, tzinfo=KST)
    assert complaint.same_day_due_at == datetime(2026, 11, 23, 18, tzinfo=KST)
    html = receipt.content.decode()
    assert "2026-0000001" in html and "2026년 11월 26일(목요일) 10:00" in html
    assert "/complaints/track/" in html
    citizen = complaint.citizen
    assert (citizen.name, citizen.phone) == ("김민수", "01012345678")
    assert set(Consent.objects.values_list("purpose", "granted")) == {
        ("complaint_processing", True),
        ("satisfaction_survey", False),
        ("e_letter", False),
    }
    assert Contact.objects.get(citizen=citizen).kind == "complaint.filed"
    assert Event.objects.get(complaint=complaint).kind == "received"
    message = Message.objects.get()
    assert (message.channel, message.recipient) == ("sms", "01012345678")
    assert "2026-0000001" in message.body and "/complaints/track/" in message.body


def test_validation_keeps_everything_typed(client, category):
    data = _form_data(client, category, title="", phone="12-34", consent_required="")
    response = client.post("/complaints/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "제목을 적어 주세요" in html
    assert "전화번호 형식이 올바르지 않습니다" in html
    assert "민원을 접수하려면 필수 항목에 동의해 주세요" in html
    assert "공덕역 2번 출구 앞 보도블록이 깨져 위험합니다." in html
    assert 'value="김민수"' in html and 'value="12-34"' in html
    assert f'value="{data["submission_key"]}"' in html  # a retry stays the same submission
    assert f'<option value="{category.pk}" selected>' in html
    assert not Complaint.objects.exists()


def test_phone_or_email_is_required(client, category):
    response = client.post("/complaints/new/", _form_data(client, category, phone="", email=""))
    assert "휴대전화나 이메일 중 하나는 적어 주세요" in response.content.decode()


def test_refusing_optional_consents_never_blocks_filing(client, category):
    response = client.post("/complaints/new/", _form_data(client, category))
    assert response.status_code == 302
    assert Complaint.objects.count() == 1


def test_a_double_submit_or_refresh_creates_one_complaint(client, category):
    data = _form_data(client, category)
    first = client.post("/complaints/new/", data)
    second = client.post("/complaints/new/", data)  # the browser re-posts
    assert first["Location"] == second["Location"]
    assert Complaint.objects.count() == 1
    assert client.get(first["Location"]).status_code == 200  # refresh of the receipt


def test_a_retried_submission_leaves_no_trace_and_no_gap_in_the_numbers(
    client, category, stored_files
):
    models = (Citizen, Consent, Contact, Complaint, Event, Message, AccessLog, Attachment)

    def photo():
        return SimpleUploadedFile("사진.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100)

    with time_machine.travel(MONDAY_10, tick=False):
        data = _form_data(client, category)
        client.post("/complaints/new/", {**data, "attachments": photo()})
        rows = {model: model.objects.count() for model in models}
        files = stored_files()
        assert len(files) == 1
        # written up to the complaint, then rolled back, its copy of the photo removed
        client.post("/complaints/new/", {**data, "attachments": photo()})
        assert {model: model.objects.count() for model in models} == rows
        assert stored_files() == files
        client.post("/complaints/new/", _form_data(client, category, phone="010-9876-5432"))
    assert list(Complaint.objects.order_by("pk").values_list("receipt_number", flat=True)) == [
        "2026-0000001",
        "2026-0000002",
    ]


def test_filing_counts_as_one_contact_for_a_new_and_for_a_known_citizen(client, category):
    with time_machine.travel(MONDAY_10, tick=False):
        client.post("/complaints/new/", _form_data(client, category))
    citizen = Citizen.objects.get()
    assert (citizen.contact_count, citizen.last_contact_at) == (1, MONDAY_10)
    later = MONDAY_10 + timedelta(days=1)
    with time_machine.travel(later, tick=False):
        client.post("/complaints/new/", _form_data(client, category))
    citizen.refresh_from_db()
    assert (citizen.contact_count, citizen.last_contact_at) == (2, later)
    assert citizen.contacts.count() == 2


def test_the_e_letter_choice_given_with_a_filing_is_kept_on_the_profile(client, category):
    """A new profile is written with the choice; a known one is updated when it changes."""
    client.post("/complaints/new/", _form_data(client, category, consent_e_letter="on"))
    citizen = Citizen.objects.get()
    assert citizen.e_letter_opt_in is True
    client.post("/complaints/new/", _form_data(client, category))
    citizen.refresh_from_db()
    assert citizen.e_letter_opt_in is False
    assert list(
        citizen.consents.filter(purpose="e_letter")
        .values_list("granted", flat=True)
        .order_by("at", "pk")
    ) == [True, False]


def test_filing_runs_a_fixed_number_of_statements(client, category, django_assert_num_queries):
    """The citizen looked up, the keys of the complaint (and of a new profile), the
    contact counted on a known profile, the receipt counter and the rows written together
    (profile, consents, complaint, event, timeline entry, access log, message), in a
    transaction (a savepoint here, inside the test's own). The categories come from
    memory once the process has read them (its first filing)."""
    client.post("/complaints/new/", _form_data(client, category, phone="010-5555-0000"))
    data = _form_data(client, category)
    with django_assert_num_queries(6):  # a new citizen
        assert client.post("/complaints/new/", data).status_code == 302
    data = _form_data(client, category)
    with django_assert_num_queries(7):  # the same citizen again
        assert client.post("/complaints/new/", data).status_code == 302


def test_other_filings_wait_for_one_round_trip_after_the_receipt_number(client, category):
    """From taking its number to its commit a filing holds the year's counter row; in that
    window it sends one round trip: every row it writes, together."""
    existing = CitizenFactory(name="김민수", phone="01012345678", contact_count=3)
    photo = SimpleUploadedFile("사진.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100)
    data = _form_data(client, category, attachments=photo)
    with CaptureQueriesContext(connection) as captured:
        assert client.post("/complaints/new/", data).status_code == 302
    statements = [query["sql"] for query in captured]
    counter = next(i for i, sql in enumerate(statements) if "complaints_receiptcounter" in sql)
    [together, release] = statements[counter + 1 :]
    assert release.startswith("RELEASE SAVEPOINT")
    assert re.findall(r'INSERT INTO "(\w+)"', together) == [
        *["citizens_consent"] * 3,
        "complaints_complaint",
        "complaints_event",
        "citizens_contact",
        "audit_accesslog",
        "complaints_attachment",
        "notify_message",
    ]
    complaint = Complaint.objects.get()
    assert complaint.citizen == existing
    assert complaint.events.get().kind == "received"
    assert complaint.attachments.get().original_name == "사진.jpg"
    entry = existing.contacts.get()
    assert (entry.summary, entry.source) == (
        f"민원 접수 {complaint.receipt_number}: 보도블록이 깨졌어요",
        f"complaint:{complaint.pk}",
    )
    existing.refresh_from_db()
    assert existing.contact_count == 4  # counted before the number was taken
    assert AccessLog.objects.get(subject_id=str(existing.pk)).detail == {
        "complaint": complaint.receipt_number
    }
    message = Message.objects.get()
    assert message.dedupe_key == f"complaint:{complaint.pk}:received"
    assert complaint.receipt_number in message.body


def test_a_category_closed_for_filing_is_refused_at_once(client, category):
    client.post("/complaints/new/", _form_data(client, category, phone="010-5555-0000"))
    category.active = False
    category.save()  # e.g. in the admin, in this process
    response = client.post("/complaints/new/", _form_data(client, category))
    assert response.status_code == 200
    assert response.context["form"].has_error("category", "invalid_choice")
    assert Complaint.objects.count() == 1


def test_a_category_moved_by_another_process_is_seen_within_a_second(
    client, category, org, settings
):
    from django.core.cache import cache

    from pcrm.lib import refdata

    settings.REFDATA_CHECK_SECONDS = 0  # look for changes at every use
    client.post("/complaints/new/", _form_data(client, category, phone="010-5555-0000"))
    # another process moves the category to another team: its row changes, and after
    # the commit the shared token does (this process's receivers do not run)
    type(category).objects.filter(pk=category.pk).update(team=org.other_team)
    cache.set(refdata.VERSION_KEY, "moved elsewhere", timeout=None)
    client.post("/complaints/new/", _form_data(client, category))
    assert Complaint.objects.order_by("-pk").first().team == org.other_team


def test_a_new_profile_is_stored_as_create_would_store_it(client, category):
    """The filing writes a new profile with SQL built once; the row holds what
    ``Citizen.objects.create`` (and so ``Citizen.save``) would have written."""
    with time_machine.travel(MONDAY_10, tick=False):
        client.post("/complaints/new/", _form_data(client, category, email="Kim@Example.com"))
        filed = Citizen.objects.get()
        created = Citizen.objects.create(
            name="김민수",
            phone="01012345678",
            email="kim@example.com",
            preferred_channel="sms",
            created_at=MONDAY_10,
            contact_count=1,
            last_contact_at=MONDAY_10,
        )
    columns = [f.attname for f in Citizen._meta.concrete_fields if f.attname not in {"id"}]
    stored = Citizen.objects.values(*columns)
    assert stored.get(pk=filed.pk) == stored.get(pk=created.pk)
    assert filed.phone_hash and filed.email_hash  # looked up by them from now on


def test_an_existing_citizen_is_matched_by_phone(client, category):
    existing = CitizenFactory(name="김민수", phone="01012345678")
    client.post("/complaints/new/", _form_data(client, category, phone="+82 10-1234-5678"))
    assert Complaint.objects.get().citizen == existing
    assert Citizen.objects.count() == 1


def test_an_existing_citizen_is_matched_by_email(client, category):
    existing = CitizenFactory(name="김민수", phone="", email="kim@example.com")
    client.post("/complaints/new/", _form_data(client, category, phone="", email="KIM@example.com"))
    complaint = Complaint.objects.get()
    assert complaint.citizen == existing
    assert Message.objects.get().channel == "email"


def test_filing_is_rate_limited_per_address_with_a_clear_message(client, category, settings):
    settings.FILING_RATE_LIMIT = 2
    for n in range(2):
        assert (
            client.post(
                "/complaints/new/", _form_data(client, category, title=f"민원 {n}")
            ).status_code
            == 302
        )
    data = _form_data(client, category, title="세 번째 민원")
    response = client.post("/complaints/new/", data)
    html = response.content.decode()
    assert response.status_code == 429
    assert "10분 뒤에 다시 접수해 주세요" in html
    assert "세 번째 민원" in html  # what was typed stays
    assert Complaint.objects.count() == 2


def test_only_accepted_filings_count_toward_the_limit(client, category, settings):
    settings.FILING_RATE_LIMIT = 2
    for _attempt in range(6):  # mistyped: the consent forgotten, sent back each time
        mistyped = _form_data(client, category, consent_required="")
        assert client.post("/complaints/new/", mistyped).status_code == 200
    first = _form_data(client, category, title="첫 민원")
    assert client.post("/complaints/new/", first).status_code == 302
    assert client.post("/complaints/new/", first).status_code == 302  # a retry: not counted
    second = _form_data(client, category, title="둘째 민원")
    assert client.post("/complaints/new/", second).status_code == 302
    third = _form_data(client, category, title="셋째 민원")
    assert client.post("/complaints/new/", third).status_code == 429
    assert client.post("/complaints/new/", third).status_code == 429  # still, not more
    assert Complaint.objects.count() == 2


def test_the_embedded_default_counts_in_one_place_for_every_process(tmp_path):
    """Without Redis the cache is files under var/: two processes (two cache objects on
    the same folder) share one count."""
    import os

    from django.core.cache.backends.filebased import FileBasedCache

    from pcrm.lib import ratelimit
    from tests.processes import manage

    env = {"PATH": os.environ["PATH"], "PCRM_VAR_DIR": str(tmp_path / "var"), "DEBUG": "1"}
    shown = manage(
        "shell", "-c", "from django.conf import settings; print(settings.CACHES)", env=env
    )
    assert "FileBasedCache" in shown.stdout and str(tmp_path / "var" / "cache") in shown.stdout
    one, other = (FileBasedCache(str(tmp_path / "cache"), {}) for _process in range(2))
    counts = [ratelimit._count(cache, "ratelimit:file:x", 600) for cache in (one, other) * 3]
    assert counts == [1, 2, 3, 4, 5, 6]


def test_staff_register_a_phone_complaint_with_the_same_service(client, org, category):
    client.force_login(org.member.user)
    html = client.get("/staff/complaints/new/").content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f-]+)"', html).group(1)
    response = client.post(
        "/staff/complaints/new/",
        {
            "submission_key": key,
            "channel": "phone",
            "category": category.pk,
            "title": "전화 민원",
            "body": "가로등이 꺼졌습니다.",
            "name": "이영희",
            "phone": "010-2222-3333",
            "consent_required": "on",
        },
    )
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/staff/complaints/{complaint.pk}/"
    assert (complaint.channel, complaint.registered_by) == ("phone", org.member)
    assert Consent.objects.filter(citizen=complaint.citizen, source="phone").count() == 3
    assert Contact.objects.get(citizen=complaint.citizen).channel == "phone"
    assert complaint.receipt_number == "2026-0000001" or complaint.receipt_number.endswith(
        "0000001"
    )


def test_seed_demo_adds_categories_and_complaints_once():
    from django.core.management import call_command

    from complaints import demo
    from complaints.models import Category

    call_command("seed_demo")
    count = demo.ANSWERED + demo.OPEN
    assert Category.objects.count() == 8
    assert Complaint.objects.count() == count
    assert Complaint.objects.filter(status="answered").exists()  # the surveys demo answers some
    assert not Message.objects.exists()  # demo citizens are not messaged
    call_command("seed_demo")
    assert (Category.objects.count(), Complaint.objects.count()) == (8, count)
