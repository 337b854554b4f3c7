from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

_KEY = "pcrm_last_activity"
_COOKIE = "pcrm_seen"
_SESSION_REFRESH = 60  # seconds: how stale the stamp kept in the session may grow
_signer = signing.Signer(salt="pcrm.org.middleware.idle")


class IdleTimeoutMiddleware:
    """Logs a user out after ``SESSION_IDLE_TIMEOUT`` seconds without a request, counted
    to the second from the last request.

    The second of every request goes into a signed cookie bound to the session (no
    database write per request); the session itself keeps a stamp refreshed once a
    minute, which counts when the cookie is missing. A cookie cannot be forged to a later
    time, and sending an older one or none only ends the session sooner."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seen = None
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            stored = request.session.get(_KEY)
            last = max(stored or 0, _cookie_stamp(request))
            if last and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request,
                    _("%(minutes)d분 동안 사용하지 않아 로그아웃되었습니다. 다시 로그인하세요.")
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60},
                )
            else:
                if stored is None or now - stored >= _SESSION_REFRESH:
                    request.session[_KEY] = now
                seen = now
        response = self.get_response(request)
        key = request.session.session_key if hasattr(request, "session") else None
        still_in = getattr(request.user, "is_authenticated", False)  # the API may unset it
        if seen is not None and key and still_in:
            response.set_cookie(
                _COOKIE,
                _signer.sign(f"{key}:{seen}"),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def _cookie_stamp(request) -> int:
    """The second of the last request, from the cookie, if it belongs to this session."""
    try:
        key, stamp = _signer.unsign(request.COOKIES.get(_COOKIE, "")).rsplit(":", 1)
    except (signing.BadSignature, ValueError):
        return 0
    return int(stamp) if key == request.session.session_key and stamp.isdigit() else 0


@receiver(user_logged_in)
def _start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[_KEY] = int(timezone.now().timestamp())
