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

    call_command("seed_demo")
    assert _counts() == (2, 6, 30)
    assert "이미 있습니다" in capsys.readouterr().out


def test_demo_login_works(client):
    from pcrm.org.demo import DEMO_LOGINS, DEMO_PASSWORD

    call_command("seed_demo")
    for username, _role in DEMO_LOGINS:
        client.logout()
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert client.get("/staff/").status_code == 200
