"""Administrators edit the calendar; open deadlines move, and say why."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies import roles
from audit.selectors import audit_events_for
from legal.models import CalendarDay
from legal.selectors import get_calendar
from legal.services import (
    calendar_day_delete,
    calendar_day_set,
    calendar_import_year,
    clock_open,
    clock_stop,
    parse_schedule_csv,
)

from ..conftest import d

pytestmark = pytest.mark.django_db


def test_local_holiday_moves_open_deadlines_and_records_why(calendar_admin):
    open_case = clock_open(actor=None, label="在办", received_on=d("2025-09-30"))
    closed_case = clock_open(actor=None, label="已办结", received_on=d("2025-09-30"))
    clock_stop(actor=None, clock=closed_case, on=d("2025-10-20"), reason="已答复")

    calendar_day_set(actor=calendar_admin, date=d("2025-10-20"), is_workday=False, kind=CalendarDay.LOCAL_HOLIDAY,
                     name="地方民族节日", reason="自治县条例规定")

    open_case.refresh_from_db()
    closed_case.refresh_from_db()
    assert open_case.due_date == d("2025-11-05")
    assert closed_case.due_date == d("2025-11-04")
    moved = audit_events_for(open_case).filter(action="clock.recomputed").get()
    assert moved.before["due_date"] == "2025-11-04" and moved.after["due_date"] == "2025-11-05"
    assert "2025年10月20日" in moved.reason and "自治县条例规定" in moved.reason
    assert moved.actor == calendar_admin
    day_event = audit_events_for(CalendarDay.objects.get(date=d("2025-10-20"))).get()
    assert day_event.before["is_workday"] is True and day_event.after["is_workday"] is False

    calendar_day_delete(actor=calendar_admin, date=d("2025-10-20"), reason="录入错误")
    open_case.refresh_from_db()
    assert open_case.due_date == d("2025-11-04")


def test_only_calendar_administrators_may_edit(make_staff):
    handler = make_staff(roles.HANDLER)
    with pytest.raises(PermissionDenied):
        calendar_day_set(actor=handler, date=d("2025-10-20"), is_workday=False, kind=CalendarDay.LOCAL_HOLIDAY,
                         name="x", reason="y")
    assert get_calendar().is_workday(d("2025-10-20"))


def test_importing_the_official_2027_schedule_ends_provisional_deadlines(calendar_admin):
    clock = clock_open(actor=None, label="跨年", received_on=d("2026-12-20"))
    assert clock.provisional and clock.due_date == d("2027-01-18")
    rows = parse_schedule_csv(
        "date,type,name\n2027-01-01,休,元旦\n2027-01-02,休,元旦\n2027-01-03,休,元旦\n2027-01-09,班,春节调休上班\n"
    )
    calendar_import_year(actor=calendar_admin, year=2027, rows=rows, source="国办发明电〔2026〕X号")
    clock.refresh_from_db()
    assert not clock.provisional
    assert get_calendar().is_workday(d("2027-01-09"))
    assert clock.due_date == d("2027-01-15")  # the make-up Saturday 9 Jan counts
    assert audit_events_for(clock).filter(action="clock.recomputed").exists()


def test_bad_schedule_lines_are_reported_and_nothing_is_loaded(calendar_admin):
    with pytest.raises(ValidationError) as err:
        parse_schedule_csv("2027-01-01,休,元旦\n2027-13-01,休,x\n2027-01-09,上,x\n")
    assert len(err.value.messages) == 2 and "第 2 行" in err.value.messages[0]


def test_reason_is_required(calendar_admin):
    with pytest.raises(ValidationError):
        calendar_day_set(actor=calendar_admin, date=d("2025-10-20"), is_workday=False,
                         kind=CalendarDay.LOCAL_HOLIDAY, name="x", reason=" ")
    assert not CalendarDay.objects.filter(date=d("2025-10-20")).exists()
