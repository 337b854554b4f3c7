"""The site's addresses, for tests that go over every page."""

from django.urls import URLPattern, URLResolver, get_resolver


def plain_paths() -> list[str]:
    """Every address of the URL configuration that takes no argument."""
    return sorted(set(_walk(get_resolver().url_patterns)))


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = str(pattern.pattern)
        if any(mark in route for mark in ("<", "(?P", "^", "$", "*")):
            continue
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + route
