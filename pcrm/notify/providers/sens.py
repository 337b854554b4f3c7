"""NAVER Cloud SENS: SMS/LMS (``/sms/v2``) and 알림톡 (``/alimtalk/v2``).

Every call is signed: HMAC-SHA256 with the secret key over
``"{METHOD} {path and query}\\n{timestamp in ms}\\n{access key}"``, base64, in
``x-ncp-apigw-signature-v2`` with ``x-ncp-apigw-timestamp`` and ``x-ncp-iam-access-key``.
Delivery is read back by polling (SMS: the request's message, 알림톡: the message)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from urllib.parse import quote

from django.conf import settings

from pcrm.notify.backends import Backend, Receipt, Rejected
from pcrm.notify.providers.http import call, checked, lookup
from pcrm.notify.routing import approved_code


def signature(method: str, path: str, timestamp: str, access_key: str, secret_key: str) -> str:
    text = f"{method} {path}\n{timestamp}\n{access_key}"
    digest = hmac.new(secret_key.encode(), text.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _headers(method: str, path: str) -> dict:
    timestamp = str(int(time.time() * 1000))
    return {
        "Content-Type": "application/json; charset=utf-8",
        "x-ncp-apigw-timestamp": timestamp,
        "x-ncp-iam-access-key": settings.SENS_ACCESS_KEY,
        "x-ncp-apigw-signature-v2": signature(
            method, path, timestamp, settings.SENS_ACCESS_KEY, settings.SENS_SECRET_KEY
        ),
    }


def _call(method: str, path: str, body: dict | None = None):
    return call(method, settings.SENS_API_URL + path, headers=_headers(method, path), body=body)


def _read(path: str) -> dict | None:
    return lookup("GET", settings.SENS_API_URL + path, headers=_headers("GET", path))


def _state(name: str | None) -> bool | None:
    return {"success": True, "fail": False}.get((name or "").lower())


class SensSms(Backend):
    reports = True

    def _base(self) -> str:
        return f"/sms/v2/services/{quote(settings.SENS_SMS_SERVICE_ID, safe=':')}/messages"

    def send(self, message) -> str:
        body = {
            "type": "LMS" if message.billing == "lms" else "SMS",
            "contentType": "COMM",
            "countryCode": "82",
            "from": settings.NOTIFY_SMS_SENDER,
            "content": message.body,
            "messages": [{"to": message.recipient}],
        }
        if message.billing == "lms":
            body["subject"] = settings.ORGANISATION_NAME[:20]
        answer = checked(*_call("POST", self._base(), body), "SENS SMS")
        return str(answer.get("requestId") or "")

    def status(self, message) -> bool | None:
        if not message.provider_ref:
            return None
        request = _read(f"{self._base()}?requestId={quote(message.provider_ref, safe='')}")
        listed = (request or {}).get("messages") or []
        if not listed or not isinstance(listed[0], dict) or not listed[0].get("messageId"):
            return None
        detail = _read(f"{self._base()}/{quote(str(listed[0]['messageId']), safe='')}")
        rows = (detail or {}).get("messages") or []
        row = rows[0] if rows and isinstance(rows[0], dict) else {}
        return _state(row.get("statusName")) if row.get("status") == "COMPLETED" else None

    def receipts(self, payload) -> list[Receipt]:
        return _receipts(payload, "requestId")


class SensAlimtalk(Backend):
    reports = True

    def _base(self) -> str:
        return (
            f"/alimtalk/v2/services/{quote(settings.SENS_ALIMTALK_SERVICE_ID, safe=':')}/messages"
        )

    def send(self, message) -> str:
        code = approved_code(message)
        body = {
            "plusFriendId": settings.SENS_PLUS_FRIEND_ID,
            "templateCode": code,
            "messages": [
                {
                    "countryCode": "82",
                    "to": message.recipient,
                    "content": message.body,
                    "useSmsFailover": False,  # our own fallback sends the SMS, once
                }
            ],
        }
        answer = checked(*_call("POST", self._base(), body), "SENS 알림톡")
        sent = (answer.get("messages") or [{}])[0]
        if not isinstance(sent, dict) or sent.get("requestStatusCode") != "A000":
            raise Rejected(f"SENS 알림톡: {sent}"[:300])
        return str(sent.get("messageId") or "")

    def status(self, message) -> bool | None:
        if not message.provider_ref:
            return None
        answer = _read(f"{self._base()}/{quote(message.provider_ref, safe='')}")
        return _state((answer or {}).get("messageStatusName"))

    def receipts(self, payload) -> list[Receipt]:
        return _receipts(payload, "messageId")


def _receipts(payload, key: str) -> list[Receipt]:
    """A delivery report: one object or a list, each naming the message by ``key`` and
    its result in ``statusName`` / ``messageStatusName`` (success, fail)."""
    rows = payload if isinstance(payload, list) else [payload]
    found = []
    for row in rows[:1000]:
        if not isinstance(row, dict) or not row.get(key):
            continue
        state = _state(row.get("statusName") or row.get("messageStatusName"))
        if state is not None:
            found.append(Receipt(str(row[key]), state, str(row.get("statusMessage") or "")[:200]))
    return found
