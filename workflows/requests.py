"""Every state change of an application (依申请公开). One function per action,
`request_<action>(*, actor, case, ...)`, each one transaction that:

1. locks the case (its process row, then the case row, so concurrent steps queue up),
2. checks the actor (role permission, same agency, department scope, task ownership),
3. validates the input (errors are the module constants below, in Chinese),
4. moves the legal status (django_fsm, protected field), the clock and the records,
5. writes the audit event, and
6. completes the viewflow task, which creates the next step.

A failed step raises before anything is written, or rolls back with the transaction,
so the case stays exactly as it was. Flow nodes and views call these; nothing else
writes a case. `actor=None` is the system (timers).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, Iterable

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from agencies.models import Department
from agencies.roles import HANDLER, has_role
from agencies.selectors import user_agency
from audit.services import audit_record
from notifications.events import notify_case_event

from . import clock as clock_rules
from . import document_port as docs
from . import fees as fee_rules
from . import outcomes as outcome_rules
from . import receipt as receipt_rules
from . import services as clock_services
from .models import (
    CaseNote, Consultation, ConsultationOpinion, Delivery, DisclosureRequest, ExtensionRequest, FeeNotice,
    RegistrationCounter, RequestAttachment, RequestItem, RequestProcess, RequestStatus, Supplement,
    ThirdPartyConsultation,
)
from .selectors import case_visible_to, get_calendar, local_today, similar_answered_cases
from .transitions import BEFORE_REPLY

# --- messages (reused by the tests) ---------------------------------------------------------
ERR_NOT_ALLOWED = "您没有办理此项操作的权限。"
ERR_NOT_VISIBLE = "您无权查看或办理该申请（不属于您所在的机关或部门）。"
ERR_TASK_GONE = "该步骤已由他人办理完毕或已取消，请刷新页面查看最新状态。"
ERR_TASK_TAKEN = "该任务已由{name}认领，您不能办理。"
ERR_BUSY = "该申请正在由他人办理，请稍后重试。"
ERR_READ_ONLY = "该申请已归档或已终止，只能查看，不能再修改。"
ERR_NO_ITEMS = "请至少填写一项所需信息。"
ERR_ITEM_TITLE = "每一项所需信息都需要填写名称或特征描述。"
ERR_ONLINE_ONLY = "申请人只能通过互联网渠道自行提交申请；其他方式由登记人员代为录入。"
ERR_SIGNED_FOR_REQUIRED = "邮寄申请须填写签收日期（条例第三十一条第（二）项）。"
ERR_RECEIPT_FUTURE = "收到申请之日不能晚于今天。"
ERR_RECEIPT_BEFORE_SUBMISSION = "收到申请之日不能早于申请提交之日。"
ERR_DEPARTMENT = "承办部门必须属于本机关。"
ERR_HANDLER_DEPT = "承办人必须是该部门的承办人员。"
ERR_SUPPLEMENT_ONCE = "补正只能一次性告知，本申请已经告知过补正（条例第三十条）。"
ERR_SUPPLEMENT_LATE = "补正告知应当自收到申请之日起 7 个工作日内作出（条例第三十条），已超过 {due}。"
ERR_SUPPLEMENT_WHAT = "请写明需要补正的全部事项。"
ERR_SUPPLEMENT_DAYS = "补正期限应为 1 至 30 个工作日。"
ERR_SUPPLEMENT_LAPSED = "补正期限已于 {due} 届满，不能再登记补正材料。"
ERR_REASON_REQUIRED = "请填写理由。"
ERR_REASSIGN_TARGET = "只能改派给本机关的承办人员。"
ERR_THIRD_PARTY = "请填写第三方名称和征求意见的事项。"
ERR_THIRD_PARTY_NOT_DUE = "第三方答复期限（{due}）尚未届满，不能按逾期未答复处理。"
ERR_OVERRIDE_REASONS = "只有在第三方不同意公开时，才能以公共利益为由决定公开，且须写明理由（条例第三十二条）。"
ERR_OPINION_REQUIRED = "请填写意见。"
ERR_NO_PARTICIPANTS = "请至少选择一名会商参加人（不含召集人本人），且须为本机关工作人员。"
ERR_EXTENSION_DAYS = "延长期限应为 1 至 20 个工作日，且累计不得超过 20 个工作日（条例第三十三条第二款）。"
ERR_EXTENSION_PENDING = "已有待审批的延期申请。"
ERR_FEE_AMOUNT = "收费金额必须大于零，并写明收费依据和标准。"
ERR_NO_FEE_DUE = "本申请当前没有待缴纳的信息处理费。"
ERR_FEE_METHOD = "请选择计收方式（按件或按量）并填写页数或当月申请件数。"
ERR_FEE_MISMATCH = "按收费标准计算的金额为 {amount} 元，与填写的金额不一致。"
ERR_ITEM_OUTCOME_MISSING = "每一项所需信息都要作出处理决定。"
ERR_OUTCOME_NOT_CHOOSABLE = "“{label}”由流程自动产生，不能手工选择。"
ERR_OUTCOME_REASON = "“{label}”须写明理由和法律依据。"
ERR_PARTIAL_REASON = "部分公开须写明不予公开的部分及理由（条例第三十七条）。"
ERR_RIGHT_AGENCY = "不属于本机关负责公开的，须写明负责公开的机关（条例第三十六条第（五）项）。"
ERR_WHERE_PUBLISHED = "已主动公开的，须写明获取的方式和途径（条例第三十六条第（一）项）。"
ERR_REPEAT_CASE = "重复申请须选择该申请人此前已答复的相同申请（条例第三十六条第（六）项）。"
ERR_REPLY_TEXT = "请填写答复正文。"
ERR_COMMENTS_REQUIRED = "退回须写明修改意见。"
ERR_TRACKING_REQUIRED = "邮政寄送须填写邮件号码。"
ERR_DELIVERY_DATE = "送达日期不能早于出具答复之日，也不能晚于今天。"
ERR_CANNOT_WITHDRAW = "答复已经出具，不能再撤回申请。"

SUPPLEMENT_DEFAULT_DAYS = 15


# --- plumbing ------------------------------------------------------------------------------

def _flow():
    from .flows import DisclosureRequestFlow

    return DisclosureRequestFlow


def _process(case: DisclosureRequest) -> RequestProcess | None:
    return case.processes.order_by("-pk").first()


def _lock(case: DisclosureRequest) -> DisclosureRequest:
    """Lock the process row then the case row (the order viewflow's own views use), and
    return a fresh copy of the case. Concurrent steps on one case wait here."""
    process = _process(case)
    if process is not None:
        list(RequestProcess.objects.select_for_update().filter(pk=process.pk).values_list("pk", flat=True))
    return DisclosureRequest.objects.select_for_update().get(pk=case.pk)


def _require(actor, case: DisclosureRequest, perm: str | None) -> None:
    if actor is None:
        return
    if perm and not actor.has_perm(f"workflows.{perm}"):
        raise PermissionDenied(ERR_NOT_ALLOWED)
    if not case_visible_to(actor, case):
        raise PermissionDenied(ERR_NOT_VISIBLE)


def _require_open(case: DisclosureRequest) -> None:
    if case.is_read_only:
        raise ValidationError(ERR_READ_ONLY)


def _open_task(case: DisclosureRequest, node, *, actor=None, task=None, item=None) -> Task:
    """The live task of `node` on this case, checked for `actor`."""
    process = _process(case)
    if task is not None:
        task = Task.objects.filter(pk=task.pk).first() if task.status != STATUS.STARTED else task
    else:
        live = Task.objects.filter(process_id=getattr(process, "pk", None), flow_task=node,
                                   status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]).order_by("id")
        if item is not None:
            live = [t for t in live if (t.data or {}).get("item") == item]
        task = live[0] if live else None
    if task is None or task.status not in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED) or task.flow_task != node:
        raise ValidationError(ERR_TASK_GONE)
    if actor is not None:
        if task.status == STATUS.NEW:
            if not node.can_assign(actor, task):
                raise PermissionDenied(ERR_NOT_ALLOWED)
        elif task.owner_id != actor.pk:
            raise PermissionDenied(ERR_TASK_TAKEN.format(name=_name(task.owner)))
    return task


def _complete(task: Task, actor, *, decision: str | None = None) -> None:
    activation = task.flow_task.activation_class(task)
    activation.process.refresh_from_db()
    if decision is not None:
        activation.process.decision = decision
        activation.process.save(update_fields=["decision"])
    if task.status == STATUS.NEW:
        activation.assign(actor)
    if task.status == STATUS.ASSIGNED:
        activation.start(SimpleNamespace(user=actor))
    activation.execute()


def _name(user) -> str:
    if user is None:
        return "系统"
    return user.get_full_name() or user.get_username()


def _move(case: DisclosureRequest, transition: str, *, actor, action: str, reason: str = "", **after: Any) -> None:
    before = {"status": case.status}
    getattr(case, transition)()
    case.save()
    audit_record(actor=actor, action=action, obj=case, before=before, after={"status": case.status, **after}, reason=reason)
    notify_case_event(case=case, action=action)


def _today(on: dt.date | None) -> dt.date:
    return on or local_today()


def _add_workdays(start: dt.date, days: int) -> dt.date:
    return get_calendar().add_workdays(start, days)


def _node(name: str):
    return getattr(_flow(), name)


def _atomic_step(func):
    """`transaction.atomic`, and a viewflow lock failure becomes a message users can act on."""
    atomic = transaction.atomic(func)

    def wrapper(*args, **kwargs):
        try:
            return atomic(*args, **kwargs)
        except FlowLockFailed as exc:
            raise ValidationError(ERR_BUSY) from exc

    wrapper.__name__, wrapper.__doc__, wrapper.__wrapped__ = func.__name__, func.__doc__, func
    return wrapper


# --- intake --------------------------------------------------------------------------------

def _new_tracking_number() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        number = "".join(secrets.choice(alphabet) for _ in range(10))
        if not DisclosureRequest.objects.filter(tracking_number=number).exists():
            return number


@_atomic_step
def request_submit(*, actor, agency, applicant_type: str, applicant_name: str, id_type: str, id_number: str,
                   phone: str, channel: str, form_wanted: str, delivery_wanted: str, items: list[dict],
                   description: str = "", submitted_at: dt.datetime | None = None, applicant_user=None,
                   attachments: Iterable = (), **applicant: Any) -> tuple[DisclosureRequest, str]:
    """Create an application with its items and start its process (Art. 29). Online
    applicants submit for themselves (`actor` None or the applicant's account); every
    other channel is entered by a registrar of the agency. Returns the case and the
    plain access code (shown once; only its hash is kept)."""
    if channel == receipt_rules.ONLINE and (actor is None or actor == applicant_user or not user_agency(actor)):
        applicant_user = applicant_user or (actor if actor is not None and not user_agency(actor) else None)
    else:
        if actor is None or user_agency(actor) is None:
            raise PermissionDenied(ERR_ONLINE_ONLY)
        if not actor.has_perm("workflows.register_request") or user_agency(actor).pk != agency.pk:
            raise PermissionDenied(ERR_NOT_ALLOWED)
    items = [dict(i) for i in items or []]
    if not items:
        raise ValidationError(ERR_NO_ITEMS)
    if any(not (i.get("title") or "").strip() for i in items):
        raise ValidationError(ERR_ITEM_TITLE)
    code = secrets.token_hex(4).upper()
    case = DisclosureRequest(
        agency=agency, applicant_type=applicant_type, applicant_name=applicant_name, id_type=id_type,
        id_number=id_number, phone=phone, channel=channel, form_wanted=form_wanted, delivery_wanted=delivery_wanted,
        description=description, submitted_at=submitted_at or timezone.now(), applicant_user=applicant_user,
        tracking_number=_new_tracking_number(), access_code_hash=make_password(code), **applicant,
    )
    case.full_clean(exclude=["status"])  # protected FSM field: set only by transitions
    case.save()
    for position, item in enumerate(items, start=1):
        row = RequestItem(request=case, position=position, title=item["title"].strip(),
                          document_number=item.get("document_number", ""), description=item.get("description", ""))
        row.full_clean()
        row.save()
    stored = _store_attachments(case, attachments, RequestAttachment.APPLICATION)
    audit_record(actor=actor, action="request.submitted", obj=case, after={
        "status": case.status, "channel": channel, "items": len(items), "tracking_number": case.tracking_number,
        "attachments": stored})
    notify_case_event(case=case, action="request.submitted")
    _flow().start.run(case=case)
    return case, code


def _store_attachments(case: DisclosureRequest, files: Iterable, purpose: str) -> list[dict]:
    """Keep uploaded files (already checked by content type and size) with their digest."""
    stored = []
    for f in files or ():
        f.seek(0)
        digest = hashlib.sha256(f.read()).hexdigest()
        f.seek(0)
        content_type = getattr(f, "detected_content_type", None) or getattr(f, "content_type", "")
        row = RequestAttachment.objects.create(request=case, purpose=purpose, file=f, original_name=f.name[:255],
                                               content_type=content_type, size=f.size, sha256=digest)
        stored.append({"id": row.pk, "name": row.original_name, "sha256": digest})
    return stored


def _next_registration_number(agency, year: int) -> str:
    counter, _created = RegistrationCounter.objects.get_or_create(agency=agency, year=year)
    counter = RegistrationCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{counter.last:04d}"


@_atomic_step
def request_register(*, actor, case: DisclosureRequest, signed_for_on: dt.date | None = None,
                     confirmed_on: dt.date | None = None, task=None) -> DisclosureRequest:
    """The registrar confirms receipt: receipt date by Art. 31, registration number,
    the legal clock opens, the receipt is issued."""
    case = _lock(case)
    _require(actor, case, "register_request")
    task = _open_task(case, _node("register"), actor=actor, task=task)
    if case.channel == receipt_rules.POST and signed_for_on is None:
        raise ValidationError(ERR_SIGNED_FOR_REQUIRED)
    if case.channel in (receipt_rules.ORDINARY_MAIL, receipt_rules.ONLINE, receipt_rules.FAX, receipt_rules.EMAIL):
        confirmed_on = confirmed_on or local_today()
    received_on = receipt_rules.receipt_date(case.channel, submitted_at=case.submitted_at, signed_for_on=signed_for_on,
                                             confirmed_on=confirmed_on)
    if received_on > local_today():
        raise ValidationError(ERR_RECEIPT_FUTURE)
    if received_on < timezone.localtime(case.submitted_at).date():
        raise ValidationError(ERR_RECEIPT_BEFORE_SUBMISSION)
    case.received_on = received_on
    case.receipt_confirmed_at = timezone.now()
    case.registration_number = _next_registration_number(case.agency, received_on.year)
    case.clock = clock_services.clock_open(actor=actor, label=f"{case.registration_number} {case.applicant_name}",
                                           received_on=received_on, agency=case.agency,
                                           reason=case.receipt_rule)
    _move(case, "register", actor=actor, action="request.registered", reason=case.receipt_rule,
          registration_number=case.registration_number, received_on=received_on)
    docs.document_receipt(actor=actor, case=case)
    _complete(task, actor)
    return case


# --- completeness and supplement (Art. 30) --------------------------------------------------

@_atomic_step
def request_accept(*, actor, case: DisclosureRequest, department: Department, handler=None, task=None) -> DisclosureRequest:
    """The application is clear: route it to a department (and optionally a handler)."""
    case = _lock(case)
    _require(actor, case, "register_request")
    task = _open_task(case, _node("check_completeness"), actor=actor, task=task)
    if department.agency_id != case.agency_id:
        raise ValidationError(ERR_DEPARTMENT)
    if handler is not None and (not has_role(handler, HANDLER) or getattr(handler.staff_profile, "department_id", None) != department.pk):
        raise ValidationError(ERR_HANDLER_DEPT)
    case.department, case.handler = department, handler
    _move(case, "accept", actor=actor, action="request.routed", department=department.pk,
          handler=handler.pk if handler else None, reason=f"分送{department.name}办理")
    _complete(task, actor, decision="complete")
    return case


@_atomic_step
def request_supplement_notice(*, actor, case: DisclosureRequest, what: str, days: int = SUPPLEMENT_DEFAULT_DAYS,
                              on: dt.date | None = None, task=None) -> Supplement:
    """Tell the applicant once, all at once, what to supplement and by when (Art. 30)."""
    case = _lock(case)
    _require(actor, case, "register_request")
    task = _open_task(case, _node("check_completeness"), actor=actor, task=task)
    on = _today(on)
    if Supplement.objects.filter(request=case).exists():
        raise ValidationError(ERR_SUPPLEMENT_ONCE)
    if not (what or "").strip():
        raise ValidationError(ERR_SUPPLEMENT_WHAT)
    if not 1 <= int(days) <= 30:
        raise ValidationError(ERR_SUPPLEMENT_DAYS)
    latest = _add_workdays(case.received_on, clock_rules.SUPPLEMENT_NOTICE_DAYS)
    if on > latest:
        raise ValidationError(ERR_SUPPLEMENT_LATE.format(due=latest.isoformat()))
    due = _add_workdays(on, int(days))
    supplement = Supplement.objects.create(request=case, what=what.strip(), notice_on=on, days=days, due_on=due,
                                           created_by=actor)
    case.supplement_due = due
    _move(case, "ask_supplement", actor=actor, action="request.supplement_requested", reason=what.strip(),
          notice_on=on, supplement_due=due)
    docs.document_supplement_notice(actor=actor, case=case, what=what.strip(), due_on=due)
    _complete(task, actor, decision="supplement")
    return supplement


@_atomic_step
def request_supplement_receive(*, actor, case: DisclosureRequest, received_on: dt.date | None = None,
                               note: str = "", attachments: Iterable = (), task=None) -> DisclosureRequest:
    """The supplemented application arrived: the answer period counts anew from that day."""
    case = _lock(case)
    _require(actor, case, "register_request")
    task = _open_task(case, _node("wait_supplement"), actor=actor, task=task)
    received_on = _today(received_on)
    if received_on > local_today():
        raise ValidationError(ERR_RECEIPT_FUTURE)
    if received_on > case.supplement_due:
        raise ValidationError(ERR_SUPPLEMENT_LAPSED.format(due=case.supplement_due.isoformat()))
    Supplement.objects.filter(request=case).update(received_on=received_on, content=note)
    _store_attachments(case, attachments, RequestAttachment.SUPPLEMENT)
    clock_services.clock_restart(actor=actor, clock=case.clock, received_on=received_on,
                                 reason=note or "收到补正后的申请")
    _move(case, "receive_supplement", actor=actor, action="request.supplement_received", reason=note,
          received_on=received_on)
    _complete(task, actor)
    return case


@_atomic_step
def request_supplement_lapse(*, actor=None, case: DisclosureRequest) -> DisclosureRequest:
    """Timer: no supplement in time → deemed withdrawn, not processed (其他处理 1)."""
    case = _lock(case)
    on = local_today()
    _close(case, actor=actor, outcome=outcome_rules.LAPSED_SUPPLEMENT, on=on, transition="lapse_supplement",
           action="request.supplement_lapsed", reason=f"申请人未在 {case.supplement_due} 前补正，视为放弃申请（条例第三十条）")
    Supplement.objects.filter(request=case).update(lapsed_on=on)
    return case


def _close(case, *, actor, outcome: str, on: dt.date, transition: str, action: str, reason: str) -> None:
    case.outcome = outcome
    case.closed_on = on
    case.items.update(outcome=outcome)
    if case.clock and case.clock.is_open:
        clock_services.clock_stop(actor=actor, clock=case.clock, on=max(on, case.received_on or on), reason=reason)
    _move(case, transition, actor=actor, action=action, reason=reason, outcome=outcome)


# --- handler: claim, reassign ---------------------------------------------------------------

HANDLER_NODES = ("handle", "third_party_opinion", "consult_decide", "fee_wait", "draft_reply")


@_atomic_step
def request_task_claim(*, actor, case: DisclosureRequest, task) -> Task:
    """Claim a task from a queue (e.g. a handler from the department queue)."""
    case = _lock(case)
    _require(actor, case, None)
    _require_open(case)
    node = task.flow_task
    task = _open_task(case, node, task=task)
    if task.status != STATUS.NEW:
        raise ValidationError(ERR_TASK_TAKEN.format(name=_name(task.owner)))
    if not node.can_assign(actor, task):
        raise PermissionDenied(ERR_NOT_ALLOWED)
    activation = node.activation_class(task)
    activation.assign(actor)
    if node.name == "handle" and case.handler_id != actor.pk:
        case.handler = actor
        case.save(update_fields=["handler", "updated_at"])
    audit_record(actor=actor, action="request.task_claimed", obj=case, after={"task": task.pk, "step": node.name},
                 reason=str(node))
    return task


@_atomic_step
def request_reassign(*, actor, case: DisclosureRequest, to_user, reason: str) -> DisclosureRequest:
    """Give the case to another handler (and that handler's department), with a reason."""
    case = _lock(case)
    _require_open(case)
    if actor.pk != case.handler_id:
        _require(actor, case, "approve_request") if not actor.has_perm("workflows.register_request") else _require(actor, case, "register_request")
    else:
        _require(actor, case, "handle_request")
    if not (reason or "").strip():
        raise ValidationError(ERR_REASON_REQUIRED)
    profile = getattr(to_user, "staff_profile", None)
    if profile is None or profile.agency_id != case.agency_id or not to_user.has_perm("workflows.handle_request"):
        raise ValidationError(ERR_REASSIGN_TARGET)
    before = {"handler": case.handler_id, "department": case.department_id}
    old = case.handler
    case.handler, case.department = to_user, profile.department or case.department
    case.save(update_fields=["handler", "department", "updated_at"])
    flow = _flow()
    for task in Task.objects.filter(process__in=case.processes.values("pk"), status=STATUS.ASSIGNED):
        if task.flow_task.name in HANDLER_NODES and (old is None or task.owner_id == old.pk):
            activation = task.flow_task.activation_class(task)
            activation.reassign(user=to_user)
    for task in Task.objects.filter(process__in=case.processes.values("pk"), status=STATUS.NEW,
                                    flow_task=flow.handle):
        task.flow_task.activation_class(task).assign(to_user)
    CaseNote.objects.create(request=case, kind="reassigned", text=reason.strip(), author=actor)
    audit_record(actor=actor, action="request.reassigned", obj=case, before=before,
                 after={"handler": to_user.pk, "department": case.department_id}, reason=reason.strip())
    notify_case_event(case=case, action="request.reassigned")
    return case


# --- third-party consultation (Art. 32) -----------------------------------------------------

@_atomic_step
def request_third_party_consult(*, actor, case: DisclosureRequest, third_party: str, matter: str, address: str = "",
                                on: dt.date | None = None, task=None) -> ThirdPartyConsultation:
    """Letter to the third party; the clock is paused until the opinion is recorded."""
    case = _lock(case)
    _require(actor, case, "handle_request")
    task = _open_task(case, _node("handle"), actor=actor, task=task)
    if not (third_party or "").strip() or not (matter or "").strip():
        raise ValidationError(ERR_THIRD_PARTY)
    on = _today(on)
    reply_due = _add_workdays(on, clock_rules.THIRD_PARTY_REPLY_DAYS)
    consultation = ThirdPartyConsultation.objects.create(request=case, third_party=third_party.strip(), address=address,
                                                         matter=matter.strip(), letter_on=on, reply_due=reply_due,
                                                         created_by=actor)
    clock_services.clock_pause(actor=actor, clock=case.clock, pause_reason=clock_rules.PAUSE_THIRD_PARTY, on=on,
                               reason=f"向{third_party}征求意见")
    _move(case, "consult_third_party", actor=actor, action="request.third_party_consulted", reason=matter.strip(),
          third_party=third_party, reply_due=reply_due)
    docs.document_third_party_letter(actor=actor, case=case, third_party=third_party, matter=matter, reply_due=reply_due)
    _complete(task, actor, decision="third_party")
    return consultation


@_atomic_step
def request_third_party_opinion(*, actor, case: DisclosureRequest, opinion: str, opinion_text: str = "",
                                received_on: dt.date | None = None, public_interest_override: bool = False,
                                override_reasons: str = "", task=None) -> ThirdPartyConsultation:
    """Record the third party's answer (or its silence after 15 working days); the clock resumes."""
    case = _lock(case)
    _require(actor, case, "handle_request")
    task = _open_task(case, _node("third_party_opinion"), actor=actor, task=task)
    consultation = case.third_party_consultations.order_by("-id").first()
    received_on = _today(received_on)
    if opinion not in dict(ThirdPartyConsultation.OPINIONS):
        raise ValidationError(ERR_OPINION_REQUIRED)
    if opinion == ThirdPartyConsultation.SILENT and received_on <= consultation.reply_due:
        raise ValidationError(ERR_THIRD_PARTY_NOT_DUE.format(due=consultation.reply_due.isoformat()))
    if public_interest_override and (opinion != ThirdPartyConsultation.OBJECT or not override_reasons.strip()):
        raise ValidationError(ERR_OVERRIDE_REASONS)
    consultation.opinion, consultation.opinion_text, consultation.opinion_on = opinion, opinion_text, received_on
    consultation.public_interest_override, consultation.override_reasons = public_interest_override, override_reasons.strip()
    consultation.save()
    clock_services.clock_resume(actor=actor, clock=case.clock, pause_reason=clock_rules.PAUSE_THIRD_PARTY,
                                on=received_on, reason=f"第三方意见：{consultation.get_opinion_display()}")
    _move(case, "end_consultation", actor=actor, action="request.third_party_opinion",
          reason=override_reasons.strip() or opinion_text, opinion=opinion,
          public_interest_override=public_interest_override)
    if public_interest_override:
        docs.document_public_interest_notice(actor=actor, case=case, third_party=consultation.third_party,
                                             reasons=override_reasons.strip())
    _complete(task, actor)
    return consultation


# --- 会商 -----------------------------------------------------------------------------------

@_atomic_step
def request_consultation_convene(*, actor, case: DisclosureRequest, participants: Iterable, question: str,
                                 task=None) -> Consultation:
    """The handler convenes a 会商: each participant gets a parallel opinion task."""
    case = _lock(case)
    _require(actor, case, "handle_request")
    task = _open_task(case, _node("handle"), actor=actor, task=task)
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
    _complete(task, actor, decision="consult")
    return consultation


@_atomic_step
def request_consultation_opinion(*, actor, case: DisclosureRequest, opinion: str, task=None) -> ConsultationOpinion:
    case = _lock(case)
    _require(actor, case, None)
    task = _open_task(case, _node("consult_opinion"), actor=actor, task=task, item=actor.pk)
    if not (opinion or "").strip():
        raise ValidationError(ERR_OPINION_REQUIRED)
    consultation = case.consultations.order_by("-id").first()
    row = consultation.opinions.get(participant=actor)
    row.opinion, row.given_at = opinion.strip(), timezone.now()
    row.save()
    audit_record(actor=actor, action="request.consultation_opinion", obj=case,
                 after={"consultation": consultation.pk, "opinion": row.pk}, reason=opinion.strip())
    _complete(task, actor)
    return row


@_atomic_step
def request_consultation_decide(*, actor, case: DisclosureRequest, decision: str, task=None) -> Consultation:
    case = _lock(case)
    _require(actor, case, "handle_request")
    task = _open_task(case, _node("consult_decide"), actor=actor, task=task)
    if not (decision or "").strip():
        raise ValidationError(ERR_OPINION_REQUIRED)
    consultation = case.consultations.order_by("-id").first()
    consultation.decision, consultation.decided_at = decision.strip(), timezone.now()
    consultation.save()
    opinions = [{"participant": _name(o.participant), "opinion": o.opinion} for o in consultation.opinions.all()]
    docs.document_consultation_record(actor=actor, case=case, question=consultation.question, opinions=opinions,
                                      decision=consultation.decision)
    audit_record(actor=actor, action="request.consultation_decided", obj=case,
                 after={"consultation": consultation.pk}, reason=decision.strip())
    _complete(task, actor)
    return consultation


# --- extension (Art. 33(2)) -----------------------------------------------------------------

def _extended_days(case) -> int:
    return sum(e.days for e in case.extensions.filter(approved=True))


@_atomic_step
def request_extension_ask(*, actor, case: DisclosureRequest, days: int, reason: str, task=None) -> ExtensionRequest:
    case = _lock(case)
    _require(actor, case, "handle_request")
    task = _open_task(case, _node("handle"), actor=actor, task=task)
    days = int(days)
    if not 1 <= days <= clock_rules.MAX_EXTENSION_DAYS - _extended_days(case):
        raise ValidationError(ERR_EXTENSION_DAYS)
    if not (reason or "").strip():
        raise ValidationError(ERR_REASON_REQUIRED)
    if case.extensions.filter(approved__isnull=True).exists():
        raise ValidationError(ERR_EXTENSION_PENDING)
    ext = ExtensionRequest.objects.create(request=case, days=days, reason=reason.strip(), asked_by=actor)
    audit_record(actor=actor, action="request.extension_asked", obj=case, after={"extension": ext.pk, "days": days},
                 reason=reason.strip())
    _complete(task, actor, decision="extension")
    return ext


@_atomic_step
def request_extension_decide(*, actor, case: DisclosureRequest, approve: bool, comment: str = "",
                             on: dt.date | None = None, task=None) -> ExtensionRequest:
    """The person in charge approves (clock extended, applicant notified) or refuses."""
    case = _lock(case)
    _require(actor, case, "approve_request")
    task = _open_task(case, _node("approve_extension"), actor=actor, task=task)
    ext = case.extensions.filter(approved__isnull=True).order_by("-id").first()
    on = _today(on)
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
    _complete(task, actor)
    return ext


# --- fee (Art. 42) --------------------------------------------------------------------------

@_atomic_step
def request_fee_notice(*, actor, case: DisclosureRequest, amount: Decimal | None = None, basis: str = "",
                       method: str = "", quantity: int | None = None, on: dt.date | None = None,
                       task=None) -> FeeNotice:
    """Fee notice (Art. 42). With `method` and `quantity` (pages, or the applicant's n-th
    application this month) the amount follows from the bands in workflows/fees.py."""
    case = _lock(case)
    _require(actor, case, "handle_request")
    task = _open_task(case, _node("handle"), actor=actor, task=task)
    if method:
        if method not in dict(fee_rules.METHODS) or not quantity or int(quantity) < 1:
            raise ValidationError(ERR_FEE_METHOD)
        computed = (fee_rules.fee_per_page(int(quantity)) if method == fee_rules.PER_PAGE
                    else fee_rules.fee_for_nth_application(int(quantity)))
        if amount not in (None, "") and Decimal(amount) != computed:
            raise ValidationError(ERR_FEE_MISMATCH.format(amount=computed))
        amount = computed
        basis = basis.strip() or f"{fee_rules.METHOD_BASIS}。{fee_rules.fee_standard_text(method)}"
    amount = Decimal(amount or 0)
    if amount <= 0 or not (basis or "").strip():
        raise ValidationError(ERR_FEE_AMOUNT)
    on = _today(on)
    due = _add_workdays(on, clock_rules.FEE_PAYMENT_DAYS)
    notice = FeeNotice.objects.create(request=case, amount=amount, basis=basis.strip(), notice_on=on, due_on=due)
    case.fee_due = due
    clock_services.clock_pause(actor=actor, clock=case.clock, pause_reason=clock_rules.PAUSE_FEE, on=on)
    _move(case, "ask_fee", actor=actor, action="request.fee_notified", reason=basis.strip(), amount=amount, fee_due=due)
    docs.document_fee_notice(actor=actor, case=case, amount=str(amount), basis=basis.strip(), due_on=due)
    _complete(task, actor, decision="fee")
    return notice


@_atomic_step
def request_fee_paid(*, actor, case: DisclosureRequest, paid_on: dt.date | None = None, task=None) -> FeeNotice:
    case = _lock(case)
    _require(actor, case, "handle_request")
    task = _open_task(case, _node("fee_wait"), actor=actor, task=task)
    paid_on = _today(paid_on)
    notice = case.fee_notices.order_by("-id").first()
    notice.paid_on = paid_on
    notice.save(update_fields=["paid_on"])
    clock_services.clock_resume(actor=actor, clock=case.clock, pause_reason=clock_rules.PAUSE_FEE, on=paid_on)
    _move(case, "fee_paid", actor=actor, action="request.fee_paid", paid_on=paid_on)
    _complete(task, actor)
    return notice


@_atomic_step
def request_fee_lapse(*, actor=None, case: DisclosureRequest) -> DisclosureRequest:
    case = _lock(case)
    on = local_today()
    case.fee_notices.filter(paid_on__isnull=True).update(lapsed_on=on)
    _close(case, actor=actor, outcome=outcome_rules.LAPSED_FEE, on=on, transition="lapse_fee",
           action="request.fee_lapsed", reason=f"申请人未在 {case.fee_due} 前缴纳信息处理费，视为放弃申请（条例第四十二条）")
    return case


@_atomic_step
def request_fee_decline(*, actor, case: DisclosureRequest, on: dt.date | None = None) -> DisclosureRequest:
    """The applicant declines to pay: not processed further, counted like a lapsed fee
    notice (Art. 42; 其他处理 2). Open tasks are cancelled."""
    case = _lock(case)
    if actor is None or not (case.applicant_user_id and actor.pk == case.applicant_user_id):
        _require(actor, case, "handle_request")
    if case.status != RequestStatus.AWAITING_FEE:
        raise ValidationError(ERR_NO_FEE_DUE)
    on = _today(on)
    for process in case.processes.exclude(status__in=[PROCESS.DONE, PROCESS.CANCELED]):
        _cancel_process(process)
    case.fee_notices.filter(paid_on__isnull=True).update(lapsed_on=on)
    _close(case, actor=actor, outcome=outcome_rules.LAPSED_FEE, on=on, transition="lapse_fee",
           action="request.fee_declined", reason="申请人表示不缴纳信息处理费，不再处理其申请（条例第四十二条）")
    return case


# --- determination (Art. 36–39) -------------------------------------------------------------

CHOOSABLE_OUTCOMES = [(code, label) for code, label in outcome_rules.CHOICES
                      if code not in (outcome_rules.LAPSED_SUPPLEMENT, outcome_rules.LAPSED_FEE)]


@_atomic_step
def request_determine(*, actor, case: DisclosureRequest, decisions: list[dict], repeat_of: DisclosureRequest | None = None,
                      task=None) -> DisclosureRequest:
    """The handler decides every item (outcome code + reasoning); the case outcome follows
    from the items (`outcomes.case_outcome`); then confidentiality review."""
    case = _lock(case)
    _require(actor, case, "handle_request")
    task = _open_task(case, _node("handle"), actor=actor, task=task)
    items = {i.pk: i for i in case.items.all()}
    by_item = {int(d["item"]): d for d in decisions}
    if set(by_item) != set(items):
        raise ValidationError(ERR_ITEM_OUTCOME_MISSING)
    for pk, d in by_item.items():
        code = d.get("outcome") or ""
        rule = outcome_rules.OUTCOMES.get(code)
        if rule is None:
            raise ValidationError(ERR_ITEM_OUTCOME_MISSING)
        if code in (outcome_rules.LAPSED_SUPPLEMENT, outcome_rules.LAPSED_FEE):
            raise ValidationError(ERR_OUTCOME_NOT_CHOOSABLE.format(label=rule.label))
        reasoning = (d.get("reasoning") or "").strip()
        if code == "2" and not (d.get("withheld_parts") or "").strip():
            raise ValidationError(ERR_PARTIAL_REASON)
        if code in outcome_rules.NEEDS_AGENCY and not (d.get("right_agency") or "").strip():
            raise ValidationError(ERR_RIGHT_AGENCY)
        if code in outcome_rules.NEEDS_LOCATION and not (d.get("where_published") or "").strip():
            raise ValidationError(ERR_WHERE_PUBLISHED)
        if not rule.discloses and code not in outcome_rules.NEEDS_AGENCY and code != outcome_rules.REPEAT and not reasoning:
            raise ValidationError(ERR_OUTCOME_REASON.format(label=rule.label))
    codes = [by_item[pk]["outcome"] for pk in sorted(items)]
    if outcome_rules.REPEAT in codes:
        if repeat_of is None or repeat_of.pk not in {c.pk for c in similar_answered_cases(case, threshold=0.0)}:
            raise ValidationError(ERR_REPEAT_CASE)
    else:
        repeat_of = None
    for pk, item in items.items():
        d = by_item[pk]
        item.outcome = d["outcome"]
        item.reasoning = (d.get("reasoning") or "").strip()
        item.withheld_parts = (d.get("withheld_parts") or "").strip()
        item.right_agency = (d.get("right_agency") or "").strip()
        item.right_agency_contact = (d.get("right_agency_contact") or "").strip()
        item.where_published = (d.get("where_published") or "").strip()
        item.save()
    case.outcome = outcome_rules.case_outcome(codes).code
    case.repeat_of = repeat_of
    _move(case, "determine", actor=actor, action="request.determined", outcome=case.outcome,
          items={str(pk): by_item[pk]["outcome"] for pk in items}, repeat_of=repeat_of.pk if repeat_of else None)
    _complete(task, actor, decision="determined")
    return case


# --- confidentiality review (Art. 17), reply, sign-off, issue, delivery, archive ------------

@_atomic_step
def request_confidentiality_clear(*, actor, case: DisclosureRequest, note: str = "", task=None) -> DisclosureRequest:
    case = _lock(case)
    _require(actor, case, "review_confidentiality")
    task = _open_task(case, _node("confidentiality_review"), actor=actor, task=task)
    _move(case, "clear_confidentiality", actor=actor, action="request.confidentiality_cleared", reason=note)
    _complete(task, actor, decision="cleared")
    return case


@_atomic_step
def request_confidentiality_return(*, actor, case: DisclosureRequest, reasons: str, task=None) -> DisclosureRequest:
    case = _lock(case)
    _require(actor, case, "review_confidentiality")
    task = _open_task(case, _node("confidentiality_review"), actor=actor, task=task)
    if not (reasons or "").strip():
        raise ValidationError(ERR_REASON_REQUIRED)
    CaseNote.objects.create(request=case, kind="confidentiality_returned", text=reasons.strip(), author=actor)
    _move(case, "send_back", actor=actor, action="request.confidentiality_returned", reason=reasons.strip())
    _complete(task, actor, decision="returned")
    return case


@_atomic_step
def request_reply_draft(*, actor, case: DisclosureRequest, text: str, task=None) -> DisclosureRequest:
    case = _lock(case)
    _require(actor, case, "handle_request")
    task = _open_task(case, _node("draft_reply"), actor=actor, task=task)
    if not (text or "").strip():
        raise ValidationError(ERR_REPLY_TEXT)
    case.reply_text = text.strip()
    _move(case, "submit_reply", actor=actor, action="request.reply_drafted")
    docs.document_reply_draft(actor=actor, case=case, text=case.reply_text)
    _complete(task, actor)
    return case


@_atomic_step
def request_sign_off(*, actor, case: DisclosureRequest, approve: bool, comments: str = "", task=None) -> DisclosureRequest:
    """审签: approve (the reply is issued next) or return to the handler with comments."""
    case = _lock(case)
    _require(actor, case, "approve_request")
    task = _open_task(case, _node("sign_off"), actor=actor, task=task)
    if approve:
        docs.document_reply_sign(actor=actor, case=case)
        audit_record(actor=actor, action="request.signed_off", obj=case, after={"status": case.status}, reason=comments)
        _complete(task, actor, decision="signed")
    else:
        if not (comments or "").strip():
            raise ValidationError(ERR_COMMENTS_REQUIRED)
        CaseNote.objects.create(request=case, kind="sign_off_returned", text=comments.strip(), author=actor)
        _move(case, "return_reply", actor=actor, action="request.reply_returned", reason=comments.strip())
        _complete(task, actor, decision="returned")
    return DisclosureRequest.objects.get(pk=case.pk)


@_atomic_step
def request_reply_issue(*, actor, case: DisclosureRequest) -> DisclosureRequest:
    """Run by the flow right after sign-off: document number and PDF from the documents app."""
    case = _lock(case)
    _require(actor, case, "approve_request")
    case.issued_on = local_today()
    _move(case, "issue", actor=actor, action="request.reply_issued", issued_on=case.issued_on)
    docs.document_reply_issue(actor=actor, case=case)
    return case


@_atomic_step
def request_delivery_record(*, actor, case: DisclosureRequest, method: str, delivered_on: dt.date,
                            tracking_number: str = "", proof: str = "", task=None) -> Delivery:
    """送达: the reply counts as made on this day (signed for, or posted); the clock stops."""
    case = _lock(case)
    _require(actor, case, "register_request")
    task = _open_task(case, _node("deliver"), actor=actor, task=task)
    if method not in dict(Delivery.METHODS):
        raise ValidationError(ERR_OPINION_REQUIRED)
    if method == Delivery.POST and not (tracking_number or "").strip():
        raise ValidationError(ERR_TRACKING_REQUIRED)
    if delivered_on > local_today() or (case.issued_on and delivered_on < case.issued_on):
        raise ValidationError(ERR_DELIVERY_DATE)
    delivery = Delivery.objects.create(request=case, method=method, delivered_on=delivered_on,
                                       tracking_number=(tracking_number or "").strip(), proof=proof, recorded_by=actor)
    case.delivered_on = case.closed_on = delivered_on
    clock_services.clock_stop(actor=actor, clock=case.clock, on=delivered_on,
                              reason=f"答复已送达（{delivery.get_method_display()}）")
    _move(case, "deliver", actor=actor, action="request.delivered", method=method, delivered_on=delivered_on,
          tracking_number=delivery.tracking_number)
    docs.document_service_proof(actor=actor, case=case, method=method, delivered_on=delivered_on,
                                tracking_number=delivery.tracking_number)
    _complete(task, actor)
    return delivery


@_atomic_step
def request_archive(*, actor, case: DisclosureRequest, task=None) -> DisclosureRequest:
    case = _lock(case)
    _require(actor, case, "register_request")
    task = _open_task(case, _node("archive"), actor=actor, task=task)
    _move(case, "archive", actor=actor, action="request.archived")
    _complete(task, actor)
    docs.document_case_file(actor=actor, case=case)
    return case


# --- withdrawal -----------------------------------------------------------------------------

@_atomic_step
def request_withdraw(*, actor, case: DisclosureRequest, reason: str = "", on: dt.date | None = None) -> DisclosureRequest:
    """The applicant withdraws (in the portal, or in writing entered by a registrar) at any
    point before the reply: open tasks are cancelled, the clock stops (其他处理 3)."""
    case = _lock(case)
    if actor is None or not (case.applicant_user_id and actor.pk == case.applicant_user_id):
        _require(actor, case, "register_request")
    if case.status not in BEFORE_REPLY:
        raise ValidationError(ERR_CANNOT_WITHDRAW)
    on = _today(on)
    for process in case.processes.exclude(status__in=[PROCESS.DONE, PROCESS.CANCELED]):
        _cancel_process(process)
    case.outcome = outcome_rules.OTHER
    case.closed_on = on
    if case.clock and case.clock.is_open:
        clock_services.clock_stop(actor=actor, clock=case.clock, on=max(on, case.received_on), reason="申请人撤回申请")
    _move(case, "withdraw", actor=actor, action="request.withdrawn", reason=reason or "申请人撤回申请", outcome=case.outcome)
    return case


def _cancel_process(process: RequestProcess) -> None:
    for task in process.task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED]):
        activation = task.flow_task.activation_class(task)
        cancel = getattr(activation, "cancel", None)
        if cancel is not None and cancel.can_proceed():
            cancel()
        else:
            task.status, task.finished = STATUS.CANCELED, timezone.now()
            task.save(update_fields=["status", "finished"])
    process.status, process.finished = PROCESS.CANCELED, timezone.now()
    process.save(update_fields=["status", "finished"])
