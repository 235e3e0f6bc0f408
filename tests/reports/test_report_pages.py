"""The staff page of the annual report: the published layout, a link behind every
nonzero cell, scoping by agency, the spreadsheet, and a constant number of queries."""
import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from agencies import roles
from agencies.services import department_create
from workflows.models import DisclosureRequest

from .conftest import YEAR, Year, d
from .test_table3 import EXPECTED

pytestmark = pytest.mark.django_db

URL = "/staff/reports/"


def visible_text(html: str, start: str, end: str) -> str:
    i = html.index(start) + len(start)
    part = html[i:html.index(end, i)]
    part = re.sub(r"<style.*?</style>", "", part, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part))


def cells_of(html: str, row: str) -> list[str]:
    tr = re.search(rf'<tr data-row="{re.escape(row)}".*?</tr>', html, flags=re.S).group(0)
    return [re.sub(r"<[^>]+>", "", td).strip() for td in re.findall(r"<td>(.*?)</td>", tr, flags=re.S)]


def test_the_page_shows_table_three_in_the_published_layout(year_of_cases, agency, people, client):
    client.force_login(people["chief"])
    html = client.get(URL, {"year": YEAR}).content.decode()
    assert f"{agency.name}{YEAR}年政府信息公开工作年度报告" in html
    for row, values in EXPECTED.items():
        assert cells_of(html, row) == [str(v) for v in values], row
    text = visible_text(html, 'id="report-title">', '<section style="padding:0 16px 16px" id="checks">')
    order = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果", "（一）予以公开",
             "（二）部分公开", "（三）不予公开", "1.属于国家秘密", "8.属于行政查询事项", "（四）无法提供", "（五）不予处理",
             "（六）其他处理", "（七）总计", "四、结转下年度继续办理"]
    positions = [text.index(label) for label in order]
    assert positions == sorted(positions)
    thead = re.search(r"<thead>(.*?)</thead>", html[html.index('id="table3"'):], flags=re.S).group(1)
    assert re.findall(r"<th[^>]*>(.*?)</th>", thead) == [
        "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", "申请人情况", "自然人", "法人或其他组织", "总计",
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    page_text = visible_text(html, 'id="report-title">', '<section style="padding:0 16px 16px" id="fees">')
    assert not re.search(r"[A-Za-z]{2,}", page_text), "staff see no English words or raw codes"
    assert "全部相符" in html and "本年度收取信息处理费 1 件，共 100.00 元" in html


def test_a_nonzero_cell_lists_the_cases_it_counts(year_of_cases, agency, people, client):
    client.force_login(people["chief"])
    html = client.get(URL, {"year": YEAR}).content.decode()
    link = re.search(r'<tr data-row="4.1".*?</tr>', html, flags=re.S).group(0)
    hrefs = re.findall(r'href="([^"]+)"', link)
    assert len(hrefs) == 3  # 科研机构, 社会公益组织, 总计; the zeros have no link
    listing = client.get(hrefs[-1].replace("&amp;", "&")).content.decode()
    assert "（四）无法提供1.本机关不掌握相关政府信息（总计）：共 2 件" in listing
    for key in ("not_held", "not_ours"):
        assert year_of_cases[key].registration_number in listing
    assert "不属于本机关负责公开" in listing and "2025年5月21日" in listing  # its outcome and closing date
    assert year_of_cases["must_make"].registration_number not in listing


def test_an_agency_sees_only_its_own_report(year_of_cases, agency, other_agency, people, make_staff, client):
    office_b = other_agency.departments.get()
    chief_b = make_staff(roles.PERSON_IN_CHARGE, agency_=other_agency, department_=office_b, username="chief_b")
    client.force_login(chief_b)
    html = client.get(URL, {"year": YEAR}).content.decode()
    assert f"{other_agency.name}{YEAR}年" in html and agency.name not in html
    assert cells_of(html, "new") == ["0", "0", "1", "0", "0", "0", "1"]
    assert cells_of(html, "carried_out") == ["0", "0", "1", "0", "0", "0", "1"]
    assert client.get(URL, {"year": YEAR, "agency": agency.pk}).status_code == 403
    assert client.get(URL, {"year": YEAR, "agency": "all"}).status_code == 403
    assert client.get(URL + "cases/", {"year": YEAR, "agency": agency.pk, "row": "new", "col": "total"}).status_code == 403
    assert client.get(URL + "download/", {"year": YEAR, "agency": agency.pk}).status_code == 403
    listing = client.get(URL + "cases/", {"year": YEAR, "row": "new", "col": "total"}).content.decode()
    assert "共 1 件" in listing and year_of_cases["secret"].registration_number not in listing


def test_a_department_handler_sees_the_figures_of_their_department(year_of_cases, agency, make_staff, client):
    other_dept = department_create(actor=None, agency=agency, name="财政局", code="finance")
    handler = make_staff(roles.HANDLER, department_=other_dept, username="finance_handler")
    client.force_login(handler)
    html = client.get(URL, {"year": YEAR}).content.decode()
    assert cells_of(html, "new")[-1] == "0" and "财政局" in html


def test_the_consolidated_report_needs_the_permission(year_of_cases, agency, people, client):
    chief = people["chief"]
    chief.user_permissions.add(Permission.objects.get(codename="view_all_agencies"))
    chief = type(chief).objects.get(pk=chief.pk)
    client.force_login(chief)
    html = client.get(URL, {"year": YEAR, "agency": "all"}).content.decode()
    assert f"全部机关（汇总）{YEAR}年" in html
    assert cells_of(html, "new")[-1] == "18"
    listing = client.get(URL + "cases/", {"year": YEAR, "agency": "all", "row": "new", "col": "research"}).content.decode()
    assert "安岳县人民政府办公室" in listing and "共 3 件" in listing


def test_a_broken_balance_is_shown_with_its_cases(year_of_cases, agency, people, client):
    broken = year_of_cases["secret"]
    DisclosureRequest.objects.filter(pk=broken.pk).update(closed_on=dt.date(2024, 12, 31))
    client.force_login(people["chief"])
    html = client.get(URL, {"year": YEAR}).content.decode()
    assert "不相符：一＋二＝三（七）＋四" in html and "自然人：6 ≠ 5" in html
    assert broken.registration_number in html and "2024年12月31日" in html
    assert "全部相符" not in html


def test_the_spreadsheet_download(year_of_cases, agency, people, client):
    client.force_login(people["chief"])
    response = client.get(URL + "download/", {"year": YEAR})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [f"{YEAR}年表二", f"{YEAR}年表三", f"{YEAR}年表四"]
    rows = list(book[f"{YEAR}年表三"].iter_rows(values_only=True))
    assert rows[0][0] == f"{agency.name}{YEAR}年政府信息公开工作年度报告"
    assert list(rows[5][3:]) == EXPECTED["new"]
    table2 = list(book[f"{YEAR}年表二"].iter_rows(values_only=True))
    assert table2[1][0] == "二、主动公开政府信息情况" and table2[2][0] == "第二十条第（一）项"
    assert table2[3][:4] == ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")
    assert table2[4][:4] == ("规章", 0, 0, 0)


def test_a_formula_in_a_name_is_not_run_by_the_spreadsheet(db):
    from reports.exports import safe_text

    assert safe_text("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert safe_text("石龙区") == "石龙区"


def test_the_page_and_a_cell_list_ask_the_same_number_of_queries_for_5_and_20_cases(agency, people, land, travel, client,
                                                                       django_assert_num_queries):
    y = Year(agency, people, land, travel)
    kinds = ["natural", "commercial", "research", "public_welfare", "legal_service", "other"]

    def add(n, start):
        for i in range(n):
            case = y.receive(start + dt.timedelta(days=i), kinds[i % 6])
            if i % 2:
                y.reply(start + dt.timedelta(days=i + 1), y.decide(start + dt.timedelta(days=i + 1), case, "1"))

    cell = {"year": YEAR, "row": "new", "col": "total"}
    add(5, d("2025-03-03"))
    travel(d("2026-02-02"))
    client.force_login(people["chief"])
    with CaptureQueriesContext(connection) as five:
        assert client.get(URL, {"year": YEAR}).status_code == 200
    with CaptureQueriesContext(connection) as five_listed:
        assert "共 5 件" in client.get(URL + "cases/", cell).content.decode()
    add(15, d("2025-06-02"))
    travel(d("2026-02-02"))
    with django_assert_num_queries(len(five.captured_queries)):
        html = client.get(URL, {"year": YEAR}).content.decode()
    assert cells_of(html, "new")[-1] == "20"
    with django_assert_num_queries(len(five_listed.captured_queries)):
        assert "共 20 件" in client.get(URL + "cases/", cell).content.decode()


def test_the_printable_report_is_a_pdf_of_both_tables(year_of_cases, agency, people, client, tmp_path):
    import shutil
    import subprocess

    from reports.services import proactive_figures_set

    proactive_figures_set(actor=people["chief"], agency=agency, year=YEAR, licensing_decisions=1320)
    client.force_login(people["chief"])
    response = client.get(URL + "download/", {"year": YEAR, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        print("pdftotext (poppler-utils) is not installed: the PDF's text is not checked")
        return
    target = tmp_path / "report.pdf"
    target.write_bytes(response.content)
    text = "".join(subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout.split())
    for expected in (f"{agency.name}{YEAR}年政府信息公开工作年度报告", "二、主动公开政府信息情况", "1320",
                     "三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量", "四、结转下年度继续办理",
                     "本年度收取信息处理费1件，共100.00元"):
        assert expected in text, expected


def test_an_account_without_an_agency_sees_no_report(agency, django_user_model, client):
    applicant = django_user_model.objects.create_user(username="applicant", password="pw-for-tests-123")
    client.force_login(applicant)
    for path in (URL, URL + "cases/?row=new&col=total", URL + "download/", URL + "statistics/", URL + "table2/"):
        assert client.get(path).status_code == 403, path
    client.logout()
    assert client.get(URL).status_code == 302  # to the log-in page
