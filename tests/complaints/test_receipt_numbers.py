from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from complaints.models import Complaint
from tests.concurrency import at_once
from tests.factories import CategoryFactory, TeamFactory, file_complaint

KST = timezone.get_fixed_timezone(9 * 60)


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_filings_get_fifty_consecutive_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL")
    category = CategoryFactory(team=TeamFactory())
    _results, errors = at_once(
        lambda n: file_complaint(category, phone=f"0105555{n:04d}", name=f"시민{n}"),
        arguments=[(n,) for n in range(50)],
    )
    assert errors == []
    numbers = sorted(Complaint.objects.values_list("receipt_number", flat=True))
    year = timezone.localdate().year
    assert numbers == [f"{year}-{n:07d}" for n in range(1, 51)]


@pytest.mark.django_db
def test_numbers_start_again_each_year(org):
    category = CategoryFactory(team=org.team)
    with time_machine.travel(datetime(2026, 12, 31, 23, 59, tzinfo=KST), tick=False):
        assert file_complaint(category)[0].receipt_number == "2026-0000001"
        assert file_complaint(category, phone="01099990000")[0].receipt_number == "2026-0000002"
    with time_machine.travel(datetime(2027, 1, 1, 0, 1, tzinfo=KST), tick=False):
        assert file_complaint(category, phone="01099990001")[0].receipt_number == "2027-0000001"


@pytest.mark.django_db
def test_a_failed_filing_leaves_no_gap(org):
    from django.db import DataError

    category = CategoryFactory(team=org.team)
    first = file_complaint(category)[0]
    with pytest.raises(DataError):
        file_complaint(category, phone="01000000000", title="x" * 300)  # rolled back
    second = file_complaint(category, phone="01099990000")[0]
    assert int(second.receipt_number[-7:]) == int(first.receipt_number[-7:]) + 1
