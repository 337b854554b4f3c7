"""Enumerating public feeds and secret links: Open311 without a key carries no personal
data (checked with the shared detector and the seeded strings), and guessing tracking
links, receipts or survey tokens from one address is stopped at the tracking limit."""

import json

import pytest

from complaints.models import Complaint
from pcrm.lib import personal_data
from tests.factories import file_complaint

pytestmark = pytest.mark.django_db
SEEDED = [
    "홍길동 010-1234-5678 집 앞 가로등 900101-1234567",
    "김영희 씨 +82 10 9876 5432 카드 4532-1234-5678-9014",
    "이메일 hong@example.com 계좌 110-123-456789 박철수 드림",
]


def test_an_open311_crawl_without_a_key_finds_no_personal_data(client, category):
    complaints = []
    for n, title in enumerate(SEEDED):
        complaints.append(
            file_complaint(category, phone=f"0107777{n:04d}", name=title[:3], title=title)[0]
        )
    Complaint.objects.filter(pk=complaints[1].pk).update(published=True)  # one published
    bodies = [client.get("/open311/v2/requests.json").content.decode()]
    for complaint in complaints:
        for fmt in ("json", "xml"):
            response = client.get(f"/open311/v2/requests/{complaint.receipt_number}.{fmt}")
            assert response.status_code == 200
            bodies.append(response.content.decode())
    rows = json.loads(bodies[0])
    assert len(rows) == len(SEEDED)
    for body in bodies:
        texts = (
            [body] if body.startswith("<") else [json.dumps(json.loads(body), ensure_ascii=False)]
        )
        for text in texts:
            assert personal_data.find(text) == []
            for seeded in SEEDED:
                for part in seeded.split():
                    if len(part) >= 4 and not part.isalpha():
                        assert part not in text


@pytest.mark.parametrize(
    "path",
    [
        "/complaints/track/{guess}/",
        "/complaints/receipt/{guess}/",
        "/s/{guess}/",
    ],
)
def test_guessing_secret_links_is_stopped(client, category, settings, path):
    settings.TRACKING_RATE_LIMIT = 5
    _complaint, secret = file_complaint(category)
    statuses = [client.get(path.format(guess=f"guess-{n:05d}")).status_code for n in range(8)]
    assert statuses[:5] in ([404] * 5, [410] * 5)
    assert statuses[6:] == [429, 429]
    # the right link answers 429 too now: the answer tells a guesser nothing
    assert client.get(f"/complaints/track/{secret}/").status_code == 429
    other = client.get(f"/complaints/track/{secret}/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # another address is not held back
