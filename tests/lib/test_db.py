"""insert_once writes a row in one statement unless a unique constraint already holds it,
and the caller's transaction stays usable either way."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from citizens.models import Contact
from pcrm.lib.db import insert_once
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
