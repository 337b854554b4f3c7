"""A JSON parser with limits: a body is read up to ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes
(a larger one is refused with 413 before it is parsed), and nesting deep enough to
exhaust the parser's recursion is refused with 400 instead of crashing the request."""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise BodyTooLarge(
                _("요청 본문이 %(mb).1fMB를 넘습니다. 나누어 보내세요.") % {"mb": limit / 2**20}
            )
        if not raw:
            raise exceptions.ParseError(_("JSON 본문이 비어 있습니다."))
        charset = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            return json.loads(raw.decode(charset), parse_constant=_no_constants)
        except RecursionError:
            raise exceptions.ParseError(_("JSON이 너무 깊게 중첩되어 있습니다.")) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise exceptions.ParseError(
                _("JSON 형식이 올바르지 않습니다: %(error)s") % {"error": exc}
            ) from None


def _no_constants(name: str):
    raise ValueError(_("%(name)s은(는) JSON 값이 아닙니다.") % {"name": name})
