"""The demo organisation that ``manage.py seed_demo`` loads (fixed, so reruns add nothing)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pcrm.org.models import Department, Staff, Team

DEMO_PASSWORD = "pcrm-demo-2026!"  # noqa: S105 — published demo credential

# department -> teams -> [leader, members...]; cs_admin and auditor accounts are listed apart.
ORGANISATION = {
    "민원봉사과": {
        "민원총괄팀": ["박정호", "김서연", "이도윤", "최민준", "정하은"],
        "민원처리팀": ["강지훈", "조수빈", "윤서준", "장예린", "임현우"],
        "고객만족팀": ["한미경", "오지민", "서준혁", "신유나"],
    },
    "생활환경과": {
        "환경관리팀": ["권태식", "황보영", "안성민", "송지아"],
        "도로관리팀": ["전상철", "홍다은", "고민석", "문서윤"],
        "교통행정팀": ["배영숙", "백승현", "허지우", "남궁민", "노은채"],
    },
}
CS_ADMINS = [("csadmin", "유경아", "고객만족팀"), ("csadmin2", "차동욱", "고객만족팀")]
AUDITORS = [("auditor", "심재경")]


def _accounts():
    """(username, name, team name or None, role) for every demo staff member."""
    leader_no = staff_no = 0
    for teams in ORGANISATION.values():
        for team_name, (leader, *members) in teams.items():
            leader_no += 1
            yield f"leader{leader_no}", leader, team_name, Staff.Role.TEAM_LEADER
            for name in members:
                staff_no += 1
                yield f"staff{staff_no}", name, team_name, Staff.Role.STAFF
    for username, name, team_name in CS_ADMINS:
        yield username, name, team_name, Staff.Role.CS_ADMIN
    for username, name in AUDITORS:
        yield username, name, None, Staff.Role.AUDITOR


@transaction.atomic
def seed_organisation() -> int:
    """Create what is missing of the demo organisation; returns how many staff were added."""
    User = get_user_model()
    teams = {}
    for department_name, team_names in ORGANISATION.items():
        department, _ = Department.objects.get_or_create(name=department_name)
        for team_name in team_names:
            teams[team_name], _ = Team.objects.get_or_create(department=department, name=team_name)
    existing = set(User.objects.values_list("username", flat=True))
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
    added = 0
    for username, name, team_name, role in _accounts():
        if username in existing:
            continue
        user = User.objects.create(username=username, password=password_hash)
        Staff.objects.create(user=user, name=name, team=teams.get(team_name), role=role)
        added += 1
    for team in Team.objects.filter(leader__isnull=True):
        team.leader = team.members.filter(role=Staff.Role.TEAM_LEADER).first()
        if team.leader:
            team.save(update_fields=["leader"])
    for department in Department.objects.filter(head__isnull=True):
        department.head = (
            Staff.objects.filter(team__department=department, role=Staff.Role.TEAM_LEADER)
            .order_by("user__username")
            .first()
        )
        if department.head:
            department.save(update_fields=["head"])
    return added


DEMO_LOGINS = [
    ("csadmin", _("CS 담당관")),
    ("leader1", _("팀장 (민원총괄팀)")),
    ("staff1", _("담당자 (민원총괄팀)")),
    ("auditor", _("감사")),
]
