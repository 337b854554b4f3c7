from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pcrm.lib.forms import KrdsFormMixin
from pcrm.lib.net import client_ip
from pcrm.org import services


class StaffLoginForm(KrdsFormMixin, AuthenticationForm):
    """Login that locks a user name after consecutive failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("아이디 또는 비밀번호가 올바르지 않습니다. 다시 확인하세요."),
        "inactive": _("사용이 중지된 계정입니다. CS 담당관에게 문의하세요."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("아이디")
        self.fields["password"].label = _("비밀번호")

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        attempt = None
        if username and self.cleaned_data.get("password"):
            attempt = services.login_attempt(username)  # counted before the password
            if not attempt.allowed:
                raise self._locked_error(attempt.locked_until)
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if attempt is None:
                raise
            services.login_failed(username, attempt, ip=client_ip(self.request))
            if attempt.locked_until is not None:
                raise self._locked_error(attempt.locked_until) from None
            remaining = settings.LOGIN_FAILURE_LIMIT - attempt.failures
            warning = ngettext(
                "%(count)d번 더 틀리면 계정이 %(minutes)d분 동안 잠깁니다.",
                "%(count)d번 더 틀리면 계정이 %(minutes)d분 동안 잠깁니다.",
                remaining,
            ) % {"count": remaining, "minutes": settings.LOGIN_LOCKOUT_SECONDS // 60}
            raise forms.ValidationError([*error.error_list, warning]) from None
        services.login_succeeded(username)
        return cleaned

    @staticmethod
    def _locked_error(locked_until):
        local = timezone.localtime(locked_until)
        return forms.ValidationError(
            _(
                "로그인에 연속으로 실패하여 계정이 잠겼습니다. "
                "%(time)s 이후에 다시 시도하거나 CS 담당관에게 문의하세요."
            )
            % {"time": local.strftime("%H:%M")},
            code="locked",
        )
