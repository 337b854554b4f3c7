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
        days_ago = timedelta(days=1 + n % 900)  # closed work is spread over the past
        row.received_at = template.received_at - days_ago
        row.answered_at = row.received_at + timedelta(hours=2)
        row.same_day_due_at = template.same_day_due_at and template.same_day_due_at - days_ago
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


def _plans(queries) -> list[str]:
    plans = []
    with connection.cursor() as cursor:
        for query in queries:
            if "complaints_complaint" in query["sql"]:
                cursor.execute("EXPLAIN " + query["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_the_same_day_board_and_the_daily_rollups_use_indexes(org, history):
    if connection.vendor != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from pcrm.org.calendar import organisation_calendar

    with CaptureQueriesContext(connection) as board_queries:
        selectors.board(org.cs_admin.user)  # all teams: only the day bounds narrow it
    start = timezone.now() - timedelta(days=30)
    with CaptureQueriesContext(connection) as rollup_queries:
        selectors.handling_facts(start, start + timedelta(days=1), organisation_calendar())
        selectors.equity_facts(start, start + timedelta(days=1), organisation_calendar())
    plans = _plans(board_queries.captured_queries) + _plans(rollup_queries.captured_queries)
    assert len(plans) >= 6
    for plan in plans:
        assert "Seq Scan on complaints_complaint" not in plan, plan


def test_tabs_of_one_status_say_it_once_and_the_planner_knows_the_pairing(org, history):
    """A redundant 'status IN (open)' beside 'status = received', or a planner that does
    not know every received complaint is unassigned, made it expect two rows and sort all
    of a team's unassigned complaints (1M-row benchmark: 2.7 ms → 0.5 ms)."""
    if connection.vendor != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    for tab in selectors.PINNED_STATUS:
        sql = str(selectors.inbox(org.member.user, tab=tab, filters=selectors.InboxFilters()).query)
        assert '"complaints_complaint"."status" IN' not in sql, (tab, sql)
    hold = selectors.inbox(
        org.member.user, tab="hold", filters=selectors.InboxFilters(status="received")
    )
    assert not hold.exists()  # a status filter still narrows a tab of another status
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxkind FROM pg_statistic_ext WHERE stxname = 'complaint_status_assignee'"
        )
        assert cursor.fetchone() is not None
