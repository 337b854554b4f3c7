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
    assert set(surveys["periods"]) >= {"2025 하반기", "2026 상반기"}
    assert surveys["responses"] > 100 and surveys["evaluations"] > 0
    assert surveys["interviews"] > 0 and surveys["calls"] > 0

    call_command("seed_demo")
    assert _counts() == (2, 6, 30)
    assert _survey_counts() == surveys
    assert "이미 있습니다" in capsys.readouterr().out


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
