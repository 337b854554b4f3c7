"""One error body for every API failure::

    {"status": 400, "code": "invalid", "message": "입력값을 확인하세요.",
     "errors": {"title": ["이 필드는 필수 항목입니다."]}}

``errors`` appears only for invalid input (field name → messages; ``non_field_errors``
for the body as a whole).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    """The action is not possible in the complaint's (or object's) current state."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _messages() -> dict[type, str]:
    return {
        exceptions.NotAuthenticated: _(
            "로그인하거나 'Authorization: Token <키>' 헤더로 API 토큰을 보내세요."
        ),
        exceptions.PermissionDenied: _("이 작업을 할 권한이 없습니다."),
        exceptions.NotFound: _("찾을 수 없습니다. 주소나 번호를 확인하세요."),
    }


def body(status_code: int, code: str, message: str, errors=None) -> dict:
    data = {"status": status_code, "code": code, "message": message}
    if errors is not None:
        data["errors"] = errors
    return data


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:  # an unexpected error: Django logs it and answers 500
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        response.data = body(response.status_code, "invalid", _("입력값을 확인하세요."), errors)
        return response
    code = exc.get_codes()
    message = str(exc.detail)
    if message == str(type(exc).default_detail):  # DRF's generic wording: say it plainly
        message = _messages().get(type(exc), message)
    elif message.startswith("CSRF Failed"):
        message = _(
            "CSRF 토큰이 없거나 맞지 않습니다. 세션으로 부를 때는 X-CSRFToken 헤더를 보내세요."
        )
    response.data = body(response.status_code, code if isinstance(code, str) else "error", message)
    return response


def not_found(request) -> JsonResponse:
    """404 for an address under /api/ that names no resource."""
    return JsonResponse(
        body(404, "not_found", _("찾을 수 없습니다. 주소나 번호를 확인하세요.")), status=404
    )


def bad_request(request, *, too_large: bool) -> JsonResponse:
    """A body Django refused before the API saw it (too large, too many fields)."""
    if too_large:
        return JsonResponse(
            body(413, "too_large", _("요청 본문이 너무 큽니다. 나누어 보내세요.")), status=413
        )
    return JsonResponse(body(400, "bad_request", _("요청 형식이 올바르지 않습니다.")), status=400)


def server_error(request) -> JsonResponse:
    return JsonResponse(
        body(500, "server_error", _("서버에서 오류가 났습니다. 잠시 뒤에 다시 시도하세요.")),
        status=500,
    )


def unavailable(request) -> JsonResponse:
    """The database cannot be reached for a moment (a restart): nothing was changed."""
    return JsonResponse(
        body(
            503,
            "unavailable",
            _("잠시 서비스를 이용할 수 없습니다. 변경된 것은 없으니 잠시 뒤에 다시 보내세요."),
        ),
        status=503,
    )


class ErrorBody(serializers.Serializer):
    """The error body, for the schema."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    errors = serializers.DictField(required=False)
