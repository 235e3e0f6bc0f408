"""The legal clock (答复期限): a ledger of segments, each with its legal basis.

This module is the one home of the deadline rules; it is pure (no database), so the
same computation serves the case, the inbox, the portal and the calculator.

Segment kinds and their basis (regulation §2, §3):
- START     statutory period from receipt: 20 working days (条例 Art. 33(2)); for proactive
            publication 20 working days from creation/change (Art. 26).
- RESTART   supplement received: the period counts anew from that day (Art. 30).
- PAUSE     not counted: third-party consultation (Art. 32, 33(3)), other agencies
            (Art. 34, 33(3)), an outstanding fee notice (Art. 42; treated as a pause).
            Working days in (start, end] are not counted; an open pause runs to today.
- EXTENSION approved by the person in charge, at most 20 working days in all (Art. 33(2)).
- LONGER    a longer reasonable period for a large volume (Art. 35).
- STOP      the case was answered or closed on that day.
Only the segments after the latest START/RESTART count.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Protocol

from .calendar import ONE_DAY, WorkingCalendar
from .dates import date_words

START, RESTART, PAUSE, EXTENSION, LONGER, STOP = "start", "restart", "pause", "extension", "longer", "stop"

STATUTORY_DAYS = 20  # Art. 33(2); Art. 26 for proactive disclosure
MAX_EXTENSION_DAYS = 20  # Art. 33(2)
THIRD_PARTY_REPLY_DAYS = 15  # Art. 32, Art. 34
OTHER_AGENCY_REPLY_DAYS = 15  # Art. 34: 自收到征求意见书之日起15个工作日内
SUPPLEMENT_NOTICE_DAYS = 7  # Art. 30
FEE_PAYMENT_DAYS = 20  # Art. 42, 国办函〔2020〕109号

PAUSE_THIRD_PARTY, PAUSE_OTHER_AGENCY, PAUSE_FEE = "third_party", "other_agency", "fee"

PAUSE_LABELS = {
    PAUSE_THIRD_PARTY: "征求第三方意见",
    PAUSE_OTHER_AGENCY: "征求其他机关意见",
    PAUSE_FEE: "等待缴纳信息处理费",
}

BASIS = {
    START: "《政府信息公开条例》第三十三条第二款",
    RESTART: "《政府信息公开条例》第三十条",
    (PAUSE, PAUSE_THIRD_PARTY): "《政府信息公开条例》第三十二条、第三十三条第三款",
    (PAUSE, PAUSE_OTHER_AGENCY): "《政府信息公开条例》第三十四条、第三十三条第三款",
    (PAUSE, PAUSE_FEE): "《政府信息公开条例》第四十二条；国办函〔2020〕109号",
    EXTENSION: "《政府信息公开条例》第三十三条第二款",
    LONGER: "《政府信息公开条例》第三十五条",
    STOP: "",
}
BASIS_PROACTIVE = "《政府信息公开条例》第二十六条"


class Segment(Protocol):
    kind: str
    start_date: dt.date
    end_date: dt.date | None
    days: int | None
    pause_reason: str
    basis: str
    note: str


@dataclass
class Seg:
    """A plain segment, for computations outside the database (calculator, tests)."""

    kind: str
    start_date: dt.date
    end_date: dt.date | None = None
    days: int | None = None
    pause_reason: str = ""
    basis: str = ""
    note: str = ""


@dataclass
class ClockState:
    received_on: dt.date
    counted_from: dt.date
    allowed_days: int
    due_date: dt.date
    used_days: int
    left_days: int
    paused: bool
    provisional: bool
    overdue: bool
    stopped_on: dt.date | None
    paused_days: int
    explanation: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        parts = []
        if self.stopped_on:
            parts.append("已办结")
        elif self.paused:
            parts.append("暂停计时")
        if self.overdue:
            parts.append("已超期")
        if self.provisional:
            parts.append("暂定")
        return "、".join(parts) or "计时中"


class ClockError(ValueError):
    pass


def _fmt(d: dt.date) -> str:
    return date_words(d)


def compute(segments: Iterable[Segment], calendar: WorkingCalendar, today: dt.date) -> ClockState:
    segs = list(segments)
    bases = [i for i, s in enumerate(segs) if s.kind in (START, RESTART)]
    if not bases:
        raise ClockError("clock has no start")
    first = segs[bases[0]]
    base_index = bases[-1]
    base = segs[base_index]
    active = segs[base_index + 1 :]
    stop = next((s for s in active if s.kind == STOP), None)
    stopped_on = stop.start_date if stop else None
    as_of = stopped_on or today

    pauses: list[tuple[dt.date, dt.date]] = []
    open_pause = False
    for s in active:
        if s.kind == PAUSE:
            end = s.end_date
            if end is None:
                open_pause = stop is None
                end = max(as_of, s.start_date)
            pauses.append((s.start_date, end))

    def paused_on(day: dt.date) -> bool:
        return any(a < day <= b for a, b in pauses)

    allowed = (base.days or STATUTORY_DAYS) + sum(s.days or 0 for s in active if s.kind in (EXTENSION, LONGER))

    # Walk working days after the base date until the allowance is used.
    day, counted, paused_count = base.start_date, 0, 0
    while counted < allowed:
        day += ONE_DAY
        if not calendar.is_workday(day):
            continue
        if paused_on(day):
            paused_count += 1
            continue
        counted += 1
    due = day

    used = 0
    day = base.start_date
    while day < as_of:
        day += ONE_DAY
        if calendar.is_workday(day) and not paused_on(day):
            used += 1

    provisional = calendar.span_is_provisional(base.start_date, max(due, as_of))
    overdue = as_of > due
    state = ClockState(
        received_on=first.start_date,
        counted_from=base.start_date,
        allowed_days=allowed,
        due_date=due,
        used_days=used,
        left_days=allowed - used,
        paused=open_pause,
        provisional=provisional,
        overdue=overdue,
        stopped_on=stopped_on,
        paused_days=sum(calendar.workdays_between(a, b) for a, b in _merge(pauses)),
    )
    state.explanation = _explain(segs, base_index, state, calendar)
    return state


def _merge(intervals: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    merged: list[tuple[dt.date, dt.date]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _explain(segs: list[Segment], base_index: int, state: ClockState, calendar: WorkingCalendar) -> list[str]:
    lines = []
    for i, s in enumerate(segs):
        superseded = "（已被重新起算取代）" if i < base_index and s.kind not in (START, RESTART) else ""
        basis = f"（{s.basis}）" if s.basis else ""
        if s.kind == START:
            lines.append(
                f"{_fmt(s.start_date)} 收到，自次日起计算 {s.days or STATUTORY_DAYS} 个工作日{basis}"
            )
        elif s.kind == RESTART:
            lines.append(f"{_fmt(s.start_date)} 收到补正后的申请，答复期限自次日起重新计算{basis}")
        elif s.kind == PAUSE:
            label = PAUSE_LABELS.get(s.pause_reason, s.pause_reason)
            if s.end_date:
                k = calendar.workdays_between(s.start_date, s.end_date)
                lines.append(f"{_fmt(s.start_date)} 至 {_fmt(s.end_date)} {label}，暂停计算 {k} 个工作日{basis}{superseded}")
            else:
                lines.append(f"自 {_fmt(s.start_date)} 起{label}，暂停计算中{basis}{superseded}")
        elif s.kind == EXTENSION:
            lines.append(f"{_fmt(s.start_date)} 经负责人同意延长 {s.days} 个工作日{basis}{superseded}")
        elif s.kind == LONGER:
            lines.append(f"{_fmt(s.start_date)} 因申请数量大确定延长答复期限 {s.days} 个工作日{basis}{superseded}")
        elif s.kind == STOP:
            lines.append(f"{_fmt(s.start_date)} 办结{('：' + s.note) if s.note else ''}")
    due = f"答复期限：{_fmt(state.due_date)}"
    if state.paused:
        due += "（暂停计时中，按今日恢复计算）"
    if state.provisional:
        due += "（暂定：涉及尚未公布官方放假安排的年份，按法定节假日推算）"
    lines.append(due)
    lines.append(f"已用 {state.used_days} 个工作日，剩余 {state.left_days} 个工作日" + ("，已超期" if state.overdue else ""))
    return lines


def consultation_pause_end(answered_on: dt.date, reply_due: dt.date) -> dt.date:
    """Art. 32 / Art. 34: the time not counted ends when the answer is received, or at the
    latest when the 15 working days given for it have run, whichever is earlier; an
    answer (or silence) recorded late does not stretch the pause."""
    return min(answered_on, reply_due)


def extension_too_late(state: ClockState, on: dt.date) -> bool:
    """Art. 33(2): an extension must be approved and notified before the current answer
    deadline has passed; on the due day itself it is still in time."""
    return on > state.due_date


def fee_notice_too_late(state: ClockState, on: dt.date) -> bool:
    """国办函〔2020〕109号 and regulation §2: a fee notice is sent within the answer period
    (the due day itself included); after it, the agency must answer instead."""
    return on > state.due_date


def due_date_for(calendar: WorkingCalendar, start: dt.date, days: int) -> tuple[dt.date, bool]:
    """The calculator: due date and whether it is provisional."""
    due = calendar.add_workdays(start, days)
    return due, calendar.span_is_provisional(start, due)


def explain_add_workdays(cal: WorkingCalendar, start: dt.date, days: int) -> list[str]:
    """Derivation lines: which days were skipped and why, which were counted."""
    lines = [f"起算日 {_fmt(start)}（{_weekday(start)}），当日不计，自次日起计算 {days} 个工作日"]
    day, counted = start, 0
    skipped: list[str] = []
    while counted < days:
        day += dt.timedelta(days=1)
        status = cal.status(day)
        mark = "（暂定）" if status.provisional else ""
        if status.is_workday:
            counted += 1
            if skipped:
                lines.append("  跳过：" + "，".join(skipped))
                skipped = []
            extra = f"（{status.name}）" if status.name else ""
            lines.append(f"  第 {counted:>2} 个工作日：{_fmt(day)} {_weekday(day)}{extra}{mark}")
        else:
            skipped.append(f"{_fmt(day)} {_weekday(day)}{('·' + status.name) if status.name else ''}{mark}")
    lines.append(f"到期日 {_fmt(day)}")
    return lines


def _weekday(d: dt.date) -> str:
    return "周" + "一二三四五六日"[d.weekday()]
