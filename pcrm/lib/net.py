import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address, trusting only as many X-Forwarded-For hops as configured."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def ip_in(address: str | None, networks) -> bool:
    """Whether ``address`` lies in one of ``networks`` (``ip_network`` objects)."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
