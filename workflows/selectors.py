"""Reading the calendar and clocks."""
from __future__ import annotations

import datetime as dt
import threading

from django.utils import timezone

from . import clock as rules
from .calendar import WorkingCalendar
from .models import CalendarDay, CalendarRevision, Clock, OfficialYear

_cache = threading.local()


def get_calendar() -> WorkingCalendar:
    """The current calendar. One query to check the revision; reloads only on change."""
    revision = CalendarRevision.objects.values_list("number", flat=True).first() or 0
    cached = getattr(_cache, "calendar", None)
    if cached is not None and cached.revision == revision and getattr(_cache, "db", None) == _db_identity():
        return cached
    overrides = {d: (w, n) for d, w, n in CalendarDay.objects.values_list("date", "is_workday", "name")}
    years = set(OfficialYear.objects.values_list("year", flat=True))
    cal = WorkingCalendar(overrides, years, revision)
    _cache.calendar, _cache.db = cal, _db_identity()
    return cal


def _db_identity():
    from django.db import connection

    return connection.settings_dict.get("NAME")


def forget_calendar() -> None:
    _cache.calendar = None


def local_today() -> dt.date:
    return timezone.localdate()


def clock_state(clock: Clock, *, calendar: WorkingCalendar | None = None, today: dt.date | None = None) -> rules.ClockState:
    return rules.compute(
        clock.segments.all(), calendar or get_calendar(), today or local_today()
    )
