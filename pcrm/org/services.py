"""Business actions of the organisation app."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from pcrm.audit.models import AccessLog
from pcrm.audit.services import record_access
from pcrm.org.models import LoginThrottle

logger = logging.getLogger(__name__)


def login_locked_until(username: str):
    """When the lock on ``username`` ends, or ``None`` if it may try now."""
    locked_until = (
        LoginThrottle.objects.filter(username=username, locked_until__gt=timezone.now())
        .values_list("locked_until", flat=True)
        .first()
    )
    return locked_until


@transaction.atomic
def login_failed(username: str, *, ip: str | None) -> LoginThrottle:
    """Count one failed attempt; the ``LOGIN_FAILURE_LIMIT``-th in a row locks the name."""
    now = timezone.now()
    throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(username=username)
    if throttle.locked_until is not None and throttle.locked_until <= now:
        throttle.failures, throttle.locked_until = 0, None  # an expired lock starts afresh
    throttle.failures += 1
    throttle.last_failure_at = now
    if throttle.failures >= settings.LOGIN_FAILURE_LIMIT and throttle.locked_until is None:
        throttle.locked_until = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
        logger.warning("login locked for %r from %s until %s", username, ip, throttle.locked_until)
        user = get_user_model()._default_manager.filter(username=username).first()
        record_access(
            subject=("auth.user", user.pk if user else "", username),
            action=AccessLog.Action.LOCKOUT,
            ip=ip,
            purpose="로그인 연속 실패",
            detail={
                "failures": throttle.failures,
                "locked_until": throttle.locked_until.isoformat(),
            },
        )
    throttle.save()
    return throttle


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
