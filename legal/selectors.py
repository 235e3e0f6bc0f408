"""Reading the calendar and clocks: the current calendar (cached per process, reloaded
when its revision changes), a clock's state today, and the badge the lists show."""
from __future__ import annotations

import datetime as dt
import threading

from django.utils import timezone

from . import clock as rules
from .calendar import WorkingCalendar
from .dates import date_words  # noqa: F401  (one home for the format; re-exported for the lists)
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


DUE_SOON_DAYS = 5  # working days; lists colour a deadline amber from here


def clock_badge(clock, *, calendar: WorkingCalendar | None = None,
                today: dt.date | None = None) -> tuple[str, int | None, str]:
    """(label, working days left, css colour) of a clock, for the lists. A list passes the
    calendar it loaded once, so a page costs no query per row."""
    if clock is None or clock.due_date is None:
        return "未起算", None, ""
    if clock.stopped_on:
        return "已办结", None, ""
    today = today or local_today()
    cal = calendar or get_calendar()
    left = cal.workdays_between(today, clock.due_date) if clock.due_date >= today else -cal.workdays_between(clock.due_date, today)
    flags = []
    if clock.paused:
        flags.append("暂停计时")
    if clock.provisional:
        flags.append("暂定")
    if left < 0:
        flags.append("已超期")
        colour = "#c62828"
    elif left <= DUE_SOON_DAYS:
        flags.append("即将到期")
        colour = "#b45309"
    else:
        colour = "#2e7d32"
    if clock.paused:
        colour = "#546e7a"
    return "、".join(flags) or "计时中", left, colour


def overdue_if_due_before(today: dt.date, calendar: WorkingCalendar) -> dt.date:
    """The earliest deadline not yet overdue on `today`, by `clock_badge`'s rule (overdue
    once a working day has passed since the deadline): a running clock due before it is
    overdue. A query counts the overdue ones with `due_date__lt` this day."""
    day = today
    while calendar.workdays_between(day - dt.timedelta(days=1), today) == 0:
        day -= dt.timedelta(days=1)
    return day


def days_left_words(left: int | None) -> str:
    """Working days left, as staff say it: 剩余3个工作日, 今日到期, 已超期2个工作日."""
    if left is None:
        return ""
    if left > 0:
        return f"剩余{left}个工作日"
    if left == 0:
        return "今日到期"
    return f"已超期{-left}个工作日"
