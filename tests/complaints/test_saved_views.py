"""Saved inbox views: private or for the team, "이번 달 기한 초과" in one click, removed
after a confirmation; every view downloads as an XLSX streamed in bounded memory."""

import io
import tracemalloc
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from complaints import saved, selectors
from complaints.models import Complaint, SavedView
from pcrm.audit.models import AccessLog
from tests.factories import StaffFactory, file_complaint

pytestmark = pytest.mark.django_db
KST = timezone.get_fixed_timezone(9 * 60)


def test_a_view_is_private_or_shared_with_the_team(client, org, category):
    teammate = StaffFactory(team=org.team)
    client.force_login(org.member.user)
    client.post(
        "/staff/complaints/views/",
        {"name": "내 가로등", "query": "tab=team&q=가로등&page=3&evil=1"},
    )
    view = SavedView.objects.get()
    assert view.query == "q=%EA%B0%80%EB%A1%9C%EB%93%B1&tab=team" and view.team_id is None
    assert "내 가로등" in client.get("/staff/complaints/").content.decode()
    client.force_login(teammate.user)
    assert "내 가로등" not in client.get("/staff/complaints/").content.decode()
    client.force_login(org.member.user)
    client.post(
        "/staff/complaints/views/", {"name": "내 가로등", "query": "tab=mine", "shared": "on"}
    )
    assert SavedView.objects.get().query == "tab=mine"  # the same name replaced it
    client.force_login(teammate.user)
    page = client.get("/staff/complaints/").content.decode()
    assert "내 가로등" in page and f"/staff/complaints/views/{view.pk}/delete/" not in page
    client.force_login(org.other_member.user)
    assert "내 가로등" not in client.get("/staff/complaints/").content.decode()
    empty = client.post("/staff/complaints/views/", {"name": " ", "query": "tab=team"}, follow=True)
    assert "보기 이름을 적어 주세요" in empty.content.decode()


def test_removing_a_view_asks_first_and_only_its_owner_may(client, org):
    view = saved.saved_view_save(
        staff=org.member, name="기한 초과", query="tab=overdue", shared=True
    )
    client.force_login(org.leader.user)
    assert client.get(f"/staff/complaints/views/{view.pk}/delete/").status_code == 404
    client.force_login(org.member.user)
    confirm = client.get(f"/staff/complaints/views/{view.pk}/delete/").content.decode()
    assert "팀원들의 목록에서도 사라집니다" in confirm
    assert SavedView.objects.exists()
    client.post(f"/staff/complaints/views/{view.pk}/delete/")
    assert not SavedView.objects.exists()


def test_overdue_this_month_in_one_click(client, org, category):
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=KST), tick=False):
        october_due, _s = file_complaint(category, phone="01011110001", title="지난달 기한")
    Complaint.objects.filter(pk=october_due.pk).update(
        due_at=datetime(2026, 10, 30, 18, tzinfo=KST)
    )
    with time_machine.travel(datetime(2026, 11, 9, 10, tzinfo=KST), tick=False):
        november_due, _s = file_complaint(category, phone="01011110002", title="이번달 기한")
    with time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=KST), tick=False):
        client.force_login(org.leader.user)
        inbox = client.get("/staff/complaints/").content.decode()
        assert 'href="?tab=overdue&amp;due=this_month"' in inbox and "이번 달 기한 초과" in inbox
        page = client.get("/staff/complaints/", {"tab": "overdue", "due": "this_month"})
    text = page.content.decode()
    assert november_due.receipt_number in text and october_due.receipt_number not in text


def _many(complaint, count):
    """``count`` more copies of a complaint (the same citizen), written in bulk."""
    start = Complaint.objects.filter(receipt_number__startswith="2026-9").count()
    fields = {
        f.attname: getattr(complaint, f.attname)
        for f in Complaint._meta.concrete_fields
        if f.attname not in {"id", "receipt_number", "tracking_hash", "submission_key"}
    }
    Complaint.objects.bulk_create(
        [
            Complaint(**fields, receipt_number=f"2026-9{n:06d}", tracking_hash=f"copy-{n}")
            for n in range(start, start + count)
        ],
        batch_size=2000,
    )


def _peak(staff, user, title) -> tuple[int, int]:
    rows = selectors.inbox(user, tab="team", filters=selectors.InboxFilters())
    tracemalloc.start()
    out = saved.xlsx_stream(staff=staff, complaints=rows, title=title, purpose="시험")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    count = sum(1 for _ in load_workbook(io.BytesIO(out.read()), read_only=True).active.rows)
    return peak, count


def test_an_export_is_streamed_in_bounded_memory_and_logged(org, category):
    """Rows are read, written and logged a chunk (2,000) at a time: four times the rows
    take about the memory of one chunk, not four times it."""
    complaint, _s = file_complaint(category, title="가로등 고장")
    _many(complaint, saved.CHUNK - 1)
    one_chunk, one_rows = _peak(org.leader, org.leader.user, "one")
    _many(complaint, 3 * saved.CHUNK)
    four_chunks, four_rows = _peak(org.leader, org.leader.user, "four")
    assert (one_rows, four_rows) == (saved.CHUNK + 1, 4 * saved.CHUNK + 1)  # with the header
    assert four_chunks < one_chunk * 1.5, (one_chunk, four_chunks)
    logged = AccessLog.objects.filter(action="export", purpose="시험")
    assert logged.count() == 5 * saved.CHUNK  # every citizen row of both files
    assert timedelta(0) <= timezone.now() - logged.latest("at").at < timedelta(minutes=5)
