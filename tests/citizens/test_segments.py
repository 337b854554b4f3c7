from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from citizens.models import Citizen
from citizens.segments import segment_counts
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 10, tzinfo=timezone.get_fixed_timezone(9 * 60))


@pytest.fixture
def population():
    with time_machine.travel(NOW, tick=False):
        CitizenFactory(birth_year=2010, contact_count=0, preferred_channel="sms")  # under 20
        CitizenFactory(
            birth_year=1996, contact_count=1, last_contact_at=NOW - timedelta(days=5)
        )  # 30s
        CitizenFactory(
            birth_year=1997, contact_count=3, last_contact_at=NOW - timedelta(days=60)
        )  # 20s
        CitizenFactory(
            birth_year=1950,
            contact_count=7,
            last_contact_at=NOW - timedelta(days=400),
            preferred_channel="phone",
            vulnerable=True,
        )  # 70+
        CitizenFactory(birth_year=None, contact_count=2, last_contact_at=NOW - timedelta(days=200))


def test_every_bucket_is_counted_in_one_query(population, django_assert_num_queries):
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(1):
        counts = {
            dimension.key: {bucket.key: n for bucket, n in buckets}
            for dimension, buckets in segment_counts(Citizen.objects.all(), sees_flags=True)
        }
    assert counts["age"] == {
        "under20": 1,
        "20s": 1,
        "30s": 1,
        "40s": 0,
        "50s": 0,
        "60s": 0,
        "70plus": 1,
        "unknown": 1,
    }
    assert counts["frequency"] == {"none": 1, "once": 1, "some": 2, "frequent": 1}
    assert counts["recency"] == {"30d": 1, "90d": 1, "1y": 1, "older": 1, "never": 1}
    assert counts["channel"]["phone"] == 1 and counts["channel"]["sms"] == 4
    assert counts["vulnerability"] == {"yes": 1, "no": 4}


def test_list_filters_by_segment(client, org, population):
    client.force_login(org.member.user)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/staff/citizens/", {"age": "70plus"}).context["page"]
        assert [c.birth_year for c in page] == [1950]
        page = client.get("/staff/citizens/", {"frequency": "some", "recency": "90d"}).context[
            "page"
        ]
        assert [c.birth_year for c in page] == [1997]


@pytest.mark.parametrize("rows", [0, 30])
def test_segments_page_query_count_is_fixed(client, org, django_assert_num_queries, rows):
    CitizenFactory.create_batch(rows)
    client.force_login(org.leader.user)
    # 1 session user with staff profile, 2 bucket counts, 3 total, 4 district counts,
    # 5 unread notifications
    with django_assert_num_queries(6):  # + the session read
        response = client.get("/staff/citizens/segments/")
    assert "연령대" in response.content.decode()
