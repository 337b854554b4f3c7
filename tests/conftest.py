"""Personas every test reuses: two teams' members and leaders, a CS administrator,
an auditor, an anonymous visitor and an account that is not staff."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from pcrm.lib import refdata
from pcrm.org.models import Staff
from tests.factories import DepartmentFactory, StaffFactory, TeamFactory, UserFactory

Role = Staff.Role


@dataclass
class Org:
    team: object
    other_team: object
    member: Staff
    leader: Staff
    other_member: Staff
    other_leader: Staff
    cs_admin: Staff
    auditor: Staff


@pytest.fixture(autouse=True)
def _clean_cache():
    """The cache (and cache-backed sessions) lives in a real Redis: start each test empty,
    and without the reference data a previous test's rolled-back rows left in memory."""
    cache.clear()
    refdata.forget()
    yield
    cache.clear()
    refdata.forget()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def stored_files(settings):
    """The files in private storage now, as a sorted list of paths."""
    from pathlib import Path

    def files():
        return sorted(p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file())

    return files


@pytest.fixture
def org(db):
    department = DepartmentFactory(name="민원봉사과")
    team = TeamFactory(department=department, name="민원처리팀")
    other_team = TeamFactory(department=department, name="도로관리팀")
    leader = StaffFactory(user__username="leader", name="박정호", team=team, role=Role.TEAM_LEADER)
    team.leader = leader
    team.save()
    other_leader = StaffFactory(
        user__username="other_leader", name="전상철", team=other_team, role=Role.TEAM_LEADER
    )
    other_team.leader = other_leader
    other_team.save()
    return Org(
        team=team,
        other_team=other_team,
        member=StaffFactory(user__username="member", name="김서연", team=team),
        leader=leader,
        other_member=StaffFactory(user__username="other_member", name="홍다은", team=other_team),
        other_leader=other_leader,
        cs_admin=StaffFactory(
            user__username="csadmin", name="유경아", team=team, role=Role.CS_ADMIN
        ),
        auditor=StaffFactory(user__username="auditor", name="심재경", team=None, role=Role.AUDITOR),
    )


@pytest.fixture
def non_staff_user(db):
    """A valid account without a staff profile (e.g. a citizen-facing integration user)."""
    return UserFactory(username="outsider")


@pytest.fixture
def login(client):
    def do(staff_or_user):
        user = getattr(staff_or_user, "user", staff_or_user)
        client.force_login(user)
        return client

    return do


@pytest.fixture
def category(org):
    """A 3-day category owned by the personas' team."""
    from tests.factories import CategoryFactory

    return CategoryFactory(name="도로 파손 신고", team=org.team, period="3d")


@pytest.fixture(scope="session", autouse=True)
def _empty_test_queue():
    """Tasks sent during tests reach the real Redis broker; nobody consumes them there."""
    from pcrm.celery import app

    def clear():
        if app.conf.broker_url.startswith("redis://"):
            import redis

            redis.Redis.from_url(app.conf.broker_url).delete("celery")

    clear()
    yield
    clear()


@pytest.fixture(scope="module")
def driver():
    """One headless Chromium per browser-test module."""
    from tests.browser import chromium

    browser = chromium()
    yield browser
    browser.quit()
