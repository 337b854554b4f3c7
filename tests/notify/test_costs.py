"""The costs page: per month, channel and team, what went out and what it cost at the
configured prices; what failed or was replaced is not billed; a leader sees their team."""

import re
from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from pcrm.notify.models import Message

pytestmark = pytest.mark.django_db
KST = timezone.get_fixed_timezone(9 * 60)
DECEMBER = datetime(2026, 12, 10, 10, tzinfo=KST)


def _sent(team, billing, status="sent", *, at=DECEMBER, n=1):
    channel = {"lms": "sms"}.get(billing, billing)
    for _ in range(n):
        Message.objects.create(
            channel=channel,
            billing=billing,
            status=status,
            team=team,
            recipient="01012345678",
            body="안내",
            dedupe_key=f"cost:{Message.objects.count()}",
            created_at=at,
        )


@pytest.fixture
def outbox(org):
    _sent(org.team, "sms", n=3)
    _sent(org.team, "lms", "delivered", n=2)
    _sent(org.team, "alimtalk", "delivered", n=4)
    _sent(org.team, "alimtalk", "fell_back")  # replaced by an SMS: not billed
    _sent(org.team, "sms", "failed")  # not billed
    _sent(org.other_team, "email", n=5)
    _sent(org.other_team, "lms", n=1)
    _sent(org.other_team, "sms", at=datetime(2026, 11, 30, 23, tzinfo=KST), n=7)  # November


def test_the_month_per_team_and_channel_with_costs(
    client, org, outbox, settings, django_assert_num_queries
):
    settings.NOTIFY_PRICES = {"sms": "9", "lms": "30", "alimtalk": "8", "email": "0"}
    with time_machine.travel(DECEMBER, tick=False):
        client.force_login(org.cs_admin.user)
        with django_assert_num_queries(5):  # session, staff, the grouped count, teams, notices
            page = client.get("/staff/notifications/costs/", {"month": "2026-12"})
    text = page.content.decode()
    rows = {
        row[0]: row[1:]
        for row in (
            [cell.strip() for cell in re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", tr)]
            for tr in text.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")
            if "<t" in tr
        )
    }
    # SMS, LMS, 알림톡, e-mail, cost: 3x9 + 2x30 + 4x8 = 119; 30 + 0 = 30
    assert rows[org.team.name] == ["3", "2", "4", "0", "119"]
    assert rows[org.other_team.name] == ["0", "1", "0", "5", "30"]
    assert "합계: 149원" in text
    with time_machine.travel(DECEMBER, tick=False):
        november = client.get("/staff/notifications/costs/", {"month": "2026-11"}).content.decode()
    assert "합계: 63원" in november


def test_a_leader_sees_their_team_and_staff_see_nothing(client, org, outbox):
    with time_machine.travel(DECEMBER, tick=False):
        client.force_login(org.leader.user)
        text = client.get("/staff/notifications/costs/").content.decode()
    assert org.team.name in text and org.other_team.name not in text
    client.force_login(org.member.user)
    assert client.get("/staff/notifications/costs/").status_code == 403
