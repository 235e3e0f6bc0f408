"""Withdrawal: the applicant withdraws before the reply (其他处理 3)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from agencies.selectors import user_agency
from legal import outcomes as outcome_rules
from legal import services as clock_services

from .. import paperwork as docs
from ..models import DisclosureRequest
from ..transitions import BEFORE_REPLY
from ._step import cancel_processes, lock_case, move, require, step_service, today

ERR_CANNOT_WITHDRAW = "答复已经出具，不能再撤回申请。"


@step_service
def request_withdraw(*, actor, case: DisclosureRequest, reason: str = "", on: dt.date | None = None) -> DisclosureRequest:
    """The applicant withdraws (in the portal, or in writing entered by a registrar) at any
    point before the reply: open tasks are cancelled, the clock stops (其他处理 3)."""
    case = lock_case(case)
    if actor is None or not (case.applicant_user_id and actor.pk == case.applicant_user_id):
        require(actor, case, "register_request")
    if case.status not in BEFORE_REPLY:
        raise ValidationError(ERR_CANNOT_WITHDRAW)
    on = today(on)
    cancel_processes(case)
    case.outcome = outcome_rules.OTHER
    case.closed_on = on
    if case.clock and case.clock.is_open:
        clock_services.clock_stop(actor=actor, clock=case.clock, on=max(on, case.received_on), reason="申请人撤回申请")
    move(case, "withdraw", actor=actor, action="request.withdrawn", reason=reason or "申请人撤回申请", outcome=case.outcome)
    # Confirmed in writing; issued by the agency (the system, when the applicant withdrew online).
    issuer = actor if actor is not None and user_agency(actor) is not None else None
    docs.document_withdrawal_confirmation(actor=issuer, case=case, withdrawn_on=on, reason=reason)
    return case
