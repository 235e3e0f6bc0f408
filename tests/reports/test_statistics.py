"""Running statistics: received by channel per month and quarter, answered on time or
late, average working days to answer, open cases by days left, per department."""
import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legal.selectors import get_calendar
from reports.statistics import CHANNELS, statistics
from workflows.models import DisclosureRequest

from .conftest import YEAR, Year, d

pytestmark = pytest.mark.django_db

URL = "/staff/reports/statistics/"


def stats_of(agency, year=YEAR, today=d("2026-02-02")):
    return statistics(DisclosureRequest.objects.filter(agency=agency), year=year, today=today, calendar=get_calendar())


def test_received_by_channel_per_quarter_and_month(year_of_cases, agency):
    s = stats_of(agency)
    assert CHANNELS == ["当面", "网上", "信函", "传真", "其他"]
    # e-mail counts as 网上 (Art. 31(3)); signed-for post and ordinary letters as 信函
    assert [list(q.by_channel.values()) for q in s.quarters] == [
        [1, 1, 0, 0, 0], [5, 1, 2, 1, 0], [3, 0, 0, 0, 0], [3, 0, 0, 0, 0]]
    assert s.total.received == 17  # = 表三 一, the same year's new applications
    assert [m.received for m in s.months] == [0, 0, 2, 2, 3, 4, 1, 2, 0, 1, 0, 2]
    assert [m.answered for m in s.months] == [1, 0, 2, 2, 3, 4, 1, 0, 2, 1, 0, 0]
    assert s.total.answered == 16 and s.total.on_time + s.total.late == 16


def test_a_late_answer_is_counted_late(year_of_cases, agency, people, land, travel):
    y = Year(agency, people, land, travel)
    late = y.answer(d("2025-11-03"), d("2025-12-19"), "natural", "1")
    assert late.clock.due_date < late.closed_on
    s = stats_of(agency)
    assert (s.months[11].answered, s.months[11].late) == (1, 1)
    assert s.total.late == 1 and s.total.on_time == 16
    assert s.months[11].on_time_rate == 0.0 and s.total.on_time_rate == round(100 * 16 / 17, 1)


def test_average_working_days_from_receipt_to_answer(agency, people, land, travel):
    y = Year(agency, people, land, travel)
    y.answer(d("2025-03-03"), d("2025-03-10"), "natural", "1")  # Mon → next Mon: 5 working days
    y.answer(d("2025-03-04"), d("2025-03-18"), "natural", "1")  # 10 working days
    s = stats_of(agency, today=d("2025-03-31"))
    assert s.average_workdays == 7.5 and s.answered_counted == 2


def test_open_cases_by_working_days_left(agency, people, land, travel):
    y = Year(agency, people, land, travel)
    for received in ("2025-02-07", "2025-02-12", "2025-02-20", "2025-03-03"):
        y.receive(d(received))
    s = stats_of(agency, today=d("2025-03-10"))
    assert dict(s.days_left) == {"已超过答复期限": 1, "剩余5个工作日以内": 1, "剩余6至10个工作日": 1,
                                 "剩余10个工作日以上": 1, "暂停计时（补正、征求意见、缴费）": 0, "尚未起算": 0}


def test_per_department(year_of_cases, agency):
    s = stats_of(agency)
    rows = {dep.name: (dep.received, dep.answered, dep.open) for dep in s.departments}
    # open now (2 February 2026): the case open since 2024 and the one received in December
    assert rows == {"自然资源局": (16, 15, 2), "未分送部门": (1, 1, 0)}


def test_the_page_draws_its_charts_from_offline_files_and_is_scoped(year_of_cases, agency, other_agency, people,
                                                                   make_staff, client):
    client.force_login(people["chief"])
    html = client.get(URL, {"year": YEAR}).content.decode()
    assert f"{agency.name}{YEAR}年依申请公开办理统计" in html
    assert "/static/reports/vendor/echarts/echarts.min.js" in html and 'id="ogi-chart-data"' in html
    assert "http://" not in html.split('id="stats-title"')[1] and "https://" not in html.split('id="stats-title"')[1]
    assert "第二季度" in html and "统计截至" in html
    content = html[html.index('id="stats-title">') + len('id="stats-title">'):html.index('id="ogi-chart-data"')]
    content = re.sub(r"<(script|style).*?</\1>", "", content, flags=re.S)
    visible = re.sub(r"<[^>]+>", " ", content.rsplit("<", 1)[0])
    assert "按季度统计" in visible and "按承办部门统计" in visible
    assert not re.search(r"[A-Za-z]{2,}", visible), "staff see no English words or raw codes"
    chief_b = make_staff("person_in_charge", agency_=other_agency, department_=other_agency.departments.get(),
                         username="chief_b")
    client.force_login(chief_b)
    html = client.get(URL, {"year": YEAR}).content.decode()
    assert agency.name not in html and "自然资源局" not in html
    assert client.get(URL, {"year": YEAR, "agency": agency.pk}).status_code == 403


def test_the_statistics_page_asks_the_same_number_of_queries_for_5_and_20_cases(
        agency, people, land, travel, client, django_assert_num_queries):
    y = Year(agency, people, land, travel)
    kinds = ["natural", "commercial", "research"]
    channels = ["in_person", "online", "fax", "email"]

    def add(n, start):
        for i in range(n):
            day = start + dt.timedelta(days=i)
            case = y.receive(day, kinds[i % 3], channel=channels[i % 4])
            if i % 2:
                y.reply(day + dt.timedelta(days=1), y.decide(day + dt.timedelta(days=1), case, "1"))

    add(5, d("2025-03-03"))
    travel(d("2025-12-01"))
    client.force_login(people["chief"])
    with CaptureQueriesContext(connection) as five:
        assert client.get(URL, {"year": YEAR}).status_code == 200
    add(15, d("2025-06-02"))
    travel(d("2025-12-01"))
    with django_assert_num_queries(len(five.captured_queries)):
        assert client.get(URL, {"year": YEAR}).status_code == 200
