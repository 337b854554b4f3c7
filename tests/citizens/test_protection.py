"""Personal data: encrypted at rest, found by keyed hash, masked by default, every view,
change, reveal and export written to the access log."""

import subprocess

import pytest
from django.db import connection

from citizens.models import Citizen
from pcrm.audit.models import AccessLog
from pcrm.lib import crypto
from pcrm.lib.masking import mask_email, mask_name, mask_phone
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("function", "raw", "masked"),
    [
        (mask_name, "김민수", "김*수"),
        (mask_name, "이훈", "이*"),
        (mask_name, "남궁민수", "남**수"),
        (mask_phone, "010-1234-5678", "010-****-5678"),
        (mask_phone, "01012345678", "010-****-5678"),
        (mask_phone, "02-123-4567", "02-***-4567"),
        (mask_email, "kim.minsu@example.com", "k***@example.com"),
    ],
)
def test_masking(function, raw, masked):
    assert function(raw) == masked


def test_phone_and_email_are_stored_encrypted_and_found_by_hash():
    citizen = CitizenFactory(phone="01098765432", email="kim@example.com")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email FROM citizens_citizen WHERE id = %s", [citizen.pk])
        stored_phone, stored_email = cursor.fetchone()
    assert "98765432" not in stored_phone and "kim@" not in stored_email
    assert crypto.decrypt(stored_phone) == "01098765432"
    reloaded = Citizen.objects.get(phone_hash=crypto.blind_index("01098765432"))
    assert (reloaded.phone, reloaded.email) == ("01098765432", "kim@example.com")


def test_key_rotation_keeps_old_rows_readable(settings):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PCRM_DATA_KEYS = [old]
    crypto.reset_keys()
    try:
        citizen = CitizenFactory(phone="01011112222")
        settings.PCRM_DATA_KEYS = [new, old]
        crypto.reset_keys()
        assert Citizen.objects.get(pk=citizen.pk).phone == "01011112222"
    finally:
        crypto.reset_keys()


def test_list_and_detail_show_masked_contact_details(client, org):
    citizen = CitizenFactory(name="김민수", phone="01012345678", email="kim.minsu@example.com")
    client.force_login(org.member.user)
    for url in ("/staff/citizens/", f"/staff/citizens/{citizen.pk}/"):
        html = client.get(url).content.decode()
        assert "김*수" in html and "010-****-5678" in html
        assert "5678" in html and "1234" not in html
        assert "김민수" not in html and "kim.minsu@" not in html


def test_viewing_a_profile_is_logged(client, org):
    citizen = CitizenFactory()
    client.force_login(org.member.user)
    client.get(f"/staff/citizens/{citizen.pk}/")
    row = AccessLog.objects.get(action="view", subject_type="citizens.citizen")
    assert (row.actor, row.subject_id, row.ip) == (org.member.user, str(citizen.pk), "127.0.0.1")
    assert row.subject_label == citizen.masked_label


def test_reveal_needs_a_reason_and_is_logged(client, org):
    citizen = CitizenFactory(phone="01012345678", email="kim@example.com")
    client.force_login(org.member.user)
    refused = client.post(f"/staff/citizens/{citizen.pk}/reveal/", {"purpose": ""})
    assert "연락처를 보려면 사유를 적어야 합니다" in refused.content.decode()
    assert not AccessLog.objects.filter(action="reveal").exists()

    response = client.post(f"/staff/citizens/{citizen.pk}/reveal/", {"purpose": "민원 회신 전화"})
    html = response.content.decode()
    assert "010-1234-5678" in html and "kim@example.com" in html
    row = AccessLog.objects.get(action="reveal")
    assert (row.actor, row.purpose, row.subject_id) == (
        org.member.user,
        "민원 회신 전화",
        str(citizen.pk),
    )
    # the next plain view is masked again
    assert "010-1234-5678" not in client.get(f"/staff/citizens/{citizen.pk}/").content.decode()


def test_editing_is_logged_with_field_names_not_values(client, org):
    citizen = CitizenFactory(name="김민수", phone="01012345678", sigungu="마포구", dong="공덕동")
    client.force_login(org.member.user)
    response = client.post(
        f"/staff/citizens/{citizen.pk}/edit/",
        {
            "kind": "individual",
            "name": "김민수",
            "phone": "010-5555-6666",
            "email": "",
            "sigungu": "마포구",
            "dong": "서교동",
            "birth_year": "1970",
            "gender": "",
            "preferred_language": "ko",
            "preferred_channel": "sms",
        },
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.dong) == ("01055556666", "서교동")
    assert citizen.phone_hash == crypto.blind_index("01055556666")
    row = AccessLog.objects.get(action="update", subject_type="citizens.citizen")
    assert row.detail == {"fields": ["dong", "phone"]}
    assert "5555" not in str(row.detail)


def test_edit_page_does_not_show_contact_details_in_clear(client, org):
    citizen = CitizenFactory(phone="01012345678", email="kim.minsu@example.com")
    client.force_login(org.member.user)
    html = client.get(f"/staff/citizens/{citizen.pk}/edit/").content.decode()
    assert "010-****-5678" in html and "k***@example.com" in html
    assert "1234" not in html and "kim.minsu" not in html
    # submitting with the fields left empty keeps what is stored
    response = client.post(
        f"/staff/citizens/{citizen.pk}/edit/",
        {
            "kind": "individual",
            "name": "김민수",
            "phone": "",
            "email": "",
            "preferred_language": "ko",
            "preferred_channel": "sms",
        },
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.email) == ("01012345678", "kim.minsu@example.com")


def test_edit_form_keeps_input_and_explains_a_bad_phone(client, org):
    citizen = CitizenFactory()
    client.force_login(org.member.user)
    response = client.post(
        f"/staff/citizens/{citizen.pk}/edit/",
        {
            "kind": "individual",
            "name": "새이름",
            "phone": "12-34",
            "preferred_language": "ko",
            "preferred_channel": "sms",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "전화번호 형식이 올바르지 않습니다" in html
    assert 'value="새이름"' in html and 'value="12-34"' in html
    citizen.refresh_from_db()
    assert citizen.name != "새이름"


def test_staff_registration_records_consents(client, org):
    client.force_login(org.member.user)
    data = {
        "kind": "individual",
        "name": "홍길동",
        "phone": "010-2222-3333",
        "preferred_language": "ko",
        "preferred_channel": "phone",
        "consent_source": "phone",
        "consent_e_letter": "on",
    }
    refused = client.post("/staff/citizens/new/", data)
    assert "필수 동의를 받은 뒤에 등록할 수 있습니다" in refused.content.decode()
    assert not Citizen.objects.exists()

    response = client.post("/staff/citizens/new/", {**data, "consent_required": "on"})
    citizen = Citizen.objects.get()
    assert response["Location"] == f"/staff/citizens/{citizen.pk}/"
    consents = dict(citizen.consents.values_list("purpose", "granted"))
    assert consents == {
        "complaint_processing": True,
        "satisfaction_survey": False,
        "e_letter": True,
    }
    assert citizen.e_letter_opt_in is True
    assert AccessLog.objects.filter(action="create", subject_id=str(citizen.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_plaintext_phone_or_email():
    from django.core.management import call_command

    call_command("seed_demo")
    seeded = Citizen.objects.exclude(email="").order_by("pk").first()
    assert seeded.phone and seeded.email
    db = connection.settings_dict
    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            db["PORT"] or "5432",
            "-U",
            db["USER"] or "postgres",
            db["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert seeded.masked_label  # sanity: the citizen really is in the dump's tables
    assert "citizens_citizen" in dump
    for plaintext in (seeded.phone, seeded.phone_display, seeded.email):
        assert plaintext not in dump, plaintext
