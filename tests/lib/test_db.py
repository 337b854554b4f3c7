"""insert writes a row in one statement whose SQL is built once, as save() would write
it; insert_once does so unless a unique constraint already holds the row, and the
caller's transaction stays usable either way; FirstRow finds what its queryset finds."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Now
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citizens.models import Citizen, Contact
from citizens.selectors import profile_by_contact
from pcrm.audit.models import AccessLog
from pcrm.lib import db
from pcrm.lib.db import FirstRow, insert, insert_once
from pcrm.notify.models import Message
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def _contact(citizen, source):
    return Contact(citizen=citizen, kind="complaint.filed", summary="접수", source=source)


def test_a_new_row_is_written_and_gets_its_key():
    citizen = CitizenFactory()
    contact = _contact(citizen, "complaint:1")
    with CaptureQueriesContext(connection) as captured:
        assert insert_once(contact) is True
    assert len(captured) == 1 and "ON CONFLICT DO NOTHING" in captured[0]["sql"]
    assert contact.pk is not None and not contact._state.adding
    assert Contact.objects.get(pk=contact.pk).summary == "접수"


def test_a_row_the_constraint_already_holds_is_not_written_and_the_transaction_goes_on():
    citizen = CitizenFactory()
    assert insert_once(_contact(citizen, "complaint:1"))
    with transaction.atomic():
        again = _contact(citizen, "complaint:1")
        assert insert_once(again) is False
        assert again.pk is None
        assert Contact.objects.filter(citizen=citizen).count() == 1  # still usable
    # rows outside the partial constraint (no source) are always written
    assert insert_once(_contact(citizen, "")) and insert_once(_contact(citizen, ""))
    assert Contact.objects.filter(citizen=citizen).count() == 3


def test_other_integrity_errors_still_raise():
    contact = Contact(citizen_id=None, kind="complaint.filed", summary="접수")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_once(contact)  # NOT NULL is not a conflict to skip


def _row(model, pk) -> dict:
    """A row as stored (encrypted values as the database holds them)."""
    fields = [f.column for f in model._meta.local_concrete_fields if f.column != "id"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(fields)} FROM {model._meta.db_table} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return dict(zip(fields, cursor.fetchone(), strict=True))


def test_insert_writes_what_save_writes():
    at = timezone.now()

    def access_log():
        return AccessLog(
            at=at,
            actor_username="",
            subject_type="citizens.citizen",
            subject_id="7",
            subject_label="김*수",
            action="create",
            purpose="민원 접수",
            detail={"complaint": "2026-0000001"},
        )

    saved, inserted = access_log(), access_log()
    saved.save()
    with CaptureQueriesContext(connection) as captured:
        insert(inserted)
    assert len(captured) == 1
    assert inserted.pk is not None and not inserted._state.adding
    assert _row(AccessLog, inserted.pk) == _row(AccessLog, saved.pk)
    # an encrypted field is encrypted as save() encrypts it, and reads back the same
    message = Message(channel="sms", recipient="01012345678", body="접수", dedupe_key="k1")
    insert(message)
    stored = _row(Message, message.pk)["recipient"]
    assert stored != "01012345678" and Message.objects.get(pk=message.pk).recipient == "01012345678"


def test_insert_builds_its_sql_once_per_model():
    db._INSERTS.clear()
    for n in range(3):
        insert(Message(channel="sms", recipient="010", body="b", dedupe_key=f"once-{n}"))
    assert [key[0] for key in db._INSERTS] == [Message]
    assert Message.objects.filter(dedupe_key__startswith="once-").count() == 3


def test_insert_refuses_an_expression():
    db._INSERTS.clear()  # the refused row is the model's first: no statement built yet
    with pytest.raises(TypeError, match="a plain value is needed"):
        insert(Message(channel="sms", recipient="010", body="b", dedupe_key="x", created_at=Now()))
    # the refused row left no statement of its own behind: the next one is written
    insert(Message(channel="sms", recipient="010", body="b", dedupe_key="y"))
    assert Message.objects.filter(dedupe_key="y").exists()


def _by_phone_hash():
    return FirstRow(
        Citizen, lambda digest: Citizen.objects.filter(phone_hash=digest).order_by("pk")
    )


def test_first_row_finds_what_its_queryset_finds_in_one_query():
    first, second = CitizenFactory(phone="01011112222"), CitizenFactory(phone="01011112222")
    other = CitizenFactory(phone="01033334444")
    lookup = _by_phone_hash()
    assert lookup.get(first.phone_hash) == first  # the oldest of two, as ordered
    with CaptureQueriesContext(connection) as captured:
        found = lookup.get(other.phone_hash)
        missing = lookup.get("no such hash")
    assert found == other and found.phone == "01033334444"  # decrypted as usual
    assert missing is None
    assert len(captured) == 2
    assert second.pk > first.pk


def test_first_row_builds_every_time_when_parameters_cannot_be_told_apart():
    citizen = CitizenFactory(name="김민수", phone="01011112222")
    lookup = FirstRow(
        Citizen, lambda a, b: Citizen.objects.filter(name=a, phone_hash=b).order_by("pk")
    )
    assert lookup.get("김민수", citizen.phone_hash) == citizen  # kept from here on
    same = FirstRow(Citizen, lambda a, b: Citizen.objects.filter(name=a, sigungu=b).order_by("pk"))
    assert same.get("마포구", "마포구") is None  # equal values: not kept, still right
    assert same._statements == {}


def test_profiles_are_found_by_phone_then_email_and_never_anonymised():
    by_phone = CitizenFactory(phone="01011112222", email="")
    by_email = CitizenFactory(phone="", email="kim@example.com")
    gone = CitizenFactory(phone="01055556666")
    Citizen.objects.filter(pk=gone.pk).update(anonymised_at=timezone.now())
    assert profile_by_contact(phone="01011112222", email="kim@example.com") == by_phone
    assert profile_by_contact(phone="01099990000", email="KIM@example.com") == by_email
    assert profile_by_contact(phone="01055556666") is None


def test_insert_all_writes_rows_in_one_round_trip_as_save_writes_them():
    citizen = CitizenFactory()
    at = timezone.now()

    def rows(source):
        contact = _contact(citizen, source)
        contact.at = at
        return [
            contact,
            AccessLog(at=at, subject_type="citizens.citizen", subject_id="7", action="create"),
        ]

    saved, together = rows("complaint:1"), rows("complaint:2")
    for row in saved:
        row.save()
    [contact_key] = db.reserve_keys(Contact)
    together[0].pk = contact_key
    with CaptureQueriesContext(connection) as captured:
        db.insert_all(together)
    assert len(captured) == 1
    assert together[0].pk == contact_key and not together[0]._state.adding
    assert together[1].pk is None  # no key comes back for a row written without one
    assert {**_row(Contact, contact_key), "source": "complaint:1"} == _row(Contact, saved[0].pk)
    written = AccessLog.objects.exclude(pk=saved[1].pk).get()
    assert _row(AccessLog, written.pk) == _row(AccessLog, saved[1].pk)


def test_a_reserved_key_is_never_handed_out_again():
    citizen = CitizenFactory()
    with CaptureQueriesContext(connection) as captured:
        reserved, log_key = db.reserve_keys(Contact, AccessLog)
    assert len(captured) == 1  # the keys of several tables in one statement
    with transaction.atomic():  # a filing that rolls back keeps nothing, not even its key
        assert db.reserve_keys(Contact, AccessLog) == [reserved + 1, log_key + 1]
        transaction.set_rollback(True)
    after = _contact(citizen, "complaint:9")
    after.save()
    assert after.pk == reserved + 2
    db.insert_all([Contact(pk=reserved, citizen=citizen, kind="complaint.filed", summary="접수")])
    assert Contact.objects.filter(pk__in=[reserved, after.pk]).count() == 2


def test_insert_all_fails_whole_on_a_conflict():
    citizen = CitizenFactory()
    insert_once(_contact(citizen, "complaint:1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        db.insert_all([_contact(citizen, "complaint:2"), _contact(citizen, "complaint:1")])
    assert Contact.objects.filter(citizen=citizen).count() == 1
