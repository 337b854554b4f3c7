"""What other apps add to the citizen's tracking page (the satisfaction survey that is
open for the complaint), without the complaints app knowing them: each registers a
function ``complaint -> (label, path) | None``."""

from collections.abc import Callable

_LINKS: list[Callable] = []


def register_link(find: Callable) -> Callable:
    _LINKS.append(find)
    return find


def links_for(complaint) -> list[tuple[str, str]]:
    return [link for find in _LINKS if (link := find(complaint)) is not None]
