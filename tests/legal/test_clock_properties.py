"""Invariants of the working-day arithmetic, by property-based testing."""
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legal import clock as rules
from legal.selectors import get_calendar

dates = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2028, 6, 30))
small = st.integers(min_value=0, max_value=45)

pytestmark = pytest.mark.django_db
settings_ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def cal(db):
    return get_calendar()


@settings_
@given(start=dates, n=small, m=small)
def test_adding_n_then_m_equals_adding_n_plus_m(cal, start, n, m):
    assert cal.add_workdays(cal.add_workdays(start, n), m) == cal.add_workdays(start, n + m)


@settings_
@given(start=dates, n=st.integers(min_value=1, max_value=45))
def test_no_due_date_is_a_non_working_day(cal, start, n):
    assert cal.is_workday(cal.add_workdays(start, n))


@settings_
@given(start=dates, pause_at=st.integers(min_value=0, max_value=19), k=st.integers(min_value=0, max_value=20))
def test_a_pause_of_k_working_days_moves_the_due_date_by_exactly_k(cal, start, pause_at, k):
    # The pause begins on a day inside the statutory period and covers k working days.
    p1 = cal.add_workdays(start, pause_at)
    p2 = cal.add_workdays(p1, k)
    base = [rules.Seg(rules.START, start, days=20)]
    paused = base + [rules.Seg(rules.PAUSE, p1, end_date=p2, pause_reason=rules.PAUSE_THIRD_PARTY)]
    before = rules.compute(base, cal, start).due_date
    after = rules.compute(paused, cal, start).due_date
    assert after == cal.add_workdays(before, k)


@settings_
@given(start=dates, n=small)
def test_workdays_between_inverts_add_workdays(cal, start, n):
    assert cal.workdays_between(start, cal.add_workdays(start, n)) == n
