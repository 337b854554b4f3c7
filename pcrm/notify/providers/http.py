"""A JSON call to a provider that tells "not sent" from "sent, no answer".

The connection and the request are one step: if it fails, nothing reached the provider
(``SendError``, tried again later). Waiting for the answer is another: if that fails,
the provider may have accepted the message (``Unconfirmed``: never sent again through
the same channel). Answers are read up to a bound; a provider's answer is small."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

from django.conf import settings

from pcrm.notify.backends import Rejected, SendError, Unconfirmed

MAX_ANSWER = 1024 * 1024


def call(method: str, url: str, *, headers: dict, body: dict | None = None) -> tuple[int, dict]:
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(
        parts.hostname, parts.port, timeout=settings.NOTIFY_PROVIDER_TIMEOUT
    )
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    try:
        try:
            connection.request(method, path, body=data, headers=headers)
        except OSError as exc:
            raise SendError(f"{parts.hostname}: {exc}") from exc
        try:
            response = connection.getresponse()
            raw = response.read(MAX_ANSWER)
        except (OSError, http.client.HTTPException) as exc:
            raise Unconfirmed(f"{parts.hostname}: no answer ({exc})") from exc
    finally:
        connection.close()
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        answer = {}
    return response.status, answer if isinstance(answer, dict) else {}


def checked(status: int, answer: dict, what: str) -> dict:
    """The answer of an accepted request; a refusal raised as what it means."""
    if 200 <= status < 300:
        return answer
    detail = f"{what}: HTTP {status} {json.dumps(answer, ensure_ascii=False)[:200]}"
    if status in (408, 429) or status >= 500:
        raise SendError(detail)
    raise Rejected(detail)


def lookup(method: str, url: str, *, headers: dict) -> dict | None:
    """A read (a status, a search): ``None`` when the provider cannot say now."""
    try:
        status, answer = call(method, url, headers=headers)
    except SendError:
        return None
    return answer if 200 <= status < 300 else None
