"""Encryption at rest and keyed hashes (blind indexes) for personal data.

``PCRM_DATA_KEYS``: comma-separated Fernet keys; the first encrypts, all decrypt, so a
key can be rotated by putting a new one first (and re-saving rows at leisure).
``PCRM_HASH_KEY``: the HMAC key for exact-match look-ups (a phone number is found by
its hash, never by decrypting every row). In development both default to values
derived from ``SECRET_KEY``; production must set them (``manage.py check --deploy``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def new_secret() -> tuple[str, str]:
    """A random 256-bit secret (a tracking link, an API key, a survey token) and the
    digest kept to find it again; whoever holds the secret proves it by the digest."""
    secret = secrets.token_urlsafe(32)
    return secret, secret_digest(secret)


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _derived(purpose: str) -> bytes:
    return hashlib.sha256(f"pcrm:{purpose}:{settings.SECRET_KEY}".encode()).digest()


@cache
def _fernet() -> MultiFernet:
    keys = settings.PCRM_DATA_KEYS or [base64.urlsafe_b64encode(_derived("data")).decode()]
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "PCRM_DATA_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes); "
            "make one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        ) from exc


@cache
def _hash_key() -> bytes:
    return settings.PCRM_HASH_KEY.encode() if settings.PCRM_HASH_KEY else _derived("hash")


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "a stored value cannot be decrypted with PCRM_DATA_KEYS; was a key removed?"
        ) from exc


def blind_index(value: str) -> str:
    """A keyed hash of an already normalised value, for exact-match search."""
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()


def reset_keys() -> None:
    """Forget cached keys (tests that change the settings call this)."""
    _fernet.cache_clear()
    _hash_key.cache_clear()
