"""Korean phone numbers: validation, one stored form, display form."""

import re

import phonenumbers

_MOBILE = re.compile(r"^010\d{8}$")


class InvalidPhone(ValueError):
    pass


def normalise_phone(raw: str) -> str:
    """Any way of writing a Korean number → national digits (``01012345678``)."""
    try:
        number = phonenumbers.parse(raw, "KR")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(raw) from exc
    national = "0" + str(number.national_number)
    if number.country_code != 82:
        raise InvalidPhone(raw)
    # every 010-XXXX-XXXX is a mobile number in service; the library's ranges lag behind
    if not (phonenumbers.is_valid_number(number) or _MOBILE.match(national)):
        raise InvalidPhone(raw)
    return national


def format_phone(digits: str) -> str:
    """``01012345678`` → ``010-1234-5678``."""
    number = phonenumbers.parse(digits, "KR")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def looks_like_phone(text: str) -> bool:
    digits = "".join(ch for ch in text if ch.isdigit())
    return len(digits) >= 9 and all(ch.isdigit() or ch in " -+()" for ch in text.strip())
