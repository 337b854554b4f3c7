import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from pcrm.audit.models import AccessLog
from pcrm.org.access import get_for_user, visible_to
from pcrm.org.models import Staff, Team
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_outsider_gets_404_for_another_teams_object(org):
    with pytest.raises(Http404):
        get_for_user(org.member.user, Team, pk=org.other_team.pk)
    with pytest.raises(Http404):
        get_for_user(org.member.user, Staff, pk=org.other_member.pk)


def test_member_sees_own_team_but_may_not_change_it(org):
    assert get_for_user(org.member.user, Team, pk=org.team.pk) == org.team
    with pytest.raises(PermissionDenied):
        get_for_user(org.member.user, Team, pk=org.team.pk, for_change=True)


def test_cs_admin_sees_and_changes_every_team(org):
    assert get_for_user(org.cs_admin.user, Team, pk=org.other_team.pk, for_change=True)


def test_auditor_reads_everything_and_changes_nothing(org):
    assert set(visible_to(org.auditor.user, Team)) == {org.team, org.other_team}
    with pytest.raises(PermissionDenied):
        get_for_user(org.auditor.user, Staff, pk=org.member.pk, for_change=True)


def test_only_the_auditor_sees_the_access_log(org):
    AccessLog.objects.create(subject_type="citizen", subject_id="1", action="view")
    assert visible_to(org.auditor.user, AccessLog).filter(subject_type="citizen").count() == 1
    for persona in (org.member, org.leader, org.cs_admin):
        assert not visible_to(persona.user, AccessLog).exists()


def test_inactive_staff_and_anonymous_see_nothing(org, non_staff_user):
    from django.contrib.auth.models import AnonymousUser

    org.member.active = False
    org.member.save()
    for user in (org.member.user, AnonymousUser(), non_staff_user):
        assert visible_to(user, Team).count() == 0


def test_team_page_of_another_team_is_404(client, org):
    client.force_login(org.member.user)
    assert client.get(f"/staff/teams/{org.other_team.pk}/").status_code == 404
    assert client.get("/staff/teams/999999/").status_code == 404


@pytest.mark.parametrize("extra_members", [0, 30])
def test_team_page_query_count_does_not_grow_with_members(
    client, org, django_assert_num_queries, extra_members
):
    StaffFactory.create_batch(extra_members, team=org.team)
    client.force_login(org.member.user)
    # 1 session user with staff profile, 2 team with department and leader,
    # 3 member count, 4 member page (with accounts), 5 unread notifications
    with django_assert_num_queries(6):  # + the session read
        response = client.get(f"/staff/teams/{org.team.pk}/")
    assert response.status_code == 200
    assert "김서연" in response.content.decode()
