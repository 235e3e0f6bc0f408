"""表三 computed from a year of cases built through the services: cell by cell, and every
balance rule of the published format (一＋二＝三（七）＋四, the leaves add up to （七）,
the six columns add up to 总计), per column."""
import datetime as dt

import pytest

from reports.selectors import fees_charged
from reports.table3 import ALL_COLUMNS, ROW_ORDER, RULE_BALANCE, RULE_COLUMNS, RULE_LEAVES, table3
from workflows.models import DisclosureRequest

from .conftest import YEAR

pytestmark = pytest.mark.django_db

COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
# The expected 表三 of agency A for 2025 (the cases are in conftest.year_of_cases).
EXPECTED = {
    "new":         [5, 3, 2, 2, 3, 2, 17],
    "carried_in":  [1, 1, 0, 0, 0, 0, 2],
    "1":           [2, 1, 0, 0, 0, 1, 4],   # in_answered, fee_paid | already_public | disclosed
    "2":           [1, 0, 0, 0, 0, 0, 1],   # one item disclosed, one withheld: 部分公开 only
    "3.1":         [1, 0, 0, 0, 0, 0, 1],
    "3.2":         [0, 0, 0, 0, 0, 0, 0],
    "3.3":         [0, 0, 0, 0, 0, 0, 0],
    "3.4":         [0, 1, 0, 0, 0, 0, 1],
    "3.5":         [0, 0, 0, 0, 0, 0, 0],
    "3.6":         [0, 0, 1, 0, 0, 0, 1],
    "3.7":         [0, 0, 0, 0, 0, 0, 0],
    "3.8":         [0, 0, 0, 0, 0, 0, 0],
    "4.1":         [0, 0, 1, 1, 0, 0, 2],   # not held | not this agency's
    "4.2":         [0, 0, 0, 1, 0, 0, 1],
    "4.3":         [0, 0, 0, 0, 0, 0, 0],
    "5.1":         [0, 0, 0, 0, 1, 0, 1],
    "5.2":         [0, 0, 0, 0, 0, 0, 0],
    "5.3":         [0, 0, 0, 0, 0, 1, 1],
    "5.4":         [0, 0, 0, 0, 0, 0, 0],
    "5.5":         [0, 0, 0, 0, 0, 0, 0],
    "6.1":         [1, 0, 0, 0, 0, 0, 1],   # no supplement in time
    "6.2":         [0, 1, 0, 0, 0, 0, 1],   # fee not paid
    "6.3":         [0, 0, 0, 0, 1, 0, 1],   # withdrawn
    "answered":    [5, 3, 2, 2, 2, 2, 16],
    "carried_out": [1, 1, 0, 0, 1, 0, 3],   # replied in December but delivered in January | open all year | open
}


def agency_cases(agency):
    return DisclosureRequest.objects.filter(agency=agency)


def test_table_three_matches_the_year_cell_by_cell(year_of_cases, agency):
    table = table3(agency_cases(agency), year=YEAR)
    assert [label for _c, label in ALL_COLUMNS] == COLS
    assert [row for row, _v in table.rows()] == ROW_ORDER == list(EXPECTED)
    for row, values in table.rows():
        assert values == EXPECTED[row], row


def test_every_balance_rule_holds_in_every_column(year_of_cases, agency):
    table = table3(agency_cases(agency), year=YEAR)
    assert table.balanced and table.failures == []
    rules = {c.rule for c in table.checks}
    assert rules == {RULE_BALANCE, RULE_LEAVES, RULE_COLUMNS}
    assert len([c for c in table.checks if c.rule == RULE_BALANCE]) == 7
    assert len([c for c in table.checks if c.rule == RULE_LEAVES]) == 7
    assert len([c for c in table.checks if c.rule == RULE_COLUMNS]) == len(ROW_ORDER)
    assert all(c.ok for c in table.checks)
    cells = table.cells
    for column, _label in ALL_COLUMNS:
        assert cells["new"][column] + cells["carried_in"][column] == cells["answered"][column] + cells["carried_out"][column]


def test_next_year_carries_in_what_this_year_carried_out(year_of_cases, agency):
    this_year = table3(agency_cases(agency), year=YEAR)
    next_year = table3(agency_cases(agency), year=YEAR + 1)
    assert next_year.rows()[1][1] == this_year.rows()[-1][1]
    # the reply delivered on 5 January counts as answered in the year of its delivery
    assert next_year.value("1", "natural") == 1 and next_year.value("answered", "total") == 1


def test_consolidated_report_adds_every_agency(year_of_cases, agency, other_agency):
    both = table3(DisclosureRequest.objects.all(), year=YEAR)
    assert both.value("new", "research") == EXPECTED["new"][2] + 1
    assert both.value("carried_out", "research") == 1
    assert both.value("new", "total") == 18 and both.balanced


def test_a_case_closed_before_it_was_received_breaks_the_balance_and_is_named(year_of_cases, agency):
    broken = year_of_cases["secret"]
    DisclosureRequest.objects.filter(pk=broken.pk).update(closed_on=dt.date(2024, 12, 31))
    table = table3(agency_cases(agency), year=YEAR)
    assert not table.balanced
    [failure] = table.failures
    assert failure.rule == RULE_BALANCE
    assert [(c.where, c.left, c.right) for c in failure.checks] == [("自然人", 6, 5), ("总计", 19, 18)]
    assert [c.pk for c in failure.cases] == [broken.pk]


def test_an_answered_case_without_outcome_and_an_unknown_applicant_type_are_named(year_of_cases, agency):
    no_outcome, odd_type = year_of_cases["disclosed"], year_of_cases["not_held"]
    DisclosureRequest.objects.filter(pk=no_outcome.pk).update(outcome="")
    DisclosureRequest.objects.filter(pk=odd_type.pk).update(applicant_type="individual_business")
    table = table3(agency_cases(agency), year=YEAR)
    failures = {f.rule: f for f in table.failures}
    assert set(failures) == {RULE_LEAVES, RULE_COLUMNS}
    assert [c.pk for c in failures[RULE_LEAVES].cases] == [no_outcome.pk]
    assert [(c.where, c.left, c.right) for c in failures[RULE_LEAVES].checks] == [("其他", 1, 2), ("总计", 15, 16)]
    assert [c.pk for c in failures[RULE_COLUMNS].cases] == [odd_type.pk]
    assert [(c.where, c.left, c.right) for c in failures[RULE_COLUMNS].checks] == [
        ("一、本年新收政府信息公开申请数量", 16, 17), ("三、本年度办理结果（四）无法提供1.本机关不掌握相关政府信息", 1, 2),
        ("三、本年度办理结果（七）总计", 15, 16)]
    # the unknown type is not forced into a column: 总计 keeps it, 科研机构 does not
    assert table.value("new", "research") == 1 and table.value("new", "total") == 17


def test_fees_charged_in_the_year_are_the_notices_paid_in_it(year_of_cases, agency):
    fees = fees_charged(agency_cases(agency), year=YEAR)
    # the per-application fee of the 11th application in a month was paid; the page fee lapsed
    assert (fees.count, fees.amount) == (1, 100)
    assert fees_charged(agency_cases(agency), year=YEAR + 1).count == 0


def test_table_three_is_one_query(year_of_cases, agency, django_assert_num_queries):
    with django_assert_num_queries(1):
        table3(agency_cases(agency), year=YEAR)
