"""Masking of personal data for display (김*수, 010-****-5678, k***@example.com)."""


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """``010-1234-5678`` → ``010-****-5678``; works on any dashed or bare number."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    head = 2 if digits.startswith("02") else 3
    return f"{digits[:head]}-{'*' * (len(digits) - head - 4)}-{digits[-4:]}"


def mask_email(email: str) -> str:
    """``kim.minsu@example.com`` → ``k***@example.com``."""
    local, at, domain = (email or "").partition("@")
    if not at:
        return mask_name(email)
    return f"{local[:1]}***@{domain}"
