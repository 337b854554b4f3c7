"""Who is acting right now, for log rows written far from the request (signals)."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user: object | None
    ip: str | None


_current: ContextVar[Actor | None] = ContextVar("pcrm_audit_actor", default=None)


def current_actor() -> Actor | None:
    return _current.get()


def set_actor(actor: Actor | None):
    return _current.set(actor)


def reset_actor(token) -> None:
    _current.reset(token)
