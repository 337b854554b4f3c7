"""The inbox reads open complaints through indexes, not by scanning the complaint table;
the plans are checked on a table where most complaints are closed, as in real life."""

from datetime import timedelta

import pytest
from django.db import connection

from complaints import selectors, workflow
from complaints.models import Complaint
from tests.factories import CategoryFactory, file_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(org):
    category = CategoryFactory(team=org.team, period="3d")
    other = CategoryFactory(team=org.other_team, period="3d")
    for n in range(10):
        complaint = file_complaint(category if n % 2 else other, phone=f"0107777{n:04d}")[0]
        if n % 2 and n % 3 == 0:  # those of the personas team
            workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    template = Complaint.objects.first()
    closed = []
    for n in range(10000):
        row = Complaint(
            **{
                f.attname: getattr(template, f.attname)
                for f in Complaint._meta.concrete_fields
                if f.attname not in {"id", "receipt_number", "tracking_hash", "submission_key"}
            }
        )
        row.receipt_number = f"2020-{n:07d}"
        row.tracking_hash = f"{n:064d}"
        row.status = "closed"
        row.team_id = (org.team if n % 2 else org.other_team).pk
        row.due_at = template.due_at - timedelta(days=n % 900)
        closed.append(row)
    Complaint.objects.bulk_create(closed, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_complaint")


def test_inbox_tabs_use_indexes(org, history):
    if connection.vendor != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    for tab in selectors.TABS:
        rows = selectors.inbox(org.member.user, tab=tab, filters=selectors.InboxFilters())
        plan = rows[:25].explain()
        assert "complaints_complaint" in plan, tab
        assert "Seq Scan on complaints_complaint" not in plan, (tab, plan)
    counts_sql, params = (
        Complaint.objects.filter(team=org.team, status__in=Complaint.OPEN_STATUSES)
        .values("pk")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + counts_sql, params)
        count_plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on complaints_complaint" not in count_plan, count_plan
