"""Delivery and archive: the reply counts as made on the day it is served (送达,
国办公开办函〔2016〕235号): signed for, or posted; the clock stops; the case is filed and
its case file (卷宗) is built after commit."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from legal import services as clock_services
from legal.selectors import local_today

from .. import paperwork as docs
from ..models import Delivery, DisclosureRequest
from ._step import REGISTER, Step, move, step_service

ERR_DELIVERY_METHOD = "请选择送达方式。"
ERR_TRACKING_REQUIRED = "邮政寄送须填写邮件号码。"
ERR_DELIVERY_DATE = "送达日期不能早于出具答复之日，也不能晚于今天。"


@step_service
def request_delivery_record(*, actor, case: DisclosureRequest, method: str, delivered_on: dt.date,
                            tracking_number: str = "", proof: str = "", task=None) -> Delivery:
    """送达: the reply counts as made on this day (signed for, or posted); the clock stops."""
    step = Step.open(case, actor=actor, perm=REGISTER, node="deliver", task=task)
    case = step.case
    delivery = record_delivery(case, actor=actor, method=method, delivered_on=delivered_on,
                               tracking_number=tracking_number, proof=proof)
    case.delivered_on = case.closed_on = delivered_on
    clock_services.clock_stop(actor=actor, clock=case.clock, on=delivered_on,
                              reason=f"答复已送达（{delivery.get_method_display()}）")
    move(case, "deliver", actor=actor, action="request.delivered", method=method, delivered_on=delivered_on,
          tracking_number=delivery.tracking_number)
    step.complete()
    return delivery


def record_delivery(case: DisclosureRequest, *, actor, method: str, delivered_on: dt.date, tracking_number: str = "",
                    proof: str = "") -> Delivery:
    """The delivery record of the decision served on the applicant, and its 送达回证."""
    if method not in dict(Delivery.METHODS):
        raise ValidationError(ERR_DELIVERY_METHOD)
    if method == Delivery.POST and not (tracking_number or "").strip():
        raise ValidationError(ERR_TRACKING_REQUIRED)
    if delivered_on > local_today() or (case.issued_on and delivered_on < case.issued_on):
        raise ValidationError(ERR_DELIVERY_DATE)
    delivery = Delivery.objects.create(request=case, method=method, delivered_on=delivered_on,
                                       tracking_number=(tracking_number or "").strip(), proof=proof, recorded_by=actor)
    docs.document_service_proof(actor=actor, case=case, method_label=delivery.get_method_display(),
                                delivered_on=delivered_on, tracking_number=delivery.tracking_number)
    return delivery


@step_service
def request_archive(*, actor, case: DisclosureRequest, task=None) -> DisclosureRequest:
    step = Step.open(case, actor=actor, perm=REGISTER, node="archive", task=task)
    case = step.case
    move(case, "archive", actor=actor, action="request.archived")
    step.complete()
    docs.document_case_file(actor=actor, case=case)
    return case


