"""NHN Cloud Notification: SMS/LMS (``/sms/v3.0``) and 알림톡 (``/alimtalk/v2.3``).

Calls carry the app key in the path and the secret key in ``X-Secret-Key``. Each
message goes with our reference as its sender and recipient grouping key, so a
message whose answer was lost can be found again at the provider (``find``) instead
of being sent twice."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils import timezone

from pcrm.lib.calendar import SEOUL
from pcrm.notify.backends import Backend, Receipt, Rejected
from pcrm.notify.providers.http import call, checked, lookup
from pcrm.notify.routing import approved_code

SUCCESS = "1000"  # NHN's result code of a delivered message


def _headers(secret: str) -> dict:
    return {"Content-Type": "application/json;charset=UTF-8", "X-Secret-Key": secret}


def _window(message) -> dict:
    """A search window around the message's sending (the provider requires one)."""
    moment = timezone.localtime(message.sent_at or message.created_at, SEOUL)
    fmt = "%Y-%m-%d %H:%M:%S"
    return {
        "startRequestDate": (moment - timedelta(hours=1)).strftime(fmt),
        "endRequestDate": (moment + timedelta(hours=1)).strftime(fmt),
    }


def _accepted(answer: dict, what: str) -> dict:
    header = answer.get("header") or {}
    if not header.get("isSuccessful"):
        raise Rejected(f"{what}: {header.get('resultCode')} {header.get('resultMessage')}"[:300])
    return answer


class NhnSms(Backend):
    reports = True

    def _base(self, billing: str) -> str:
        kind = "mms" if billing == "lms" else "sms"  # an LMS goes through the MMS API
        app = quote(settings.NHN_SMS_APP_KEY, safe="")
        return f"{settings.NHN_SMS_API_URL}/sms/v3.0/appKeys/{app}/sender/{kind}"

    def send(self, message) -> str:
        body = {
            "body": message.body,
            "sendNo": settings.NOTIFY_SMS_SENDER,
            "senderGroupingKey": message.reference,
            "recipientList": [
                {"recipientNo": message.recipient, "recipientGroupingKey": message.reference}
            ],
        }
        if message.billing == "lms":
            body["title"] = settings.ORGANISATION_NAME[:20]
        status, answer = call(
            "POST",
            self._base(message.billing),
            headers=_headers(settings.NHN_SMS_SECRET_KEY),
            body=body,
        )
        data = (_accepted(checked(status, answer, "NHN SMS"), "NHN SMS").get("body") or {}).get(
            "data"
        ) or {}
        results = data.get("sendResultList") or [{}]
        if str(results[0].get("resultCode")) != "0":
            raise Rejected(f"NHN SMS: {results[0]}"[:300])
        return str(data.get("requestId") or "")

    def status(self, message) -> bool | None:
        if not message.provider_ref:
            return None
        answer = lookup(
            "GET",
            f"{self._base(message.billing)}/{quote(message.provider_ref, safe='')}?recipientSeq=1",
            headers=_headers(settings.NHN_SMS_SECRET_KEY),
        )
        data = ((answer or {}).get("body") or {}).get("data") or {}
        if str(data.get("msgStatus")) != "3":  # 3: the result came back
            return None
        return str(data.get("resultCode")) == SUCCESS

    def find(self, message) -> str:
        query = urlencode({"senderGroupingKey": message.reference, **_window(message)})
        answer = lookup(
            "GET",
            f"{self._base(message.billing)}?{query}",
            headers=_headers(settings.NHN_SMS_SECRET_KEY),
        )
        rows = ((answer or {}).get("body") or {}).get("data") or []
        return str(rows[0].get("requestId") or "") if rows and isinstance(rows[0], dict) else ""

    def receipts(self, payload) -> list[Receipt]:
        return _receipts(payload)


class NhnAlimtalk(Backend):
    reports = True

    def _base(self) -> str:
        app = quote(settings.NHN_ALIMTALK_APP_KEY, safe="")
        return f"{settings.NHN_ALIMTALK_API_URL}/alimtalk/v2.3/appkeys/{app}"

    def send(self, message) -> str:
        code = approved_code(message)
        body = {
            "senderKey": settings.NHN_ALIMTALK_SENDER_KEY,
            "templateCode": code,
            "senderGroupingKey": message.reference,
            "recipientList": [
                {
                    "recipientNo": message.recipient,
                    "content": message.body,
                    "recipientGroupingKey": message.reference,
                }
            ],
        }
        status, answer = call(
            "POST",
            f"{self._base()}/raw-messages",
            headers=_headers(settings.NHN_ALIMTALK_SECRET_KEY),
            body=body,
        )
        sent = _accepted(checked(status, answer, "NHN 알림톡"), "NHN 알림톡").get("message") or {}
        results = sent.get("sendResults") or [{}]
        if str(results[0].get("resultCode")) != "0":
            raise Rejected(f"NHN 알림톡: {results[0]}"[:300])
        return str(sent.get("requestId") or "")

    def status(self, message) -> bool | None:
        if not message.provider_ref:
            return None
        answer = lookup(
            "GET",
            f"{self._base()}/messages/{quote(message.provider_ref, safe='')}/1",
            headers=_headers(settings.NHN_ALIMTALK_SECRET_KEY),
        )
        row = (answer or {}).get("message") or {}
        state = row.get("messageStatus")
        if state == "COMPLETED":
            return str(row.get("resultCode")) == SUCCESS
        return False if state == "FAILED" else None

    def find(self, message) -> str:
        query = urlencode({"senderGroupingKey": message.reference, **_window(message)})
        answer = lookup(
            "GET",
            f"{self._base()}/messages?{query}",
            headers=_headers(settings.NHN_ALIMTALK_SECRET_KEY),
        )
        rows = ((answer or {}).get("messageSearchResultResponse") or {}).get("messages") or []
        return str(rows[0].get("requestId") or "") if rows and isinstance(rows[0], dict) else ""

    def receipts(self, payload) -> list[Receipt]:
        return _receipts(payload)


def _receipts(payload) -> list[Receipt]:
    """A delivery report: one object or a list, each with ``requestId`` and
    ``resultCode`` (1000 delivered, anything else not)."""
    rows = payload if isinstance(payload, list) else [payload]
    found = []
    for row in rows[:1000]:
        if isinstance(row, dict) and row.get("requestId") and row.get("resultCode") is not None:
            delivered = str(row["resultCode"]) == SUCCESS
            found.append(
                Receipt(
                    str(row["requestId"]), delivered, str(row.get("resultCodeName") or "")[:200]
                )
            )
    return found
