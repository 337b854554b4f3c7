"""Shortcuts on the staff home. Later apps register providers; this app imports none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    label: str
    url: str
    count: int | None = None  # shown as a badge when positive


Provider = Callable[[object], list[Shortcut]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """``provider(request)`` returns the shortcuts for ``request.staff``."""
    _providers.append(provider)
    return provider


def shortcuts_for(request) -> list[Shortcut]:
    return [shortcut for provider in _providers for shortcut in provider(request)]


_landings: dict[str, str] = {}


def register_landing(role: str, url_name: str) -> None:
    """Later apps may give a role its own start page (e.g. team leaders a dashboard)."""
    _landings[role] = url_name


def landing_for(staff) -> str | None:
    return _landings.get(staff.role)
