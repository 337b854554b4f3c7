"""Korean phone numbers: validation, one stored form, display form."""

import phonenumbers


class InvalidPhone(ValueError):
    pass


def normalise_phone(raw: str) -> str:
    """Any way of writing a Korean number → national digits (``01012345678``)."""
    try:
        number = phonenumbers.parse(raw, "KR")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(raw) from exc
    if number.country_code != 82 or not phonenumbers.is_valid_number(number):
        raise InvalidPhone(raw)
    return "0" + str(number.national_number)


def format_phone(digits: str) -> str:
    """``01012345678`` → ``010-1234-5678``."""
    number = phonenumbers.parse(digits, "KR")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def looks_like_phone(text: str) -> bool:
    digits = "".join(ch for ch in text if ch.isdigit())
    return len(digits) >= 9 and all(ch.isdigit() or ch in " -+()" for ch in text.strip())
