from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from pcrm import health


@require_GET
def home(request):
    return redirect("staff-home")


@never_cache
@require_GET
def healthz(request):
    problems = {"database": health.check_database(), "broker": health.check_broker()}
    body = {name: "ok" if error is None else "down" for name, error in problems.items()}
    errors = {name: error for name, error in problems.items() if error}
    body["status"] = "down" if errors else "ok"
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=503 if errors else 200)


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico on pages without a link to one (e.g. JSON)."""
    return redirect(static("pcrm/favicon.svg"), permanent=True)


@require_GET
def robots(request):
    """Keeps crawlers off staff and private pages (also the benchmarks' trivial view)."""
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")
