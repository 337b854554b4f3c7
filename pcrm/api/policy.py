"""The API's policies, named in ``REST_FRAMEWORK`` (so nothing here imports the views):
who may call, how lists are paged, how often one may call."""

import time

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination, permissions, throttling

from pcrm.lib.net import client_ip
from pcrm.lib.ratelimit import allow
from pcrm.org.access import staff_of


class IsActiveStaff(permissions.BasePermission):
    """Logged in (session or token) as active staff; what they may see is the checkpoint's."""

    message = _("직원 계정으로만 쓸 수 있습니다.")

    def has_permission(self, request, view):
        return staff_of(request.user) is not None


class Pages(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = _("그런 쪽은 없습니다. 쪽 번호를 확인하세요.")


class StaffRateThrottle(throttling.BaseThrottle):
    """``API_RATE_LIMIT`` calls per member of staff (or address, before logging in) in
    each ``RATE_LIMIT_WINDOW``, counted in the shared cache so all web processes agree."""

    def allow_request(self, request, view):
        user = request.user
        who = f"user:{user.pk}" if getattr(user, "is_authenticated", False) else client_ip(request)
        return allow(f"api:{who}", limit=settings.API_RATE_LIMIT, window=settings.RATE_LIMIT_WINDOW)

    def wait(self):
        window = settings.RATE_LIMIT_WINDOW
        return window - time.time() % window
