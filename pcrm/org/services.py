"""Business actions of the organisation app."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from pcrm.audit.models import AccessLog
from pcrm.audit.services import record_access
from pcrm.org.models import LoginThrottle

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoginAttempt:
    """An attempt counted before its password is checked: refused while the name is
    locked; ``failures`` counts this one as failed until it succeeds."""

    allowed: bool
    failures: int
    locked_until: datetime | None


@transaction.atomic
def login_attempt(username: str) -> LoginAttempt:
    """Count an attempt on ``username`` before its password is checked, under the row's
    lock, so that however many arrive at once at most ``LOGIN_FAILURE_LIMIT`` are tried:
    the attempt that reaches the limit locks the name for the ones after it (a correct
    password then clears it, ``login_succeeded``)."""
    now = timezone.now()
    throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(username=username)
    if throttle.locked_until is not None and throttle.locked_until > now:
        return LoginAttempt(False, throttle.failures, throttle.locked_until)
    if throttle.locked_until is not None:
        throttle.failures, throttle.locked_until = 0, None  # an expired lock starts afresh
    throttle.failures += 1
    throttle.last_failure_at = now
    if throttle.failures >= settings.LOGIN_FAILURE_LIMIT:
        throttle.locked_until = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    throttle.save()
    return LoginAttempt(True, throttle.failures, throttle.locked_until)


def login_failed(username: str, attempt: LoginAttempt, *, ip: str | None) -> None:
    """The attempt's password was wrong: log the lock if this attempt set it."""
    if attempt.locked_until is None:
        return
    logger.warning("login locked for %r from %s until %s", username, ip, attempt.locked_until)
    user = get_user_model()._default_manager.filter(username=username).first()
    record_access(
        subject=("auth.user", user.pk if user else "", username),
        action=AccessLog.Action.LOCKOUT,
        ip=ip,
        purpose="로그인 연속 실패",
        detail={"failures": attempt.failures, "locked_until": attempt.locked_until.isoformat()},
    )


def login_succeeded(username: str) -> None:
    LoginThrottle.objects.filter(username=username).delete()


def record_permission_change(subject, *, changes: dict) -> None:
    """Write a role/permission change of an account into the access log."""
    record_access(
        subject=subject,
        action=AccessLog.Action.PERMISSION_CHANGE,
        purpose="권한 변경",
        detail=changes,
    )
