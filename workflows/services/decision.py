"""Decision and reply (条例 Art. 36–39): the handler decides every item, the
confidentiality reviewer clears it (Art. 17), the reply is drafted, signed off (审签)
and issued."""
from __future__ import annotations

import hashlib
import os
from typing import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import actor_label, audit_record
from documents.uploads import inspect_disclosed_file
from legal import outcomes as outcome_rules
from legal.selectors import local_today

from .. import paperwork as docs
from ..models import CaseNote, DisclosedFile, DisclosureRequest, Supplement
from ..selectors import similar_answered_cases
from ._step import APPROVE, ERR_REASON_REQUIRED, HANDLE, REVIEW, Step, lock_case, move, require, step_service

ERR_ITEM_OUTCOME_MISSING = "每一项所需信息都要作出处理决定。"
ERR_OUTCOME_NOT_CHOOSABLE = "“{label}”由流程自动产生，不能手工选择。"
ERR_OUTCOME_REASON = "“{label}”须写明理由和法律依据。"
ERR_PARTIAL_REASON = "部分公开须写明不予公开的部分及理由（条例第三十七条）。"
ERR_RIGHT_AGENCY = "不属于本机关负责公开的，须写明负责公开的机关（条例第三十六条第（五）项）。"
ERR_WHERE_PUBLISHED = "已主动公开的，须写明获取的方式和途径（条例第三十六条第（一）项）。"
ERR_UNCLEAR_NEEDS_SUPPLEMENT = ("“补正后申请内容仍不明确”只能用于已告知补正并收到补正材料的申请（条例第三十条）；"
                                "申请内容不明确的，应先一次性告知补正。")
ERR_VOLUME_NOT_ASSESSED = ("“无正当理由大量反复申请”只能在要求申请人说明理由、并认定理由不合理之后作出"
                           "（条例第三十五条）。")
ERR_REPEAT_CASE = "重复申请须选择该申请人此前已答复的相同申请（条例第三十六条第（六）项）。"
ERR_PUBLIC_INTEREST_NOTICE_FIRST = ("第三方不同意公开而本机关因公共利益决定公开的，须先签发并出具《政府信息公开告知第三方书》，"
                                    "书面告知第三方决定公开的内容和理由，然后才能签发公开的答复（条例第三十二条）。")
ERR_COMMENTS_REQUIRED = "退回须写明修改意见。"
ERR_DISCLOSED_ITEM = "答复附件只能对应决定公开或部分公开的申请事项。"
ERR_DISCLOSED_FILE_MISSING = ("第{n}项“{title}”决定公开，请上传公开的信息作为答复附件；"
                              "不能以文件提供的，请选择“当场查阅、抄录”并说明理由（条例第四十条）。")
ERR_PROVIDED_FORM = "请选择提供信息的形式。"
ERR_PROVIDED_FORM_REASON = "申请人要求以“{wanted}”形式获取，未按该形式提供的，须说明理由（条例第四十条）。"
INSPECTION = "inspection"
CONFIDENTIALITY_CLEARED = "经保密审查，不涉及国家秘密和工作秘密，同意按拟处理意见答复。"


def cn_today() -> str:
    today = local_today()
    return f"{today.year}年{today.month}月{today.day}日"


def _review_opinions(case: DisclosureRequest) -> list[dict]:
    """The opinions the person in charge signed over, for the 办理审批单: the latest
    confidentiality review, and each sign-off return before it."""
    roles = {"confidentiality_cleared": "保密审查意见", "confidentiality_returned": "保密审查退回意见",
             "sign_off_returned": "负责人退回意见"}
    notes = case.notes.filter(kind__in=roles).select_related("author").order_by("id")
    return [{"role": roles[n.kind], "name": actor_label(n.author), "opinion": n.text,
             "date": timezone.localtime(n.created_at).date().isoformat()} for n in notes]


def _attach_disclosed(case: DisclosureRequest, *, actor, attachments: Iterable, remove: Iterable) -> list[str]:
    """Store the disclosed files (checked by opening them) against the items they answer."""
    removed = list(DisclosedFile.objects.filter(request=case, pk__in=[int(pk) for pk in remove or ()]))
    for old in removed:
        transaction.on_commit(lambda name=old.file.name, storage=old.file.storage: storage.delete(name))
        old.delete()
    names = []
    items = {i.pk: i for i in case.items.all()}
    for item, f in attachments or ():
        item = items.get(getattr(item, "pk", None))  # as decided now, and of this case
        if item is None or item.outcome not in outcome_rules.PROVIDED_WITH_REPLY:
            raise ValidationError(ERR_DISCLOSED_ITEM)
        content_type = inspect_disclosed_file(f)
        f.seek(0)
        digest = hashlib.sha256(f.read()).hexdigest()
        f.seek(0)
        name = os.path.basename(getattr(f, "name", "") or "附件")[:255]
        DisclosedFile.objects.create(request=case, item=item, file=f, original_name=name, content_type=content_type,
                                     size=f.size, sha256=digest, uploaded_by=actor)
        names.append(name)
    return names


@step_service
def request_determine(*, actor, case: DisclosureRequest, decisions: list[dict], repeat_of: DisclosureRequest | None = None,
                      task=None) -> DisclosureRequest:
    """The handler decides every item (outcome code + reasoning); the case outcome follows
    from the items (`outcomes.case_outcome`); then confidentiality review."""
    step = Step.open(case, actor=actor, perm=HANDLE, node="handle", task=task)
    case = step.case
    items = {i.pk: i for i in case.items_in_order()}
    by_item = {int(d["item"]): d for d in decisions}
    if set(by_item) != set(items):
        raise ValidationError(ERR_ITEM_OUTCOME_MISSING)
    for pk, d in by_item.items():
        code = d.get("outcome") or ""
        rule = outcome_rules.OUTCOMES.get(code)
        if rule is None:
            raise ValidationError(ERR_ITEM_OUTCOME_MISSING)
        if code in outcome_rules.DECIDED_BY_PROCESS:
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
    if outcome_rules.UNREASONABLE_VOLUME in codes and not case.volume_inquiries.filter(
            decision="unreasonable").exists():
        # Art. 35: 不予处理 only after the applicant was asked for reasons and they were found unreasonable.
        raise ValidationError(ERR_VOLUME_NOT_ASSESSED)
    if outcome_rules.UNCLEAR_AFTER_SUPPLEMENT in codes:
        # Art. 30: "补正后申请内容仍不明确" presupposes a supplement asked for and received.
        if not Supplement.objects.filter(request=case, received_on__isnull=False).exists():
            raise ValidationError(ERR_UNCLEAR_NEEDS_SUPPLEMENT)
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
        item.save(update_fields=["outcome", "reasoning", "withheld_parts", "right_agency", "right_agency_contact",
                                 "where_published"])
    case.outcome = outcome_rules.case_outcome(codes).code
    case.repeat_of = repeat_of
    move(case, "determine", actor=actor, action="request.determined", outcome=case.outcome,
          items={str(pk): by_item[pk]["outcome"] for pk in items}, repeat_of=repeat_of.pk if repeat_of else None)
    step.complete(decision="determined")
    return case


@step_service
def request_confidentiality_clear(*, actor, case: DisclosureRequest, note: str = "", task=None) -> DisclosureRequest:
    step = Step.open(case, actor=actor, perm=REVIEW, node="confidentiality_review", task=task)
    case = step.case
    CaseNote.objects.create(request=case, kind="confidentiality_cleared", author=actor,
                            text=(note or "").strip() or CONFIDENTIALITY_CLEARED)
    move(case, "clear_confidentiality", actor=actor, action="request.confidentiality_cleared", reason=note)
    step.complete(decision="cleared")
    return case


@step_service
def request_confidentiality_return(*, actor, case: DisclosureRequest, reasons: str, task=None) -> DisclosureRequest:
    step = Step.open(case, actor=actor, perm=REVIEW, node="confidentiality_review", task=task)
    case = step.case
    if not (reasons or "").strip():
        raise ValidationError(ERR_REASON_REQUIRED)
    CaseNote.objects.create(request=case, kind="confidentiality_returned", text=reasons.strip(), author=actor)
    move(case, "send_back", actor=actor, action="request.confidentiality_returned", reason=reasons.strip())
    step.complete(decision="returned")
    return case


@step_service
def request_reply_draft(*, actor, case: DisclosureRequest, text: str = "", body: str = "", attachments: Iterable = (),
                        remove: Iterable = (), provided_form: str = "", provided_form_reason: str = "",
                        task=None) -> DisclosureRequest:
    """The reply is composed from the decided items (documents.content, one place);
    `text` is the handler's own remark added at its end (补充说明), if any; `body`, when
    given, is the whole body as the handler edited it from the generated text, and
    replaces it (the title, remedy sentence, legal basis and contact stay generated). The disclosed
    information is attached here (`files`, for `item`), listed in the reply as 附件 and
    delivered with it: `attachments` are (item, file) pairs. `provided_form` is how it is
    provided (Art. 40: as asked where possible, else another form with the reason)."""
    step = Step.open(case, actor=actor, perm=HANDLE, node="draft_reply", task=task)
    case = step.case
    # a redraft (after a return) records what it replaces
    was = {"note": case.reply_text, "provided_form": case.provided_form, "provided_form_reason": case.provided_form_reason,
           "attachments": list(DisclosedFile.objects.filter(request=case).values_list("original_name", "sha256"))}
    attached = _attach_disclosed(case, actor=actor, attachments=attachments, remove=remove)
    provided_form = provided_form or case.form_wanted
    if provided_form not in dict(DisclosureRequest.FORMS):
        raise ValidationError(ERR_PROVIDED_FORM)
    reason = (provided_form_reason or "").strip()
    if provided_form != case.form_wanted and not reason:
        raise ValidationError(ERR_PROVIDED_FORM_REASON.format(wanted=case.get_form_wanted_display()))
    case.provided_form, case.provided_form_reason = provided_form, reason if provided_form != case.form_wanted else ""
    if provided_form != INSPECTION:
        with_files = set(DisclosedFile.objects.filter(request=case).values_list("item_id", flat=True))
        for it in case.items.all():
            if it.outcome in outcome_rules.PROVIDED_WITH_REPLY and it.pk not in with_files:
                raise ValidationError(ERR_DISCLOSED_FILE_MISSING.format(n=it.position, title=it.title))
    body = (body or "").strip()
    case.reply_text = body or (text or "").strip()
    move(case, "submit_reply", actor=actor, action="request.reply_drafted", was=was, note=case.reply_text,
         provided_form=case.provided_form, attached=attached, **({"edited": True} if body else {}),
         attachments=list(DisclosedFile.objects.filter(request=case).values_list("original_name", "sha256")))
    if body:
        docs.document_reply_draft(actor=actor, case=case, body=body)
    else:
        docs.document_reply_draft(actor=actor, case=case, note=case.reply_text)
    step.complete()
    return case


@step_service
def request_sign_off(*, actor, case: DisclosureRequest, approve: bool, comments: str = "", task=None) -> DisclosureRequest:
    """审签: approve (the reply is issued next) or return to the handler with comments."""
    step = Step.open(case, actor=actor, perm=APPROVE, node="sign_off", task=task)
    case = step.case
    if approve:
        discloses = outcome_rules.OUTCOMES[case.outcome].discloses if case.outcome else False
        if discloses and docs.public_interest_notice_outstanding(case):
            # Art. 32: the third party is told in writing (what and why) before the reply discloses.
            raise ValidationError(ERR_PUBLIC_INTEREST_NOTICE_FIRST)
        docs.document_reply_sign(actor=actor, case=case)
        docs.document_approval_sheet(actor=actor, case=case, opinions=_review_opinions(case),
                                     approval=f"{(comments or '').strip() or '同意签发。'} {actor_label(actor)} "
                                              f"{cn_today()}")
        audit_record(actor=actor, action="request.signed_off", obj=case, after={"status": case.status}, reason=comments)
        step.complete(decision="signed")
    else:
        if not (comments or "").strip():
            raise ValidationError(ERR_COMMENTS_REQUIRED)
        CaseNote.objects.create(request=case, kind="sign_off_returned", text=comments.strip(), author=actor)
        move(case, "return_reply", actor=actor, action="request.reply_returned", reason=comments.strip())
        step.complete(decision="returned")
    return DisclosureRequest.objects.get(pk=case.pk)


@step_service
def request_reply_issue(*, actor, case: DisclosureRequest) -> DisclosureRequest:
    """Run by the flow right after sign-off: document number and PDF from the documents app."""
    case = lock_case(case)
    require(actor, case, "approve_request")
    case.issued_on = local_today()
    move(case, "issue", actor=actor, action="request.reply_issued", issued_on=case.issued_on)
    docs.document_reply_issue(actor=actor, case=case)
    return case
