"""Everything that writes the calendar or a clock. Each function is one transaction with
its audit event. Clock functions are building blocks for the case services, which check
the actor's permission before calling them."""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal

from audit.services import audit_record

from . import clock as rules
from .dates import date_words
from .models import CalendarDay, CalendarRevision, Clock, ClockSegment, OfficialYear
from .selectors import clock_state, forget_calendar, get_calendar, local_today

# Sent inside the transaction of a calendar change, after the clocks moved: apps holding
# other deadlines computed from the calendar (reconsideration and court answers) move
# theirs too. Arguments: actor, reason, calendar.
calendar_changed = Signal()

ERR_NOT_ALLOWED = "您没有维护工作日日历的权限。"
ERR_EXTENSION_LIMIT = "延期累计不得超过 20 个工作日（《政府信息公开条例》第三十三条第二款）。"
ERR_EXTENSION_LATE = ("答复期限已于 {due} 届满，不能再延长：延长答复期限须在期限届满前经负责人同意并告知申请人"
                      "（《政府信息公开条例》第三十三条第二款）。")
ERR_NO_OPEN_PAUSE = "当前没有可以恢复计时的暂停。"
ERR_CLOCK_STOPPED = "该事项已办结，期限不能再变更。"
ERR_DATE_BEFORE_START = "日期不能早于起算日。"
ERR_DAYS_POSITIVE = "工作日数必须为正整数。"
ERR_IMPORT_ROW = "第 {line} 行格式不正确：{error}"


def _require_calendar_admin(actor) -> None:
    if actor is not None and not actor.has_perm("legal.manage_calendar"):
        raise PermissionDenied(ERR_NOT_ALLOWED)


def _bump_revision() -> None:
    updated = CalendarRevision.objects.filter(pk=1).update(number=F("number") + 1)
    if not updated:
        CalendarRevision.objects.create(pk=1, number=1)
    transaction.on_commit(forget_calendar)
    forget_calendar()


# --- calendar ---------------------------------------------------------------------------

@transaction.atomic
def calendar_day_set(*, actor, date: dt.date, is_workday: bool, kind: str, name: str = "", reason: str) -> CalendarDay:
    """Add or correct one day (e.g. a local ethnic holiday, 放假办法 Art. 4), then recompute open deadlines."""
    _require_calendar_admin(actor)
    if not reason.strip():
        raise ValidationError({"reason": "请填写变更理由。"})
    existing = CalendarDay.objects.filter(date=date).first()
    before = _day_dict(existing) if existing else {"date": date, "is_workday": get_calendar().is_workday(date)}
    day = existing or CalendarDay(date=date)
    day.is_workday, day.kind, day.name = is_workday, kind, name
    day.source = day.source or "管理员维护"
    day.full_clean()
    day.save()
    _bump_revision()
    audit_record(actor=actor, action="calendar.day_set", obj=day, before=before, after=_day_dict(day), reason=reason)
    clocks_recompute(actor=actor, reason=f"日历变更：{date_words(date)} 改为{'工作日' if is_workday else '休息日'}（{reason}）")
    return day


@transaction.atomic
def calendar_day_delete(*, actor, date: dt.date, reason: str) -> None:
    _require_calendar_admin(actor)
    day = CalendarDay.objects.get(date=date)
    before = _day_dict(day)
    audit_record(actor=actor, action="calendar.day_deleted", obj=day, before=before, after=None, reason=reason)
    day.delete()
    _bump_revision()
    clocks_recompute(actor=actor, reason=f"日历变更：删除 {date_words(date)} 的特别安排（{reason}）")


def _day_dict(day: CalendarDay) -> dict:
    return {"date": day.date, "is_workday": day.is_workday, "kind": day.kind, "name": day.name, "source": day.source}


@transaction.atomic
def calendar_import_year(*, actor, year: int, rows: Iterable[tuple[dt.date, bool, str]], source: str) -> int:
    """Load a year's official schedule: every holiday and every make-up working day.
    Replaces that year's holiday/make-up rows (local holidays stay) and marks the year official."""
    _require_calendar_admin(actor)
    rows = list(rows)
    for date, _w, _n in rows:
        if date.year != year:
            raise ValidationError(f"{date} 不属于 {year} 年。")
    CalendarDay.objects.filter(date__year=year, kind__in=[CalendarDay.HOLIDAY, CalendarDay.MAKEUP_WORKDAY]).delete()
    local = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        CalendarDay(
            date=d,
            is_workday=w,
            kind=CalendarDay.MAKEUP_WORKDAY if w else CalendarDay.HOLIDAY,
            name=n if not w else (f"{n}调休上班" if n and "调休" not in n else n or "调休上班"),
            source=source,
        )
        for d, w, n in rows
        if d not in local
    )
    official, created = OfficialYear.objects.update_or_create(year=year, defaults={"source": source})
    _bump_revision()
    audit_record(
        actor=actor, action="calendar.year_imported", obj=official,
        before=None if created else {"year": year}, after={"year": year, "days": len(rows), "source": source},
        reason=f"载入 {year} 年官方放假安排",
    )
    clocks_recompute(actor=actor, reason=f"载入 {year} 年官方放假安排（{source}）")
    return len(rows)


def parse_schedule_csv(text: str) -> list[tuple[dt.date, bool, str]]:
    """CSV lines `date,type,name` with type 休/假/holiday or 班/workday (make-up working day)."""
    rows, errors = [], []
    for line_no, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or row[0].strip().startswith("#") or row[0].strip().lower() == "date":
            continue
        try:
            date = dt.date.fromisoformat(row[0].strip())
            kind = row[1].strip().lower()
            if kind in ("休", "假", "holiday", "off"):
                is_workday = False
            elif kind in ("班", "workday", "work", "makeup"):
                is_workday = True
            else:
                raise ValueError(f"类型应为“休”或“班”，而不是“{row[1]}”")
            rows.append((date, is_workday, row[2].strip() if len(row) > 2 else ""))
        except (ValueError, IndexError) as exc:
            errors.append(ERR_IMPORT_ROW.format(line=line_no, error=exc))
    if errors:
        raise ValidationError(errors)
    return rows


def calendar_seed_official(*, years: Iterable[int] | None = None) -> list[int]:
    """Seed the official schedules shipped in `chinesecalendar` (idempotent; system actor)."""
    import chinese_calendar

    from .calendar import HOLIDAY_NAMES_ZH

    by_year: dict[int, list] = {}
    for d, name in chinese_calendar.holidays.items():
        by_year.setdefault(d.year, []).append((d, False, HOLIDAY_NAMES_ZH.get(name, name)))
    for d, name in chinese_calendar.workdays.items():
        by_year.setdefault(d.year, []).append((d, True, f"{HOLIDAY_NAMES_ZH.get(name, name)}调休上班"))
    loaded = set(OfficialYear.objects.values_list("year", flat=True))
    done = []
    for year in sorted(years or by_year):
        if year in loaded or year not in by_year:
            continue
        calendar_import_year(actor=None, year=year, rows=by_year[year], source=f"chinesecalendar {chinese_calendar.__version__}")
        done.append(year)
    return done


# --- clocks -----------------------------------------------------------------------------

def _clock_refresh(clock: Clock, *, actor, reason: str = "", calendar=None, record_move: bool = False) -> rules.ClockState:
    """Recompute the cached fields. `record_move` writes a `clock.recomputed` event when
    the deadline moved for a reason outside the ledger (a calendar change); ledger
    changes write their own event instead."""
    state = clock_state(clock, calendar=calendar)
    before = {"due_date": clock.due_date, "provisional": clock.provisional, "paused": clock.paused}
    clock.due_date, clock.provisional, clock.paused = state.due_date, state.provisional, state.paused
    clock.stopped_on = state.stopped_on
    clock.save(update_fields=["due_date", "provisional", "paused", "stopped_on"])
    after = {"due_date": clock.due_date, "provisional": clock.provisional, "paused": clock.paused}
    if record_move and before != after:
        audit_record(actor=actor, action="clock.recomputed", obj=clock, before=before, after=after, reason=reason)
    return state


def _add(clock: Clock, *, actor, kind: str, start_date: dt.date, reason: str, **fields) -> ClockSegment:
    if clock.stopped_on is not None:
        raise ValidationError(ERR_CLOCK_STOPPED)
    first = clock.segments.order_by("id").first()
    if first and start_date < first.start_date:
        raise ValidationError(ERR_DATE_BEFORE_START)
    seg = _segment(clock, actor=actor, kind=kind, start_date=start_date, reason=reason, **fields)
    seg.save(force_insert=True)
    before = {"due_date": clock.due_date}
    state = _clock_refresh(clock, actor=actor)
    _record_added(clock, seg, actor=actor, before=before, state=state, reason=reason)
    return seg


def _segment(clock: Clock, *, actor, kind: str, start_date: dt.date, reason: str, **fields) -> ClockSegment:
    return ClockSegment(
        clock=clock, kind=kind, start_date=start_date, created_by=actor if getattr(actor, "pk", None) else None,
        basis=fields.pop("basis", None) or rules.BASIS.get((kind, fields.get("pause_reason")), rules.BASIS.get(kind, "")),
        note=reason, **fields,
    )


def _record_added(clock: Clock, seg: ClockSegment, *, actor, before: dict, state: rules.ClockState, reason: str) -> None:
    audit_record(
        actor=actor, action=f"clock.{seg.kind}", obj=clock, before=before,
        after={"segment": seg.pk, "kind": seg.kind, "date": seg.start_date, "days": seg.days,
               "pause_reason": seg.pause_reason, "due_date": state.due_date},
        reason=reason,
    )


def clock_open(*, actor, label: str, received_on: dt.date, agency=None, days: int = rules.STATUTORY_DAYS,
               basis: str = rules.BASIS[rules.START], reason: str = "") -> Clock:
    return clock_open_with_state(actor=actor, label=label, received_on=received_on, agency=agency, days=days,
                                 basis=basis, reason=reason)[0]


@transaction.atomic(savepoint=False)
def clock_open_with_state(*, actor, label: str, received_on: dt.date, agency=None, days: int = rules.STATUTORY_DAYS,
                          basis: str = rules.BASIS[rules.START],
                          reason: str = "") -> tuple[Clock, list[ClockSegment], rules.ClockState]:
    """A new clock with its start: the same start segment and `clock.start` event as `_add`
    writes, its deadline computed from that one segment before the clock row is written
    (a new clock has no other segment to read back). Returns the clock, its segments and
    its state today, for a step that quotes them at once (the receipt)."""
    reason = reason or "收到申请，开始计算答复期限"
    clock = Clock(label=label, agency=agency)
    seg = _segment(clock, actor=actor, kind=rules.START, start_date=received_on, days=days, basis=basis, reason=reason)
    state = rules.compute([seg], get_calendar(), local_today())
    clock.due_date, clock.provisional, clock.paused = state.due_date, state.provisional, state.paused
    clock.stopped_on = state.stopped_on
    clock.save(force_insert=True)
    seg.clock = clock
    seg.save(force_insert=True)
    _record_added(clock, seg, actor=actor, before={"due_date": None}, state=state, reason=reason)
    return clock, [seg], state


@transaction.atomic
def clock_restart(*, actor, clock: Clock, received_on: dt.date, reason: str = "收到补正材料") -> ClockSegment:
    return _add(clock, actor=actor, kind=rules.RESTART, start_date=received_on, days=rules.STATUTORY_DAYS, reason=reason)


@transaction.atomic
def clock_pause(*, actor, clock: Clock, pause_reason: str, on: dt.date, reason: str = "") -> ClockSegment:
    if pause_reason not in rules.PAUSE_LABELS:
        raise ValidationError(f"未知的暂停原因：{pause_reason}")
    return _add(clock, actor=actor, kind=rules.PAUSE, start_date=on, pause_reason=pause_reason,
                reason=reason or rules.PAUSE_LABELS[pause_reason])


@transaction.atomic
def clock_resume(*, actor, clock: Clock, pause_reason: str, on: dt.date, reason: str = "") -> ClockSegment:
    seg = clock.segments.filter(kind=rules.PAUSE, pause_reason=pause_reason, end_date__isnull=True).order_by("id").last()
    if seg is None:
        raise ValidationError(ERR_NO_OPEN_PAUSE)
    if on < seg.start_date:
        raise ValidationError(ERR_DATE_BEFORE_START)
    seg.end_date = on
    seg.save(update_fields=["end_date"])
    before = {"due_date": clock.due_date, "paused": clock.paused}
    state = _clock_refresh(clock, actor=actor)
    audit_record(actor=actor, action="clock.resume", obj=clock, before=before,
                 after={"segment": seg.pk, "end_date": on, "due_date": state.due_date, "paused": state.paused},
                 reason=reason or f"{rules.PAUSE_LABELS[pause_reason]}结束，恢复计时")
    return seg


@transaction.atomic
def clock_extend(*, actor, clock: Clock, days: int, on: dt.date, reason: str) -> ClockSegment:
    if days <= 0:
        raise ValidationError(ERR_DAYS_POSITIVE)
    segs = list(clock.segments.order_by("id"))
    base = max(i for i, s in enumerate(segs) if s.kind in (rules.START, rules.RESTART))
    already = sum(s.days or 0 for s in segs[base + 1:] if s.kind == rules.EXTENSION)
    if already + days > rules.MAX_EXTENSION_DAYS:
        raise ValidationError(ERR_EXTENSION_LIMIT)
    # Art. 33(2): the extension is granted (and notified) within the current period, never after it.
    state = clock_state(clock, today=on)
    if rules.extension_too_late(state, on):
        raise ValidationError(ERR_EXTENSION_LATE.format(due=date_words(state.due_date)))
    return _add(clock, actor=actor, kind=rules.EXTENSION, start_date=on, days=days, reason=reason)


@transaction.atomic
def clock_set_longer_period(*, actor, clock: Clock, days: int, on: dt.date, reason: str) -> ClockSegment:
    if days <= 0:
        raise ValidationError(ERR_DAYS_POSITIVE)
    return _add(clock, actor=actor, kind=rules.LONGER, start_date=on, days=days, reason=reason)


@transaction.atomic
def clock_stop(*, actor, clock: Clock, on: dt.date, reason: str) -> ClockSegment:
    for seg in clock.segments.filter(kind=rules.PAUSE, end_date__isnull=True):
        seg.end_date = max(on, seg.start_date)
        seg.save(update_fields=["end_date"])
    return _add(clock, actor=actor, kind=rules.STOP, start_date=on, reason=reason)


@transaction.atomic
def clocks_recompute(*, actor, reason: str) -> int:
    """Recompute every open clock (after a calendar change); each moved deadline gets an
    audit event saying why. Returns how many moved."""
    calendar = get_calendar()
    moved = 0
    for clock in Clock.objects.filter(stopped_on__isnull=True).prefetch_related("segments"):
        before = clock.due_date
        _clock_refresh(clock, actor=actor, reason=reason, calendar=calendar, record_move=True)
        moved += before != clock.due_date
    calendar_changed.send(sender=Clock, actor=actor, reason=reason, calendar=calendar)
    return moved


def today() -> dt.date:
    return local_today()
