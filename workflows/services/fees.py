"""Information-processing fees (条例 Art. 42; 国办函〔2020〕109号): the notice pauses the
clock; payment resumes it; a lapse or a refusal to pay closes the case (其他处理 2)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.services import audit_record
from legal import clock as clock_rules
from legal import fees as fee_rules
from legal import outcomes as outcome_rules
from legal import services as clock_services
from legal.dates import date_words
from legal.selectors import clock_state, local_today

from .. import paperwork as docs
from ..models import DisclosureRequest, FeeNotice, RequestStatus
from ..notices import case_notify
from ._step import HANDLE, Step, cancel_processes, close_case, lock_case, move, require, step_service, today
from .closure import draft_closure_notice
from .receipts import applicant_method, notice_period

ERR_FEE_AMOUNT = "收费金额必须大于零，并写明收费依据和标准。"
ERR_NO_FEE_DUE = "本申请当前没有待缴纳的信息处理费。"
ERR_FEE_METHOD = "请选择计收方式（按件或按量）并填写页数或当月申请件数。"
ERR_FEE_LATE = "答复期限已于 {due} 届满，不能再发出收费通知：收费通知应当在答复期限内发出。"
ERR_FEE_PAID_BY_STAFF = "缴费须由工作人员核实到账后登记。"
ERR_FEE_MISMATCH = "按收费标准计算的金额为 {amount} 元，与填写的金额不一致。"


@step_service
def request_fee_notice(*, actor, case: DisclosureRequest, amount: Decimal | None = None, basis: str = "",
                       method: str = "", quantity: int | None = None, on: dt.date | None = None,
                       sent_via: str = "", task=None) -> FeeNotice:
    """Fee notice (Art. 42). With `method` and `quantity` (pages, or the applicant's n-th
    application this month) the amount follows from the bands in legal/fees.py."""
    step = Step.open(case, actor=actor, perm=HANDLE, node="handle", task=task)
    case = step.case
    if method:
        if method not in dict(fee_rules.METHODS) or not quantity or int(quantity) < 1:
            raise ValidationError(ERR_FEE_METHOD)
        computed = fee_rules.fee_for(method, int(quantity))
        if amount not in (None, "") and Decimal(amount) != computed:
            raise ValidationError(ERR_FEE_MISMATCH.format(amount=computed))
        amount = computed
        basis = basis.strip() or fee_rules.METHOD_BASIS  # the standard has its own row in the notice
    amount = Decimal(amount or 0)
    if amount <= 0 or not (basis or "").strip():
        raise ValidationError(ERR_FEE_AMOUNT)
    on = today(on)
    state = clock_state(case.clock, today=on)
    if clock_rules.fee_notice_too_late(state, on):
        raise ValidationError(ERR_FEE_LATE.format(due=date_words(state.due_date)))
    sent_via = sent_via or applicant_method(case)
    # 109号: 自收到收费通知的次日起20个工作日内 (provisional until the receipt is known)
    due, provisional = notice_period(method=sent_via, sent_on=on, days=clock_rules.FEE_PAYMENT_DAYS)
    notice = FeeNotice.objects.create(request=case, amount=amount, basis=basis.strip(), notice_on=on, due_on=due,
                                      sent_via=sent_via)
    case.fee_due = due
    clock_services.clock_pause(actor=actor, clock=case.clock, pause_reason=clock_rules.PAUSE_FEE, on=on)
    move(case, "ask_fee", actor=actor, action="request.fee_notified", reason=basis.strip(), amount=amount, fee_due=due)
    docs.document_fee_notice(actor=actor, case=case, amount=amount, basis=basis.strip(),
                             due_on=None if provisional else due,
                             method=fee_rules.METHOD_NAMES.get(method, ""),
                             standard=fee_rules.fee_standard_text(method) if method else "",
                             quantity=fee_rules.quantity_text(method, int(quantity)) if method else "")
    step.complete(decision="fee")
    return notice


@step_service
def request_fee_payment_claim(*, actor=None, case: DisclosureRequest) -> FeeNotice:
    """The applicant says the fee is paid. Only a claim: recorded and passed to the staff
    handling the case, who check the payment and record it (`request_fee_paid`); the
    clock stays paused until then."""
    case = lock_case(case)
    require(actor, case, HANDLE)  # the applicant on the portal (no account), or staff entering a claim by phone
    if case.status != RequestStatus.AWAITING_FEE:
        raise ValidationError(ERR_NO_FEE_DUE)
    notice = case.fee_notices.order_by("-id").first()
    notice.payment_claimed_at = timezone.now()
    notice.save(update_fields=["payment_claimed_at"])
    audit_record(actor=actor, action="request.fee_payment_claimed", obj=case,
                 after={"fee_notice": notice.pk, "amount": notice.amount})
    case_notify(case=case, action="request.fee_payment_claimed")
    return notice


@step_service
def request_fee_paid(*, actor, case: DisclosureRequest, paid_on: dt.date | None = None, task=None) -> FeeNotice:
    """Staff record the payment after checking it (109号): the clock resumes."""
    if not getattr(actor, "pk", None):
        raise PermissionDenied(ERR_FEE_PAID_BY_STAFF)
    step = Step.open(case, actor=actor, perm=HANDLE, node="fee_wait", task=task)
    case = step.case
    paid_on = today(paid_on)
    notice = case.fee_notices.order_by("-id").first()
    notice.paid_on = paid_on
    notice.save(update_fields=["paid_on"])
    clock_services.clock_resume(actor=actor, clock=case.clock, pause_reason=clock_rules.PAUSE_FEE, on=paid_on)
    move(case, "fee_paid", actor=actor, action="request.fee_paid", paid_on=paid_on)
    step.complete()
    return notice


@step_service
def request_fee_lapse(*, actor=None, case: DisclosureRequest) -> DisclosureRequest:
    case = lock_case(case)
    on = local_today()
    case.fee_notices.filter(paid_on__isnull=True).update(lapsed_on=on)
    close_case(case, actor=actor, outcome=outcome_rules.LAPSED_FEE, on=on, transition="lapse_fee",
           action="request.fee_lapsed", reason=f"申请人未在 {case.fee_due} 前缴纳信息处理费，视为放弃申请（条例第四十二条）")
    draft_closure_notice(case, actor=actor, outcome=outcome_rules.LAPSED_FEE)
    return case


@step_service
def request_fee_decline(*, actor, case: DisclosureRequest, on: dt.date | None = None) -> DisclosureRequest:
    """The applicant declines to pay: not processed further, counted like a lapsed fee
    notice (Art. 42; 其他处理 2). Open tasks are cancelled."""
    case = lock_case(case)
    if actor is None or not (case.applicant_user_id and actor.pk == case.applicant_user_id):
        require(actor, case, "handle_request")
    if case.status != RequestStatus.AWAITING_FEE:
        raise ValidationError(ERR_NO_FEE_DUE)
    on = today(on)
    cancel_processes(case)
    case.fee_notices.filter(paid_on__isnull=True).update(lapsed_on=on)
    close_case(case, actor=actor, outcome=outcome_rules.LAPSED_FEE, on=on, transition="lapse_fee",
           action="request.fee_declined", reason="申请人表示不缴纳信息处理费，不再处理其申请（条例第四十二条）")
    return case


