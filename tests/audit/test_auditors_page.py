"""The auditors' page: an auditor reads the record of their own agency, searches it by
case, person, action and period, and sees whether the chain is intact."""
import re

import pytest
from django.core.management import call_command
from django.db import transaction

from agencies import roles
from audit.services import audit_record, audit_seal
from tests.applications import accepted

pytestmark = pytest.mark.django_db

URL = "/staff/audit/audit_log/"


def rows(resp) -> list[str]:
    html = resp.content.decode()
    body = re.search(r'<table[^>]*id="audit-events".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


@pytest.fixture
def case(agency, people, land):
    return accepted(agency, people, land)


def test_an_auditor_finds_a_cases_story_by_its_number(client, case, people):
    client.force_login(people["auditor"])
    resp = client.get(URL, {"case": case.registration_number})
    assert resp.status_code == 200
    lines = rows(resp)
    assert any("李登记" in r and "登记申请" in r for r in lines), lines
    assert any("答复期限起算" in r for r in lines), lines  # the case's clock belongs to its story
    everything = rows(client.get(URL, {"action": "agency.created"}))
    assert any("设立机关" in r for r in everything)  # the agency's own set-up is part of its record
    assert all("request." not in r for r in lines)  # actions in words, not codes
    assert any("状态：已登记，待审查 → 办理中" in r for r in lines), lines  # changes in words, not JSON
    assert any(f"登记号：{case.registration_number}" in r and "收到申请之日：" in r and "年" in r for r in lines)
    assert all("{" not in r for r in lines)
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", lines[0])


def test_search_by_person_action_and_period(client, case, people):
    from legal.selectors import local_today

    client.force_login(people["auditor"])
    today = local_today().isoformat()
    by_person = rows(client.get(URL, {"person": "李登记"}))
    assert by_person and all("李登记" in r for r in by_person)
    by_action = rows(client.get(URL, {"action": "request.registered"}))
    assert len(by_action) == 1 and "登记申请" in by_action[0]
    assert rows(client.get(URL, {"date_from": today, "date_to": today}))
    assert rows(client.get(URL, {"date_to": "2020-01-01"})) == ["没有符合条件的记录"]
    bad = client.get(URL, {"date_from": today, "date_to": "2020-01-01"}).content.decode()
    assert "起始日期不能晚于截止日期。" in bad


def test_an_auditor_sees_only_their_own_agency(client, case, people, other_agency, make_staff):
    from agencies.services import department_create

    dept = department_create(actor=None, agency=other_agency, name="办公室", code="office")
    outsider = make_staff(roles.AUDITOR, username="auditor2", full_name="安岳审计", agency_=other_agency, department_=dept)
    client.force_login(outsider)
    lines = rows(client.get(URL))
    assert all("石龙" not in r and "李登记" not in r for r in lines), lines
    resp = client.get(URL, {"case": case.registration_number})
    assert "没有找到该申请" in resp.content.decode() and rows(resp) == ["没有符合条件的记录"]


def test_staff_without_the_auditor_role_cannot_open_the_page(client, people):
    client.force_login(people["handler"])
    assert client.get(URL).status_code == 403


def test_the_page_shows_the_chain_state(client, agency, people):
    client.force_login(people["auditor"])
    html = client.get(URL).content.decode()
    assert "尚无（还没有封存过事件）" in html and "尚未核验" in html
    audit_seal()
    call_command("audit_verify", stdout=None)
    html = client.get(URL).content.decode()
    assert re.search(r"最近检查点：第\d+条（事件 #\d+），封存于 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d（北京时间）", html)
    assert 'id="chain-ok"' in html
    with transaction.atomic():
        audit_record(actor=None, action="x.late", obj=agency)
    assert "另有 1 条事件已记录、待下次封存" in client.get(URL).content.decode()


def test_older_events_page_by_page(client, agency, people, django_assert_max_num_queries):
    with transaction.atomic():
        for n in range(60):
            audit_record(actor=people["registrar"], action="request.routed", obj=agency, agency=agency, reason=f"第{n}次")
    client.force_login(people["auditor"])
    with django_assert_max_num_queries(12):  # not one per row
        first = client.get(URL, {"action": "request.routed"})
    assert len(rows(first)) == 50 and "第59次" in rows(first)[0]
    older = re.search(r'id="older" href="\?([^"]+)"', first.content.decode()).group(1).replace("&amp;", "&")
    second = client.get(f"{URL}?{older}")
    assert [r for r in rows(second)] and "第9次" in rows(second)[0] and "第0次" in rows(second)[-1]
    assert len(rows(second)) == 10


def test_a_search_result_exports_as_a_spreadsheet(client, case, people):
    import csv
    import io

    client.force_login(people["auditor"])
    on_page = rows(client.get(URL, {"case": case.registration_number}))
    resp = client.get(URL, {"case": case.registration_number, "export": "csv"})
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    assert "attachment" in resp["Content-Disposition"]
    text = b"".join(resp.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[0][:5] == ["编号", "时间（北京时间）", "机关", "操作人", "操作"]
    # each look at the case is itself on record (个人信息保护法 Art. 51): the export has the page's rows plus that look
    assert len(table) - 1 == len(on_page) + 1 and table[1][4] == "查看申请人个人信息" and table[1][3] == "钱监督"
    assert any(r[4] == "登记申请" and r[3] == "李登记" and "状态：" in r[6] for r in table[1:])


def test_the_case_page_leads_an_auditor_to_the_cases_record(client, case, people):
    client.force_login(people["auditor"])
    html = client.get(f"/staff/workflow/cases/{case.pk}/").content.decode()
    link = re.search(r'id="case-audit-link" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert any("登记申请" in r for r in rows(client.get(link)))
    client.force_login(people["handler"])
    assert 'id="case-audit-link"' not in client.get(f"/staff/workflow/cases/{case.pk}/").content.decode()


def test_a_cases_record_comes_with_its_clock_ledger_and_case_file(client, case, people):
    client.force_login(people["auditor"])
    html = client.get(URL, {"case": case.registration_number}).content.decode()
    ledger = re.search(r'<ol id="clock-ledger">(.*?)</ol>', html, re.S).group(1)
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 起算 20 个工作日", ledger), ledger
    assert "卷宗：尚未生成（归档时生成）" in html


def test_a_cases_record_exports_as_excel_and_pdf_and_shows_the_path_taken(client, case, people):
    import io

    import pdfplumber
    from openpyxl import load_workbook

    client.force_login(people["auditor"])
    page = client.get(URL, {"case": case.registration_number}).content.decode()
    assert 'class="process-chart"' in page and "<svg" in page
    assert 'class="done"' in page  # the steps taken are marked on the chart
    assert ">yes</text>" not in page and ">no</text>" not in page

    resp = client.get(URL, {"case": case.registration_number, "export": "xlsx"})
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(resp.content)).active
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    assert table[0][4] == "操作" and any(r[4] == "登记申请" and r[3] == "李登记" for r in table[1:])

    resp = client.get(URL, {"case": case.registration_number, "export": "pdf"})
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(resp.content)) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages).replace(" ", "").replace("\n", "")
    assert f"审计记录：{case.registration_number}" in text and "登记申请" in text and "李登记" in text
    assert "答复期限台账" in text and "导出：钱监督" in text
