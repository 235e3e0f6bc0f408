"""`manage.py annual_report` prints 表三 in the order of the format (CSV, JSON, xlsx)."""
import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from .conftest import YEAR
from .test_table3 import COLS, EXPECTED

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("annual_report", *args, stdout=out)
    return out.getvalue()


def test_csv_prints_every_row_and_column_in_the_order_of_the_format(year_of_cases, agency):
    rows = list(csv.reader(io.StringIO(run("--year", str(YEAR), "--agency", agency.short_name, "--format", "csv"))))
    assert rows[0] == [f"{agency.name} {YEAR}年 三、收到和处理政府信息公开申请情况"]
    assert rows[1] == ["项目", *COLS]
    body = rows[2:2 + len(EXPECTED)]  # 表四 follows after a blank line (tests/reports/test_table4.py)
    assert [r[0] for r in body][:3] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
                                        "三、本年度办理结果（一）予以公开"]
    assert body[4][0] == "三、本年度办理结果（三）不予公开1.属于国家秘密"
    assert body[-2][0] == "三、本年度办理结果（七）总计" and body[-1][0] == "四、结转下年度继续办理"
    assert [[int(v) for v in r[1:]] for r in body] == list(EXPECTED.values())


def test_json_for_all_agencies_carries_the_checks_and_the_fees(year_of_cases, agency):
    data = json.loads(run("--year", str(YEAR), "--agency", "all", "--format", "json"))
    assert data["机关"] == "全部机关（汇总）" and data["列"] == COLS
    new = data["行"][0]
    assert new["项目"] == "一、本年新收政府信息公开申请数量"
    assert new["数值"] == [5, 3, 3, 2, 3, 2, 18]  # agency B's research institute adds one
    assert data["勾稽关系"] == {"全部相符": True, "不相符": []}
    assert data["信息处理费"] == {"件数": 1, "金额（元）": "100.00"}


def test_xlsx_is_a_spreadsheet_of_the_published_layout(year_of_cases, agency, tmp_path):
    target = tmp_path / "report.xlsx"
    call_command("annual_report", "--year", str(YEAR), "--agency", str(agency.pk), "--format", "xlsx",
                 "--output", str(target))
    ws = load_workbook(target).active
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    header = values[4]
    assert values[2][3] == "申请人情况" and values[3][3] == "自然人" and values[3][4] == "法人或其他组织"
    assert header[4:] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", None]
    new = values[5]
    assert new[0] == "一、本年新收政府信息公开申请数量" and list(new[3:]) == EXPECTED["new"]
    assert values[7][0] == "三、本年度办理结果" and values[7][1] == "（一）予以公开"
    assert values[9][1] == "（三）不予公开" and values[9][2] == "1.属于国家秘密"
    numbers = [v for row in values[5:5 + len(EXPECTED)] for v in row[3:]]
    assert all(isinstance(v, int) for v in numbers)  # no blank cell


def test_an_unknown_agency_is_refused(db):
    with pytest.raises(CommandError, match="没有找到机关"):
        run("--year", str(YEAR), "--agency", "不存在的机关")
