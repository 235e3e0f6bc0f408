"""表四 (行政复议、行政诉讼情况) from a year of proceedings registered, answered and concluded
through the services: checked cell by cell, with matters carried in and out and a lawsuit
in which the agency is only the co-defendant reconsideration body (not counted)."""
import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from reports import table4 as t4
from reports.pdf import annual_report_html
from reports.table3 import table3
from tests.applications import accepted
from workflows.models import DisclosureRequest, RemedyProceeding
from workflows.services import remedy as svc

from ..conftest import d

pytestmark = pytest.mark.django_db

YEAR = 2025
COLUMNS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
EXPECTED_2025 = {  # 维持, 纠正, 其他, 尚未审结, 总计
    t4.RECONSIDERATION: [1, 1, 1, 2, 5],
    t4.LITIGATION_DIRECT: [1, 0, 0, 1, 2],
    t4.LITIGATION_AFTER: [0, 0, 1, 1, 2],
}
EXPECTED_2026 = {
    t4.RECONSIDERATION: [1, 0, 0, 1, 2],
    t4.LITIGATION_DIRECT: [0, 1, 0, 0, 1],
    t4.LITIGATION_AFTER: [0, 0, 0, 1, 1],
}


@pytest.fixture
def proceedings(agency, people, land):
    """Two years of matters over two cases of the agency, each through the services."""
    case = accepted(agency, people, land)
    other = accepted(agency, people, land, id_number="410402199202021234")
    legal, chief = people["legal"], people["chief"]

    def register(kind, received, c=case, **kw):
        return svc.remedy_register(actor=legal, kind=kind, case=c, applicant="张三", received_on=d(received), **kw)

    def conclude(p, result, on):
        svc.remedy_answer_record(actor=legal, proceeding=p, answered_on=p.received_on)
        return svc.remedy_result_record(actor=chief, proceeding=p, result=result, result_on=d(on))

    rec = "reconsideration"
    made = {
        "R1 carried in, upheld in 2025": conclude(register(rec, "2024-11-04", case_number="R1"), "upheld", "2025-02-10"),
        "R2 corrected": conclude(register(rec, "2025-03-03", case_number="R2"), "corrected", "2025-05-06"),
        "R3 other": conclude(register(rec, "2025-06-02", c=other, case_number="R3"), "other", "2025-08-01"),
        "R4 carried out, upheld in 2026": conclude(register(rec, "2025-11-03", case_number="R4"), "upheld", "2026-01-15"),
        "R5 concluded in 2024": conclude(register(rec, "2024-05-06", case_number="R5"), "upheld", "2024-09-01"),
        "R6 pending since 2024": register(rec, "2024-12-02", case_number="R6"),
        "L1 upheld": conclude(register("litigation", "2025-04-01", case_number="L1"), "upheld", "2025-10-10"),
        "L2 pending through 2025": conclude(register("litigation", "2024-10-08", case_number="L2"), "corrected",
                                            "2026-03-02"),
        "L3 co-defendant": conclude(register("litigation", "2025-05-05", c=None, co_defendant=True,
                                             case_number="L3"), "upheld", "2025-09-09"),
    }
    made["A1 after R2"] = conclude(register("litigation", "2025-06-10", follows=made["R2 corrected"],
                                            case_number="A1"), "other", "2025-12-20")
    made["A2 after an earlier reconsideration"] = register("litigation", "2025-12-29", after_reconsideration=True,
                                                           case_number="A2")
    made["L4 co-defendant after R3"] = register("litigation", "2025-09-01", c=other, follows=made["R3 other"],
                                                co_defendant=True, case_number="L4")
    return made


def cells(table):
    return {g: [table.value(g, c) for c, _l in t4.COLUMNS] for g, _l in t4.GROUPS}


def test_table_four_cell_by_cell_with_carry_over_and_without_the_co_defendant(proceedings, agency):
    scope = DisclosureRequest.objects.filter(agency=agency)
    table = t4.table4(t4.proceedings_of(scope), year=YEAR)
    assert cells(table) == EXPECTED_2025
    assert table.balanced and [c.ok for c in table.checks] == [True, True, True]
    assert t4.table4(t4.proceedings_of(scope), year=2026).cells == {
        g: dict(zip([c for c, _l in t4.COLUMNS], v, strict=True)) for g, v in EXPECTED_2026.items()}
    # the matters behind two cells, as their lists show them
    pending = t4.cell_proceedings(t4.proceedings_of(scope), year=YEAR, group=t4.RECONSIDERATION, column=t4.PENDING)
    assert sorted(p.case_number for p in pending) == ["R4", "R6"]
    after = t4.cell_proceedings(t4.proceedings_of(scope), year=YEAR, group=t4.LITIGATION_AFTER, column=t4.TOTAL)
    assert sorted(p.case_number for p in after) == ["A1", "A2"]  # L4 (co-defendant) is not there


def test_a_matter_concluded_before_it_was_received_breaks_the_group_total_and_is_named(proceedings, agency):
    broken = proceedings["R2 corrected"]
    RemedyProceeding.objects.filter(pk=broken.pk).update(received_on=d("2025-06-01"))  # after its result day
    table = t4.table4(t4.proceedings_of(DisclosureRequest.objects.filter(agency=agency)), year=2024)
    assert table.balanced  # 2024 does not see it
    RemedyProceeding.objects.filter(pk=broken.pk).update(received_on=d("2026-01-05"))
    table = t4.table4(t4.proceedings_of(DisclosureRequest.objects.filter(agency=agency)), year=YEAR)
    assert not table.balanced
    assert [(c.where, c.parts, c.total) for c in table.failures] == [("行政复议", 5, 4)]
    assert [p.case_number for p in table.offenders] == ["R2"]


def test_the_report_page_shows_table_four_with_each_cell_linking_to_its_matters(proceedings, agency, people, client):
    client.force_login(people["chief"])
    page = client.get(reverse("reports:index"), {"year": YEAR}).content.decode()
    assert "四、政府信息公开行政复议、行政诉讼情况" in page and 'id="table4-ok"' in page
    for label in ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", *COLUMNS):
        assert label in page
    pending_url = reverse("reports:remedies") + f"?year={YEAR}&agency={agency.pk}&group=reconsideration&col=pending"
    assert pending_url.replace("&", "&amp;") in page
    listing = client.get(pending_url).content.decode()
    assert "行政复议（尚未审结）：共 2 件" in listing
    # the case numbers in the table's cells (the page's random CSRF token may hold "R1" too)
    assert sorted(re.findall(r"<td>(R\d+)</td>", listing)) == ["R4", "R6"]
    assert client.get(reverse("reports:remedies"), {"year": YEAR, "group": "x", "col": "total"}).status_code == 404


def test_another_agency_sees_none_of_these_matters(proceedings, other_agency, make_staff, client):
    from agencies import roles
    from agencies.services import department_create

    dept = department_create(actor=None, agency=other_agency, name="政务公开股", code="ogi")
    client.force_login(make_staff(roles.PERSON_IN_CHARGE, agency_=other_agency, department_=dept))
    page = client.get(reverse("reports:index"), {"year": YEAR}).content.decode()
    totals = re.findall(r'data-cell="(\w+):total"[^>]*>([^<]*)<', page)
    assert totals == [("reconsideration", "0"), ("litigation_direct", "0"), ("litigation_after", "0")]
    listing = client.get(reverse("reports:remedies"), {"year": YEAR, "group": "reconsideration", "col": "total"})
    assert "共 0 件" in listing.content.decode()


def test_the_command_prints_table_four_after_table_three(proceedings, agency, tmp_path):
    out = io.StringIO()
    call_command("annual_report", "--year", str(YEAR), "--agency", str(agency.pk), "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    start = rows.index([f"{agency.name} {YEAR}年 四、政府信息公开行政复议、行政诉讼情况"])
    assert rows[start - 2][0] == "四、结转下年度继续办理" and rows[start - 1] == []
    assert rows[start + 1] == ["项目", *COLUMNS]
    assert [[r[0], *map(int, r[1:])] for r in rows[start + 2:]] == [
        [t4.GROUP_TITLES[g], *v] for g, v in EXPECTED_2025.items()]
    out = io.StringIO()
    call_command("annual_report", "--year", str(YEAR), "--agency", "all", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())["表四"]
    assert data["列"] == COLUMNS and [r["数值"] for r in data["行"]] == list(EXPECTED_2025.values())
    assert data["勾稽关系"] == {"全部相符": True, "不相符": []}
    target = tmp_path / "report.xlsx"
    call_command("annual_report", "--year", str(YEAR), "--agency", str(agency.pk), "--format", "xlsx",
                 "--output", str(target))
    ws = load_workbook(target)[f"{YEAR}年表四"]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[2][0] == "行政复议" and values[2][5] == "行政诉讼"
    assert values[3][5] == "未经复议直接起诉" and values[3][10] == "复议后起诉"
    assert values[4] == COLUMNS * 3
    assert values[5] == [n for v in EXPECTED_2025.values() for n in v]


def test_the_printable_report_carries_table_four(proceedings, agency):
    from legal.selectors import local_today
    from reports.models import ProactiveFigures
    from reports.table2 import table2

    scope = DisclosureRequest.objects.filter(agency=agency)
    html = annual_report_html(scope_label=agency.name, year=YEAR, table=table3(scope, year=YEAR), table2_values=table2(ProactiveFigures.objects.none(), year=YEAR),
                              fees=None, today=local_today(), table4=t4.table4(t4.proceedings_of(scope), year=YEAR))
    assert "四、政府信息公开行政复议、行政诉讼情况" in html
    numbers = "".join(f"<td>{n}</td>" for v in EXPECTED_2025.values() for n in v)
    assert numbers in html
