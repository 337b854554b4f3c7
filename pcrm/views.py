from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
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
