"""Working days against the real official schedules (regulation §3)."""
import datetime as dt

import chinese_calendar
import pytest
from django.core.management import call_command

from legal.calendar import WorkingCalendar, provisional_holidays, qingming, statutory_holidays
from legal.selectors import get_calendar

from ..conftest import d

pytestmark = pytest.mark.django_db


def test_national_day_2025_counts_the_make_up_saturday():
    cal = get_calendar()
    assert not cal.is_workday(d("2025-10-01"))
    assert not cal.is_workday(d("2025-10-08"))
    assert cal.is_workday(d("2025-10-11"))  # Saturday, 调休上班
    assert cal.add_workdays(d("2025-09-30"), 20) == d("2025-11-04")


def test_spring_festival_2026():
    cal = get_calendar()
    # Fri 13 Feb: Sat 14 Feb is a make-up working day, 15–23 Feb are off, Sat 28 Feb works.
    assert cal.add_workdays(d("2026-02-13"), 1) == d("2026-02-14")
    assert cal.add_workdays(d("2026-02-13"), 2) == d("2026-02-24")
    assert cal.add_workdays(d("2026-02-13"), 20) == d("2026-03-19")


def test_receipt_on_a_holiday_counts_from_the_next_working_day():
    assert get_calendar().add_workdays(d("2025-10-03"), 1) == d("2025-10-09")


def test_receipt_on_a_make_up_saturday_is_not_itself_counted():
    assert get_calendar().add_workdays(d("2025-10-11"), 1) == d("2025-10-13")


def test_a_deadline_reaching_into_a_year_without_official_data_is_provisional():
    cal = get_calendar()
    assert 2027 not in cal.official_years
    # 21–31 Dec: 9 working days; 1 Jan 2027 元旦; 4–8, 11–15 Jan: 10; Mon 18 Jan is the 20th.
    assert cal.add_workdays(d("2026-12-20"), 20) == d("2027-01-18")
    assert cal.span_is_provisional(d("2026-12-20"), d("2027-01-18"))
    assert not cal.span_is_provisional(d("2025-09-30"), d("2025-11-04"))


def test_provisional_year_uses_statutory_holidays_with_lunar_dates_and_weekend_make_up():
    hol = provisional_holidays(2027)
    assert hol[d("2027-02-05")] == "春节"  # 除夕 (lunar new year 2027-02-06)
    assert d("2027-02-08") in hol  # 初三
    assert hol[d("2027-06-09")] == "端午节"
    assert hol[d("2027-09-15")] == "中秋节"
    assert hol[d("2027-04-05")] == "清明节"
    # 国庆 2–3 Oct 2027 fall on a weekend: made up on Mon 4 and Tue 5 Oct (放假办法 Art. 6).
    assert "补假" in hol[d("2027-10-04")] and "补假" in hol[d("2027-10-05")]
    assert d("2027-10-06") not in hol


@pytest.mark.parametrize("year", range(2010, 2027))
def test_statutory_holidays_agree_with_every_official_schedule(year):
    """Our lunar/solar-term computation names only days the State Council also gave off.
    除夕 and 2 May became statutory with the 2024 revision (in force 2025): before that
    they are not compared."""
    added_2025 = {min(x for x, n in statutory_holidays(year).items() if n == "春节"), dt.date(year, 5, 2)}
    for day, name in statutory_holidays(year).items():
        if year < 2025 and day in added_2025:
            continue
        assert chinese_calendar.is_holiday(day), (day, name)
    assert chinese_calendar.get_holiday_detail(qingming(year))[1] == "Tomb-sweeping Day"


def test_command_prints_the_due_date_as_the_first_word_of_the_last_line(capsys):
    call_command("legal_calendar", "add-workdays", "2025-09-30", "20")
    assert capsys.readouterr().out.strip().splitlines()[-1] == "2025-11-04"


def test_command_marks_provisional_and_explains(capsys):
    call_command("legal_calendar", "add-workdays", "2026-12-20", "20", "--explain")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "2027-01-18 provisional"
    assert any("2027年1月1日" in line and "元旦" in line and "暂定" in line for line in lines[:-1])


def test_command_is_workday(capsys):
    call_command("legal_calendar", "is-workday", "2025-10-11")
    call_command("legal_calendar", "is-workday", "2025-10-01")
    assert capsys.readouterr().out.split() == ["yes", "no"]


def test_official_years_are_seeded_on_migrate():
    cal = get_calendar()
    assert set(range(2004, 2027)) <= set(cal.official_years)


def test_pure_calendar_weekend_rule_without_data():
    cal = WorkingCalendar({}, {2025})
    assert cal.is_workday(d("2025-10-01"))  # no data: ordinary Wednesday
    assert not cal.is_workday(d("2025-10-04"))


@pytest.mark.parametrize("today", ["2025-10-08", "2025-10-09", "2025-10-11", "2025-10-12", "2026-02-24"])
def test_the_overdue_cut_off_day_agrees_with_the_badge_across_holidays(today):
    """督办 counts overdue cases in the database with `due_date < cut-off`; the lists' badge
    says overdue per clock. Both must agree for every deadline, over weekends and holidays."""
    from types import SimpleNamespace

    from legal.selectors import clock_badge, overdue_if_due_before

    cal, today = get_calendar(), d(today)
    cut_off = overdue_if_due_before(today, cal)
    for back in range(0, 30):
        due = today - dt.timedelta(days=back)
        clock = SimpleNamespace(due_date=due, stopped_on=None, paused=False, provisional=False)
        assert (due < cut_off) == (clock_badge(clock, calendar=cal, today=today)[1] < 0), (today, due, cut_off)
