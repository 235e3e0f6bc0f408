"""The calculator and calendar pages in the staff UI, as a person uses them."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from agencies import roles
from legal.selectors import get_calendar

from ..conftest import d

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_staff_ui_requires_login(client):
    resp = client.get("/staff/clock/deadline_calculator/")
    assert resp.status_code == 302 and "/staff/accounts/login/" in resp["Location"]


def test_demo_login_reaches_the_staff_ui(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    resp = client.post("/staff/accounts/login/", {"username": "handler", "password": "demo-2026"}, follow=True)
    assert resp.status_code == 200
    assert resp.redirect_chain[-1][0].endswith("/staff/workflow/inbox/")  # lands on 我的待办
    assert "我的待办" in resp.content.decode() and "法定期限" in resp.content.decode()  # the calculator's app in the menu


def test_calculator_shows_due_date_and_derivation(client, make_staff):
    login(client, make_staff(roles.HANDLER))
    resp = client.get("/staff/clock/deadline_calculator/", {"start": "2025-09-30", "days": "20"})
    body = resp.content.decode()
    assert 'id="due-date">2025-11-04<' in body
    assert "国庆节调休上班" in body and "暂定" not in body


def test_calculator_rejects_bad_input_in_chinese(client, make_staff):
    login(client, make_staff(roles.HANDLER))
    body = client.get("/staff/clock/deadline_calculator/", {"start": "2025-09-30", "days": "-3"}).content.decode()
    assert "工作日数应在 0 到 400 之间" in body and "due-date" not in body


def test_handler_cannot_edit_the_calendar(client, make_staff):
    login(client, make_staff(roles.HANDLER))
    resp = client.post("/staff/clock/working_calendar/", {"action": "set_day", "date": "2025-10-20", "is_workday": "0",
                                                          "kind": "local", "name": "x", "reason": "y"})
    assert resp.status_code == 403
    assert get_calendar().is_workday(d("2025-10-20"))


def test_administrator_adds_a_local_holiday_and_imports_a_year(client, calendar_admin):
    login(client, calendar_admin)
    resp = client.post("/staff/clock/working_calendar/", {"action": "set_day", "date": "2025-10-20", "is_workday": "0",
                                                          "kind": "local", "name": "三月三", "reason": "自治条例"})
    assert resp.status_code == 302
    assert not get_calendar().is_workday(d("2025-10-20"))
    page = client.get("/staff/clock/working_calendar/", {"year": "2027"}).content.decode()
    assert "暂定" in page and "春节" in page
    upload = SimpleUploadedFile("2027.csv", "2027-01-01,休,元旦\n2027-02-20,班,春节调休上班\n".encode())
    resp = client.post("/staff/clock/working_calendar/", {"action": "import", "year": "2027", "source": "国办发明电",
                                                          "file": upload})
    assert resp.status_code == 302
    assert get_calendar().is_workday(d("2027-02-20")) and 2027 in get_calendar().official_years
    bad = SimpleUploadedFile("bad.csv", "2027-01-01,休\nnot-a-date,休\n".encode())
    page = client.post("/staff/clock/working_calendar/", {"action": "import", "year": "2028", "source": "x",
                                                          "file": bad}).content.decode()
    assert "第 2 行" in page and 2028 not in get_calendar().official_years


def test_api_add_workdays(client, make_staff):
    login(client, make_staff(roles.HANDLER))
    body = client.get("/api/legal/calendar/add-workdays/", {"start": "2026-12-20", "days": 20}).json()
    # the first answer's fields, unchanged; the API now adds the derivation
    assert {k: body[k] for k in ("due_date", "provisional")} == {"due_date": "2027-01-18", "provisional": True}
    assert body["derivation"][-1] == "到期日 2027年1月18日"
    assert client.get("/api/legal/calendar/add-workdays/", {"start": "x", "days": 20}).status_code == 400
