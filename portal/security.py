"""Abuse protection for the public portal, all offline and shared by every process:
rate limits counted per real client (audit/clients.py) in the shared cache with
django-ratelimit, and an image CAPTCHA (django-simple-captcha) that is used up by any
answer, right or wrong."""
from __future__ import annotations

import secrets

from django_ratelimit.core import is_ratelimited

from audit.clients import client_address

ERR_RATE_LIMITED = "操作过于频繁，请稍后再试。"
ERR_HUMAN_CHECK = "验证码不正确或已使用过，请按新的图片重新输入。"

SUBMIT_RATE = "5/h"  # applications per client per hour
LOOKUP_RATE = "10/10m"  # tracking look-ups per client per 10 minutes

# Letters and digits people do not confuse on a picture (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
CAPTCHA_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def client_key(request) -> str:
    return client_address(request) or "unknown"


def _ratelimit_key(group, request) -> str:
    return client_key(request)


def rate_limited(request, bucket: str, rate: str) -> bool:
    """Count this attempt; True when the client is over the limit for the window."""
    return is_ratelimited(request, group=f"portal.{bucket}", key=_ratelimit_key, rate=rate, increment=True)


def captcha_challenge() -> tuple[str, str]:
    """(text drawn on the image, expected answer); django-simple-captcha compares in lower case."""
    from django.conf import settings

    text = "".join(secrets.choice(CAPTCHA_ALPHABET) for _ in range(settings.CAPTCHA_LENGTH))
    return text, text.lower()
