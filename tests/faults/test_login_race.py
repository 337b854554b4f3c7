"""Fifty wrong passwords at once: at most LOGIN_FAILURE_LIMIT are checked."""

import threading

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client

from tests.concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)
checked = {"count": 0}
_lock = threading.Lock()


class CountingArgon2Hasher(Argon2PasswordHasher):
    """The real hasher, counting how many passwords it was asked to check."""

    def verify(self, password, encoded):
        with _lock:
            checked["count"] += 1
        return super().verify(password, encoded)


def test_fifty_parallel_wrong_passwords_try_at_most_the_limit(org, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingArgon2Hasher"]
    org.member.user.set_password("the-right-password-2026")
    org.member.user.save()
    checked["count"] = 0

    def guess():
        return (
            Client()
            .post("/accounts/login/", {"username": "member", "password": "wrong-guess"})
            .status_code
        )

    results, errors = at_once(guess, 50)
    assert errors == [] and results == [200] * 50
    assert checked["count"] <= settings.LOGIN_FAILURE_LIMIT
    assert checked["count"] >= 1
