"""The legal clock ledger: each segment kind, combinations, and the explanation."""
import pytest
from django.core.exceptions import ValidationError

from audit.selectors import audit_events_for
from legal import clock as rules
from legal.selectors import clock_state, get_calendar
from legal.services import (
    clock_extend,
    clock_open,
    clock_pause,
    clock_restart,
    clock_resume,
    clock_set_longer_period,
    clock_stop,
)

from ..conftest import d

pytestmark = pytest.mark.django_db


def open_clock(received="2025-09-30"):
    return clock_open(actor=None, label="测试申请", received_on=d(received))


def state(clock, today="2025-10-20"):
    return clock_state(clock, today=d(today))


def test_statutory_twenty_working_days_from_receipt():
    clock = open_clock()
    s = state(clock)
    assert s.due_date == d("2025-11-04") and clock.due_date == d("2025-11-04")
    # 9, 10, 11(Sat, make-up), 13–17, 20 October: 9 working days used by 20 October.
    assert (s.used_days, s.left_days) == (9, 11)
    assert not s.paused and not s.overdue and not s.provisional
    assert "2025年9月30日 收到" in s.explanation[0] and "第三十三条" in s.explanation[0]


def test_third_party_consultation_pauses_the_clock():
    clock = open_clock()
    clock_pause(actor=None, clock=clock, pause_reason=rules.PAUSE_THIRD_PARTY, on=d("2025-10-13"))
    mid = state(clock, "2025-10-17")
    assert mid.paused and mid.used_days == 4  # 9, 10, 11, 13 October; 14–17 are paused
    clock_resume(actor=None, clock=clock, pause_reason=rules.PAUSE_THIRD_PARTY, on=d("2025-10-22"))
    s = state(clock, "2025-10-22")
    # 14–17, 20–22 October: 7 working days not counted; due moves from 4 to 13 November.
    assert s.paused_days == 7
    assert s.due_date == d("2025-11-13")
    assert not s.paused
    assert any("征求第三方意见，暂停计算 7 个工作日" in line and "第三十二条" in line for line in s.explanation)


def test_supplement_restarts_the_clock_and_drops_earlier_pauses():
    clock = open_clock()
    clock_pause(actor=None, clock=clock, pause_reason=rules.PAUSE_OTHER_AGENCY, on=d("2025-10-09"))
    clock_resume(actor=None, clock=clock, pause_reason=rules.PAUSE_OTHER_AGENCY, on=d("2025-10-10"))
    clock_restart(actor=None, clock=clock, received_on=d("2025-10-15"))
    s = state(clock)
    assert s.counted_from == d("2025-10-15") and s.received_on == d("2025-09-30")
    assert s.due_date == d("2025-11-12")
    assert any("重新计算" in line and "第三十条" in line for line in s.explanation)
    assert any("已被重新起算取代" in line for line in s.explanation)


def test_extension_at_most_twenty_working_days_in_all():
    clock = open_clock()
    clock_extend(actor=None, clock=clock, days=15, on=d("2025-10-30"), reason="检索量大")
    assert state(clock).due_date == get_calendar().add_workdays(d("2025-11-04"), 15)
    with pytest.raises(ValidationError) as err:
        clock_extend(actor=None, clock=clock, days=6, on=d("2025-10-31"), reason="再延")
    assert "不得超过 20 个工作日" in str(err.value)
    clock.refresh_from_db()
    assert clock.segments.filter(kind=rules.EXTENSION).count() == 1  # the refused one left nothing


def test_longer_period_under_article_35_and_fee_pause_combine():
    clock = open_clock()
    clock_set_longer_period(actor=None, clock=clock, days=30, on=d("2025-10-20"), reason="申请数量大")
    clock_pause(actor=None, clock=clock, pause_reason=rules.PAUSE_FEE, on=d("2025-10-21"))
    clock_resume(actor=None, clock=clock, pause_reason=rules.PAUSE_FEE, on=d("2025-10-23"))  # 22, 23 paused
    s = state(clock, "2025-10-24")
    assert s.allowed_days == 50
    assert s.due_date == get_calendar().add_workdays(d("2025-09-30"), 52)
    assert any("第三十五条" in line for line in s.explanation)
    assert any("缴纳信息处理费" in line for line in s.explanation)


def test_overdue_and_stopped():
    clock = open_clock()
    s = state(clock, "2025-11-05")
    assert s.overdue and s.left_days == -1
    clock_stop(actor=None, clock=clock, on=d("2025-11-03"), reason="已答复")
    s = state(clock, "2025-12-01")
    assert not s.overdue and s.stopped_on == d("2025-11-03") and s.left_days == 1
    with pytest.raises(ValidationError):
        clock_extend(actor=None, clock=clock, days=5, on=d("2025-11-04"), reason="x")


def test_open_pause_runs_until_today():
    clock = open_clock()
    clock_pause(actor=None, clock=clock, pause_reason=rules.PAUSE_THIRD_PARTY, on=d("2025-10-13"))
    s = state(clock, "2025-10-20")
    assert s.paused and "暂停计时中" in s.explanation[-2]
    # as if it resumed on 20 October: 14–17, 20 not counted (5 days)
    assert s.due_date == get_calendar().add_workdays(d("2025-11-04"), 5)


def test_every_clock_change_is_audited():
    clock = open_clock()
    clock_extend(actor=None, clock=clock, days=5, on=d("2025-10-30"), reason="检索量大")
    actions = [e.action for e in audit_events_for(clock)]
    assert actions == ["clock.start", "clock.extension"]
    ext = audit_events_for(clock).last()
    assert ext.reason == "检索量大" and ext.before["due_date"] == "2025-11-04"


def test_resume_without_pause_is_refused():
    with pytest.raises(ValidationError):
        clock_resume(actor=None, clock=open_clock(), pause_reason=rules.PAUSE_FEE, on=d("2025-10-10"))


def test_fee_notice_and_extension_are_in_time_on_the_due_day_and_late_the_day_after():
    import datetime as dt
    from types import SimpleNamespace

    from legal.clock import extension_too_late, fee_notice_too_late

    state = SimpleNamespace(due_date=dt.date(2026, 11, 5))
    for rule in (fee_notice_too_late, extension_too_late):
        assert not rule(state, dt.date(2026, 11, 5)) and rule(state, dt.date(2026, 11, 6))
