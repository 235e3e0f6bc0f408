"""Each step of the application process after routing, as an action endpoint.

An action calls the same service as the staff page, with the same checks and messages:
the key's account acts in the roles its administrator granted (api.services), and the
services check its permission, agency and department as for a person. Task assignment
follows viewflow: the action finds the open task of its step on the case and, when it
waits in a queue and the account may take it, claims it (`request_task_claim`, as 认领
in the staff UI) before the service completes it. Claim and step are one transaction:
a refused step leaves the task where it was.

A step the case is not at answers 409 with the service's message; a role the account
lacks answers 403; nothing is changed either way."""
from __future__ import annotations

import base64
import binascii

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows import services as svc
from workflows.models import DisclosureRequest, FeeNotice, OtherAgencyConsultation, Supplement, ThirdPartyConsultation
from workflows.services._step import LIVE, latest_process, request_flow
from workflows.services.decision import ERR_DISCLOSED_ITEM
from workflows.services.handling import ERR_NO_PARTICIPANTS, ERR_REASSIGN_TARGET
from workflows.services.receipts import request_notice_receipt

from . import serializers as s
from .views import CaseAction, problems

ERR_FILE_BASE64 = "附件“{name}”的内容不是有效的 Base64 编码。"
ERR_REPEAT_OF = "重复申请所对应的申请不存在或不属于本机关。"
ERR_NOTICE = "没有找到该文书记录。"


def _people(case, ids):
    """Users of the case's agency named by id; an id outside it is refused like a wrong choice."""
    found = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids, staff_profile__agency=case.agency_id)}
    return [found.get(pk) for pk in ids]


def take_task(actor, case, node_name: str):
    """The open task of `node_name` on the case. One waiting in a queue is claimed for the
    actor when viewflow lets them take it (the claim service checks and records it); one
    the actor may not take is left for the step's service to refuse. None when the case
    is not at that step (the service then says so)."""
    node = getattr(request_flow(), node_name)
    process = latest_process(case)
    task = (Task.objects.filter(process_id=getattr(process, "pk", None), flow_task=node, status__in=LIVE)
            .order_by("id").first())
    if task is not None and task.status == STATUS.NEW and node.can_assign(actor, task):
        task = svc.request_task_claim(actor=actor, case=case, task=task)
    return task


class StepAction(CaseAction):
    """`node`: the flow step whose open task the action completes (None: a service that
    is not a task, e.g. withdrawal). `call` runs the service."""

    node: str | None = None

    def call(self, actor, case, data: dict, task):  # pragma: no cover - each action defines it
        raise NotImplementedError

    def run(self, request, case, data):
        with transaction.atomic():
            task = take_task(request.user, case, self.node) if self.node else None
            self.call(request.user, case, data, task)

    def post(self, request, pk: int):
        return super().post(request, pk)


def action(summary: str, description: str, input_class):
    """Documents the action in OpenAPI (Chinese and English) and names its input."""
    def wrap(cls):
        cls.input_class = input_class
        return extend_schema_view(post=extend_schema(
            summary=summary, description=description, request=input_class,
            responses={200: s.ApplicationOut, **problems(400, 401, 403, 404, 409, 422)}))(cls)
    return wrap


# --- 承办: the handler's choices at the `handle` step ------------------------------------------

@action("作出处理决定 / decide every item",
        "承办人对每一项所需信息作出处理决定（结果代码、理由和依据），然后转保密审查（条例第三十六条）。 / "
        "The handler decides every item (outcome code, reasons, legal basis); then confidentiality review (Art. 36).",
        s.DetermineInput)
class DetermineAction(StepAction):
    node = "handle"

    def call(self, actor, case, data, task):
        repeat_of = None
        if data.get("repeat_of"):
            repeat_of = DisclosureRequest.objects.filter(pk=data["repeat_of"], agency=case.agency_id).first()
            if repeat_of is None:
                raise ValidationError(ERR_REPEAT_OF)
        svc.request_determine(actor=actor, case=case, decisions=[dict(d) for d in data["decisions"]],
                              repeat_of=repeat_of, task=task)


@action("征求第三方意见 / consult a third party",
        "向第三方发出征求意见书，暂停计算答复期限，直至记录第三方意见（条例第三十二条）。 / "
        "Sends the letter to a third party; the clock pauses until the opinion is recorded (Art. 32).",
        s.ThirdPartyConsultInput)
class ThirdPartyConsultAction(StepAction):
    node = "handle"

    def call(self, actor, case, data, task):
        svc.request_third_party_consult(actor=actor, case=case, third_party=data["third_party"], matter=data["matter"],
                                        address=data["address"], task=task,
                                        **({"sent_via": data["sent_via"]} if data["sent_via"] else {}))


@action("记录第三方意见 / record the third party's opinion",
        "记录第三方的意见（或逾期未答复），恢复计时；第三方不同意而因公共利益决定公开的，须写明理由（条例第三十二条）。 / "
        "Records the opinion (or silence after the period); the clock resumes. Disclosure over an objection "
        "needs public-interest reasons (Art. 32).",
        s.ThirdPartyOpinionInput)
class ThirdPartyOpinionAction(StepAction):
    node = "third_party_opinion"

    def call(self, actor, case, data, task):
        svc.request_third_party_opinion(actor=actor, case=case, task=task, **data)


@action("征求其他机关意见 / consult another agency",
        "向共同制作信息的其他机关发出征求意见函，暂停计时（条例第三十四条）。 / "
        "Sends a letter to the agency that made the information jointly; the clock pauses (Art. 34).",
        s.OtherAgencyConsultInput)
class OtherAgencyConsultAction(StepAction):
    node = "handle"

    def call(self, actor, case, data, task):
        svc.request_other_agency_consult(actor=actor, case=case, other_agency=data["other_agency"],
                                         matter=data["matter"], task=task,
                                         **({"sent_via": data["sent_via"]} if data["sent_via"] else {}))


@action("记录其他机关意见 / record the other agency's answer",
        "记录其他机关的意见；15 个工作日内未答复的视为同意（条例第三十四条）。 / "
        "Records the answer; silence after 15 working days counts as consent (Art. 34).",
        s.OtherAgencyAnswerInput)
class OtherAgencyAnswerAction(StepAction):
    node = "other_agency_opinion"

    def call(self, actor, case, data, task):
        svc.request_other_agency_answer(actor=actor, case=case, task=task, **data)


@action("要求申请人说明理由 / ask the applicant for reasons",
        "申请数量、频次明显超过合理范围的，要求申请人说明理由（条例第三十五条）。 / "
        "Asks the applicant to explain a volume clearly beyond reason (Art. 35).",
        s.VolumeReasonsInput)
class VolumeReasonsAction(StepAction):
    node = "handle"

    def call(self, actor, case, data, task):
        svc.request_volume_reasons_ask(actor=actor, case=case, question=data["question"], task=task)


@action("认定申请人说明的理由 / decide on the applicant's reasons",
        "理由不合理的，可作出不予处理的决定；理由合理但无法按期答复的，确定延迟答复的合理期限（条例第三十五条）。 / "
        "Unreasonable: the handler may then decline; reasonable but too large: a longer period is set (Art. 35).",
        s.VolumeDecideInput)
class VolumeDecideAction(StepAction):
    node = "volume_decide"

    def call(self, actor, case, data, task):
        svc.request_volume_decide(actor=actor, case=case, task=task, **data)


@action("召集会商 / convene a consultation",
        "承办人召集本机关工作人员会商，每名参加人各得一项出具意见的任务。 / "
        "The handler convenes colleagues; each participant gets a task to give an opinion.",
        s.ConsultationInput)
class ConsultationAction(StepAction):
    node = "handle"

    def call(self, actor, case, data, task):
        people = _people(case, data["participants"])
        if None in people:
            raise ValidationError(ERR_NO_PARTICIPANTS)
        svc.request_consultation_convene(actor=actor, case=case, participants=people, question=data["question"],
                                         task=task)


@action("出具会商意见 / give a consultation opinion",
        "会商参加人出具本人的意见（只能办理分配给本账户的意见任务）。 / "
        "A participant gives their opinion (only the task assigned to this account).",
        s.ConsultationOpinionInput)
class ConsultationOpinionAction(StepAction):
    node = None  # each participant's own task: the service finds it by the actor

    def call(self, actor, case, data, task):
        svc.request_consultation_opinion(actor=actor, case=case, opinion=data["opinion"])


@action("记录会商结论 / record the consultation's conclusion",
        "汇总意见后，承办人记录会商结论并生成会商记录。 / "
        "Once every opinion is in, the handler records the conclusion; the record of the consultation is made.",
        s.ConsultationDecideInput)
class ConsultationDecideAction(StepAction):
    node = "consult_decide"

    def call(self, actor, case, data, task):
        svc.request_consultation_decide(actor=actor, case=case, decision=data["decision"], place=data["place"],
                                        task=task)


@action("申请延期 / ask to extend the period",
        "需要延长答复期限的，承办人提出，经负责人同意（条例第三十三条第二款，累计不超过 20 个工作日）。 / "
        "The handler asks for an extension, to be approved by the person in charge (Art. 33(2), ≤20 working days).",
        s.ExtensionAskInput)
class ExtensionAskAction(StepAction):
    node = "handle"

    def call(self, actor, case, data, task):
        svc.request_extension_ask(actor=actor, case=case, days=data["days"], reason=data["reason"], task=task)


@action("审批延期 / decide on the extension",
        "负责人同意（延长期限并告知申请人）或不同意（须写明意见）。 / "
        "The person in charge approves (period extended, applicant told) or refuses (with a comment).",
        s.ApproveInput)
class ExtensionDecideAction(StepAction):
    node = "approve_extension"

    def call(self, actor, case, data, task):
        svc.request_extension_decide(actor=actor, case=case, approve=data["approve"], comment=data["comment"],
                                     task=task)


@action("发出收费通知 / send the fee notice",
        "按收费标准收取信息处理费的，发出收费通知，暂停计时（条例第四十二条，国办函〔2020〕109号）。 / "
        "Sends the fee notice; the clock pauses (Art. 42; State Council Office letter 2020 No. 109).",
        s.FeeNoticeInput)
class FeeNoticeAction(StepAction):
    node = "handle"

    def call(self, actor, case, data, task):
        svc.request_fee_notice(actor=actor, case=case, amount=data["amount"], basis=data["basis"],
                               method=data["method"], quantity=data["quantity"], sent_via=data["sent_via"], task=task)


@action("登记缴费 / record the payment",
        "工作人员核实到账后登记缴费，恢复计时。 / Staff record the payment after checking it; the clock resumes.",
        s.FeePaidInput)
class FeePaidAction(StepAction):
    node = "fee_wait"

    def call(self, actor, case, data, task):
        svc.request_fee_paid(actor=actor, case=case, paid_on=data["paid_on"], task=task)


@action("申请人不缴费 / the applicant declines to pay",
        "申请人表示不缴纳信息处理费的，不再处理其申请（其他处理 2）。 / "
        "The applicant declines to pay: the application is not processed further.",
        s.DayInput)
class FeeDeclineAction(StepAction):
    def call(self, actor, case, data, task):
        svc.request_fee_decline(actor=actor, case=case, on=data["on"])


# --- review, reply, sign-off, delivery -----------------------------------------------------

@action("保密审查 / confidentiality review",
        "保密审查员通过（转拟写答复）或退回承办人（须写明理由）。 / "
        "The reviewer clears the decision (reply drafting next) or returns it to the handler with reasons.",
        s.ConfidentialityInput)
class ConfidentialityAction(StepAction):
    node = "confidentiality_review"

    def call(self, actor, case, data, task):
        if data["decision"] == "clear":
            svc.request_confidentiality_clear(actor=actor, case=case, note=data["reasons"], task=task)
        else:
            svc.request_confidentiality_return(actor=actor, case=case, reasons=data["reasons"], task=task)


def _uploads(case, files):
    items = {i.pk: i for i in case.items.all()}
    out = []
    for f in files:
        try:
            content = base64.b64decode(f["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(ERR_FILE_BASE64.format(name=f["name"])) from None
        item = items.get(f["item"])
        if item is None:
            raise ValidationError(ERR_DISCLOSED_ITEM)
        out.append((item, SimpleUploadedFile(f["name"], content)))
    return out


@action("拟写答复 / draft the reply",
        "答复由各项处理决定生成；可附补充说明和公开的信息（答复附件，Base64）。 / "
        "The reply is composed from the decided items; a remark and the disclosed files (base64) may be added.",
        s.ReplyDraftInput)
class ReplyDraftAction(StepAction):
    node = "draft_reply"

    def call(self, actor, case, data, task):
        svc.request_reply_draft(actor=actor, case=case, text=data["text"], attachments=_uploads(case, data["attachments"]),
                                remove=data["remove"], provided_form=data["provided_form"],
                                provided_form_reason=data["provided_form_reason"], task=task)


@action("审签 / sign off the reply",
        "负责人签发（随即出具答复、编号并生成 PDF）或退回修改（须写明意见）。 / "
        "The person in charge signs (the reply is issued, numbered and rendered) or returns it with comments.",
        s.SignOffInput)
class SignOffAction(StepAction):
    node = "sign_off"

    def call(self, actor, case, data, task):
        svc.request_sign_off(actor=actor, case=case, approve=data["approve"], comments=data["comments"], task=task)


@action("登记送达 / record delivery",
        "答复自送达之日视为作出：登记送达方式和日期，停止计时，生成送达回证。 / "
        "The reply counts as made on the day served: method and day recorded, the clock stops.",
        s.DeliveryInput)
class DeliveryAction(StepAction):
    node = "deliver"

    def call(self, actor, case, data, task):
        svc.request_delivery_record(actor=actor, case=case, task=task, **data)


@action("归档 / archive", "材料齐全后归档，归档后只读，生成卷宗。 / Files the case (read-only afterwards); the case file is built.",
        s.EmptyInput)
class ArchiveAction(StepAction):
    node = "archive"

    def call(self, actor, case, data, task):
        svc.request_archive(actor=actor, case=case, task=task)


@action("签发终止处理告知书 / sign the notice of closure",
        "补正或缴费期限届满后，负责人签发终止处理告知书。 / "
        "After a supplement or fee period lapsed, the person in charge signs the notice of closure.",
        s.ClosureSignOffInput)
class ClosureSignOffAction(StepAction):
    node = "closure_sign_off"

    def call(self, actor, case, data, task):
        svc.request_closure_sign_off(actor=actor, case=case, comments=data["comments"], task=task)


@action("送达终止处理告知书 / record delivery of the notice of closure",
        "登记终止处理告知书的送达，申请保持终止状态。 / Records how the notice of closure was served.",
        s.DeliveryInput)
class ClosureDeliveryAction(StepAction):
    node = "closure_deliver"

    def call(self, actor, case, data, task):
        svc.request_closure_delivery(actor=actor, case=case, task=task, **data)


# --- outside the task list -------------------------------------------------------------------

@action("申请人撤回申请 / the applicant withdraws",
        "登记申请人书面撤回申请（出具答复前）：取消未办任务，停止计时，出具撤回确认（其他处理 3）。 / "
        "Records a withdrawal in writing before the reply: open tasks cancelled, clock stopped, confirmation issued.",
        s.WithdrawInput)
class WithdrawAction(StepAction):
    def call(self, actor, case, data, task):
        svc.request_withdraw(actor=actor, case=case, reason=data["reason"], on=data["on"])


@action("改派承办人 / reassign the handler",
        "将申请改派给本机关另一名承办人（及其部门），须写明理由。 / "
        "Gives the case to another handler of the agency (and their department), with a reason.",
        s.ReassignInput)
class ReassignAction(StepAction):
    def call(self, actor, case, data, task):
        (to_user,) = _people(case, [data["to_user"]])
        if to_user is None:
            raise ValidationError(ERR_REASSIGN_TARGET)
        svc.request_reassign(actor=actor, case=case, to_user=to_user, reason=data["reason"])


NOTICE_MODELS = {"supplement": Supplement, "fee": FeeNotice, "third_party": ThirdPartyConsultation,
                 "other_agency": OtherAgencyConsultation}


@action("登记文书签收日期 / record the day a notice was signed for",
        "补正告知书、收费通知书、征求意见书（函）的期限自对方签收之日起算；登记后期限不再是暂定。 / "
        "A notice's period counts from the day it was signed for; recording it makes the period final.",
        s.NoticeReceiptInput)
class NoticeReceiptAction(StepAction):
    def call(self, actor, case, data, task):
        notice = NOTICE_MODELS[data["kind"]].objects.filter(pk=data["notice"], request=case).first()
        if notice is None:
            raise ValidationError(ERR_NOTICE)
        request_notice_receipt(actor=actor, case=case, notice=notice, received_on=data["received_on"],
                               proof=data["proof"])


# (slug, view): the URL of each action under /api/applications/<id>/
ACTIONS = [
    ("determine", DetermineAction), ("third-party-consult", ThirdPartyConsultAction),
    ("third-party-opinion", ThirdPartyOpinionAction), ("other-agency-consult", OtherAgencyConsultAction),
    ("other-agency-answer", OtherAgencyAnswerAction), ("volume-reasons", VolumeReasonsAction),
    ("volume-decide", VolumeDecideAction), ("consultation", ConsultationAction),
    ("consultation-opinion", ConsultationOpinionAction), ("consultation-decide", ConsultationDecideAction),
    ("extension-request", ExtensionAskAction), ("extension-decide", ExtensionDecideAction),
    ("fee-notice", FeeNoticeAction), ("fee-paid", FeePaidAction), ("fee-declined", FeeDeclineAction),
    ("confidentiality-review", ConfidentialityAction), ("reply-draft", ReplyDraftAction),
    ("sign-off", SignOffAction), ("delivery", DeliveryAction), ("archive", ArchiveAction),
    ("closure-sign-off", ClosureSignOffAction), ("closure-delivery", ClosureDeliveryAction),
    ("withdraw", WithdrawAction), ("reassign", ReassignAction), ("notice-receipt", NoticeReceiptAction),
]
