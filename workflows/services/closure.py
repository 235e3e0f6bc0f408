"""The lapse is told (其他处理 1 and 2; 条例 Art. 30, Art. 42): when a supplement or fee
period runs out, the case is closed and a 终止处理告知书 (with the reason, the article
and the remedy) is drafted at once; the person in charge signs it, it is issued, and
its delivery is recorded like any reply's."""
from __future__ import annotations

import datetime as dt

from audit.services import audit_record
from legal.selectors import local_today

from .. import paperwork as docs
from ..models import Delivery, DisclosureRequest
from ._step import APPROVE, REGISTER, Step, lock_case, require, step_service
from .delivery import record_delivery

CLOSURE_STEPS = ("closure_sign_off", "closure_deliver")


def draft_closure_notice(case: DisclosureRequest, *, actor, outcome: str) -> None:
    """Called by the lapse services, in their transaction."""
    docs.document_closure_notice_draft(actor=actor, case=case, closure=outcome)


@step_service
def request_closure_sign_off(*, actor, case: DisclosureRequest, comments: str = "", task=None) -> DisclosureRequest:
    """The person in charge signs the 终止处理告知书."""
    step = Step.open(case, actor=actor, perm=APPROVE, node="closure_sign_off", task=task)
    docs.document_reply_sign(actor=actor, case=step.case)
    audit_record(actor=actor, action="request.closure_signed_off", obj=step.case, reason=comments)
    step.complete()
    return step.case


@step_service
def request_closure_issue(*, actor, case: DisclosureRequest) -> DisclosureRequest:
    """Run by the flow right after the sign-off: the notice is numbered and rendered after commit."""
    case = lock_case(case)
    require(actor, case, "approve_request")
    case.issued_on = local_today()
    case.save(update_fields=["issued_on", "updated_at"])
    docs.document_reply_issue(actor=actor, case=case)
    audit_record(actor=actor, action="request.closure_issued", obj=case, after={"issued_on": case.issued_on})
    return case


@step_service
def request_closure_delivery(*, actor, case: DisclosureRequest, method: str, delivered_on: dt.date,
                             tracking_number: str = "", proof: str = "", task=None) -> Delivery:
    """送达 of the 终止处理告知书; the case stays closed."""
    step = Step.open(case, actor=actor, perm=REGISTER, node="closure_deliver", task=task)
    delivery = record_delivery(step.case, actor=actor, method=method, delivered_on=delivered_on,
                               tracking_number=tracking_number, proof=proof)
    step.case.delivered_on = delivered_on
    step.case.save(update_fields=["delivered_on", "updated_at"])
    audit_record(actor=actor, action="request.closure_delivered", obj=step.case,
                 after={"method": method, "delivered_on": delivered_on, "tracking_number": delivery.tracking_number})
    step.complete()
    return delivery
