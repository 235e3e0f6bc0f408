"""The 查询码 an applicant uses with the 查询号 to follow a case on the portal.

It is a random code the system hands out, not a password a person chose, so it is kept as a
keyed hash (HMAC-SHA256 with the installation's secret): fast to check, useless without the
key. Codes are read without regard to case, spaces or hyphens, as people copy them from a
receipt. Hashes written by the first release (PBKDF2) are still accepted."""
from __future__ import annotations

import secrets

from django.contrib.auth.hashers import check_password
from django.utils.crypto import constant_time_compare, salted_hmac

PREFIX = "hmac-sha256$"
_SALT = "ogi.access-code"


def access_code_new() -> str:
    return secrets.token_hex(4).upper()


def normalised(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").upper()


def access_code_hash(code: str) -> str:
    return PREFIX + salted_hmac(_SALT, normalised(code), algorithm="sha256").hexdigest()


def access_code_matches(code: str, stored: str) -> bool:
    """Whether `code` opens a case whose hash is `stored`; the same work either way."""
    if stored.startswith(PREFIX):
        return constant_time_compare(access_code_hash(code), stored)
    return bool(stored) and (check_password(normalised(code), stored) or check_password((code or "").strip(), stored))
