from pcrm.audit.context import Actor, reset_actor, set_actor
from pcrm.lib.net import client_ip


class AuditContextMiddleware:
    """Makes the requesting account and address known to access-log writers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_actor(Actor(user=request.user, ip=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            reset_actor(token)
