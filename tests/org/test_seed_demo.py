import pytest
from django.core.management import call_command

from pcrm.org.models import Department, Staff, Team

pytestmark = pytest.mark.django_db


def _counts():
    return (Department.objects.count(), Team.objects.count(), Staff.objects.count())


def test_seed_demo_builds_the_organisation_once(capsys):
    call_command("seed_demo")
    assert _counts() == (2, 6, 30)
    assert set(Staff.objects.values_list("role", flat=True)) == set(Staff.Role.values)
    assert not Team.objects.filter(leader__isnull=True).exists()
    assert not Department.objects.filter(head__isnull=True).exists()
    assert all(len(name) >= 2 for name in Staff.objects.values_list("name", flat=True))

    surveys = _survey_counts()
    # two half-years of team surveys with responses, evaluations, interviews and calls
    assert len(surveys["periods"]) >= 2
    assert surveys["responses"] > 100 and surveys["evaluations"] > 0
    assert surveys["interviews"] > 0 and surveys["calls"] > 0
    _assert_a_living_organisation(capsys.readouterr().out)

    call_command("seed_demo")
    assert _counts() == (2, 6, 30)
    assert _survey_counts() == surveys
    again = capsys.readouterr().out
    assert "이미 있습니다" in again
    assert "/complaints/track/" in again and "/s/" in again  # the links, every time


def _assert_a_living_organisation(output: str):
    """A year of history relative to today: mostly answered on time, work due today and
    on hold, scorecards with a shape, a Q&A book; links a newcomer can open."""
    import re
    from datetime import timedelta

    from django.db.models import F
    from django.test import Client
    from django.utils import timezone

    from complaints.models import Complaint, QABook
    from scorecards.models import PeriodScore

    now = timezone.now()
    oldest = Complaint.objects.order_by("received_at").first().received_at
    assert now - oldest > timedelta(days=300)
    answered = Complaint.objects.filter(answered_at__isnull=False)
    late = answered.filter(answered_at__gt=F("due_at")).count()
    assert answered.count() > 500 and 0 < late < answered.count() * 0.1
    assert answered.filter(answered_at__lte=F("same_day_due_at")).exists()
    today = timezone.localdate()
    open_now = Complaint.objects.filter(status__in=Complaint.OPEN_STATUSES)
    assert open_now.filter(due_at__date=today).exists()
    assert open_now.filter(status="supplement").exists()
    assert open_now.filter(due_at__lt=now).count() <= 5  # a few overdue, not all
    scored_months = (
        PeriodScore.objects.filter(kind="month", team__isnull=False, composite__isnull=False)
        .values("period")
        .distinct()
        .count()
    )
    assert scored_months >= 10
    assert QABook.objects.filter(items__isnull=False).exists()
    client = Client()
    links = re.findall(r"http://[^/]+(/(?:complaints/track|s)/[^\s]+/)", output)
    assert len(links) == 3, output  # answered, waiting for a supplement, a survey
    for path in links:
        assert client.get(path).status_code == 200, path


def _survey_counts():
    from surveys.models import Call, Campaign, CourtesyEvaluation, LeaderInterview, Response

    return {
        "periods": sorted(set(Campaign.objects.values_list("period", flat=True))),
        "responses": Response.objects.count(),
        "evaluations": CourtesyEvaluation.objects.count(),
        "interviews": LeaderInterview.objects.count(),
        "calls": Call.objects.count(),
    }


def test_demo_login_works(client):
    from pcrm.org.demo import DEMO_LOGINS, DEMO_PASSWORD

    call_command("seed_demo")
    for username, _role in DEMO_LOGINS:
        client.logout()
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert client.get("/staff/", follow=True).status_code == 200  # leaders: the dashboard
