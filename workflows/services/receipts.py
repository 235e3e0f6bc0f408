"""Receipt of the agency's notices (legal/receipt.py): the supplement notice (Art. 30),
the fee notice (国办函〔2020〕109号), the letters to a third party (Art. 32) and to another
agency (Art. 34). Their periods run from the day the addressee receives them; posted or
handed over, that day is known only when the signed receipt comes back. Until then the
period is provisional and nothing lapses on it."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from audit.services import audit_record
from legal import receipt as receipt_rules
from legal.dates import date_words
from legal.selectors import local_today

from ..models import (
    DisclosureRequest,
    FeeNotice,
    NoticeSent,
    OtherAgencyConsultation,
    Supplement,
    ThirdPartyConsultation,
)
from ._step import HANDLE, REGISTER, add_workdays, latest_process, lock_case, require, require_open, step_service

ERR_NOTICE_METHOD = "请选择送达方式。"
ERR_RECEIPT_DATE = "签收日期不能早于发出之日（{sent}），也不能晚于今天。"
ERR_RECEIPT_NOT_NEEDED = "该文书以{method}发出，发出之日即为收到之日，无需登记签收。"
ERR_RECEIPT_KNOWN = "该文书的签收日期已经登记（{on}）。"
ERR_RECEIPT_UNKNOWN = "尚未登记对方签收{what}的日期，期限尚未确定，不能按逾期处理。"

# Timers of periods whose start is not yet known wait until the receipt is recorded,
# which moves them to the real day (see `reschedule_lapse`).
NOT_YET = dt.datetime(2999, 12, 31, tzinfo=dt.timezone.utc)


def applicant_method(case: DisclosureRequest) -> str:
    """How a notice reaches the applicant unless staff say otherwise: through the portal
    account of an online applicant, else by post."""
    return receipt_rules.BY_PORTAL if case.applicant_user_id else receipt_rules.BY_POST


def notice_period(*, method: str, sent_on: dt.date, days: int) -> tuple[dt.date, bool]:
    if method not in dict(receipt_rules.NOTICE_METHODS):
        raise ValidationError(ERR_NOTICE_METHOD)
    return receipt_rules.period_from_notice(add_workdays, method=method, sent_on=sent_on, days=days)


def lapse_moment(notice: NoticeSent, start_of_day_after) -> dt.datetime:
    """When the timer of a period that runs from the notice's receipt may fire."""
    return NOT_YET if notice.provisional else start_of_day_after(notice.period_due)


def reschedule_lapse(case: DisclosureRequest, when: dt.datetime) -> int:
    """Move the case's waiting lapse timer (supplement or fee) to `when`."""
    process = latest_process(case)
    return Task.objects.filter(process_id=getattr(process, "pk", None), flow_task_type="TIMER",
                               status=STATUS.SCHEDULED).update(scheduled=when)


@step_service
def request_notice_receipt(*, actor, case: DisclosureRequest, notice: NoticeSent, received_on: dt.date,
                           proof: str = "") -> NoticeSent:
    """Record the day the addressee signed for a notice: its period now counts from that
    day (the day itself not counted) and is no longer provisional."""
    case = lock_case(case)
    require(actor, case, REGISTER if isinstance(notice, Supplement) else HANDLE)
    require_open(case)
    notice = type(notice).objects.select_for_update().get(pk=notice.pk, request=case)
    if notice.sent_via in receipt_rules.RECEIVED_WHEN_SENT:
        raise ValidationError(ERR_RECEIPT_NOT_NEEDED.format(method=notice.get_sent_via_display()))
    if notice.receipt_on:
        raise ValidationError(ERR_RECEIPT_KNOWN.format(on=date_words(notice.receipt_on)))
    if received_on is None or received_on < notice.sent_on or received_on > local_today():
        raise ValidationError(ERR_RECEIPT_DATE.format(sent=date_words(notice.sent_on)))
    before = notice.period_due
    notice.receipt_on, notice.receipt_proof = received_on, (proof or "").strip()[:200]
    due = add_workdays(received_on, notice.period_length)
    setattr(notice, notice.DUE_FIELD, due)
    notice.save()
    if isinstance(notice, Supplement) and case.supplement_due != due:
        case.supplement_due = due
        case.save(update_fields=["supplement_due"])
    if isinstance(notice, FeeNotice) and case.fee_due != due:
        case.fee_due = due
        case.save(update_fields=["fee_due"])
    if isinstance(notice, (Supplement, FeeNotice)):
        from django.utils import timezone

        reschedule_lapse(case, timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time.min)))
    audit_record(actor=actor, action="request.notice_received", obj=case,
                 before={"notice": notice._meta.model_name, "due": before.isoformat()},
                 after={"notice": notice._meta.model_name, "received_on": received_on.isoformat(), "due": due.isoformat()},
                 reason=notice.receipt_proof)
    return notice


def outstanding_receipts(case: DisclosureRequest) -> list[NoticeSent]:
    """The case's notices still waiting for a signed receipt while their period matters."""
    waiting = [
        Supplement.objects.filter(request=case, received_on__isnull=True, lapsed_on__isnull=True),
        FeeNotice.objects.filter(request=case, paid_on__isnull=True, lapsed_on__isnull=True),
        ThirdPartyConsultation.objects.filter(request=case, opinion=""),
        OtherAgencyConsultation.objects.filter(request=case, answer=""),
    ]
    return [notice for qs in waiting
            for notice in qs.filter(receipt_on__isnull=True).exclude(sent_via__in=receipt_rules.RECEIVED_WHEN_SENT)]
