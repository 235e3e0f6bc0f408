"""Completeness and supplement (条例 Art. 30): a clear application is routed to a
department; an unclear one gets ONE supplement notice within 7 working days of receipt;
the supplemented application restarts the clock; no supplement in time closes the case
(其他处理 1)."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.core.exceptions import ValidationError

from agencies.models import Department
from agencies.roles import HANDLER, has_role
from legal import clock as clock_rules
from legal import outcomes as outcome_rules
from legal import services as clock_services
from legal.dates import date_words
from legal.selectors import local_today

from .. import paperwork as docs
from ..models import DisclosureRequest, RequestAttachment, Supplement
from ._step import REGISTER, Step, add_workdays, close_case, lock_case, move, step_service, today
from .closure import draft_closure_notice
from .intake import ERR_RECEIPT_FUTURE, store_attachments
from .receipts import applicant_method, notice_period

ERR_DEPARTMENT = "承办部门必须属于本机关。"
ERR_HANDLER_DEPT = "承办人必须是该部门的承办人员。"
ERR_SUPPLEMENT_ONCE = "补正只能一次性告知，本申请已经告知过补正（条例第三十条）。"
ERR_SUPPLEMENT_LATE = "补正告知应当自收到申请之日起 7 个工作日内作出（条例第三十条），已超过 {due}。"
ERR_SUPPLEMENT_WHAT = "请写明需要补正的全部事项。"
ERR_SUPPLEMENT_DAYS = "补正期限应为 1 至 30 个工作日。"
ERR_SUPPLEMENT_LAPSED = "补正期限已于 {due} 届满，不能再登记补正材料。"

SUPPLEMENT_DEFAULT_DAYS = 15


@step_service
def request_accept(*, actor, case: DisclosureRequest, department: Department, handler=None, task=None) -> DisclosureRequest:
    """The application is clear: route it to a department (and optionally a handler)."""
    step = Step.open(case, actor=actor, perm=REGISTER, node="check_completeness", task=task)
    case = step.case
    if department.agency_id != case.agency_id:
        raise ValidationError(ERR_DEPARTMENT)
    if handler is not None and (not has_role(handler, HANDLER) or getattr(handler.staff_profile, "department_id", None) != department.pk):
        raise ValidationError(ERR_HANDLER_DEPT)
    case.department, case.handler = department, handler
    move(case, "accept", actor=actor, action="request.routed", department=department.pk,
          handler=handler.pk if handler else None, reason=f"分送{department.name}办理")
    step.complete(decision="complete")
    return case


@step_service
def request_supplement_notice(*, actor, case: DisclosureRequest, what: str, days: int = SUPPLEMENT_DEFAULT_DAYS,
                              on: dt.date | None = None, sent_via: str = "", task=None) -> Supplement:
    """Tell the applicant once, all at once, what to supplement and by when (Art. 30)."""
    step = Step.open(case, actor=actor, perm=REGISTER, node="check_completeness", task=task)
    case = step.case
    on = today(on)
    if Supplement.objects.filter(request=case).exists():
        raise ValidationError(ERR_SUPPLEMENT_ONCE)
    if not (what or "").strip():
        raise ValidationError(ERR_SUPPLEMENT_WHAT)
    if not 1 <= int(days) <= 30:
        raise ValidationError(ERR_SUPPLEMENT_DAYS)
    latest = add_workdays(case.received_on, clock_rules.SUPPLEMENT_NOTICE_DAYS)
    if on > latest:
        raise ValidationError(ERR_SUPPLEMENT_LATE.format(due=date_words(latest)))
    sent_via = sent_via or applicant_method(case)
    due, provisional = notice_period(method=sent_via, sent_on=on, days=int(days))  # Art. 30: from receipt
    supplement = Supplement.objects.create(request=case, what=what.strip(), notice_on=on, days=days, due_on=due,
                                           sent_via=sent_via, created_by=actor)
    case.supplement_due = due
    move(case, "ask_supplement", actor=actor, action="request.supplement_requested", reason=what.strip(),
          notice_on=on, supplement_due=due)
    docs.document_supplement_notice(actor=actor, case=case, what=what.strip(), due_on=None if provisional else due,
                                    days=int(days))
    step.complete(decision="supplement")
    return supplement


@step_service
def request_supplement_receive(*, actor, case: DisclosureRequest, received_on: dt.date | None = None,
                               note: str = "", attachments: Iterable = (), task=None) -> DisclosureRequest:
    """The supplemented application arrived: the answer period counts anew from that day."""
    step = Step.open(case, actor=actor, perm=REGISTER, node="wait_supplement", task=task)
    case = step.case
    received_on = today(received_on)
    if received_on > local_today():
        raise ValidationError(ERR_RECEIPT_FUTURE)
    if not case.supplement.provisional and received_on > case.supplement_due:
        raise ValidationError(ERR_SUPPLEMENT_LAPSED.format(due=date_words(case.supplement_due)))
    Supplement.objects.filter(request=case).update(received_on=received_on, content=note)
    store_attachments(case, attachments, RequestAttachment.SUPPLEMENT)
    clock_services.clock_restart(actor=actor, clock=case.clock, received_on=received_on,
                                 reason=note or "收到补正后的申请")
    move(case, "receive_supplement", actor=actor, action="request.supplement_received", reason=note,
          received_on=received_on)
    step.complete()
    return case


@step_service
def request_supplement_lapse(*, actor=None, case: DisclosureRequest) -> DisclosureRequest:
    """Timer: no supplement in time → deemed withdrawn, not processed (其他处理 1)."""
    case = lock_case(case)
    on = local_today()
    close_case(case, actor=actor, outcome=outcome_rules.LAPSED_SUPPLEMENT, on=on, transition="lapse_supplement",
           action="request.supplement_lapsed", reason=f"申请人未在 {case.supplement_due} 前补正，视为放弃申请（条例第三十条）")
    Supplement.objects.filter(request=case).update(lapsed_on=on)
    draft_closure_notice(case, actor=actor, outcome=outcome_rules.LAPSED_SUPPLEMENT)
    return case


