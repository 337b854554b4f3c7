"""The current request id: set by the web middleware, carried in a task's headers,
restored in the worker. Log lines and queued tasks read it from here."""

import re
import uuid
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("request_id", default="")
VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current() -> str:
    return _request_id.get()


def bind(value: str):
    """Make ``value`` the current id; returns the token for ``unbind``."""
    return _request_id.set(value)


def unbind(token) -> None:
    _request_id.reset(token)


def accept(incoming: str | None) -> str:
    """The id a proxy sent (``X-Request-ID``) if it is a sane one, else a new one."""
    if incoming and VALID.match(incoming):
        return incoming
    return uuid.uuid4().hex
