"""Importing an agency's earlier register (台账): an agency that starts mid-year, or leaves
a legacy system or a spreadsheet, brings its earlier and still-open applications.

The file is read by `workflows.register_sheet` (the template and its words). A dry run
(`register_import_check`) lists every row that would be refused and writes nothing. The
import (`register_import`) refuses the whole file while any row is refused, and otherwise
creates every case in one transaction, with what the report and the clock read from a
case handled in the system: receipt date, applicant type, outcome per item and for the
case (`legal.outcomes.case_outcome`), the day it closed (the delivery of the reply, or the
day it was withdrawn or ended). Each case's legal clock is opened from its receipt date by
the legal calendar (and stopped on the day it closed). An open case is started in the
application flow and its registration completed, so it waits at the next step —
review by the OGI office, or 承办 by the handler named in the row — with its clock running.
The import is recorded (who, file name, SHA-256, rows) and each case says it was imported.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from agencies.selectors import user_agency
from audit.services import audit_record
from legal import services as clock_services
from legal.dates import date_words
from legal.selectors import local_today

from ..models import DisclosureRequest, RegisterImport, RegistrationCounter, RequestItem, RequestStatus
from ..register_sheet import (
    ANSWERED_STATUS,
    LAPSED,
    OPEN,
    STATUS_LABELS,
    WITHDRAWN,
    RegisterReading,
    RegisterRow,
    read_register,
)
from ._step import Step, move, open_task, request_flow
from .intake import _new_tracking_number, plain_name

PERM = "workflows.import_register"
ERR_NOT_ALLOWED = "只有本机关的系统管理员和政务公开工作机构（登记人员、负责人）可以导入申请台账。"
ERR_REFUSED = "台账中有{n}处不能导入，整个文件未导入。请按列出的原因改正后重新上传。"
IMPORTED = "从台账导入"

_FINAL_STATUS = {ANSWERED_STATUS: RequestStatus.ARCHIVED, WITHDRAWN: RequestStatus.WITHDRAWN,
                 LAPSED: RequestStatus.CLOSED}
_SYSTEM_NUMBER = re.compile(r"^(\d{4})-(\d{1,6})$")  # the numbers the system gives (intake._next_registration_number)


class RegisterRefused(ValidationError):
    """The file has rows that cannot be imported; `reading.refusals` says which and why."""

    def __init__(self, reading: RegisterReading):
        super().__init__(ERR_REFUSED.format(n=len(reading.refusals)))
        self.reading = reading


def may_import(user, agency: Agency | None = None) -> bool:
    """The agency's administrator or OGI office, for their own agency (`agency` None: their own)."""
    own = user_agency(user)
    if own is None or not user.has_perm(PERM):
        return False
    return agency is None or own.pk == agency.pk


def _require(actor, agency: Agency) -> None:
    if actor is not None and not may_import(actor, agency):
        raise PermissionDenied(ERR_NOT_ALLOWED)


def register_import_check(*, actor, agency: Agency, content: bytes) -> RegisterReading:
    """The dry run: every row read, or every reason one is refused. Writes nothing."""
    _require(actor, agency)
    return read_register(content, agency=agency, today=local_today())


@transaction.atomic
def register_import(*, actor, agency: Agency, content: bytes, file_name: str) -> RegisterImport:
    """Import the whole register or nothing (raises `RegisterRefused` listing every refused
    row). `actor` None is the system (the management command without --user)."""
    _require(actor, agency)
    Agency.objects.select_for_update().filter(pk=agency.pk).first()  # one import of an agency at a time
    reading = read_register(content, agency=agency, today=local_today())
    if not reading.ok:
        raise RegisterRefused(reading)
    record = RegisterImport(agency=agency, imported_by=actor, file_name=(file_name or "")[:255],
                            sha256=hashlib.sha256(content).hexdigest(), rows=len(reading.rows),
                            open_cases=reading.count(OPEN))
    record.full_clean()
    record.save()
    audit_record(actor=actor, action="register.imported", obj=record, agency=agency, reason=f"导入申请台账 {record.file_name}",
                 after={"file_name": record.file_name, "sha256": record.sha256, "rows": record.rows,
                        "open_cases": record.open_cases,
                        "by_status": {label: n for label, n in reading.summary}})
    for row in reading.rows:
        _import_case(row, record=record, actor=actor, agency=agency)
    _advance_counters(agency, [row.registration_number for row in reading.rows])
    return record


def _import_case(row: RegisterRow, *, record: RegisterImport, actor, agency: Agency) -> DisclosureRequest:
    received_at = timezone.make_aware(dt.datetime.combine(row.received_on, dt.time(9, 0)))
    closed = row.status != OPEN
    is_person = row.applicant_type == DisclosureRequest.NATURAL
    case = DisclosureRequest(
        agency=agency, department=row.department, handler=row.handler, registration_number=row.registration_number,
        tracking_number=_new_tracking_number(), applicant_type=row.applicant_type,
        applicant_name=plain_name(row.applicant_name),
        id_type=("resident_id" if is_person else "uscc") if row.id_number else "other", id_number=row.id_number,
        phone=row.phone, address=row.address, channel=row.channel, submitted_at=received_at,
        received_on=row.received_on, receipt_confirmed_at=received_at,
        # the register does not say how the applicant wished to receive the information
        form_wanted="paper", delivery_wanted="pickup",
        status=_FINAL_STATUS[row.status] if closed else RequestStatus.SUBMITTED,
        outcome=row.outcome, closed_on=row.closed_on,
        issued_on=row.answered_on if row.status == ANSWERED_STATUS else None,
        delivered_on=row.delivered_on, register_import=record,
    )
    # a register kept before the system often holds no ID number or telephone
    case.full_clean(exclude=["status", "id_number", "phone"])
    case.save()
    RequestItem.objects.bulk_create([
        RequestItem(request=case, position=n, title=title, outcome=row.item_outcomes[n - 1] if closed else "")
        for n, title in enumerate(row.items, start=1)])
    case.clock = clock_services.clock_open(
        actor=actor, label=f"{case.registration_number} {case.applicant_name}", received_on=row.received_on,
        agency=agency, reason=f"{IMPORTED}：收到申请之日为{date_words(row.received_on)}")
    facts = {"registration_number": case.registration_number, "received_on": row.received_on,
             "register_status": STATUS_LABELS[row.status], "outcome": case.outcome, "closed_on": case.closed_on,
             "import": record.pk, "line": row.line}
    if closed:
        clock_services.clock_stop(actor=actor, clock=case.clock, on=row.closed_on,
                                  reason=f"{IMPORTED}：{STATUS_LABELS[row.status]}")
        case.save(update_fields=["clock"])
        audit_record(actor=actor, action="request.imported", obj=case, reason=IMPORTED,
                     after={"status": case.status, **facts})
        return case
    case.save(update_fields=["clock"])
    # Open: the flow starts at registration, which the register already did; the case waits
    # at the step after it, as if registered here on its receipt date.
    flow = request_flow()
    flow.start.run(case=case)
    register_task = open_task(case, flow.register)
    move(case, "register", actor=actor, action="request.imported", reason=IMPORTED, **facts)
    Step(case=case, actor=actor, task=register_task).complete()
    if row.department is not None:
        check_task = open_task(case, flow.check_completeness)
        move(case, "accept", actor=actor, action="request.routed", department=row.department.pk,
             handler=row.handler.pk if row.handler else None, reason=f"分送{row.department.name}办理（{IMPORTED}）")
        Step(case=case, actor=actor, task=check_task).complete(decision="complete")
    return case


def _advance_counters(agency: Agency, numbers: list[str]) -> None:
    """Numbers in the system's own form (2025-0012) are taken: the system numbers that
    year's new registrations after the highest one imported, never twice."""
    highest: dict[int, int] = {}
    for number in numbers:
        match = _SYSTEM_NUMBER.match(number)
        if match:
            year, n = int(match.group(1)), int(match.group(2))
            highest[year] = max(highest.get(year, 0), n)
    for year, n in highest.items():
        counter, _created = RegistrationCounter.objects.get_or_create(agency=agency, year=year)
        counter = RegistrationCounter.objects.select_for_update().get(pk=counter.pk)
        if counter.last < n:
            counter.last = n
            counter.save(update_fields=["last"])
