def without(request, *names: str) -> str:
    """The request's query string without ``names`` (e.g. "page", to build page links)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()
