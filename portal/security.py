"""Abuse protection for the public portal, all offline: rate limits in the cache and a
human check (an arithmetic question, signed, single use)."""
from __future__ import annotations

import random
import secrets

from django.core import signing
from django.core.cache import cache

ERR_RATE_LIMITED = "操作过于频繁，请稍后再试。"
ERR_HUMAN_CHECK = "验证题回答不正确或已过期，请重新作答。"

DIGITS = "零一二三四五六七八九"
SUBMIT_LIMIT = (5, 3600)  # applications per client per hour
LOOKUP_LIMIT = (10, 600)  # tracking look-ups per client per 10 minutes
CHALLENGE_MAX_AGE = 1800
_SALT = "portal.human-check"


def client_key(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def rate_limited(request, bucket: str, limit: tuple[int, int]) -> bool:
    """Count this attempt; True when the client is over the limit for the window."""
    count, window = limit
    key = f"rl:{bucket}:{client_key(request)}"
    cache.add(key, 0, timeout=window)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        used = 1
    return used > count


def new_challenge() -> tuple[str, str]:
    """(question in Chinese, signed token). The answer lives only inside the token."""
    a, b = random.randint(1, 9), random.randint(1, 9)
    question = f"{DIGITS[a]}加{DIGITS[b]}等于几？（请填写阿拉伯数字）"
    token = signing.dumps({"answer": a + b, "nonce": secrets.token_hex(8)}, salt=_SALT)
    return question, token


def challenge_passed(token: str, answer: str) -> bool:
    try:
        data = signing.loads(token, salt=_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        return False
    if str(answer).strip() != str(data["answer"]):
        return False
    return cache.add(f"challenge-used:{data['nonce']}", 1, timeout=CHALLENGE_MAX_AGE)  # single use
