"""Importing an agency's earlier register (台账): the template, the dry run that lists
every refused row with its reason and writes nothing, the import of all rows or none, the
open cases continuing in the flow with their clock, the audit record, and who may import."""
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import Workbook, load_workbook

from agencies import roles
from agencies.services import department_create
from audit.models import AuditEvent
from legal.selectors import get_calendar, local_today
from tests.applications import registered, task_of
from workflows.models import DisclosureRequest, RegisterImport, RequestStatus
from workflows.register_sheet import (
    ERR_ANSWER_BEFORE_RECEIPT,
    ERR_DATE_RANGE,
    ERR_DUPLICATE_EXISTING,
    ERR_DUPLICATE_IN_FILE,
    ERR_REQUIRED,
    HEADERS,
    HELP_TITLE,
    SHEET_TITLE,
)
from workflows.services.register_import import RegisterRefused, register_import, register_import_check

pytestmark = pytest.mark.django_db

INDEX = "/staff/reports/register_import/"
TEMPLATE = INDEX + "template.xlsx"


def sheet(*rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    ws.append(headers)
    for r in rows:
        ws.append(list(r) + [""] * (len(headers) - len(r)))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(number="2025-0001", kind="自然人", name="张三", channel="当面", received="2025-03-03",
        items="石龙区2024年财政预算执行情况", status="已办结", outcome="予以公开", answered="2025-03-20",
        delivered="2025-03-21", department="", handler=""):
    return [number, kind, name, channel, received, items, status, outcome, answered, delivered, department, handler]


def upload(content: bytes, name="台账.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_the_dry_run_lists_every_refused_row_with_its_reason_and_imports_nothing(agency, people, land):
    existing = registered(agency, people)  # numbered by the system, e.g. 2026-0001
    content = sheet(
        row("2025-0001"),                                                     # 2: good
        row("2025-0002", received="2025-02-30"),                              # 3: no such day
        row("2025-0003", items="甲文件；乙文件", outcome="予以公开；不予公开：属于机密"),  # 4: unknown outcome
        row("2025-0001"),                                                     # 5: same number as line 2
        row(existing.registration_number),                                    # 6: number already in the system
        row("2025-0006", name=""),                                            # 7: no applicant name
        row("2025-0007", answered="2025-03-01"),                              # 8: answer before receipt
        row("2025-0008", received="1999-12-31", answered="2000-01-10", delivered="2000-01-11"),  # 9: before 2000
        row("2025-0009", received="2100-01-04"),                              # 10: after 2099
        row("2025-0010", status="办理中", outcome="", answered="", delivered="", kind="个体工商户"),  # 11: unknown type
    )
    before = (DisclosureRequest.objects.count(), AuditEvent.objects.count())
    reading = register_import_check(actor=people["registrar"], agency=agency, content=content)
    refused = {(r.line, r.column): r.reason for r in reading.refusals}
    assert refused[(3, "收到申请之日")] == "“2025-02-30”不是有效的日期，请写成 2025-03-03 或 2025年3月3日。"
    assert refused[(4, "办理结果")] == "不认识的办理结果“不予公开：属于机密”，可填写的办理结果见“填写说明”工作表。"
    assert refused[(5, "登记号")] == ERR_DUPLICATE_IN_FILE.format(line=2)
    assert refused[(6, "登记号")] == ERR_DUPLICATE_EXISTING.format(number=existing.registration_number)
    assert refused[(7, "申请人姓名或名称")] == ERR_REQUIRED
    assert refused[(8, "答复日期")] == ERR_ANSWER_BEFORE_RECEIPT
    assert refused[(9, "收到申请之日")] == ERR_DATE_RANGE
    assert refused[(10, "收到申请之日")] == ERR_DATE_RANGE
    assert refused[(11, "申请人类型")].startswith("申请人类型只能是：自然人")
    assert {line for line, _c in refused} == set(range(3, 12))
    assert [r.line for r in reading.rows] == [2]
    assert (DisclosureRequest.objects.count(), AuditEvent.objects.count()) == before
    # the import itself refuses the whole file: nothing half-imported
    with pytest.raises(RegisterRefused) as refusal:
        register_import(actor=people["registrar"], agency=agency, content=content, file_name="台账.xlsx")
    assert len(refusal.value.reading.refusals) == len(reading.refusals)
    assert (DisclosureRequest.objects.count(), AuditEvent.objects.count()) == before
    assert not RegisterImport.objects.exists()


def test_the_check_and_the_refused_import_on_the_page(client, agency, people, land):
    client.force_login(people["registrar"])
    bad = sheet(row("2025-0001", received="2025/13/01"), row("2025-0002", answered="2025-03-01"))
    page = client.post(INDEX, {"file": upload(bad), "check": "1"}).content.decode()
    assert "有 2 处不能导入" in page and "第2行" in page and "第3行" in page and "答复日期早于收到申请之日。" in page
    page = client.post(INDEX, {"file": upload(bad), "import": "1"}).content.decode()
    assert "未导入" in page and "都没有导入" in page
    assert not DisclosureRequest.objects.exists()
    good = sheet(row("2025-0001"), row("2025-0002", status="办理中", outcome="", answered="", delivered="",
                                       received=str(local_today())))
    page = client.post(INDEX, {"file": upload(good), "check": "1"}).content.decode()
    assert "共 2 件申请，全部可以导入：已办结 1 件，办理中 1 件" in page
    assert not DisclosureRequest.objects.exists()  # a check writes nothing
    response = client.post(INDEX, {"file": upload(good, "石龙区2025年台账.xlsx"), "import": "1"})
    record = RegisterImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{INDEX}{record.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "石龙区2025年台账.xlsx" in detail and record.sha256 in detail and "2025-0001" in detail
    assert "剩余20个工作日" in detail
    assert "石龙区2025年台账.xlsx" in client.get(INDEX).content.decode()  # listed among the imports


def test_the_template_opens_with_its_header_row_and_explanation_sheet_and_its_example_imports(client, agency, people,
                                                                                               land):
    client.force_login(people["registrar"])
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [SHEET_TITLE, HELP_TITLE]
    assert [c.value for c in wb[SHEET_TITLE][1]] == HEADERS
    assert wb[SHEET_TITLE].max_row == 1  # nothing to delete before filling it in
    help_rows = [[c for c in r if c is not None] for r in wb[HELP_TITLE].iter_rows(values_only=True)]
    texts = "\n".join("|".join(str(c) for c in r) for r in help_rows)
    assert "收到申请之日|必填" in texts and "不予公开：属于国家秘密|计入表三：1.属于国家秘密" in texts
    # the example rows, copied into the sheet as the explanation says, import as they are
    start = next(i for i, r in enumerate(help_rows) if r[:1] == [HEADERS[0]] and len(r) > 5)
    examples = [r for r in wb[HELP_TITLE].iter_rows(min_row=start + 2, values_only=True) if r[0]]
    record = register_import(actor=people["registrar"], agency=agency, content=sheet(*examples), file_name="示例.xlsx")
    assert record.rows == len(examples) == 5 and record.open_cases == 1
    assert sorted(DisclosureRequest.objects.values_list("outcome", flat=True)) == ["", "1", "2", "6.1", "6.3"]


def test_an_imported_open_case_waits_in_the_handlers_inbox_with_its_days_left(client, agency, people, land):
    received = local_today() - dt.timedelta(days=7)
    register_import(actor=people["registrar"], agency=agency, file_name="台账.xlsx", content=sheet(
        row("2025-0101", status="办理中", outcome="", answered="", delivered="", received=received.isoformat(),
            department="自然资源局", handler="王承办"),
        row("2025-0102", status="办理中", outcome="", answered="", delivered="", received=received.isoformat())))
    routed = DisclosureRequest.objects.get(registration_number="2025-0101")
    waiting = DisclosureRequest.objects.get(registration_number="2025-0102")
    assert routed.status == RequestStatus.IN_PROGRESS and routed.handler == people["handler"]
    assert waiting.status == RequestStatus.REGISTERED
    # the legal clock from the receipt date, as for a case registered here on that day
    same_day = registered(agency, people, received=received, id_number="410402199303031234")
    assert routed.clock.due_date == same_day.clock.due_date == waiting.clock.due_date
    left = get_calendar().workdays_between(local_today(), routed.clock.due_date)
    client.force_login(people["handler"])
    inbox = client.get("/staff/workflow/inbox/").content.decode()
    assert "2025-0101" in inbox and f"剩余{left}个工作日" in inbox and "2025-0102" not in inbox
    assert task_of(routed, routed.processes.get().flow_class.handle).owner == people["handler"]
    # the case waiting for review is in the OGI office's queue, and 督办 counts both
    client.force_login(people["registrar"])
    assert "2025-0102" in client.get("/staff/workflow/queue/").content.decode()
    # and it goes on through the services like any other case
    from workflows import services as svc

    svc.request_accept(actor=people["registrar"], case=waiting, department=land, handler=people["handler2"])
    assert DisclosureRequest.objects.get(pk=waiting.pk).status == RequestStatus.IN_PROGRESS


def test_an_imported_case_past_its_deadline_is_overdue_in_supervision(client, agency, people, land):
    received = local_today() - dt.timedelta(days=60)
    register_import(actor=people["chief"], agency=agency, file_name="台账.xlsx", content=sheet(
        row("2025-0201", status="办理中", outcome="", answered="", delivered="", received=received.isoformat(),
            department="land", handler="handler")))
    case = DisclosureRequest.objects.get(registration_number="2025-0201")
    late = get_calendar().workdays_between(case.clock.due_date, local_today())
    assert late > 0
    client.force_login(people["chief"])
    page = client.get("/staff/workflow/supervision/").content.decode()
    assert "2025-0201" in page and f"已超期{late}个工作日" in page


def test_every_import_and_every_imported_case_is_on_the_audit_record(client, agency, people, land):
    content = sheet(row("2025-0001"), row("2025-0002", status="已撤回", outcome="", answered="2025-03-10",
                                          delivered=""))
    record = register_import(actor=people["chief"], agency=agency, content=content, file_name="原台账.xlsx")
    event = AuditEvent.objects.get(action="register.imported")
    import hashlib

    assert event.actor == people["chief"] and event.agency == agency
    assert event.after["file_name"] == "原台账.xlsx" and event.after["rows"] == 2
    assert event.after["sha256"] == hashlib.sha256(content).hexdigest() == record.sha256
    case = DisclosureRequest.objects.get(registration_number="2025-0002")
    assert case.status == RequestStatus.WITHDRAWN and case.outcome == "6.3" and case.register_import == record
    imported = AuditEvent.objects.get(action="request.imported", object_id=str(case.pk))
    assert imported.reason == "从台账导入" and imported.after["line"] == 3
    client.force_login(people["auditor"])
    page = client.get(f"/staff/workflow/cases/{case.pk}/").content.decode()
    assert "从台账导入：原台账.xlsx" in page  # the summary, and the timeline says 从台账导入
    assert page.count("从台账导入") >= 2


def test_imported_numbers_are_not_given_again(agency, people, land):
    year = local_today().year
    register_import(actor=people["registrar"], agency=agency, file_name="台账.xlsx", content=sheet(
        row(f"{year}-0041", status="办理中", outcome="", answered="", delivered="", received=str(local_today()))))
    assert registered(agency, people).registration_number == f"{year}-0042"


def test_only_the_agencys_administrator_and_ogi_office_reach_the_import(client, agency, other_agency, people, land,
                                                                        make_staff):
    record = register_import(actor=people["registrar"], agency=agency, content=sheet(row()), file_name="台账.xlsx")
    office_b = department_create(actor=None, agency=other_agency, name="政务公开股", code="ogi")
    admin_b = make_staff(roles.ADMINISTRATOR, roles.REGISTRAR, agency_=other_agency, department_=office_b,
                         username="admin_b", full_name="安管理")
    outsider = Client()
    outsider.force_login(admin_b)
    assert outsider.get(f"{INDEX}{record.pk}/").status_code == 404
    page = outsider.get(INDEX).content.decode()
    assert "安岳县人民政府办公室" in page and "台账.xlsx" not in page  # their own agency's page, not ours
    # what they import lands in their own agency, never in ours
    outsider.post(INDEX, {"file": upload(sheet(row("2025-0001"))), "import": "1"})
    assert DisclosureRequest.objects.filter(agency=other_agency).count() == 1
    assert DisclosureRequest.objects.filter(agency=agency).count() == 1
    with pytest.raises(Exception):  # noqa: B017 - the service refuses another agency whatever the page does
        register_import(actor=admin_b, agency=agency, content=sheet(row("2025-0009")), file_name="x.xlsx")
    # a handler of the agency itself does not import
    client.force_login(people["handler"])
    assert client.get(INDEX).status_code == 403 and client.get(TEMPLATE).status_code == 403
    client.force_login(make_staff(roles.ADMINISTRATOR, username="admin_a", full_name="石管理"))
    assert client.get(INDEX).status_code == 200 and client.get(f"{INDEX}{record.pk}/").status_code == 200


def test_the_command_checks_and_imports(tmp_path, agency, people, land, capsys):
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    bad.write_bytes(sheet(row(received="2025-3-x")))
    good.write_bytes(sheet(row(), row("2025-0002")))
    with pytest.raises(CommandError):
        call_command("import_register", str(bad), "--agency", agency.short_name)
    assert "第2行" in capsys.readouterr().err
    call_command("import_register", str(good), "--agency", str(agency.pk), "--dry-run")
    assert "可以导入 2 件" in capsys.readouterr().out and not DisclosureRequest.objects.exists()
    call_command("import_register", str(good), "--agency", agency.name, "--user", "registrar")
    assert DisclosureRequest.objects.filter(agency=agency).count() == 2
    assert RegisterImport.objects.get().imported_by == people["registrar"]
    # without --user the system imports; an open case still enters the flow
    still_open = tmp_path / "open.xlsx"
    still_open.write_bytes(sheet(row("2025-0003", status="办理中", outcome="", answered="", delivered="",
                                     received=str(local_today()))))
    call_command("import_register", str(still_open), "--agency", agency.short_name)
    case = DisclosureRequest.objects.get(registration_number="2025-0003")
    assert case.status == RequestStatus.REGISTERED and case.register_import.imported_by is None
    assert task_of(case, case.processes.get().flow_class.check_completeness).finished is None
