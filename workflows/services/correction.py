"""Correction requests (更正申请, 条例 Art. 41): registered with the receipt date and the
legal clock, verified by a handler (corrected / accurate / referred / told where to go),
answered in writing once the person in charge signs. Each step checks the actor's
permission and agency, and writes its audit event in the same transaction."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from agencies.models import Agency
from agencies.selectors import user_agency
from audit.services import audit_record
from documents import kinds
from documents.services import case_document_draft, case_document_issue, case_document_sign
from legal import services as clock_services
from legal.selectors import local_today

from ..models import CorrectionRequest
from ._step import APPROVE, ERR_NOT_ALLOWED, ERR_NOT_VISIBLE, HANDLE, REGISTER

ERR_CORRECTION_FIELDS = "请填写申请人、需要更正的记录、不准确之处、要求更正的内容和证据（条例第四十一条）。"
ERR_CORRECTION_DEPARTMENT = "请选择保存该记录的本机关部门。"
ERR_CORRECTION_DATE = "收到申请之日不能晚于今天。"
ERR_CORRECTION_DECISION = "请选择核实结果。"
ERR_CORRECTED_WHAT = "予以更正的，须写明更正的内容。"
ERR_ACCURATE_REASON = "不予更正的，须写明核实情况和理由。"
ERR_RIGHT_AGENCY = "转送或告知向其他机关提出的，须写明有权更正的机关。"
ERR_CORRECTION_STATE = "该更正申请当前不能办理此项操作（状态：{status}）。"


def _require(actor, correction: CorrectionRequest | None, perm: str, agency=None) -> None:
    if not actor.has_perm(f"workflows.{perm}"):
        raise PermissionDenied(ERR_NOT_ALLOWED)
    if correction is not None and not CorrectionRequest.objects.filter(pk=correction.pk).visible_to(actor).exists():
        raise PermissionDenied(ERR_NOT_VISIBLE)


def _state(correction: CorrectionRequest, expected: str) -> CorrectionRequest:
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    if correction.status != expected:
        raise ValidationError(ERR_CORRECTION_STATE.format(status=correction.get_status_display()))
    return correction


@transaction.atomic
def correction_register(*, actor, department, applicant_name: str, record: str, inaccurate: str, correct_to: str,
                        evidence: str, received_on: dt.date | None = None, id_number: str = "", phone: str = "",
                        address: str = "") -> CorrectionRequest:
    """Register a correction request received on `received_on`; its answer is watched on the clock."""
    _require(actor, None, REGISTER)
    agency = user_agency(actor)
    if agency is None:
        raise PermissionDenied(ERR_NOT_ALLOWED)
    if department is None or department.agency_id != agency.pk:
        raise ValidationError(ERR_CORRECTION_DEPARTMENT)
    fields = [applicant_name, record, inaccurate, correct_to, evidence]
    if not all((f or "").strip() for f in fields):
        raise ValidationError(ERR_CORRECTION_FIELDS)
    received_on = received_on or local_today()
    if received_on > local_today():
        raise ValidationError(ERR_CORRECTION_DATE)
    Agency.objects.select_for_update().filter(pk=agency.pk).exists()  # one number at a time per agency
    serial = CorrectionRequest.objects.filter(agency=agency, received_on__year=received_on.year).count() + 1
    correction = CorrectionRequest.objects.create(
        agency=agency, department=department, number=f"更{received_on.year}-{serial:04d}", applicant_name=applicant_name.strip(),
        id_number=id_number.strip(), phone=phone.strip(), address=address.strip(), record=record.strip(),
        inaccurate=inaccurate.strip(), correct_to=correct_to.strip(), evidence=evidence.strip(),
        received_on=received_on, created_by=actor)
    correction.clock = clock_services.clock_open(actor=actor, label=f"更正申请 {correction.number}",
                                                 received_on=received_on, agency=agency,
                                                 reason="收到更正申请，参照条例第三十三条计算答复期限")
    correction.save(update_fields=["clock"])
    audit_record(actor=actor, action="correction.registered", obj=correction, agency=agency,
                 after={"number": correction.number, "received_on": received_on.isoformat()}, reason=record.strip())
    return correction


@transaction.atomic
def correction_decide(*, actor, correction: CorrectionRequest, decision: str, reason: str = "",
                      corrected_what: str = "", right_agency: str = "") -> CorrectionRequest:
    """The handler's verification (核实) and the written answer it leads to, drafted for signing."""
    _require(actor, correction, HANDLE)
    correction = _state(correction, CorrectionRequest.RECEIVED)
    if decision not in dict(CorrectionRequest.DECISIONS):
        raise ValidationError(ERR_CORRECTION_DECISION)
    reason, corrected_what, right_agency = (reason or "").strip(), (corrected_what or "").strip(), (right_agency or "").strip()
    if decision == CorrectionRequest.CORRECTED and not corrected_what:
        raise ValidationError(ERR_CORRECTED_WHAT)
    if decision == CorrectionRequest.ACCURATE and not reason:
        raise ValidationError(ERR_ACCURATE_REASON)
    if decision in (CorrectionRequest.REFERRED, CorrectionRequest.TOLD) and not right_agency:
        raise ValidationError(ERR_RIGHT_AGENCY)
    correction.decision, correction.reason = decision, reason
    correction.corrected_what = corrected_what if decision == CorrectionRequest.CORRECTED else ""
    correction.right_agency = right_agency if decision in (CorrectionRequest.REFERRED, CorrectionRequest.TOLD) else ""
    correction.decided_by, correction.decided_on, correction.status = actor, local_today(), CorrectionRequest.DECIDED
    correction.save()
    case_document_draft(actor=actor, request=correction, kind=kinds.CORRECTION_REPLY)
    audit_record(actor=actor, action="correction.decided", obj=correction, agency=correction.agency,
                 before={"status": CorrectionRequest.RECEIVED},
                 after={"status": correction.status, "decision": decision, "right_agency": correction.right_agency},
                 reason=reason or corrected_what)
    return correction


@transaction.atomic
def correction_answer(*, actor, correction: CorrectionRequest) -> CorrectionRequest:
    """The person in charge signs the written answer; it is issued and the clock stops."""
    _require(actor, correction, APPROVE)
    correction = _state(correction, CorrectionRequest.DECIDED)
    draft = correction.documents.filter(kind=kinds.CORRECTION_REPLY, status="draft").order_by("-id").first()
    case_document_issue(actor=actor, document=case_document_sign(actor=actor, document=draft))
    correction.status, correction.answered_on = CorrectionRequest.ANSWERED, local_today()
    correction.save(update_fields=["status", "answered_on"])
    clock_services.clock_stop(actor=actor, clock=correction.clock, on=correction.answered_on, reason="已书面答复更正申请")
    audit_record(actor=actor, action="correction.answered", obj=correction, agency=correction.agency,
                 before={"status": CorrectionRequest.DECIDED}, after={"status": correction.status})
    return correction
