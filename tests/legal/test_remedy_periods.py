"""The agency's answer periods when a decision is challenged (legal/remedy.py): 十日 of
the reconsideration law are working days; the court's 15 days are calendar days whose
last day moves off a holiday. Checked against the official 2026 schedule."""
import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legal import remedy
from legal.selectors import get_calendar

from ..conftest import d

pytestmark = pytest.mark.django_db


def test_a_complaint_received_before_national_day_is_answered_on_the_first_working_day_after_it():
    # 2026-09-20 + 15 days = Monday 5 October, inside the National Day holiday (1–7 October)
    cal = get_calendar()
    assert d("2026-09-20") + dt.timedelta(days=15) == d("2026-10-05")
    assert not cal.is_workday(d("2026-10-05"))
    assert remedy.court_answer_due(d("2026-09-20"), cal) == d("2026-10-08")
    assert chinese_calendar.is_workday(d("2026-10-08"))


def test_a_complaint_period_ending_on_an_ordinary_working_day_is_not_moved():
    cal = get_calendar()
    assert remedy.court_answer_due(d("2026-11-02"), cal) == d("2026-11-17")  # Tuesday


def test_a_complaint_period_ending_on_a_sunday_moves_to_monday():
    cal = get_calendar()
    assert remedy.court_answer_due(d("2026-11-07"), cal) == d("2026-11-23")  # 22 November is a Sunday


def test_the_reconsideration_answer_counts_ten_working_days_over_the_holidays():
    # received on the make-up working Sunday 20 September: 21–24 Sep (4), 28–30 Sep (3),
    # 8, 9 Oct (2) and the make-up working Saturday 10 October (the 10th)
    cal = get_calendar()
    assert remedy.reconsideration_answer_due(d("2026-09-20"), cal) == d("2026-10-10")
    assert remedy.answer_due(remedy.RECONSIDERATION, d("2026-09-20"), cal) == d("2026-10-10")


def test_the_two_kinds_differ_for_the_same_day():
    cal = get_calendar()
    assert remedy.answer_due(remedy.RECONSIDERATION, d("2026-11-02"), cal) == d("2026-11-16")
    assert remedy.answer_due(remedy.LITIGATION, d("2026-11-02"), cal) == d("2026-11-17")
    with pytest.raises(ValueError):
        remedy.answer_due("petition", d("2026-11-02"), cal)


days_2026 = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 11, 30))


@settings(max_examples=150, deadline=None)
@given(received=days_2026)
def test_court_answer_is_a_working_day_and_the_first_one_from_the_fifteenth_day(received):
    cal = get_calendar()
    due = remedy.court_answer_due(received, cal)
    fifteenth = received + dt.timedelta(days=15)
    assert due >= fifteenth
    assert chinese_calendar.is_workday(due)
    assert all(not chinese_calendar.is_workday(fifteenth + dt.timedelta(days=i)) for i in range((due - fifteenth).days))


@settings(max_examples=150, deadline=None)
@given(received=days_2026)
def test_reconsideration_answer_is_exactly_ten_official_working_days_later(received):
    cal = get_calendar()
    due = remedy.reconsideration_answer_due(received, cal)
    counted = [received + dt.timedelta(days=i) for i in range(1, (due - received).days + 1)]
    assert sum(chinese_calendar.is_workday(day) for day in counted) == 10
    assert chinese_calendar.is_workday(due)
