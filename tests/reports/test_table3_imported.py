"""The same year imported from the register template gives the same 表三: the cases built
through the services (conftest.year_of_cases) are written as a filled template, imported
into a fresh agency, and its table is compared cell by cell."""
import io

import pytest
from openpyxl import Workbook

from agencies import roles
from agencies.services import agency_create, department_create
from legal import outcomes as outcome_rules
from reports.table3 import table3
from workflows.models import OPEN_STATUSES, DisclosureRequest, RequestStatus
from workflows.register_sheet import HEADERS, SHEET_TITLE
from workflows.services.register_import import register_import

from .conftest import YEAR
from .test_table3 import EXPECTED

pytestmark = pytest.mark.django_db

_STATUS = {RequestStatus.ARCHIVED: "已办结", RequestStatus.DELIVERED: "已办结", RequestStatus.WITHDRAWN: "已撤回",
           RequestStatus.CLOSED: "已终止"}


def register_row(case: DisclosureRequest) -> list:
    """The case as an agency would have written it in its register."""
    status = "办理中" if case.status in OPEN_STATUSES or case.status == RequestStatus.ISSUED else _STATUS[case.status]
    items = list(case.items.order_by("position"))
    outcomes = [outcome_rules.OUTCOMES[i.outcome].label for i in items if i.outcome] if status != "办理中" else []
    answered = {"已办结": case.issued_on, "已撤回": case.closed_on, "已终止": case.closed_on}.get(status)
    delivered = case.delivered_on if status == "已办结" else None
    return [case.registration_number, case.get_applicant_type_display(), case.applicant_name,
            case.get_channel_display(), case.received_on, "；".join(i.title for i in items), status,
            "\n".join(outcomes), answered and f"{answered.year}年{answered.month}月{answered.day}日",
            delivered and delivered.isoformat(), "", "", "", "", ""]


def sheet_of(cases) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    ws.append(HEADERS)
    for case in cases:
        ws.append(register_row(case))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def fresh_agency(make_staff):
    fresh = agency_create(actor=None, name="平顶山市卫东区人民政府办公室", short_name="卫东政办",
                          ogi_office="卫东区人民政府办公室政务公开科", address="河南省平顶山市卫东区",
                          phone="0375-7654321", reconsideration_body="平顶山市卫东区人民政府",
                          court="平顶山市湛河区人民法院")
    office = department_create(actor=None, agency=fresh, name="政务公开科", code="ogi")
    importer = make_staff(roles.REGISTRAR, agency_=fresh, department_=office, username="registrar_wd",
                          full_name="卫登记")
    return fresh, importer


def test_the_year_imported_from_the_template_gives_the_same_table(year_of_cases, agency, fresh_agency):
    fresh, importer = fresh_agency
    registered = DisclosureRequest.objects.filter(agency=agency, received_on__isnull=False).order_by("received_on")
    content = sheet_of(registered)
    record = register_import(actor=importer, agency=fresh, content=content, file_name="2025年申请台账.xlsx")
    assert record.rows == registered.count() == 20
    handled = table3(DisclosureRequest.objects.filter(agency=agency), year=YEAR)
    imported = table3(DisclosureRequest.objects.filter(agency=fresh), year=YEAR)
    for (row, values), (_row, expected) in zip(imported.rows(), handled.rows(), strict=True):
        assert values == expected == EXPECTED[row], row
    assert imported.balanced
    # the year before and the year after agree too (carried in, delivered in January)
    for year in (YEAR - 1, YEAR + 1):
        assert (table3(DisclosureRequest.objects.filter(agency=fresh), year=year).rows()
                == table3(DisclosureRequest.objects.filter(agency=agency), year=year).rows())
