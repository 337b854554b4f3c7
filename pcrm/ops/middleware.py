import time

from django.core.signals import request_finished
from django.dispatch import receiver

from pcrm.ops import context, metrics


class RequestIdMiddleware:
    """First in the stack: every request gets an id (the proxy's ``X-Request-ID`` if
    sane), every response says it, and the request's duration goes to the metrics.

    The id stays current until the response is finished: Django logs a 4xx/5xx answer
    after the middleware has returned it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = context.accept(request.headers.get("X-Request-ID"))
        context.bind(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.observe_request(request, response.status_code, time.perf_counter() - started)
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs):
    context.bind("")
