from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from citizens import services
from citizens.models import Citizen, Consent, Contact, Relationship, VulnerabilityFlag
from citizens.selectors import duplicate_groups
from citizens.tasks import anonymise_inactive_citizens
from pcrm.audit.models import AccessLog
from tests.factories import CitizenFactory, FlagFactory

pytestmark = pytest.mark.django_db
KST = timezone.get_fixed_timezone(9 * 60)


def test_duplicates_are_found_by_phone_hash_and_by_name_and_birth_year(org):
    a = CitizenFactory(name="김민수", phone="01012345678", birth_year=1980)
    b = CitizenFactory(name="김민수", phone="01012345678", birth_year=1981)
    c = CitizenFactory(name="박영희", phone="01011112222", birth_year=1960)
    d = CitizenFactory(name="박영희", phone="01033334444", birth_year=1960)
    CitizenFactory(name="이철수", phone="01055556666", birth_year=1960)
    groups = {
        (reason, tuple(x.pk for x in members))
        for reason, members in duplicate_groups(org.leader.user)
    }
    assert groups == {("phone", (a.pk, b.pk)), ("name", (c.pk, d.pk))}


def test_merge_moves_every_related_row_and_is_logged(client, org):
    survivor = CitizenFactory(name="김민수", phone="01012345678", email="")
    duplicate = CitizenFactory(name="김민수", phone="01012345678", email="kim@example.com")
    services.contact_add(citizen_id=duplicate.pk, kind="call", summary="전화 상담")
    services.contact_add(citizen_id=survivor.pk, kind="call", summary="방문 상담")
    Consent.objects.create(
        citizen=duplicate,
        purpose="e_letter",
        version="1",
        required=False,
        granted=True,
        source="web",
    )
    FlagFactory(citizen=duplicate, set_by=org.leader)
    Relationship.objects.create(citizen=duplicate, category="friendly", owner=org.member)

    client.force_login(org.member.user)
    forbidden = client.post(
        "/staff/citizens/merge/", {"survivor": survivor.pk, "duplicate": duplicate.pk}
    )
    assert forbidden.status_code == 403

    client.force_login(org.leader.user)
    confirm = client.get(
        "/staff/citizens/merge/", {"survivor": survivor.pk, "duplicate": duplicate.pk}
    )
    assert "되돌릴 수 없습니다" in confirm.content.decode()
    assert Citizen.objects.filter(pk=duplicate.pk).exists()  # a GET changes nothing
    client.post("/staff/citizens/merge/", {"survivor": survivor.pk, "duplicate": duplicate.pk})

    assert not Citizen.objects.filter(pk=duplicate.pk).exists()
    survivor.refresh_from_db()
    assert survivor.contacts.count() == 2 and survivor.contact_count == 2
    assert survivor.consents.filter(purpose="e_letter").exists()
    assert survivor.flags.count() == 1 and survivor.vulnerable
    assert survivor.relationship.owner == org.member
    assert survivor.email == "kim@example.com"  # blanks filled from the duplicate
    logged = AccessLog.objects.filter(purpose="중복 고객 병합")
    assert {row.subject_id for row in logged} == {str(survivor.pk), str(duplicate.pk)}
    assert logged.first().detail["moved"]["citizens.contact"] == 1


def test_merge_keeps_the_survivors_relationship_when_both_have_one(org):
    survivor, duplicate = CitizenFactory(), CitizenFactory()
    Relationship.objects.create(citizen=survivor, category="institutional", interest="교통")
    Relationship.objects.create(citizen=duplicate, category="friendly", interest="환경")
    services.citizens_merge(staff=org.leader, survivor=survivor, duplicate=duplicate)
    assert list(Relationship.objects.values_list("citizen", "interest")) == [(survivor.pk, "교통")]


def test_contact_add_with_a_source_is_added_once():
    citizen = CitizenFactory()
    at = datetime(2026, 11, 2, 10, tzinfo=KST)
    first = services.contact_add(
        citizen_id=citizen.pk,
        kind="complaint.filed",
        summary="민원 접수",
        source="complaint:7",
        at=at,
    )
    again = services.contact_add(
        citizen_id=citizen.pk,
        kind="complaint.filed",
        summary="민원 접수",
        source="complaint:7",
        at=at,
    )
    assert first is not None and again is None
    citizen.refresh_from_db()
    assert (citizen.contact_count, citizen.last_contact_at) == (1, at)
    older = datetime(2026, 1, 1, tzinfo=KST)
    services.contact_add(citizen_id=citizen.pk, kind="call", summary="전화", at=older)
    citizen.refresh_from_db()
    assert (citizen.contact_count, citizen.last_contact_at) == (2, at)  # the latest stays


def test_retention_anonymises_inactive_citizens_once(settings, org):
    settings.CITIZEN_RETENTION_DAYS = 365
    start = datetime(2025, 1, 10, 10, tzinfo=KST)
    with time_machine.travel(start, tick=False):
        stale = CitizenFactory(name="오래된고객", phone="01077778888", email="old@example.com")
        FlagFactory(citizen=stale, set_by=org.leader)
        Relationship.objects.create(citizen=stale, category="friendly")
        services.contact_add(citizen_id=stale.pk, kind="call", summary="김오래 님 전화 상담")
        active = CitizenFactory(name="활동고객")
    with time_machine.travel(start + timedelta(days=200), tick=False):
        services.contact_add(citizen_id=active.pk, kind="call", summary="상담")

    with time_machine.travel(start + timedelta(days=366), tick=False):
        assert anonymise_inactive_citizens() == 1
        assert anonymise_inactive_citizens() == 0  # idempotent

    stale.refresh_from_db()
    assert stale.anonymised_at is not None
    assert (stale.name, stale.phone, stale.email, stale.phone_hash) == ("(익명)", "", "", "")
    assert not VulnerabilityFlag.objects.filter(citizen=stale).exists()
    assert not Relationship.objects.filter(citizen=stale).exists()
    assert Contact.objects.get(citizen=stale).summary == ""
    assert Citizen.objects.get(pk=active.pk).anonymised_at is None
    assert AccessLog.objects.filter(action="delete", subject_id=str(stale.pk)).count() == 1


def test_retention_job_is_scheduled_by_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["anonymise-inactive-citizens"]
    assert entry["task"] == anonymise_inactive_citizens.name


def test_seed_demo_adds_about_two_thousand_citizens_once():
    call_command("seed_demo")
    assert Citizen.objects.count() == 2000
    assert Citizen.objects.filter(vulnerable=True).count() > 50
    assert Relationship.objects.count() == 300
    call_command("seed_demo")
    assert Citizen.objects.count() == 2000
