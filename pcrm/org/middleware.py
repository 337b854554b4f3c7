from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

_KEY = "pcrm_last_activity"
_REFRESH_AFTER = 60  # seconds; avoids writing the session on every request


class IdleTimeoutMiddleware:
    """Logs a user out after ``SESSION_IDLE_TIMEOUT`` seconds without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            last = request.session.get(_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request,
                    _("%(minutes)d분 동안 사용하지 않아 로그아웃되었습니다. 다시 로그인하세요.")
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60},
                )
            elif last is None or now - last > _REFRESH_AFTER:
                request.session[_KEY] = now
        return self.get_response(request)


@receiver(user_logged_in)
def _start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[_KEY] = timezone.now().timestamp()
