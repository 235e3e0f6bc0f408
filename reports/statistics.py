"""Running statistics for the person in charge and the OGI office: applications received
by channel per month and quarter (what the quarterly progress reports count), answered,
on time or late, the average working days to answer, open cases by days left, per
department. A fixed number of grouped queries; Python only walks the groups (months,
distinct dates, departments), never the cases."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractMonth

from legal import receipt as receipt_rules
from legal.calendar import WorkingCalendar
from legal.outcomes import OUTCOMES

from .table3 import GROUPS, applications, year_bounds

# The channels of the progress reports. E-mail is an internet channel (Art. 31(3)), so it
# counts as 网上; post that needs a signature and ordinary letters are both 信函.
CHANNEL_GROUPS: dict[str, str] = {
    receipt_rules.IN_PERSON: "当面",
    receipt_rules.ONLINE: "网上",
    receipt_rules.EMAIL: "网上",
    receipt_rules.POST: "信函",
    receipt_rules.ORDINARY_MAIL: "信函",
    receipt_rules.FAX: "传真",
}
CHANNELS = ["当面", "网上", "信函", "传真", "其他"]
OTHER_CHANNEL = "其他"

# Open cases by working days left until the answer is due.
OVERDUE, DUE_SOON, DUE_LATER, DUE_LATEST, PAUSED, NO_DUE = (
    "已超过答复期限", "剩余5个工作日以内", "剩余6至10个工作日", "剩余10个工作日以上", "暂停计时（补正、征求意见、缴费）", "尚未起算")
DAYS_LEFT_BUCKETS = [OVERDUE, DUE_SOON, DUE_LATER, DUE_LATEST, PAUSED, NO_DUE]
UNROUTED = "未分送部门"

_OUTCOME_GROUP_LABELS = {"1": "予以公开", "2": "部分公开", **{k: label[3:] for k, label in GROUPS}}


@dataclass
class Period:
    label: str
    by_channel: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    answered: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def received(self) -> int:
        return sum(self.by_channel.values())

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / (self.on_time + self.late), 1) if self.on_time + self.late else None


@dataclass
class Department:
    name: str
    received: int
    answered: int
    on_time: int
    late: int
    open: int


@dataclass
class Statistics:
    year: int
    today: dt.date
    months: list[Period]
    quarters: list[Period]
    total: Period
    average_workdays: float | None
    answered_counted: int
    days_left: list[tuple[str, int]]
    departments: list[Department]
    outcomes: list[tuple[str, int]]

    def chart_data(self) -> dict:
        """What the charts draw (read by reports/statistics.js)."""
        return {
            "months": [p.label for p in self.months],
            "channels": CHANNELS,
            "received": {c: [p.by_channel[c] for p in self.months] for c in CHANNELS},
            "answered": [p.answered for p in self.months],
            "onTime": [p.on_time for p in self.months],
            "late": [p.late for p in self.months],
            "onTimeRate": [p.on_time_rate for p in self.months],
            "outcomes": [{"name": name, "value": n} for name, n in self.outcomes],
        }


def statistics(cases: QuerySet, *, year: int, today: dt.date, calendar: WorkingCalendar) -> Statistics:
    start, end = year_bounds(year)
    cases = applications(cases)
    received_in_year = Q(received_on__gte=start, received_on__lte=end)
    answered_in_year = Q(closed_on__gte=start, closed_on__lte=end)
    on_time = answered_in_year & Q(closed_on__lte=F("clock__due_date"))
    late = answered_in_year & Q(closed_on__gt=F("clock__due_date"))

    months = [Period(f"{m}月") for m in range(1, 13)]
    for g in (cases.filter(received_in_year).order_by().annotate(m=ExtractMonth("received_on"))
              .values("m", "channel").annotate(n=Count("pk"))):
        months[g["m"] - 1].by_channel[CHANNEL_GROUPS.get(g["channel"], OTHER_CHANNEL)] += g["n"]
    for g in (cases.filter(answered_in_year).order_by().annotate(m=ExtractMonth("closed_on")).values("m")
              .annotate(n=Count("pk"), on_time=Count("pk", filter=on_time), late=Count("pk", filter=late))):
        p = months[g["m"] - 1]
        p.answered, p.on_time, p.late = g["n"], g["on_time"], g["late"]
    quarters = [_sum(f"第{'一二三四'[q]}季度", months[3 * q:3 * q + 3]) for q in range(4)]

    # Working days from receipt to the answer, per distinct pair of dates (Art. 33 counts
    # from the day after receipt); pauses are included: it is the time the applicant waited.
    pairs = list(cases.filter(answered_in_year, closed_on__gte=F("received_on")).order_by()
                 .values_list("received_on", "closed_on").annotate(n=Count("pk")))
    total_days = counted = 0
    if pairs:
        index = _workday_index(calendar, min(p[0] for p in pairs), end)
        for received_on, closed_on, n in pairs:
            total_days += (index[closed_on] - index[received_on]) * n
            counted += n

    days_left = dict.fromkeys(DAYS_LEFT_BUCKETS, 0)
    for g in (cases.filter(closed_on__isnull=True).order_by().values("clock__due_date", "clock__paused")
              .annotate(n=Count("pk"))):
        days_left[_bucket(g["clock__due_date"], g["clock__paused"], today, calendar)] += g["n"]

    departments = [
        Department(g["department__name"] or UNROUTED, g["received"], g["answered"], g["on_time"], g["late"], g["open"])
        for g in (cases.filter(received_in_year | answered_in_year | Q(closed_on__isnull=True)).order_by()
                  .values("department_id", "department__name")
                  .annotate(received=Count("pk", filter=received_in_year), answered=Count("pk", filter=answered_in_year),
                            on_time=Count("pk", filter=on_time), late=Count("pk", filter=late),
                            open=Count("pk", filter=Q(closed_on__isnull=True)))
                  .order_by("department__name"))]

    outcomes: dict[str, int] = defaultdict(int)
    for g in cases.filter(answered_in_year).order_by().values("outcome").annotate(n=Count("pk")):
        outcomes[_outcome_group(g["outcome"])] += g["n"]
    ordered = [(label, outcomes[label]) for label in [*_OUTCOME_GROUP_LABELS.values(), "未录入办理结果"] if outcomes[label]]

    return Statistics(
        year=year, today=today, months=months, quarters=quarters, total=_sum("全年", months),
        average_workdays=round(total_days / counted, 1) if counted else None, answered_counted=counted,
        days_left=list(days_left.items()), departments=departments, outcomes=ordered)


def _sum(label: str, periods: list[Period]) -> Period:
    out = Period(label)
    for p in periods:
        for c in CHANNELS:
            out.by_channel[c] += p.by_channel[c]
        out.answered += p.answered
        out.on_time += p.on_time
        out.late += p.late
    return out


def _workday_index(calendar: WorkingCalendar, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Working days counted up to each date: (a, b] holds index[b] - index[a] of them, so
    each distinct pair of dates costs a subtraction, not a walk through the calendar."""
    index, count, day = {}, 0, first
    while day <= last:
        if day != first and calendar.is_workday(day):
            count += 1
        index[day] = count
        day += dt.timedelta(days=1)
    return index


def _bucket(due: dt.date | None, paused: bool | None, today: dt.date, calendar: WorkingCalendar) -> str:
    if due is None:
        return NO_DUE
    if paused:
        return PAUSED
    if due < today:
        return OVERDUE
    left = calendar.workdays_between(today, due)
    return DUE_SOON if left <= 5 else DUE_LATER if left <= 10 else DUE_LATEST


def _outcome_group(code: str) -> str:
    outcome = OUTCOMES.get(code)
    if outcome is None:
        return "未录入办理结果"
    return _OUTCOME_GROUP_LABELS[outcome.row.split(".")[0]]
