"""The OpenAPI schema's shared parts: the token scheme and the error responses every
operation can give (one body, see ``pcrm.api.errors``)."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class StaffTokenScheme(OpenApiAuthenticationExtension):
    target_class = "pcrm.api.auth.StaffTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _("'Token <키>' (CS 담당관이 관리 화면에서 발급)"),
        }


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "message": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": "입력 항목 → 오류 메시지 목록",
        },
    },
    "required": ["status", "code", "message"],
}


def _errors() -> dict[str, str]:
    return {
        "400": _("입력값 오류"),
        "401": _("로그인 또는 토큰 필요"),
        "403": _("권한 없음"),
        "404": _("없거나 볼 수 없는 대상"),
        "405": _("허용되지 않는 메서드"),
        "415": _("지원하지 않는 본문 형식"),
        "429": _("요청이 너무 많음"),
    }


def error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: document the error body on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            codes = dict(_errors())
            if method == "post":
                codes["409"] = _("지금 상태에서는 할 수 없는 처리")
            for code, text in codes.items():
                operation["responses"].setdefault(code, {"description": text, "content": reference})
    return result
