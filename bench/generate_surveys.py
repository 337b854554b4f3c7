"""Add survey scale data to a database bench/generate.py filled: by default 500,000
responses over six half-years (external, internal and cooperation surveys and
happy-calls), ratings on a third of the answered complaints, then the scorecards' daily
rollups over the whole range and the stored scores of the last six periods of each kind.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/pcrm_bench1m \\
        .venv/bin/python bench/generate_surveys.py [--responses 500000]

Responses go in with COPY (with their per-dimension scores, which is what results and
scorecards read; the item rows behind them are left out).
"""

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcrm.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.generate import _copy  # noqa: E402
from pcrm.lib.calendar import SEOUL  # noqa: E402
from pcrm.lib.periods import Period  # noqa: E402
from pcrm.org.models import Team  # noqa: E402
from scorecards import services as scorecard_services  # noqa: E402
from surveys import services  # noqa: E402
from surveys.models import Campaign, Response  # noqa: E402

QUESTIONS = [
    ("likert5", "kindness", "친절했습니까?"),
    ("likert5", "speed", "신속했습니까?"),
    ("likert5", "overall", "전반적으로 만족하십니까?"),
]


def halves(today: date, count: int = 6) -> list[Period]:
    period = Period.containing("half", today)
    found = [period]
    for _n in range(count - 1):
        period = period.previous()
        found.append(period)
    return list(reversed(found))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=500_000)
    args = parser.parse_args()
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    if Response.objects.exists():
        print("survey responses are there already: only the rollups and scores", flush=True)
    else:
        add_responses(args.responses, started)
    today = datetime.now(tz=SEOUL).date()
    first = today - timedelta(days=3 * 365 + 2)
    rows = scorecard_services.rollup_refresh(start=first, end=today + timedelta(days=1))
    print(f"rollups: {rows} team-days in {time.monotonic() - started:.0f} s", flush=True)
    stored = 0
    for kind in ("month", "quarter", "half"):
        period = Period.containing(kind, today)
        for _n in range(6):
            stored += scorecard_services.scores_store(period)
            period = period.previous()
    stored += scorecard_services.snapshot_week()
    print(f"stored scores: {stored}; done in {time.monotonic() - started:.0f} s", flush=True)


def add_responses(count: int, started: float) -> None:
    rng = random.Random(20261124)
    today = datetime.now(tz=SEOUL).date()
    teams = list(Team.objects.values_list("pk", flat=True))
    mood = {team: rng.uniform(0.5, 0.85) for team in teams}
    campaigns = []
    for kind in ("external", "internal", "cooperation"):
        questionnaire = services.questionnaire_create(
            code=f"bench-{kind}", title=f"bench {kind}", questions=QUESTIONS
        )
        for period in halves(today):
            campaigns.append(
                Campaign.objects.create(
                    name=f"{period.code} {kind}",
                    kind=kind,
                    questionnaire=questionnaire,
                    period=period.code,
                    starts_on=period.start,
                    ends_on=min(period.end - timedelta(days=1), today),
                    active=False,
                )
            )
    happy = Campaign.objects.create(
        name="bench happy-calls",
        kind="happy_call",
        questionnaire=services.questionnaire_create(
            code="bench-happy", title="bench happy", questions=QUESTIONS
        ),
        period="bench",
        starts_on=today - timedelta(days=3 * 365),
        ends_on=today,
    )
    campaigns.append(happy)

    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM surveys_response")
        first_id = cursor.fetchone()[0] + 1
    responses, scores = [], []
    for n in range(count):
        campaign = campaigns[n % len(campaigns)]
        team = teams[rng.randrange(len(teams))]
        anonymous = campaign.kind in {"internal", "cooperation"}
        values = [max(1, min(5, round(rng.gauss(mood[team] * 4 + 1, 0.9)))) for _q in QUESTIONS]
        points = [(v - 1) * 25.0 for v in values]
        total = sum(points) / len(points)
        day = campaign.starts_on + timedelta(
            days=rng.randint(0, max(0, (campaign.ends_on - campaign.starts_on).days))
        )
        at = None if anonymous else datetime.combine(day, datetime.min.time(), tzinfo=SEOUL)
        pk = first_id + n
        channel = "phone" if campaign is happy else ("email" if anonymous else "web")
        responses.append((pk, campaign.pk, team, channel, at, f"{total:.2f}"))
        for (_kind, dimension, _text), score in zip(QUESTIONS, points, strict=True):
            scores.append((pk, campaign.pk, team, dimension, f"{score:.2f}"))
        scores.append((pk, campaign.pk, team, "total", f"{total:.2f}"))
    _copy(
        "surveys_response",
        ["id", "campaign_id", "team_id", "channel", "submitted_at", "overall"],
        responses,
    )
    _copy(
        "surveys_dimensionscore",
        ["response_id", "campaign_id", "team_id", "dimension", "score"],
        scores,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('surveys_response', 'id'), "
            "(SELECT MAX(id) FROM surveys_response))"
        )
        cursor.execute(  # a third of the answered complaints were rated
            "UPDATE complaints_complaint SET rating = 1 + (id * 7919) % 5, "
            "rated_at = answered_at + interval '2 days' "
            "WHERE answered_at IS NOT NULL AND id % 3 = 0"
        )
    with connection.cursor() as cursor:
        # what autovacuum does to a database in use: visibility maps (index-only scans
        # need no heap visits) and statistics (the planner sees the real row counts)
        cursor.execute("VACUUM ANALYZE")
    print(f"responses: {len(responses)} in {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
