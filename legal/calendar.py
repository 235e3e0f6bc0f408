"""Working days (工作日): the one place that says whether a date counts.

Rules (regulation §3):
- Official schedules (State Council General Office, incl. make-up working weekends
  调休上班) are stored in the database: `CalendarDay` rows for every holiday and every
  make-up working day, `OfficialYear` for each year whose schedule is loaded.
- A year without an official schedule is computed *provisionally* from the statutory
  holidays of 《全国年节及纪念日放假办法》 (2024 revision, Art. 2) with the lunar dates,
  plus Art. 6: a holiday falling on a weekend is made up on the next working day (补假).
  Make-up working weekends cannot be predicted, so every date derived from such a year
  is marked provisional.
- Counting (民法典 Art. 201): the day of the event is not counted; counting starts the
  next day and only working days count.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import lunardate

ONE_DAY = dt.timedelta(days=1)

# The years this calendar can compute: the Qingming formula below holds for 2000–2099 and
# lunardate for 1900–2099. A date outside them gets this message, never a server error.
FIRST_YEAR, LAST_YEAR = 2000, 2099
ERR_YEAR_RANGE = f"日期应在 {FIRST_YEAR}年 至 {LAST_YEAR}年 之间（工作日历只能推算这些年份），请核对。"


class UnsupportedYear(ValueError):
    """A year the working-day calendar cannot compute; str() is the message for the user."""


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UnsupportedYear(ERR_YEAR_RANGE)


ERR_DATE_RANGE = "日期应在 1900年 至 2099年 之间，请核对。"


def validate_plausible_date(value: dt.date) -> None:
    """Form validator for a date not counted on the clock (e.g. when a document was written)."""
    from django.core.exceptions import ValidationError

    if value is not None and not 1900 <= value.year <= LAST_YEAR:
        raise ValidationError(ERR_DATE_RANGE, code="year_range")


def validate_calendar_date(value: dt.date) -> None:
    """Form validator: a date the legal clock can count from."""
    from django.core.exceptions import ValidationError

    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(ERR_YEAR_RANGE, code="year_range")

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争胜利70周年纪念日",
}


def qingming(year: int) -> dt.date:
    """Date of the Qingming solar term (sun at 15°), valid 2000–2099 ('寿星通式', C=4.81)."""
    y = year % 100
    return dt.date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


def _lunar(year: int, month: int, day: int) -> dt.date:
    return lunardate.LunarDate(year, month, day).to_solar_date()


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The national statutory holidays of `year` under the 2024 放假办法 (Art. 2), without
    the General Office's weekend adjustments: 元旦1, 春节4 (除夕–初三), 清明1, 劳动节2,
    端午1, 中秋1, 国庆3.

    When two holidays fall on the same day (中秋 on a 国庆 day: 2028-10-03, 2031-10-01),
    neither day is lost: the later-listed holiday moves to the first free day after the
    block, as the State Council's schedules do (2020: 国庆 and 中秋 together, 8 days)."""
    check_year(year)
    new_year = _lunar(year, 1, 1)
    entries = [(dt.date(year, 1, 1), "元旦")]
    entries += [(new_year + dt.timedelta(days=offset), "春节") for offset in range(-1, 3)]  # 除夕, 初一–初三
    entries += [(qingming(year), "清明节"), (dt.date(year, 5, 1), "劳动节"), (dt.date(year, 5, 2), "劳动节"),
                (_lunar(year, 5, 5), "端午节")]
    entries += [(dt.date(year, 10, d), "国庆节") for d in (1, 2, 3)]
    entries += [(_lunar(year, 8, 15), "中秋节")]
    days: dict[dt.date, str] = {}
    for day, name in entries:
        while day in days:
            day += ONE_DAY
        days[day] = name
    return {d: n for d, n in days.items() if d.year == year}


@lru_cache(maxsize=64)
def provisional_holidays(year: int) -> dict[dt.date, str]:
    """Statutory holidays plus 补假 (放假办法 Art. 6) for a year with no official schedule."""
    days = dict(statutory_holidays(year))
    for day in sorted(statutory_holidays(year)):
        if day.weekday() >= 5:
            substitute = day + ONE_DAY
            while substitute.weekday() >= 5 or substitute in days:
                substitute += ONE_DAY
            days[substitute] = f"{statutory_holidays(year)[day]}（补假）"
    return days


@dataclass(frozen=True)
class DayStatus:
    date: dt.date
    is_workday: bool
    name: str  # holiday name, "调休上班", or "" for an ordinary day
    provisional: bool


class WorkingCalendar:
    """An immutable snapshot of the calendar: overrides from the database plus the rules."""

    def __init__(self, overrides: dict[dt.date, tuple[bool, str]], official_years: set[int], revision: int = 0):
        self.overrides = overrides
        self.official_years = frozenset(official_years)
        self.revision = revision

    def status(self, day: dt.date) -> DayStatus:
        provisional = day.year not in self.official_years
        if day in self.overrides:
            is_workday, name = self.overrides[day]
            return DayStatus(day, is_workday, name, provisional)
        if provisional:
            name = provisional_holidays(day.year).get(day)
            if name:
                return DayStatus(day, False, name, True)
        return DayStatus(day, day.weekday() < 5, "", provisional)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day][0]
        if day.year not in self.official_years and day in provisional_holidays(day.year):
            return False
        return day.weekday() < 5

    def is_provisional(self, day: dt.date) -> bool:
        return day.year not in self.official_years

    def span_is_provisional(self, start: dt.date, end: dt.date) -> bool:
        return any(y not in self.official_years for y in range(start.year, end.year + 1))

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (`start` itself never counts)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day, counted = start, 0
        while counted < n:
            day += ONE_DAY
            if self.is_workday(day):
                counted += 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open interval (start, end]."""
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_workday(day):
                count += 1
        return count
