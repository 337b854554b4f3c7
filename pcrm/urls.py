import sys

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import include, path, re_path
from django.views import defaults

from citizens import letter_views
from complaints import open311
from complaints.faq_views import faq_public
from complaints.urls import library_urlpatterns as answer_library
from complaints.urls import public_urlpatterns as complaint_public
from complaints.urls import qa_staff_urlpatterns as qa_staff
from complaints.urls import staff_urlpatterns as complaint_staff
from pcrm import views
from pcrm.api import errors as api_errors
from pcrm.lib.db import UNAVAILABLE
from pcrm.notify.urls import hook_urlpatterns as notify_hooks
from pcrm.org.views import LoginView
from scorecards.urls import staff_urlpatterns as scorecard_staff
from surveys.urls import public_urlpatterns as survey_public
from surveys.urls import staff_urlpatterns as survey_staff

UNAVAILABLE_RETRY_AFTER = 15  # seconds: about what a PostgreSQL restart takes

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
    path("favicon.ico", views.favicon),
    path("robots.txt", views.robots),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include("pcrm.org.urls")),
    path("staff/audit/", include("pcrm.audit.urls")),
    path("staff/citizens/", include("citizens.urls")),
    path("staff/notifications/", include("pcrm.notify.urls")),
    path("hooks/notify/", include(notify_hooks)),
    path("staff/complaints/", include(complaint_staff)),
    path("complaints/", include(complaint_public)),
    path("faq/", faq_public, name="faq"),
    path(
        "letters/unsubscribe/<str:token>/",
        letter_views.unsubscribe,
        name="e-letter-unsubscribe",
    ),
    path("staff/qa/", include(qa_staff)),
    path("staff/library/", include(answer_library)),
    path("staff/", include(survey_staff)),
    path("staff/", include(scorecard_staff)),
    path("s/", include(survey_public)),
    path("api/", include("pcrm.urls_api")),
    re_path(
        r"^open311/v2/services\.(?P<fmt>json|xml)$", open311.service_list, name="open311-services"
    ),
    path("open311/v2/services/<str:code>.json", open311.service_definition, name="open311-service"),
    path("open311/v2/requests.json", open311.requests_json, name="open311-requests"),
    re_path(
        r"^open311/v2/requests/(?P<receipt>[^/]+)\.(?P<fmt>json|xml)$",
        open311.request_detail,
        name="open311-request",
    ),
    path("admin/", admin.site.urls),
]


def handler404(request, exception):
    """JSON under /api/ (the API's error body), the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return api_errors.not_found(request)
    return defaults.page_not_found(request, exception)


def handler400(request, exception):
    """A malformed or oversized request: the API's error body under /api/, Open311's
    under /open311/, a page that says what to do elsewhere."""
    too_large = isinstance(exception, RequestDataTooBig)
    status = 413 if too_large else 400
    if request.path.startswith("/api/"):
        return api_errors.bad_request(request, too_large=too_large)
    if request.path.startswith("/open311/"):
        return open311.bad_request(too_large=too_large)
    return render(request, "400.html", {"too_large": too_large}, status=status)


def handler500(request):
    """A programming error, or the database out of reach for a moment (a restart, a
    dropped connection): then 503 with Retry-After, so people and clients try again.
    Rendered without the request's context: the session or the user may live in the
    database that just failed."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        if request.path.startswith("/api/"):
            response = api_errors.unavailable(request)
        elif request.path.startswith("/open311/"):
            response = open311.unavailable()
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
        return response
    if request.path.startswith("/api/"):
        return api_errors.server_error(request)
    return defaults.server_error(request)
