from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from complaints.models import Complaint
from pcrm.org.models import TemporaryHoliday
from tests.factories import file_complaint

pytestmark = pytest.mark.django_db
KST = timezone.get_fixed_timezone(9 * 60)


def test_a_temporary_holiday_recomputes_open_deadlines_only(category, client, org):
    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=KST), tick=False):
        open_one, _ = file_complaint(category, phone="01011110000")
        closed_one, _ = file_complaint(category, phone="01022220000")
    Complaint.objects.filter(pk=closed_one.pk).update(status="closed")
    assert open_one.due_at == datetime(2026, 11, 26, 10, tzinfo=KST)

    client.force_login(org.cs_admin.user)  # added in the admin, as cs_admin does
    response = client.post(
        "/admin/org/temporaryholiday/add/", {"date": "2026-11-24", "name": "임시공휴일"}
    )
    assert response.status_code == 302
    open_one.refresh_from_db()
    closed_one.refresh_from_db()
    assert open_one.due_at == datetime(2026, 11, 27, 10, tzinfo=KST)
    assert closed_one.due_at == datetime(2026, 11, 26, 10, tzinfo=KST)

    TemporaryHoliday.objects.get(date=date(2026, 11, 24)).delete()
    open_one.refresh_from_db()
    assert open_one.due_at == datetime(2026, 11, 26, 10, tzinfo=KST)


def test_a_pause_is_kept_when_deadlines_are_recomputed(category):
    from complaints.models import Pause
    from complaints.services import recompute_open_deadlines

    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=KST), tick=False):
        complaint, _ = file_complaint(category)
    Pause.objects.create(
        complaint=complaint,
        started_at=datetime(2026, 11, 24, 16, tzinfo=KST),
        ended_at=datetime(2026, 11, 25, 11, tzinfo=KST),
    )
    assert recompute_open_deadlines() == 1
    complaint.refresh_from_db()
    assert complaint.due_at == datetime(2026, 11, 26, 15, tzinfo=KST)
