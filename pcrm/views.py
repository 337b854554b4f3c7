from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from pcrm import health
from pcrm.lib.net import client_ip, ip_in
from pcrm.ops import metrics as ops_metrics
from pcrm.org.access import is_cs_admin


@require_GET
def home(request):
    """The citizen's front door: file, track, the FAQ, how to reach the organisation.
    Staff who are signed in go on to their own landing page."""
    if request.user.is_authenticated and hasattr(request.user, "staff"):
        return redirect("staff-home")
    return render(request, "public/home.html")


# what the site cannot work without; the others (broker, cache) only delay or slow it
ESSENTIAL = {"database", "migrations"}


def _report(problems: dict[str, str | None]) -> JsonResponse:
    """``ok``; ``degraded`` (200: keep sending traffic) while only the broker or the cache
    is down, which citizens and staff do not notice beyond a slower page and messages
    sent later; ``down`` (503) while the database is."""
    body = {name: "ok" if error is None else "down" for name, error in problems.items()}
    errors = {name: error for name, error in problems.items() if error}
    down = bool(ESSENTIAL & set(errors))
    body["status"] = "down" if down else "degraded" if errors else "ok"
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=503 if down else 200)


@never_cache
@require_GET
def healthz(request):
    """Liveness, and whether the database, the broker and the cache answer."""
    return _report(
        {
            "database": health.check_database(),
            "broker": health.check_broker(),
            "cache": health.check_cache(),
        }
    )


@never_cache
@require_GET
def readyz(request):
    """Readiness for the load balancer: the database answers and every migration this
    code expects is applied (during an upgrade, until it is); a broker or cache outage
    is reported as degraded."""
    return _report(
        {
            "database": health.check_database(),
            "broker": health.check_broker(),
            "cache": health.check_cache(),
            "migrations": health.check_migrations(),
        }
    )


@never_cache
@require_GET
def metrics(request):
    """Prometheus metrics, for the monitoring network (``METRICS_ALLOWED_NETWORKS``) and
    CS administrators; anybody else is told nothing is here."""
    if not (
        ip_in(client_ip(request), settings.METRICS_ALLOWED_NETWORKS) or is_cs_admin(request.user)
    ):
        raise Http404
    return HttpResponse(ops_metrics.exposition(), content_type=CONTENT_TYPE_LATEST)


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico on pages without a link to one (e.g. JSON)."""
    return redirect(static("pcrm/favicon.svg"), permanent=True)


@require_GET
def robots(request):
    """Keeps crawlers off staff and private pages (also the benchmarks' trivial view)."""
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")
