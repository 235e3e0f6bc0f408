"""Reconsideration and litigation (行政复议 / 行政诉讼) against the agency's handling of a
case: registered when the copy of the application or complaint arrives (the answer's last
day computed by `legal.remedy.answer_due`), the answer recorded, the result recorded,
the papers attached. Each service checks the actor's permission and agency (and
department for a case they may not see), and writes its audit event on the case (so the
case's story tells it) in the same transaction."""
from __future__ import annotations

import datetime as dt
import hashlib
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from agencies.selectors import user_agency
from audit.services import audit_record
from documents.uploads import inspect_disclosed_file
from legal import remedy as rules
from legal.selectors import get_calendar, local_today

from ..models import DisclosureRequest, RemedyDocument, RemedyProceeding
from ..selectors import case_visible_to
from ._step import ERR_NOT_ALLOWED, ERR_NOT_VISIBLE

MANAGE = "workflows.manage_remedy"

ERR_REMEDY_KIND = "请选择行政复议或行政诉讼。"
ERR_REMEDY_CASE = "请选择所涉的政府信息公开申请（本机关作为复议机关共同被告的除外）。"
ERR_REMEDY_FIELDS = "请填写行政复议机关或人民法院、申请人或原告。"
ERR_REMEDY_RECEIVED = "收到申请书或起诉状副本之日不能晚于今天。"
ERR_REMEDY_FOLLOWS = "经复议后起诉的，所链接的应是本机关同一申请的行政复议。"
ERR_REMEDY_FOLLOWS_KIND = "只有行政诉讼才能是“经复议后起诉”。"
ERR_REMEDY_CO_DEFENDANT = "只有行政诉讼才可能以复议机关身份作为共同被告。"
ERR_REMEDY_ANSWERED_ON = "提交答复或答辩状之日不能早于收到副本之日，也不能晚于今天。"
ERR_REMEDY_ANSWERED = "已登记提交答复或答辩状，不能重复登记。"
ERR_REMEDY_RESULT = "请选择结果：维持、纠正或其他结果。"
ERR_REMEDY_RESULT_ON = "审结日期不能早于收到副本之日，也不能晚于今天。"
ERR_REMEDY_CONCLUDED = "该案已登记审结结果，不能再修改。"
ERR_REMEDY_DOCUMENT_TITLE = "请填写文书名称，并选择文件。"


def _require(actor, proceeding: RemedyProceeding | None = None):
    if actor is None or not actor.has_perm(MANAGE):
        raise PermissionDenied(ERR_NOT_ALLOWED)
    agency = user_agency(actor)
    if agency is None:
        raise PermissionDenied(ERR_NOT_ALLOWED)
    if proceeding is not None and not RemedyProceeding.objects.filter(pk=proceeding.pk).visible_to(actor).exists():
        raise PermissionDenied(ERR_NOT_VISIBLE)
    return agency


def _locked(proceeding: RemedyProceeding) -> RemedyProceeding:
    return RemedyProceeding.objects.select_for_update().get(pk=proceeding.pk)


def _record(actor, action: str, proceeding: RemedyProceeding, *, before=None, after=None, reason: str = ""):
    """On the case when there is one (the case's story tells it), else on the proceeding."""
    after = {"proceeding": proceeding.pk, "remedy_kind": proceeding.kind, **(after or {})}
    obj = proceeding.case if proceeding.case_id else proceeding
    audit_record(actor=actor, action=action, obj=obj, agency=proceeding.agency, before=before, after=after,
                 reason=reason)


@transaction.atomic
def remedy_register(*, actor, kind: str, received_on: dt.date, applicant: str, case: DisclosureRequest | None = None,
                    body: str = "", case_number: str = "", after_reconsideration: bool = False,
                    follows: RemedyProceeding | None = None, co_defendant: bool = False) -> RemedyProceeding:
    """Register a reconsideration or lawsuit when the copy of the application (complaint)
    is received; the answer's last day follows from the law, never typed. The body or court
    defaults to the agency's settings (the ones its replies name)."""
    agency = _require(actor)
    if kind not in rules.KIND_LABELS:
        raise ValidationError(ERR_REMEDY_KIND)
    if co_defendant and kind != rules.LITIGATION:
        raise ValidationError(ERR_REMEDY_CO_DEFENDANT)
    if case is None and not co_defendant:
        raise ValidationError(ERR_REMEDY_CASE)
    if case is not None and (case.agency_id != agency.pk or not case_visible_to(actor, case)):
        raise PermissionDenied(ERR_NOT_VISIBLE)
    if follows is not None:
        if kind != rules.LITIGATION:
            raise ValidationError(ERR_REMEDY_FOLLOWS_KIND)
        if follows.kind != rules.RECONSIDERATION or follows.agency_id != agency.pk or follows.case_id != getattr(
                case, "pk", None):
            raise ValidationError(ERR_REMEDY_FOLLOWS)
        after_reconsideration = True
    if after_reconsideration and kind != rules.LITIGATION:
        raise ValidationError(ERR_REMEDY_FOLLOWS_KIND)
    body = (body or "").strip() or (agency.reconsideration_body if kind == rules.RECONSIDERATION else agency.court)
    applicant = (applicant or "").strip()
    if not body or not applicant:
        raise ValidationError(ERR_REMEDY_FIELDS)
    if received_on is None or received_on > local_today():
        raise ValidationError(ERR_REMEDY_RECEIVED)
    calendar = get_calendar()
    due = rules.answer_due(kind, received_on, calendar)
    proceeding = RemedyProceeding(
        agency=agency, department_id=case.department_id if case else None, case=case, kind=kind, body=body[:200],
        case_number=(case_number or "").strip()[:100], applicant=applicant[:200], received_on=received_on,
        answer_due=due, answer_due_provisional=calendar.span_is_provisional(received_on, due),
        after_reconsideration=bool(after_reconsideration), follows=follows, co_defendant=bool(co_defendant),
        created_by=actor)
    proceeding.full_clean()
    proceeding.save()
    _record(actor, "remedy.registered", proceeding,
            after={"received_on": received_on, "answer_due": due, "body": proceeding.body,
                   "case_number": proceeding.case_number, "after_reconsideration": proceeding.after_reconsideration,
                   "co_defendant": proceeding.co_defendant},
            reason=f"{rules.KIND_LABELS[kind]}：{proceeding.body}，{rules.APPLICANT_LABELS[kind]}{applicant}")
    return proceeding


@transaction.atomic
def remedy_answer_record(*, actor, proceeding: RemedyProceeding, answered_on: dt.date) -> RemedyProceeding:
    """The agency's written answer (答复 / 答辩状) was submitted on `answered_on`."""
    _require(actor, proceeding)
    proceeding = _locked(proceeding)
    if proceeding.answered_on is not None:
        raise ValidationError(ERR_REMEDY_ANSWERED)
    if answered_on is None or answered_on < proceeding.received_on or answered_on > local_today():
        raise ValidationError(ERR_REMEDY_ANSWERED_ON)
    proceeding.answered_on = answered_on
    proceeding.save(update_fields=["answered_on"])
    late = answered_on > proceeding.answer_due
    _record(actor, "remedy.answered", proceeding, before={"answered_on": None},
            after={"answered_on": answered_on, "answer_due": proceeding.answer_due, "late": late},
            reason="超过期限提交" if late else "")
    return proceeding


@transaction.atomic
def remedy_result_record(*, actor, proceeding: RemedyProceeding, result: str, result_on: dt.date,
                         detail: str = "") -> RemedyProceeding:
    """The decision or judgment: 维持, 纠正 or 其他结果 (the groups of 表四), on `result_on`."""
    _require(actor, proceeding)
    proceeding = _locked(proceeding)
    if proceeding.result:
        raise ValidationError(ERR_REMEDY_CONCLUDED)
    if result not in dict(rules.RESULTS):
        raise ValidationError(ERR_REMEDY_RESULT)
    if result_on is None or result_on < proceeding.received_on or result_on > local_today():
        raise ValidationError(ERR_REMEDY_RESULT_ON)
    proceeding.result, proceeding.result_on, proceeding.result_detail = result, result_on, (detail or "").strip()[:300]
    proceeding.save(update_fields=["result", "result_on", "result_detail"])
    _record(actor, "remedy.concluded", proceeding, before={"remedy_result": ""},
            after={"remedy_result": result, "result_on": result_on}, reason=proceeding.result_detail)
    return proceeding


@transaction.atomic
def remedy_document_attach(*, actor, proceeding: RemedyProceeding, title: str, file) -> RemedyDocument:
    """Keep a paper of the proceeding, after opening it to check it is what it says."""
    _require(actor, proceeding)
    title = (title or "").strip()
    if not title or file is None:
        raise ValidationError(ERR_REMEDY_DOCUMENT_TITLE)
    content_type = inspect_disclosed_file(file)
    file.seek(0)
    digest = hashlib.sha256(file.read()).hexdigest()
    file.seek(0)
    name = os.path.basename(getattr(file, "name", "") or title)[:255]
    document = RemedyDocument.objects.create(proceeding=proceeding, title=title[:200], file=file, original_name=name,
                                             content_type=content_type, size=file.size, sha256=digest,
                                             uploaded_by=actor)
    _record(actor, "remedy.document_attached", proceeding, after={"title": document.title, "sha256": digest},
            reason=document.title)
    return document


def remedy_deadlines_recompute(*, actor, reason: str, calendar=None) -> int:
    """After a calendar change (inside its transaction): every answer still owed is
    recomputed by the law; each moved deadline gets an audit event saying why."""
    from django.db import connection

    if RemedyProceeding._meta.db_table not in connection.introspection.table_names():
        return 0  # the calendar is loaded by a migration that runs before this table exists
    calendar = calendar or get_calendar()
    moved = 0
    for p in RemedyProceeding.objects.filter(answered_on__isnull=True, result="").select_related("agency", "case"):
        due = rules.answer_due(p.kind, p.received_on, calendar)
        provisional = calendar.span_is_provisional(p.received_on, due)
        if (due, provisional) == (p.answer_due, p.answer_due_provisional):
            continue
        before = p.answer_due
        p.answer_due, p.answer_due_provisional = due, provisional
        p.save(update_fields=["answer_due", "answer_due_provisional"])
        _record(actor, "remedy.deadline_moved", p, before={"answer_due": before}, after={"answer_due": due},
                reason=reason)
        moved += 1
    return moved
