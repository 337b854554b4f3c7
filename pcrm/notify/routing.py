"""Which way a message to a citizen goes: channel order, language, SMS or LMS.

A citizen's message goes by 알림톡 first where they have a mobile number and the
message has an approved template (Korean only: the templates are approved as written),
then by SMS if 알림톡 does not reach them; by e-mail if they prefer it or have no mobile
number. It is written in their language where the service has templates in it (Korean
and English); other languages get Korean, and the message says so for the staff."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from pcrm.notify.backends import Rejected

SMS_MAX_BYTES = 90  # one SMS: 90 bytes in EUC-KR (45 Korean letters); longer is an LMS


@dataclass(frozen=True)
class Recipient:
    """A citizen as messages see them (built by ``citizens.contact.recipient_of``)."""

    phone: str = ""
    email: str = ""
    preferred_channel: str = ""
    language: str = "ko"
    language_label: str = ""


def is_mobile(phone: str) -> bool:
    return phone.startswith("01") and len(phone) in (10, 11)


def alimtalk_code(template: str) -> str:
    """The approved 알림톡 template code for one of our templates, if there is one."""
    if not settings.NOTIFY_ALIMTALK_BACKEND:
        return ""
    return settings.NOTIFY_ALIMTALK_TEMPLATES.get(template, "")


def approved_code(message) -> str:
    """The 알림톡 template code a message goes with; refused (for the SMS to take over)
    if its template has none."""
    code = alimtalk_code(message.template)
    if not code:
        raise Rejected(f"no 알림톡 template for {message.template}")
    return code


def channels_for(to: Recipient, template: str, language: str) -> list[tuple[str, str]]:
    """``(channel, address)`` in the order to try; empty if the citizen has neither."""
    mobile = to.phone if is_mobile(to.phone) else ""
    if to.email and (to.preferred_channel == "email" or not mobile):
        return [("email", to.email)]
    if not mobile:
        return []
    chain = []
    if language == "ko" and alimtalk_code(template):
        chain.append(("alimtalk", mobile))
    chain.append(("sms", mobile))
    return chain


def language_for(to: Recipient) -> tuple[str, str]:
    """The language to write in, and a note for the staff when it is not theirs."""
    if to.language in settings.NOTIFY_LANGUAGES:
        return to.language, ""
    with translation.override(settings.LANGUAGE_CODE):  # a note for the staff, in Korean
        note = _("선호 언어(%(language)s) 안내문이 없어 한국어로 보냈습니다.") % {
            "language": to.language_label or to.language
        }
    return settings.LANGUAGE_CODE, note


def sms_bytes(text: str) -> int | None:
    """Its length in EUC-KR, or ``None`` if it has characters EUC-KR cannot carry."""
    try:
        return len(text.encode("euc-kr"))
    except UnicodeEncodeError:
        return None


def billing_of(channel: str, body: str) -> str:
    if channel != "sms":
        return channel
    length = sms_bytes(body)
    return "sms" if length is not None and length <= SMS_MAX_BYTES else "lms"
