"""A local HTTP server standing in for NAVER Cloud SENS and NHN Cloud Notification.

It checks every request against the documented shape (paths, headers, fields, the SENS
signature, NHN's secret key header, SMS length in EUC-KR), records what it accepted and
answers as a test tells it: ``ok``, ``refuse`` (a 4xx / an unsuccessful result),
``down`` (503) or ``hang`` (the message is accepted, the answer never comes in time).
Status look-ups answer from ``delivered`` (provider id -> True/False; absent: not yet).
``report`` posts a delivery report to a webhook, as the provider would."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ACCESS_KEY = "fake-access-key"
SECRET_KEY = "fake-secret-key"
NHN_SMS_SECRET = "fake-nhn-sms-secret"
NHN_ALIMTALK_SECRET = "fake-nhn-alimtalk-secret"
SMS_SERVICE = "ncp:sms:kr:1:pcrm"
ALIMTALK_SERVICE = "ncp:kkobizmsg:kr:2:pcrm"
PLUS_FRIEND = "@pcrm"
NHN_APP = "nhn-app-key"
NHN_SENDER_KEY = "nhn-sender-key"
SENDER = "0212345678"


class FakeProvider:
    def __init__(self):
        self.accepted: dict[str, list[dict]] = {}
        self.problems: list[str] = []
        self.mode: dict[str, str] = {}
        self.delivered: dict[str, bool] = {}
        self.lookups: list[str] = []
        self._ids = itertools.count(1)
        self._release = threading.Event()
        self._lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                provider._handle(self, "POST")

            def do_GET(self):
                provider._handle(self, "GET")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    def sent(self, kind: str) -> list[dict]:
        return self.accepted.get(kind, [])

    def report(self, url: str, payload) -> tuple[int, dict]:
        """The provider's delivery-report callback to our webhook."""
        request = urllib.request.Request(  # noqa: S310 (the test's own live server)
            url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, {}

    # --- the server's side ----------------------------------------------------------------

    def _handle(self, handler, method: str) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else {}
        route = self._route(method, parts.path)
        if route is None:
            return self._answer(handler, 404, {"error": "no such path"})
        kind, action, argument = route
        self._check_auth(kind, method, handler, parts)
        if method == "GET":
            self.lookups.append(f"{kind}:{action}")
            return self._answer(handler, 200, self._lookup(kind, action, argument, parts))
        self._check_body(kind, body, parts.path)
        mode = self.mode.get(kind, "ok")
        if mode == "down":
            return self._answer(handler, 503, {"error": "maintenance"})
        if mode == "refuse":
            return self._answer(handler, *self._refusal(kind))
        provider_id = f"{kind}-{next(self._ids)}"
        with self._lock:
            self.accepted.setdefault(kind, []).append(
                {"id": provider_id, "path": parts.path, **body}
            )
        answer = self._acceptance(kind, provider_id, body)
        if mode == "hang":
            self._release.wait(timeout=30)  # accepted; the answer comes too late
        return self._answer(handler, 202 if kind.startswith("sens") else 200, answer)

    @staticmethod
    def _route(method: str, path: str):
        segments = path.strip("/").split("/")
        if path.startswith(f"/sms/v2/services/{SMS_SERVICE}/messages"):
            return "sens-sms", ("message" if len(segments) == 6 else "request"), segments[-1]
        if path.startswith(f"/alimtalk/v2/services/{ALIMTALK_SERVICE}/messages"):
            return "sens-alimtalk", ("message" if len(segments) == 6 else "send"), segments[-1]
        if path.startswith(f"/sms/v3.0/appKeys/{NHN_APP}/sender/"):
            if len(segments) == 7:
                return "nhn-sms", "status", segments[-1]
            return "nhn-sms", ("search" if method == "GET" else segments[-1]), ""
        if path.startswith(f"/alimtalk/v2.3/appkeys/{NHN_APP}/"):
            if segments[-1] == "raw-messages":
                return "nhn-alimtalk", "send", ""
            if len(segments) == 7:
                return "nhn-alimtalk", "status", segments[-2]
            return "nhn-alimtalk", "search", ""
        return None

    def _check_auth(self, kind: str, method: str, handler, parts) -> None:
        headers = handler.headers
        if kind.startswith("sens"):
            timestamp = headers.get("x-ncp-apigw-timestamp", "")
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            text = f"{method} {path}\n{timestamp}\n{ACCESS_KEY}"
            expected = base64.b64encode(
                hmac.new(SECRET_KEY.encode(), text.encode(), hashlib.sha256).digest()
            ).decode()
            if headers.get("x-ncp-iam-access-key") != ACCESS_KEY:
                self.problems.append(f"{kind}: access key")
            if headers.get("x-ncp-apigw-signature-v2") != expected:
                self.problems.append(f"{kind}: signature")
            if not timestamp.isdigit() or len(timestamp) != 13:
                self.problems.append(f"{kind}: timestamp in milliseconds")
        else:
            secret = NHN_SMS_SECRET if kind == "nhn-sms" else NHN_ALIMTALK_SECRET
            if headers.get("X-Secret-Key") != secret:
                self.problems.append(f"{kind}: X-Secret-Key")
        if method == "POST" and "application/json" not in headers.get("Content-Type", ""):
            self.problems.append(f"{kind}: content type")

    def _check_body(self, kind: str, body: dict, path: str) -> None:
        def need(condition, what):
            if not condition:
                self.problems.append(f"{kind}: {what}")

        if kind == "sens-sms":
            need(body.get("type") in ("SMS", "LMS"), "type")
            need(body.get("from") == SENDER, "from")
            need(body.get("contentType") == "COMM", "contentType")
            need(body.get("countryCode") == "82", "countryCode")
            need(body.get("messages") and body["messages"][0].get("to"), "messages[].to")
            size = len(body.get("content", "").encode("euc-kr"))
            need(body.get("type") == "LMS" or size <= 90, "an SMS of at most 90 bytes")
            need(body.get("type") == "SMS" or size > 90, "an LMS only when an SMS is too short")
        elif kind == "sens-alimtalk":
            need(body.get("plusFriendId") == PLUS_FRIEND, "plusFriendId")
            need(body.get("templateCode"), "templateCode")
            message = (body.get("messages") or [{}])[0]
            need(message.get("to") and message.get("content"), "messages[].to/content")
            need(message.get("useSmsFailover") is False, "no SMS failover of the provider's")
        elif kind == "nhn-sms":
            need(body.get("sendNo") == SENDER, "sendNo")
            need(body.get("senderGroupingKey"), "senderGroupingKey")
            recipient = (body.get("recipientList") or [{}])[0]
            need(
                recipient.get("recipientNo") and recipient.get("recipientGroupingKey"), "recipient"
            )
            size = len(body.get("body", "").encode("euc-kr"))
            if path.endswith("/sms"):
                need(size <= 90, "an SMS of at most 90 bytes")
            else:
                need(body.get("title") and size > 90, "an LMS with a title")
        elif kind == "nhn-alimtalk":
            need(body.get("senderKey") == NHN_SENDER_KEY, "senderKey")
            need(body.get("templateCode"), "templateCode")
            recipient = (body.get("recipientList") or [{}])[0]
            need(recipient.get("recipientNo") and recipient.get("content"), "recipient")
            need(recipient.get("recipientGroupingKey"), "recipientGroupingKey")

    @staticmethod
    def _refusal(kind: str) -> tuple[int, dict]:
        if kind == "sens-sms":
            return 400, {"error": {"errorCode": "400", "message": "Bad Request"}}
        if kind == "sens-alimtalk":  # accepted as a request, the message refused
            return 202, {
                "requestId": "refused",
                "statusCode": "202",
                "messages": [
                    {
                        "messageId": "",
                        "requestStatusCode": "A003",
                        "requestStatusDesc": "템플릿 불일치",
                    }
                ],
            }
        header = {"isSuccessful": False, "resultCode": -1000, "resultMessage": "Invalid"}
        return 200, {"header": header}

    @staticmethod
    def _acceptance(kind: str, provider_id: str, body: dict) -> dict:
        ok = {"isSuccessful": True, "resultCode": 0, "resultMessage": "SUCCESS"}
        if kind == "sens-sms":
            return {"requestId": provider_id, "statusCode": "202", "statusName": "success"}
        if kind == "sens-alimtalk":
            return {
                "requestId": f"req-{provider_id}",
                "statusCode": "202",
                "messages": [{"messageId": provider_id, "requestStatusCode": "A000"}],
            }
        recipient = (body.get("recipientList") or [{}])[0]
        result = {
            "recipientSeq": 1,
            "recipientNo": recipient.get("recipientNo"),
            "resultCode": 0,
            "resultMessage": "SUCCESS",
            "recipientGroupingKey": recipient.get("recipientGroupingKey"),
        }
        if kind == "nhn-sms":
            data = {"requestId": provider_id, "statusCode": "2", "sendResultList": [result]}
            return {"header": ok, "body": {"data": data}}
        return {
            "header": ok,
            "message": {
                "requestId": provider_id,
                "senderGroupingKey": body.get("senderGroupingKey"),
                "sendResults": [result],
            },
        }

    def _lookup(self, kind: str, action: str, argument: str, parts) -> dict:
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        ok = {"isSuccessful": True, "resultCode": 0, "resultMessage": "SUCCESS"}
        if kind == "sens-sms" and action == "request":
            request_id = query.get("requestId", "")
            return {"requestId": request_id, "messages": [{"messageId": f"{request_id}~m"}]}
        if kind == "sens-sms":
            state = self.delivered.get(argument.removesuffix("~m"))
            row = {"messageId": argument, "status": "READY" if state is None else "COMPLETED"}
            if state is not None:
                row["statusName"] = "success" if state else "fail"
            return {"statusCode": "202", "messages": [row]}
        if kind == "sens-alimtalk":
            state = self.delivered.get(argument)
            name = "processing" if state is None else ("success" if state else "fail")
            return {"messageId": argument, "messageStatusName": name}
        if action == "search":
            if not (query.get("startRequestDate") and query.get("endRequestDate")):
                self.problems.append(f"{kind}: search without a date window")
            key = query.get("senderGroupingKey")
            found = [
                {"requestId": row["id"]}
                for row in self.sent(kind)
                if row.get("senderGroupingKey") == key
            ]
            if kind == "nhn-sms":
                return {"header": ok, "body": {"data": found}}
            return {"header": ok, "messageSearchResultResponse": {"messages": found}}
        state = self.delivered.get(argument)
        if kind == "nhn-sms":
            data = {"requestId": argument, "msgStatus": "2" if state is None else "3"}
            if state is not None:
                data["resultCode"] = "1000" if state else "3015"
            return {"header": ok, "body": {"data": data}}
        status = "SENDING" if state is None else ("COMPLETED" if state else "FAILED")
        return {
            "header": ok,
            "message": {
                "requestId": argument,
                "messageStatus": status,
                "resultCode": "1000" if state else "3018",
            },
        }

    @staticmethod
    def _answer(handler, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json; charset=utf-8")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            pass  # the client gave up waiting (a "hang")
