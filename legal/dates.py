"""Dates as people read them in letters, messages and pages: 2026年12月2日 (GB/T 9704 writes
dates this way; staff and applicants see no ISO dates)."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone


def date_words(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def datetime_words(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_words(local.date())} {local:%H:%M}"
