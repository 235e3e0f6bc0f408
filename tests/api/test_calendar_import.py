"""A year's official holiday schedule imported through the API, by a full key granted
calendar upkeep: the same validation as the staff calendar page (years 2000–2099, every
day inside the year, the CSV format), audited with the key as actor, and every open
deadline recomputed as the page does."""
import datetime as dt

import pytest

from api.services import CALENDAR, api_key_issue
from audit.models import AuditEvent
from legal.models import CalendarDay, OfficialYear
from tests.applications import accepted, workdays

from .conftest import KeyClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(agency, admin):
    key, secret = api_key_issue(actor=admin, agency=agency, name="省节假日数据服务", scope="full", grants=[CALENDAR])
    client = KeyClient(secret)
    client.key = key
    return client


def _official_rows(year):
    return [{"date": d.date.isoformat(), "is_workday": d.is_workday, "name": d.name}
            for d in CalendarDay.objects.filter(date__year=year, kind__in=[CalendarDay.HOLIDAY, CalendarDay.MAKEUP_WORKDAY])]


def test_an_imported_schedule_moves_open_deadlines_and_is_audited(keeper, agency, people, land):
    case = accepted(agency, people, land)
    due = case.clock.due_date
    assert due == workdays(case.received_on, 20)
    year = case.received_on.year
    # a new holiday inside the open period (as a revised State Council notice would add)
    extra = next(d for d in (case.received_on + dt.timedelta(days=n) for n in range(1, 20))
                 if d < due and d.weekday() < 5 and d.year == year)
    rows = _official_rows(year) + [{"date": extra.isoformat(), "is_workday": False, "name": "临时调整"}]
    response = keeper.post_json(f"/api/calendar/years/{year}/import/", {"source": "国办发明电〔2026〕99号", "days": rows})
    assert response.status_code == 200, response.content
    assert response.json() == {"year": year, "days": len(rows), "source": "国办发明电〔2026〕99号"}
    case.clock.refresh_from_db()
    assert case.clock.due_date > due  # one working day fewer in the period: the deadline moved
    assert OfficialYear.objects.get(year=year).source == "国办发明电〔2026〕99号"
    imported = AuditEvent.objects.get(action="calendar.year_imported", actor=keeper.key.account)
    assert imported.actor_detail["api_key"] == keeper.key.prefix and imported.after["year"] == year
    moved = AuditEvent.objects.filter(action="clock.recomputed", object_id=str(case.clock.pk))
    assert moved.exists() and moved.first().actor_id == keeper.key.account_id
    # the year as the API shows it afterwards
    listed = keeper.get(f"/api/calendar/years/{year}/").json()
    assert any(d["date"] == extra.isoformat() and not d["is_workday"] for d in listed["days"])


def test_the_same_validation_as_the_calendar_page(keeper):
    url = "/api/calendar/years/{}/import/"
    bad_year = keeper.post_json(url.format(1999), {"source": "x", "days": [{"date": "2000-01-01", "is_workday": False}]})
    assert bad_year.status_code == 400 and "2000" in bad_year.json()["detail"]
    outside = keeper.post_json(url.format(2031), {"source": "国办发明电", "days": [
        {"date": "2032-01-01", "is_workday": False, "name": "元旦"}]})
    assert outside.status_code == 422 and "不属于 2031 年" in outside.json()["detail"]
    bad_csv = keeper.post_json(url.format(2031), {"source": "国办发明电", "csv": "2031-01-01,休,元旦\n2031-01-02,放,元旦\n"})
    assert bad_csv.status_code == 422 and "第 2 行" in bad_csv.json()["detail"]
    neither = keeper.post_json(url.format(2031), {"source": "国办发明电"})
    assert neither.status_code == 400
    assert not OfficialYear.objects.filter(year=2031).exists()
    good = keeper.post_json(url.format(2031), {"source": "国办发明电〔2030〕7号",
                                               "csv": "date,type,name\n2031-01-01,休,元旦\n2031-01-04,班,元旦\n"})
    assert good.status_code == 200 and good.json()["days"] == 2
    assert CalendarDay.objects.get(date=dt.date(2031, 1, 4)).is_workday


def test_only_a_key_granted_calendar_upkeep_may_import(client_for, other_key, keeper):
    body = {"source": "国办发明电", "days": [{"date": "2031-01-01", "is_workday": False, "name": "元旦"}]}
    for client in (client_for("full"), KeyClient(other_key[1])):  # full keys with the registrar's steps only
        response = client.post_json("/api/calendar/years/2031/import/", body)
        assert response.status_code == 403 and response.json()["detail"] == "您没有维护工作日日历的权限。"
    for scope in ("read", "intake"):
        assert client_for(scope).post_json("/api/calendar/years/2031/import/", body).status_code == 403
    assert not OfficialYear.objects.filter(year=2031).exists()
    assert not AuditEvent.objects.filter(action="calendar.year_imported", actor__isnull=False).exists()
    assert not CalendarDay.objects.filter(date=dt.date(2031, 1, 1)).exists()
