"""``Authorization: Token <key>`` for staff; sessions (with CSRF) work as on the pages."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from pcrm.lib.crypto import secret_digest
from pcrm.org.models import ApiToken

TOUCH_EVERY = timedelta(minutes=5)  # last_used_at is updated at most this often


class StaffTokenAuthentication(authentication.BaseAuthentication):
    keyword = b"token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("토큰은 'Authorization: Token <키>' 꼴로 보내세요.")
            )
        key = parts[1].decode("latin-1")
        token = (
            ApiToken.objects.select_related("staff__user")
            .filter(key_hash=secret_digest(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.staff.active or not token.staff.user.is_active:
            raise exceptions.AuthenticationFailed(_("토큰이 올바르지 않거나 폐기되었습니다."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.staff.user, token

    def authenticate_header(self, request):
        return 'Token realm="api"'
