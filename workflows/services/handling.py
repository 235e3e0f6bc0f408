"""Handling: claiming and reassigning, third parties (条例 Art. 32), 会商, other agencies
(Art. 34) and the extension (Art. 33(2)). Each branch returns to the handler's step."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from agencies.selectors import user_agency
from audit.services import actor_label, audit_record
from legal import clock as clock_rules
from legal import receipt as receipt_rules
from legal import services as clock_services
from legal.dates import date_words
from legal.selectors import clock_state, local_today
from legal.services import ERR_EXTENSION_LATE

from .. import paperwork as docs
from ..models import (
    CaseNote,
    Consultation,
    ConsultationOpinion,
    DisclosureRequest,
    ExtensionRequest,
    OtherAgencyConsultation,
    ThirdPartyConsultation,
    VolumeInquiry,
)
from ..notices import case_notify, task_announce_on_commit
from ._step import (
    APPROVE,
    ERR_NOT_ALLOWED,
    ERR_OPINION_REQUIRED,
    ERR_REASON_REQUIRED,
    ERR_TASK_TAKEN,
    HANDLE,
    Step,
    lock_case,
    move,
    open_task,
    request_flow,
    require,
    require_open,
    step_service,
    today,
)
from .closure import CLOSURE_STEPS
from .receipts import ERR_RECEIPT_UNKNOWN, notice_period

CONSULTATION_IN_SYSTEM = "通过本系统书面会商"
ERR_VOLUME_QUESTION = "请写明要求申请人说明理由的事项（条例第三十五条）。"
ERR_VOLUME_DECISION = "请选择对申请人所说理由的认定。"
ERR_VOLUME_LONGER = "认定理由合理、确定延迟答复的，须记录申请人的理由并填写延迟答复的工作日数（条例第三十五条）。"
ERR_OTHER_AGENCY = "请填写被征求意见的机关和征求意见的事项。"
ERR_OTHER_AGENCY_NOT_DUE = "该机关的答复期限（{due}）尚未届满，不能按逾期未答复（视为同意）处理（条例第三十四条）。"
ERR_REASSIGN_TARGET = "只能改派给本机关的承办人员。"
ERR_THIRD_PARTY = "请填写第三方名称和征求意见的事项。"
ERR_THIRD_PARTY_NOT_DUE = "第三方答复期限（{due}）尚未届满，不能按逾期未答复处理。"
ERR_OVERRIDE_REASONS = "只有在第三方不同意公开时，才能以公共利益为由决定公开，且须写明理由（条例第三十二条）。"
ERR_NO_PARTICIPANTS = "请至少选择一名会商参加人（不含召集人本人），且须为本机关工作人员。"
ERR_EXTENSION_DAYS = "延长期限应为 1 至 20 个工作日，且累计不得超过 20 个工作日（条例第三十三条第二款）。"
ERR_EXTENSION_PENDING = "已有待审批的延期申请。"


# The steps assigned to the case's handler (flows: `.Assign(this.case_handler)`); they follow a reassignment.
HANDLER_NODES = ("handle", "third_party_opinion", "other_agency_opinion", "volume_decide", "consult_decide",
                 "fee_wait", "draft_reply")


@step_service
def request_task_claim(*, actor, case: DisclosureRequest, task) -> Task:
    """Claim a task from a queue (e.g. a handler from the department queue)."""
    case = lock_case(case)
    require(actor, case, None)
    node = task.flow_task
    if node.name not in CLOSURE_STEPS:  # a closed case still has its 终止处理告知书 to sign and serve
        require_open(case)
    task = open_task(case, node, task=task)
    if task.status != STATUS.NEW:
        raise ValidationError(ERR_TASK_TAKEN.format(name=actor_label(task.owner)))
    if not node.can_assign(actor, task):
        raise PermissionDenied(ERR_NOT_ALLOWED)
    activation = node.activation_class(task)
    activation.assign(actor)
    if node.name == "handle" and case.handler_id != actor.pk:
        case.handler = actor
        case.save(update_fields=["handler", "updated_at"])
    audit_record(actor=actor, action="request.task_claimed", obj=case, after={"task": task.pk, "step": node.name},
                 reason=str(node.task_title or node))
    return task


@step_service
def request_reassign(*, actor, case: DisclosureRequest, to_user, reason: str) -> DisclosureRequest:
    """Give the case to another handler (and that handler's department), with a reason."""
    case = lock_case(case)
    require_open(case)
    if actor.pk != case.handler_id:
        require(actor, case, "approve_request") if not actor.has_perm("workflows.register_request") else require(actor, case, "register_request")
    else:
        require(actor, case, "handle_request")
    if not (reason or "").strip():
        raise ValidationError(ERR_REASON_REQUIRED)
    profile = getattr(to_user, "staff_profile", None)
    if profile is None or profile.agency_id != case.agency_id or not to_user.has_perm("workflows.handle_request"):
        raise ValidationError(ERR_REASSIGN_TARGET)
    before = {"handler": case.handler_id, "department": case.department_id}
    old = case.handler
    case.handler, case.department = to_user, profile.department or case.department
    case.save(update_fields=["handler", "department", "updated_at"])
    flow = request_flow()
    for task in Task.objects.filter(process__in=case.processes.values("pk"), status=STATUS.ASSIGNED):
        if task.flow_task.name in HANDLER_NODES and (old is None or task.owner_id == old.pk):
            activation = task.flow_task.activation_class(task)
            activation.reassign(user=to_user)
            task_announce_on_commit(task)
    for task in Task.objects.filter(process__in=case.processes.values("pk"), status=STATUS.NEW,
                                    flow_task=flow.handle):
        task.flow_task.activation_class(task).assign(to_user)
        task_announce_on_commit(task)
    CaseNote.objects.create(request=case, kind="reassigned", text=reason.strip(), author=actor)
    audit_record(actor=actor, action="request.reassigned", obj=case, before=before,
                 after={"handler": to_user.pk, "department": case.department_id}, reason=reason.strip())
    case_notify(case=case, action="request.reassigned")
    return case


@step_service
def request_third_party_consult(*, actor, case: DisclosureRequest, third_party: str, matter: str, address: str = "",
                                on: dt.date | None = None, sent_via: str = receipt_rules.BY_POST,
                                task=None) -> ThirdPartyConsultation:
    """Letter to the third party; the clock is paused until the opinion is recorded."""
    step = Step.open(case, actor=actor, perm=HANDLE, node="handle", task=task)
    case = step.case
    if not (third_party or "").strip() or not (matter or "").strip():
        raise ValidationError(ERR_THIRD_PARTY)
    on = today(on)
    # Art. 32: 自收到征求意见书之日起15个工作日 (provisional until the receipt is known)
    reply_due, provisional = notice_period(method=sent_via, sent_on=on, days=clock_rules.THIRD_PARTY_REPLY_DAYS)
    consultation = ThirdPartyConsultation.objects.create(request=case, third_party=third_party.strip(), address=address,
                                                         matter=matter.strip(), letter_on=on, reply_due=reply_due,
                                                         sent_via=sent_via, created_by=actor)
    clock_services.clock_pause(actor=actor, clock=case.clock, pause_reason=clock_rules.PAUSE_THIRD_PARTY, on=on,
                               reason=f"向{third_party}征求意见")
    move(case, "consult_third_party", actor=actor, action="request.third_party_consulted", reason=matter.strip(),
          third_party=third_party, reply_due=reply_due)
    docs.document_third_party_letter(actor=actor, case=case, third_party=third_party, matter=matter,
                                     reply_due=None if provisional else reply_due)
    step.complete(decision="third_party")
    return consultation


def _check_silence(consultation, on: dt.date, *, letter: str, err_not_due: str) -> None:
    """Silence (Art. 32, Art. 34) can be recorded only once the addressee's 15 working days,
    counted from its recorded receipt of the letter, have run."""
    if consultation.provisional:
        raise ValidationError(ERR_RECEIPT_UNKNOWN.format(what=letter))
    if on <= consultation.reply_due:
        raise ValidationError(err_not_due.format(due=date_words(consultation.reply_due)))


def _end_consultation_pause(case: DisclosureRequest, consultation, *, actor, pause_reason: str, answered_on: dt.date,
                            reason: str) -> None:
    """Resume the clock of a third-party (Art. 32) or other-agency (Art. 34) consultation on
    the day the rule says the time not counted ends."""
    # while the letter's receipt is unrecorded its period cannot have been seen to run out
    reply_due = None if consultation.provisional else consultation.reply_due
    pause_end = clock_rules.consultation_pause_end(answered_on, reply_due) if reply_due else answered_on
    if pause_end != answered_on:
        reason += f"（答复期限 {pause_end} 届满，暂停计算至该日）"
    clock_services.clock_resume(actor=actor, clock=case.clock, pause_reason=pause_reason, on=pause_end, reason=reason)


@step_service
def request_third_party_opinion(*, actor, case: DisclosureRequest, opinion: str, opinion_text: str = "",
                                received_on: dt.date | None = None, public_interest_override: bool = False,
                                override_reasons: str = "", task=None) -> ThirdPartyConsultation:
    """Record the third party's answer (or its silence after 15 working days); the clock resumes."""
    step = Step.open(case, actor=actor, perm=HANDLE, node="third_party_opinion", task=task)
    case = step.case
    consultation = case.third_party_consultations.order_by("-id").first()
    received_on = today(received_on)
    if opinion not in dict(ThirdPartyConsultation.OPINIONS):
        raise ValidationError(ERR_OPINION_REQUIRED)
    if opinion == ThirdPartyConsultation.SILENT:
        _check_silence(consultation, received_on, letter="征求意见书", err_not_due=ERR_THIRD_PARTY_NOT_DUE)
    if public_interest_override and (opinion != ThirdPartyConsultation.OBJECT or not override_reasons.strip()):
        raise ValidationError(ERR_OVERRIDE_REASONS)
    consultation.opinion, consultation.opinion_text, consultation.opinion_on = opinion, opinion_text, received_on
    consultation.public_interest_override, consultation.override_reasons = public_interest_override, override_reasons.strip()
    consultation.save()
    _end_consultation_pause(case, consultation, actor=actor, pause_reason=clock_rules.PAUSE_THIRD_PARTY,
                            answered_on=received_on, reason=f"第三方意见：{consultation.get_opinion_display()}")
    move(case, "end_consultation", actor=actor, action="request.third_party_opinion",
          reason=override_reasons.strip() or opinion_text, opinion=opinion,
          public_interest_override=public_interest_override)
    if public_interest_override:
        docs.document_public_interest_notice(actor=actor, case=case, third_party=consultation.third_party,
                                             objection_on=received_on, info=consultation.matter,
                                             reasons=override_reasons.strip())
    step.complete()
    return consultation


@step_service
def request_volume_reasons_ask(*, actor, case: DisclosureRequest, question: str, on: dt.date | None = None,
                               task=None) -> VolumeInquiry:
    """Art. 35: the applications are clearly beyond a reasonable volume; the applicant is
    asked, in writing, for reasons."""
    step = Step.open(case, actor=actor, perm=HANDLE, node="handle", task=task)
    case = step.case
    if not (question or "").strip():
        raise ValidationError(ERR_VOLUME_QUESTION)
    inquiry = VolumeInquiry.objects.create(request=case, question=question.strip(), asked_on=today(on), created_by=actor)
    audit_record(actor=actor, action="request.volume_reasons_asked", obj=case, after={"inquiry": inquiry.pk},
                 reason=question.strip())
    case_notify(case=case, action="request.volume_reasons_asked")
    docs.document_volume_reasons_notice(actor=actor, case=case, question=question.strip())
    step.complete(decision="volume")
    return inquiry


@step_service
def request_volume_decide(*, actor, case: DisclosureRequest, reasons: str, decision: str, longer_days: int | None = None,
                          on: dt.date | None = None, task=None) -> VolumeInquiry:
    """Record the applicant's reasons and decide (Art. 35): unreasonable -> the handler may
    then decide 不予处理 (5.4); reasonable but too large -> a longer period, notified."""
    step = Step.open(case, actor=actor, perm=HANDLE, node="volume_decide", task=task)
    case = step.case
    inquiry = case.volume_inquiries.order_by("-id").first()
    on = today(on)
    if decision not in dict(VolumeInquiry.DECISIONS):
        raise ValidationError(ERR_VOLUME_DECISION)
    if decision == VolumeInquiry.LONGER and not (longer_days and int(longer_days) > 0 and (reasons or "").strip()):
        raise ValidationError(ERR_VOLUME_LONGER)
    inquiry.reasons, inquiry.decision, inquiry.decided_on = (reasons or "").strip(), decision, on
    inquiry.longer_days = int(longer_days) if decision == VolumeInquiry.LONGER else None
    inquiry.save()
    if decision == VolumeInquiry.LONGER:
        clock_services.clock_set_longer_period(actor=actor, clock=case.clock, days=inquiry.longer_days, on=on,
                                               reason=inquiry.reasons)
        case.clock.refresh_from_db()
        docs.document_longer_period_notice(actor=actor, case=case, days=inquiry.longer_days, reason=inquiry.reasons,
                                           due_on=case.clock.due_date)
    audit_record(actor=actor, action="request.volume_decided", obj=case,
                 after={"inquiry": inquiry.pk, "decision": decision, "longer_days": inquiry.longer_days},
                 reason=inquiry.reasons)
    case_notify(case=case, action="request.volume_decided")
    step.complete()
    return inquiry


@step_service
def request_other_agency_consult(*, actor, case: DisclosureRequest, other_agency: str, matter: str,
                                 on: dt.date | None = None, sent_via: str = receipt_rules.BY_HAND,
                                 task=None) -> OtherAgencyConsultation:
    """Art. 34: letter to the other agency that made the information jointly; the clock is
    paused until it answers or its 15 working days have run."""
    step = Step.open(case, actor=actor, perm=HANDLE, node="handle", task=task)
    case = step.case
    if not (other_agency or "").strip() or not (matter or "").strip():
        raise ValidationError(ERR_OTHER_AGENCY)
    on = today(on)
    # Art. 34: 15 working days from the other agency's receipt (provisional until known)
    reply_due, provisional = notice_period(method=sent_via, sent_on=on, days=clock_rules.OTHER_AGENCY_REPLY_DAYS)
    consultation = OtherAgencyConsultation.objects.create(request=case, other_agency=other_agency.strip(),
                                                          matter=matter.strip(), letter_on=on, reply_due=reply_due,
                                                          sent_via=sent_via, created_by=actor)
    clock_services.clock_pause(actor=actor, clock=case.clock, pause_reason=clock_rules.PAUSE_OTHER_AGENCY, on=on,
                               reason=f"向{other_agency.strip()}征求意见")
    move(case, "consult_other_agency", actor=actor, action="request.other_agency_consulted", reason=matter.strip(),
         other_agency=other_agency.strip(), reply_due=reply_due)
    docs.document_other_agency_letter(actor=actor, case=case, other_agency=other_agency.strip(), matter=matter.strip(),
                                      reply_due=None if provisional else reply_due)
    step.complete(decision="other_agency")
    return consultation


@step_service
def request_other_agency_answer(*, actor, case: DisclosureRequest, answer: str, answer_text: str = "",
                                received_on: dt.date | None = None, task=None) -> OtherAgencyConsultation:
    """Record the other agency's answer; silence after its 15 working days counts as
    consent (Art. 34). The pause ends with the answer or the period, whichever is earlier."""
    step = Step.open(case, actor=actor, perm=HANDLE, node="other_agency_opinion", task=task)
    case = step.case
    consultation = case.other_agency_consultations.order_by("-id").first()
    received_on = today(received_on)
    if answer not in dict(OtherAgencyConsultation.ANSWERS):
        raise ValidationError(ERR_OPINION_REQUIRED)
    if answer == OtherAgencyConsultation.SILENT:
        _check_silence(consultation, received_on, letter="征求意见函", err_not_due=ERR_OTHER_AGENCY_NOT_DUE)
    consultation.answer, consultation.answer_text, consultation.answer_on = answer, answer_text.strip(), received_on
    consultation.save()
    _end_consultation_pause(case, consultation, actor=actor, pause_reason=clock_rules.PAUSE_OTHER_AGENCY,
                            answered_on=received_on, reason=f"{consultation.other_agency}意见：{consultation.get_answer_display()}")
    move(case, "end_consultation", actor=actor, action="request.other_agency_opinion", reason=answer_text.strip(),
         answer=answer)
    step.complete()
    return consultation


@step_service
def request_consultation_convene(*, actor, case: DisclosureRequest, participants: Iterable, question: str,
                                 task=None) -> Consultation:
    """The handler convenes a 会商: each participant gets a parallel opinion task."""
    step = Step.open(case, actor=actor, perm=HANDLE, node="handle", task=task)
    case = step.case
    people = [p for p in dict.fromkeys(participants) if p.pk != actor.pk]
    if not people or any(getattr(user_agency(p), "pk", None) != case.agency_id for p in people):
        raise ValidationError(ERR_NO_PARTICIPANTS)
    if not (question or "").strip():
        raise ValidationError(ERR_OPINION_REQUIRED)
    consultation = Consultation.objects.create(request=case, convener=actor, question=question.strip())
    for person in people:
        ConsultationOpinion.objects.create(consultation=consultation, participant=person)
    audit_record(actor=actor, action="request.consultation_convened", obj=case,
                 after={"consultation": consultation.pk, "participants": [p.pk for p in people]}, reason=question.strip())
    step.complete(decision="consult")
    return consultation


@step_service
def request_consultation_opinion(*, actor, case: DisclosureRequest, opinion: str, task=None) -> ConsultationOpinion:
    step = Step.open(case, actor=actor, perm=None, node="consult_opinion", task=task, item=actor.pk)
    case = step.case
    if not (opinion or "").strip():
        raise ValidationError(ERR_OPINION_REQUIRED)
    consultation = case.consultations.order_by("-id").first()
    row = consultation.opinions.get(participant=actor)
    row.opinion, row.given_at = opinion.strip(), timezone.now()
    row.save()
    audit_record(actor=actor, action="request.consultation_opinion", obj=case,
                 after={"consultation": consultation.pk, "opinion": row.pk}, reason=opinion.strip())
    step.complete()
    return row


@step_service
def request_consultation_decide(*, actor, case: DisclosureRequest, decision: str, place: str = "",
                                task=None) -> Consultation:
    step = Step.open(case, actor=actor, perm=HANDLE, node="consult_decide", task=task)
    case = step.case
    if not (decision or "").strip():
        raise ValidationError(ERR_OPINION_REQUIRED)
    consultation = case.consultations.order_by("-id").first()
    consultation.decision, consultation.decided_at = decision.strip(), timezone.now()
    consultation.save()
    opinions = [{"participant": actor_label(o.participant), "opinion": o.opinion,
                 "given_on": timezone.localtime(o.given_at).date() if o.given_at else None}
                for o in consultation.opinions.select_related("participant")]
    # 会商记录: when and where, who took part (the convener chairs and records), each opinion
    # attributed to its author.
    docs.document_consultation_record(actor=actor, case=case, question=consultation.question, opinions=opinions,
                                      decision=consultation.decision, convener=actor_label(consultation.convener),
                                      recorder=actor_label(actor), held_on=timezone.localtime(consultation.decided_at).date(),
                                      place=(place or "").strip() or CONSULTATION_IN_SYSTEM)
    audit_record(actor=actor, action="request.consultation_decided", obj=case,
                 after={"consultation": consultation.pk}, reason=decision.strip())
    step.complete()
    return consultation


def _extended_days(case) -> int:
    return sum(e.days for e in case.extensions.filter(approved=True))


@step_service
def request_extension_ask(*, actor, case: DisclosureRequest, days: int, reason: str, task=None) -> ExtensionRequest:
    step = Step.open(case, actor=actor, perm=HANDLE, node="handle", task=task)
    case = step.case
    days = int(days)
    if not 1 <= days <= clock_rules.MAX_EXTENSION_DAYS - _extended_days(case):
        raise ValidationError(ERR_EXTENSION_DAYS)
    if not (reason or "").strip():
        raise ValidationError(ERR_REASON_REQUIRED)
    if case.extensions.filter(approved__isnull=True).exists():
        raise ValidationError(ERR_EXTENSION_PENDING)
    state = clock_state(case.clock)
    if clock_rules.extension_too_late(state, local_today()):  # Art. 33(2): within the current period only
        raise ValidationError(ERR_EXTENSION_LATE.format(due=date_words(state.due_date)))
    ext = ExtensionRequest.objects.create(request=case, days=days, reason=reason.strip(), asked_by=actor)
    audit_record(actor=actor, action="request.extension_asked", obj=case, after={"extension": ext.pk, "days": days},
                 reason=reason.strip())
    step.complete(decision="extension")
    return ext


@step_service
def request_extension_decide(*, actor, case: DisclosureRequest, approve: bool, comment: str = "",
                             on: dt.date | None = None, task=None) -> ExtensionRequest:
    """The person in charge approves (clock extended, applicant notified) or refuses."""
    step = Step.open(case, actor=actor, perm=APPROVE, node="approve_extension", task=task)
    case = step.case
    ext = case.extensions.filter(approved__isnull=True).order_by("-id").first()
    on = today(on)
    if not approve and not (comment or "").strip():
        raise ValidationError(ERR_REASON_REQUIRED)
    ext.approved, ext.comment, ext.decided_by, ext.decided_on = bool(approve), comment.strip(), actor, on
    ext.save()
    if approve:
        clock_services.clock_extend(actor=actor, clock=case.clock, days=ext.days, on=on, reason=ext.reason)
        case.clock.refresh_from_db()
        docs.document_extension_notice(actor=actor, case=case, days=ext.days, reason=ext.reason, due_on=case.clock.due_date)
    audit_record(actor=actor, action="request.extension_approved" if approve else "request.extension_refused", obj=case,
                 after={"extension": ext.pk, "days": ext.days, "approved": bool(approve)}, reason=comment or ext.reason)
    step.complete()
    return ext


