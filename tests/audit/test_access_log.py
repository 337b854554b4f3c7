import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from pcrm.audit.models import AccessLog, AppendOnlyError
from pcrm.audit.services import record_access
from pcrm.org.models import Staff

pytestmark = pytest.mark.django_db


def test_record_access_keeps_account_time_ip_subject_action_and_purpose(org):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = org.member.user
    row = record_access(
        request=request, subject=org.leader, action=AccessLog.Action.VIEW, purpose="민원 처리"
    )
    row.refresh_from_db()
    assert row.actor == org.member.user
    assert row.actor_username == "member"
    assert row.ip == "10.1.2.3"
    assert (row.subject_type, row.subject_id) == ("org.staff", str(org.leader.pk))
    assert row.subject_label == "박*호"  # masked, never the full name
    assert (row.action, row.purpose) == ("view", "민원 처리")
    assert row.at is not None


def test_client_ip_trusts_only_the_configured_proxies(org, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    request.user = org.member.user
    row = record_access(request=request, subject=("citizen", 1), action="view")
    assert row.ip == "203.0.113.7"


@pytest.fixture
def row(db):
    return AccessLog.objects.create(subject_type="citizen", subject_id="1", action="view")


def test_saving_a_changed_row_raises(row):
    row.purpose = "tampered"
    with pytest.raises(AppendOnlyError):
        row.save()


def test_queryset_update_and_delete_raise(row):
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=row.pk).update(purpose="tampered")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=row.pk).delete()
    with pytest.raises(AppendOnlyError):
        row.delete()


def test_the_database_refuses_raw_updates_and_deletes(row):
    for sql in (
        "UPDATE audit_accesslog SET purpose = 'tampered' WHERE id = %s",
        "DELETE FROM audit_accesslog WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [row.pk])
    row.refresh_from_db()
    assert row.purpose == ""


def test_admin_offers_no_add_change_or_delete(client, org, row):
    client.force_login(org.cs_admin.user)
    assert client.get(f"/admin/audit/accesslog/{row.pk}/change/").status_code == 200  # view only
    response = client.post(f"/admin/audit/accesslog/{row.pk}/change/", {"purpose": "x"})
    assert response.status_code == 403
    assert (
        client.post(f"/admin/audit/accesslog/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert client.get("/admin/audit/accesslog/add/").status_code == 403
    row.refresh_from_db()
    assert row.purpose == ""


def test_role_change_is_recorded(org):
    org.member.role = Staff.Role.TEAM_LEADER
    org.member.save()
    change = AccessLog.objects.filter(
        action="permission_change", subject_type="org.staff", subject_id=str(org.member.pk)
    ).latest("id")
    assert change.detail == {"role": ["staff", "team_leader"]}


def test_saving_without_a_change_records_nothing(org):
    before = AccessLog.objects.count()
    org.member.phone_extension = "1234"
    org.member.save()
    assert AccessLog.objects.count() == before


def test_group_and_superuser_changes_are_recorded(org):
    group = Group.objects.create(name="민원 담당")
    org.member.user.groups.add(group)
    org.member.user.is_superuser = True
    org.member.user.save()
    details = list(
        AccessLog.objects.filter(action="permission_change", subject_type="auth.user")
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert {"groups": {"add": [group.pk]}} in details
    assert {"is_superuser": [False, True]} in details


def test_admin_role_change_records_the_acting_cs_admin(client, org):
    client.force_login(org.cs_admin.user)
    response = client.post(
        f"/admin/org/staff/{org.member.pk}/change/",
        {
            "user": org.member.user.pk,
            "name": org.member.name,
            "team": org.team.pk,
            "role": "team_leader",
            "phone_extension": "",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change = AccessLog.objects.filter(action="permission_change").latest("id")
    assert change.actor == org.cs_admin.user
    assert change.ip == "127.0.0.1"
    assert change.detail == {"role": ["staff", "team_leader"]}


def test_access_log_page_filters_and_query_count_is_fixed(client, org, django_assert_num_queries):
    for i in range(60):
        AccessLog.objects.create(
            subject_type="citizen", subject_id=str(i), action="view" if i % 2 else "export"
        )
    client.force_login(org.auditor.user)
    # 1 session user with staff profile, 2 count, 3 page of rows, 4 unread notifications
    with django_assert_num_queries(5):  # + the session read
        response = client.get("/staff/audit/access-log/", {"action": "export"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "30건" in html
    assert "내보내기" in html


def test_access_log_filter_with_reversed_dates_says_so(client, org):
    client.force_login(org.auditor.user)
    response = client.get(
        "/staff/audit/access-log/", {"date_from": "2026-11-30", "date_to": "2026-11-01"}
    )
    assert "시작일이 종료일보다 늦습니다" in response.content.decode()


def test_the_auditor_downloads_a_period_and_the_download_is_logged(client, org):
    import io
    from datetime import timedelta

    from django.utils import timezone
    from openpyxl import load_workbook

    from pcrm.audit.services import record_access
    from tests.factories import CitizenFactory

    citizen = CitizenFactory()
    for _n in range(3):
        record_access(subject=citizen, action="view", actor=org.member.user, purpose="조회")
    client.force_login(org.auditor.user)
    today = timezone.localdate()
    url = "/staff/audit/access-log/export.xlsx"

    without_period = client.get(url)
    assert without_period.status_code == 400
    assert "시작일과 종료일을 모두 고르세요" in without_period.content.decode()

    response = client.get(url, {"date_from": today.isoformat(), "date_to": today.isoformat()})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")

    def rows(content):
        return [row for row in load_workbook(io.BytesIO(content)).active.values if any(row)]

    table = rows(response.content)
    assert table[0][:4] == ("일시", "처리자", "접속지 IP", "수행업무")
    assert [row[1] for row in table[1:]].count(org.member.user.username) == 3
    assert len(table) - 1 == AccessLog.objects.exclude(action="export").count()  # the day
    logged = AccessLog.objects.get(action="export", subject_type="audit.accesslog")
    assert logged.subject_id == f"{today.isoformat()}~{today.isoformat()}"
    assert logged.detail == {"rows": len(table) - 1, "format": "xlsx"}
    assert logged.actor_username == org.auditor.user.username

    last_year = {"date_from": today - timedelta(days=400), "date_to": today - timedelta(days=366)}
    earlier = client.get(url, last_year)
    assert len(rows(earlier.content)) == 1  # the header alone
    client.force_login(org.leader.user)
    assert client.get(url, {"date_from": today, "date_to": today}).status_code == 403
