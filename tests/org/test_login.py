from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from pcrm.audit.models import AccessLog
from pcrm.org.models import LoginThrottle
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NOW = timezone.datetime(2026, 11, 23, 10, 0, tzinfo=timezone.get_fixed_timezone(9 * 60))


def _post_login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_page_is_korean(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert "직원 로그인" in html
    assert "본문 바로가기" in html
    assert 'id="id_username"' in html


def test_root_is_the_citizens_home_and_staff_go_on_to_theirs(client, org, settings):
    settings.ORGANISATION_PHONES = ["02-120-1234"]
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("민원 신청", "처리 상황 조회", "자주 묻는 질문", "02-120-1234", "직원 로그인"):
        assert text in html
    assert 'action="/faq/"' in html and 'name="q"' in html  # the FAQ search
    assert 'id="id_password"' not in html  # no staff sign-in form for citizens
    client.force_login(org.member.user)
    assert client.get("/")["Location"] == "/staff/"


def test_login_page_switches_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Staff login" in html
    assert "직원 로그인" not in html


def test_staff_logs_in_with_argon2_and_reaches_staff_home(client, org):
    assert org.member.user.password.startswith("argon2$")
    response = _post_login(client, "member", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert "김서연님, 안녕하세요" in client.get("/staff/").content.decode()


def test_logout_needs_post_and_ends_the_session(client, org):
    client.force_login(org.member.user)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/staff/").status_code == 302


def test_wrong_password_says_how_many_tries_are_left(client, org):
    response = _post_login(client, "member", "wrong-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "아이디 또는 비밀번호가 올바르지 않습니다" in html
    assert "4번 더 틀리면 계정이 15분 동안 잠깁니다" in html
    assert 'value="member"' in html  # what was typed stays


def test_five_failures_lock_the_account_for_fifteen_minutes_and_log_it(client, org):
    with time_machine.travel(NOW, tick=False) as traveller:
        for _ in range(5):
            _post_login(client, "member", "wrong-password")
        response = _post_login(client, "member", PASSWORD)  # even the right password
        assert "계정이 잠겼습니다" in response.content.decode()
        assert "_auth_user_id" not in client.session

        lock = AccessLog.objects.get(action=AccessLog.Action.LOCKOUT)
        assert lock.subject_label == "member"
        assert lock.subject_id == str(org.member.user.pk)
        assert lock.ip == "127.0.0.1"
        assert lock.detail["failures"] == 5

        traveller.shift(timedelta(minutes=14, seconds=59))
        assert "계정이 잠겼습니다" in _post_login(client, "member", PASSWORD).content.decode()

        traveller.shift(timedelta(seconds=2))
        assert _post_login(client, "member", PASSWORD).status_code == 302
    assert not LoginThrottle.objects.filter(username="member").exists()
    assert AccessLog.objects.filter(action=AccessLog.Action.LOCKOUT).count() == 1


def test_four_failures_then_success_resets_the_count(client, org):
    for _ in range(4):
        _post_login(client, "member", "wrong-password")
    assert _post_login(client, "member", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _post_login(client, "member", "wrong-password")
    assert LoginThrottle.objects.get(username="member").locked_until is None


def test_unknown_user_names_are_throttled_alike(client, db):
    for _ in range(5):
        _post_login(client, "nobody", "whatever")
    assert "계정이 잠겼습니다" in _post_login(client, "nobody", "whatever").content.decode()


def test_inactive_staff_cannot_log_in(client, org):
    org.member.active = False
    org.member.save()
    response = _post_login(client, "member", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_idle_session_expires_after_thirty_minutes(client, org):
    with time_machine.travel(NOW, tick=False) as traveller:
        assert _post_login(client, "member", PASSWORD).status_code == 302
        traveller.shift(timedelta(minutes=29))
        assert client.get("/staff/").status_code == 200  # activity keeps the session alive
        traveller.shift(timedelta(minutes=29))
        assert client.get("/staff/").status_code == 200
        traveller.shift(timedelta(minutes=30, seconds=1))
        response = client.get("/staff/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "30분 동안 사용하지 않아 로그아웃되었습니다" in response.content.decode()


def test_the_idle_clock_counts_from_the_last_request_to_the_second(client, org):
    with time_machine.travel(NOW, tick=False) as traveller:
        assert _post_login(client, "member", PASSWORD).status_code == 302
        traveller.shift(timedelta(seconds=45))
        assert client.get("/staff/").status_code == 200  # active 45 s after login
        traveller.shift(timedelta(minutes=30))  # exactly the timeout since that request
        assert client.get("/staff/").status_code == 200
        traveller.shift(timedelta(minutes=30, seconds=1))  # one second more
        assert client.get("/staff/")["Location"].startswith("/accounts/login/")


def test_idle_clock_starts_at_login(client, org):
    with time_machine.travel(NOW, tick=False) as traveller:
        assert _post_login(client, "member", PASSWORD).status_code == 302
        traveller.shift(timedelta(minutes=30, seconds=1))
        response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_browser_language_does_not_override_korean(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ko">' in html


def test_failed_login_states_the_error_before_the_warning(client, org):
    response = _post_login(client, "member", "wrong-password")
    errors = [str(e) for e in response.context["form"].non_field_errors()]
    assert errors == [
        "아이디 또는 비밀번호가 올바르지 않습니다. 다시 확인하세요.",
        "4번 더 틀리면 계정이 15분 동안 잠깁니다.",
    ]


def test_password_validators_reject_weak_passwords_in_korean(org):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678", "password", "member1"):
        with pytest.raises(ValidationError) as excinfo:
            validate_password(weak, user=org.member.user)
        assert any("비밀번호" in message for message in excinfo.value.messages), weak
    validate_password("민원-처리-2026-당일!", user=org.member.user)
