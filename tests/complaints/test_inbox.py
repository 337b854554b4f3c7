from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from complaints import workflow
from complaints.models import Complaint
from complaints.selectors import remaining
from pcrm.lib.calendar import BusinessCalendar
from tests.factories import CategoryFactory, FlagFactory, file_complaint

pytestmark = pytest.mark.django_db
KST = timezone.get_fixed_timezone(9 * 60)
MONDAY_10 = datetime(2026, 11, 23, 10, tzinfo=KST)


@pytest.mark.parametrize(
    ("now", "due", "text"),
    [
        ("2026-11-23T10:00", "2026-11-23T12:00", "2시간 남음"),
        ("2026-11-23T11:30", "2026-11-23T13:30", "1시간 남음"),  # lunch does not count
        ("2026-11-23T17:00", "2026-11-24T09:30", "1시간 남음"),
        ("2026-11-23T10:00", "2026-11-24T14:00", "1일 3시간 남음"),
        ("2026-11-23T10:00", "2026-11-23T10:20", "20분 남음"),
        ("2026-11-24T14:00", "2026-11-23T10:00", "1일 3시간 초과"),
        ("2026-11-30T10:00", "2026-11-27T17:00", "2시간 초과"),  # over a weekend
    ],
)
def test_remaining_time_in_working_hours(now, due, text):
    parse = lambda s: datetime.fromisoformat(s).replace(tzinfo=KST)  # noqa: E731
    assert remaining(BusinessCalendar(), parse(now), parse(due))[1] == text


def _kst(text):
    return datetime.fromisoformat(text).replace(tzinfo=KST)


@pytest.mark.parametrize(
    ("answered", "text", "late"),
    [
        ("2026-11-23T14:05", "11-23 14:05 답변 (기한 내)", False),
        ("2026-11-24T13:00", "11-24 13:00 답변 (3시간 늦음)", True),  # lunch does not count
    ],
)
def test_an_answered_complaint_says_when_and_whether_on_time(answered, text, late):
    due, much_later = _kst("2026-11-24T09:00"), _kst("2026-12-20T10:00")
    assert remaining(BusinessCalendar(), much_later, due, _kst(answered)) == (late, text)


def test_the_complaint_page_of_an_answered_complaint_has_no_time_left(org, login, category):
    complaint = file_complaint(category)[0]
    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    workflow.answer(staff=org.member, complaint=complaint, text="보수했습니다.")
    page = login(org.member).get(f"/staff/complaints/{complaint.pk}/").content.decode()
    assert "남음" not in page and "답변 (기한 내)" in page


@pytest.fixture
def work(org):
    """Complaints in every state the tabs distinguish."""
    quick = CategoryFactory(name="즉시 처리", team=org.team, period="immediate")
    slow = CategoryFactory(name="오래 걸림", team=org.team, period="7d")
    other = CategoryFactory(name="다른 팀 일", team=org.other_team, period="3d")
    with time_machine.travel(MONDAY_10 - timedelta(days=7), tick=False):
        overdue = file_complaint(quick, phone="01011110001", title="기한 지난 민원")[0]
    with time_machine.travel(MONDAY_10, tick=False):
        today = file_complaint(quick, phone="01011110002", title="오늘 마감 민원")[0]
        unassigned = file_complaint(slow, phone="01011110003", title="배정 안 된 민원")[0]
        mine = file_complaint(slow, phone="01011110004", title="내가 맡은 민원")[0]
        workflow.take(staff=org.member, complaint=mine)
        held = file_complaint(slow, phone="01011110005", title="보완 중인 민원")[0]
        held = workflow.take(staff=org.member, complaint=held)
        held = workflow.start(staff=org.member, complaint=held)
        workflow.request_supplement(staff=org.member, complaint=held, note="서류")
        foreign = file_complaint(other, phone="01011110006", title="남의 팀 민원")[0]
        done = file_complaint(slow, phone="01011110007", title="끝난 민원")[0]
    Complaint.objects.filter(pk=done.pk).update(status="closed")
    return locals()


def _titles(client, **params):
    with time_machine.travel(MONDAY_10 + timedelta(minutes=30), tick=False):
        response = client.get("/staff/complaints/", params)
    assert response.status_code == 200
    return [row.title for row in response.context["rows"]]


def test_each_tab_lists_its_complaints_by_deadline(client, org, work):
    client.force_login(org.member.user)
    assert _titles(client, tab="mine") == ["내가 맡은 민원", "보완 중인 민원"]
    assert _titles(client, tab="team") == [
        "기한 지난 민원",
        "오늘 마감 민원",
        "배정 안 된 민원",
        "내가 맡은 민원",
        "보완 중인 민원",
    ]
    assert _titles(client, tab="unassigned") == [
        "기한 지난 민원",
        "오늘 마감 민원",
        "배정 안 된 민원",
    ]
    assert _titles(client, tab="today") == ["오늘 마감 민원"]
    assert _titles(client, tab="overdue") == ["기한 지난 민원"]
    assert _titles(client, tab="hold") == ["보완 중인 민원"]


def test_filters_and_search(client, org, work):
    client.force_login(org.member.user)
    assert _titles(client, tab="team", status="supplement") == ["보완 중인 민원"]
    assert _titles(client, tab="team", q="배정 안") == ["배정 안 된 민원"]
    # a receipt number opens that complaint, from any tab
    found = client.get("/staff/complaints/", {"tab": "hold", "q": work["mine"].receipt_number})
    assert found["Location"] == f"/staff/complaints/{work['mine'].pk}/"
    live = client.get(
        "/staff/complaints/", {"q": work["mine"].receipt_number}, headers={"HX-Request": "true"}
    )
    assert live["HX-Redirect"] == f"/staff/complaints/{work['mine'].pk}/"
    assert _titles(client, tab="team", category=work["quick"].pk) == [
        "기한 지난 민원",
        "오늘 마감 민원",
    ]
    assert _titles(client, tab="team", channel="phone") == []


def test_vulnerable_filter_and_marks_follow_flag_visibility(client, org, work):
    FlagFactory(citizen=work["today"].citizen, set_by=org.leader)
    client.force_login(org.leader.user)
    assert _titles(client, tab="team", vulnerable="on") == ["오늘 마감 민원"]
    with time_machine.travel(MONDAY_10, tick=False):
        html = client.get("/staff/complaints/", {"tab": "team"}).content.decode()
    assert "취약고객" in html and "당일처리" in html and "초과" in html and "남음" in html
    client.force_login(org.member.user)
    with time_machine.travel(MONDAY_10, tick=False):
        html = client.get("/staff/complaints/", {"tab": "team"}).content.decode()
    assert "취약고객" not in html


def test_the_filters_show_what_was_chosen(client, org, category):
    client.force_login(org.member.user)
    html = client.get("/staff/complaints/", {"status": "supplement"}).content.decode()
    assert '<option value="supplement" selected>' in html
    assert f'<option value="{category.pk}" selected>' not in html
    html = client.get("/staff/complaints/", {"category": category.pk}).content.decode()
    assert f'<option value="{category.pk}" selected>' in html
    assert '<option value="" selected>' in html  # status and channel: all


def test_rows_are_written_escaped_with_their_marks(client, org, category):
    with time_machine.travel(MONDAY_10 - timedelta(days=7), tick=False):
        complaint = file_complaint(category, title="<b>굵게</b> & 보도")[0]
    client.force_login(org.member.user)
    with time_machine.travel(MONDAY_10, tick=False):
        html = client.get("/staff/complaints/", {"tab": "overdue"}).content.decode()
    assert "&lt;b&gt;굵게&lt;/b&gt; &amp; 보도" in html and "<b>굵게" not in html
    row = html[html.rindex("<tr", 0, html.index(f'<a href="/staff/complaints/{complaint.pk}/">')) :]
    row = row[: row.index("</tr>")]
    assert '<tr class="pcrm-overdue">' in row
    assert '<span class="krds-badge bg-light-information">당일처리</span>' in row
    assert '<strong class="pcrm-late">' in row and "초과" in row


def test_tab_counts(client, org, work):
    client.force_login(org.member.user)
    with time_machine.travel(MONDAY_10 + timedelta(minutes=30), tick=False):
        counts = client.get("/staff/complaints/").context["counts"]
    assert counts == {"mine": 2, "team": 5, "unassigned": 3, "today": 1, "overdue": 1, "hold": 1}


@pytest.mark.parametrize("tab", ["mine", "team", "unassigned", "today", "overdue", "hold"])
@pytest.mark.parametrize("extra", [0, 30])
def test_each_tab_uses_a_fixed_number_of_queries(
    client, org, work, django_assert_num_queries, tab, extra
):
    category = CategoryFactory(team=org.team, period="immediate")
    with time_machine.travel(MONDAY_10, tick=False):
        for n in range(extra):
            complaint = file_complaint(category, phone=f"0102222{n:04d}")[0]
            if n % 2:
                workflow.take(staff=org.member, complaint=complaint)
    client.force_login(org.member.user)
    # 1 session user with staff profile, 2 tab counts (also the list's count), 3 page of
    # complaints with category, citizen and assignee, 4 filter categories, 5 saved views,
    # 6 unread notifications in the header (temporary holidays come from the cache)
    with (
        time_machine.travel(MONDAY_10 + timedelta(minutes=30), tick=False),
        django_assert_num_queries(7),  # + the session read
    ):
        response = client.get("/staff/complaints/", {"tab": tab})
    assert response.context["rows"]  # every tab has rows in this fixture


def test_the_inbox_works_as_an_htmx_fragment(client, org, work):
    client.force_login(org.member.user)
    response = client.get("/staff/complaints/", {"tab": "team"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith('<div id="inbox-table-body">') and "<html" not in html


@pytest.mark.parametrize("rows", [1, 20])
def test_the_board_uses_a_fixed_number_of_queries(client, org, django_assert_num_queries, rows):
    category = CategoryFactory(team=org.team, period="immediate")
    with time_machine.travel(MONDAY_10, tick=False):
        for n in range(rows):
            file_complaint(category, phone=f"0103333{n:04d}")
    client.force_login(org.leader.user)
    # 1 session user with staff profile, 2 per-team figures, 3 at-risk list, 4 overdue list,
    # 5 unread notifications in the header
    with (
        time_machine.travel(MONDAY_10 + timedelta(hours=1), tick=False),
        django_assert_num_queries(6),  # + the session read
    ):
        response = client.get("/staff/complaints/today/")
    assert response.status_code == 200


def test_the_board_counts_today_and_the_same_day_rate(client, org):
    category = CategoryFactory(team=org.team, period="3d")
    with time_machine.travel(MONDAY_10, tick=False):
        answered = file_complaint(category, phone="01044440001")[0]
        file_complaint(category, phone="01044440002", title="위험한 민원")
        workflow.assign(staff=org.leader, complaint=answered, assignee=org.member)
        workflow.answer(staff=org.member, complaint=answered, text="처리했습니다")
    client.force_login(org.leader.user)
    with time_machine.travel(MONDAY_10 + timedelta(hours=6), tick=False):
        response = client.get("/staff/complaints/today/")
    row = response.context["stats"][0]
    assert (row["received"], row["answered"], row["same_day_rate"]) == (2, 1, 50)
    assert [c.title for c in response.context["at_risk"]] == ["위험한 민원"]


def test_detail_urls_match_reverse():
    from django.urls import reverse

    from complaints.selectors import detail_urls

    pks = [1, 42, 1000003]
    assert detail_urls(pks) == {pk: reverse("staff-complaint-detail", args=[pk]) for pk in pks}


def test_a_leader_assigns_several_at_once_and_hears_what_did_not_go(client, org, category):
    from pcrm.audit.models import AccessLog

    picked = [file_complaint(category, phone=f"0104444{n:04d}")[0] for n in range(3)]
    workflow.assign(staff=org.leader, complaint=picked[2], assignee=org.member)
    workflow.start(staff=org.member, complaint=picked[2])
    workflow.answer(staff=org.member, complaint=picked[2], text="답변했습니다.")
    client.force_login(org.leader.user)
    inbox = client.get("/staff/complaints/", {"tab": "unassigned"}).content.decode()
    assert f'name="ids" value="{picked[0].pk}" form="bulk-assign" id="pick-{picked[0].pk}"' in inbox
    ids = [str(c.pk) for c in picked]
    chosen = client.get("/staff/complaints/assign/", {"ids": ids}).content.decode()
    assert picked[0].receipt_number in chosen and picked[2].receipt_number not in chosen  # answered
    done = client.post(
        "/staff/complaints/assign/", {"ids": ids, "assignee": org.member.pk}, follow=True
    )
    assert "2건을 김서연 님에게 배정했습니다" in done.content.decode()
    assert {c.assignee_id for c in Complaint.objects.filter(pk__in=ids[:2])} == {org.member.pk}
    other_team = file_complaint(CategoryFactory(team=org.other_team), phone="01055550000")[0]
    client.post("/staff/complaints/assign/", {"ids": [other_team.pk], "assignee": org.member.pk})
    assert Complaint.objects.get(pk=other_team.pk).assignee_id is None  # not the leader's
    assert not AccessLog.objects.filter(action="export").exists()
    client.force_login(org.member.user)
    assert client.get("/staff/complaints/assign/").status_code == 403


def test_the_filtered_list_downloads_masked_and_logged(client, org, category):
    import io

    from openpyxl import load_workbook

    from pcrm.audit.models import AccessLog

    file_complaint(category, title="가로등 010-1234-5678 고장", name="김민수")
    file_complaint(category, title="보도블록 파손", phone="01099998888", name="이영희")
    client.force_login(org.leader.user)
    response = client.get("/staff/complaints/export.xlsx", {"tab": "team", "q": "가로등"})
    content = b"".join(response.streaming_content)  # streamed from a file, not built in memory
    rows = [r for r in load_workbook(io.BytesIO(content)).active.values if any(r)]
    assert rows[0][:4] == ("접수번호", "제목", "유형", "민원인")
    assert [r[1] for r in rows[1:]] == ["가로등 (전화번호) 고장"]
    assert rows[1][3] == "김*수"
    logged = AccessLog.objects.get(action="export")
    assert logged.actor == org.leader.user and "민원 목록 내려받기" in logged.purpose
