"""The record of a case told in sentences for the case page: "2026年12月2日 10:05
登记人员李登记确认收到申请并登记". Each recorded action of the case names who did it (by the
part they play in the process, then their name) and what happened, in words."""
from __future__ import annotations

from viewflow.workflow.models import Task

from audit.labels import action_label
from audit.models import AuditEvent
from audit.services import READ_ACTIONS

REGISTRAR, HANDLER, REVIEWER, CHIEF, PARTICIPANT = "登记人员", "承办人", "保密审查人员", "负责人", "会商参加人"

# action: (who does it, what they did)
SENTENCES: dict[str, tuple[str, str]] = {
    "request.registered": (REGISTRAR, "确认收到申请并登记"),
    "request.routed": (REGISTRAR, "审查申请内容明确，交承办部门办理"),
    "request.reassigned": (CHIEF, "改派承办人"),
    "request.task_claimed": ("", "领取了办理任务"),
    "request.supplement_requested": (REGISTRAR, "告知申请人补正申请"),
    "request.supplement_received": (REGISTRAR, "收到申请人的补正材料，答复期限重新起算"),
    "request.supplement_lapsed": ("", "确认申请人逾期未补正，视为放弃申请"),
    "request.notice_received": (REGISTRAR, "登记了文书的签收"),
    "request.third_party_consulted": (HANDLER, "书面征求第三方意见，答复期限暂停计算"),
    "request.third_party_opinion": (HANDLER, "记录第三方的意见，答复期限恢复计算"),
    "request.other_agency_consulted": (HANDLER, "书面征求其他机关意见，答复期限暂停计算"),
    "request.other_agency_opinion": (HANDLER, "记录其他机关的意见，答复期限恢复计算"),
    "request.consultation_convened": (HANDLER, "组织会商"),
    "request.consultation_opinion": (PARTICIPANT, "出具会商意见"),
    "request.consultation_decided": (HANDLER, "记录会商结论"),
    "request.extension_asked": (HANDLER, "申请延长答复期限"),
    "request.extension_approved": (CHIEF, "同意延长答复期限"),
    "request.extension_refused": (CHIEF, "不同意延长答复期限"),
    "request.volume_reasons_asked": (HANDLER, "要求申请人说明申请理由"),
    "request.volume_decided": (HANDLER, "对申请人说明的理由作出认定"),
    "request.fee_notified": (HANDLER, "通知申请人缴纳信息处理费，答复期限暂停计算"),
    "request.fee_paid": (HANDLER, "确认申请人已缴纳信息处理费，答复期限恢复计算"),
    "request.fee_declined": (HANDLER, "记录申请人不缴纳信息处理费"),
    "request.fee_lapsed": ("", "确认申请人逾期未缴费，视为放弃申请"),
    "request.fee_payment_claimed": ("申请人", "在网上告知已缴费"),
    "request.determined": (HANDLER, "逐项作出处理决定"),
    "request.confidentiality_cleared": (REVIEWER, "审查通过，同意公开"),
    "request.confidentiality_returned": (REVIEWER, "退回承办人重新处理"),
    "request.reply_drafted": (HANDLER, "拟写答复书"),
    "request.reply_returned": (CHIEF, "退回答复书要求修改"),
    "request.signed_off": (CHIEF, "审签同意出具答复书"),
    "request.reply_issued": (CHIEF, "签发，出具答复书"),
    "request.delivered": (REGISTRAR, "送达答复书"),
    "request.closure_signed_off": (CHIEF, "审签同意出具终止处理告知书"),
    "request.closure_issued": (CHIEF, "签发，出具终止处理告知书"),
    "request.closure_delivered": (REGISTRAR, "送达终止处理告知书"),
    "request.withdrawn": ("", "记录申请人撤回申请"),
    "request.archived": (REGISTRAR, "归档，案件办结"),
    "request.urged": (CHIEF, "催办"),
    "request.imported": ("", "从台账导入申请"),
}


def _who(event: AuditEvent, role: str, case) -> str:
    if event.actor_id is None and event.actor_label in ("", "系统"):
        return "系统"
    if role == "申请人" or (case.applicant_user_id and event.actor_id == case.applicant_user_id):
        return f"申请人{case.applicant_name}"
    return f"{role}{event.actor_label}"


def _submitted(event: AuditEvent, case) -> str:
    if event.actor_id is None or event.actor_id == case.applicant_user_id:
        return f"申请人{case.applicant_name}通过网上提交申请"
    return f"登记人员{event.actor_label}录入申请人{case.applicant_name}{case.get_channel_display()}的申请"


def event_sentence(event: AuditEvent, case, step_titles: dict | None = None) -> str:
    if event.action == "request.submitted":
        return _submitted(event, case)
    if event.action == "request.task_claimed":
        title = (step_titles or {}).get((event.after or {}).get("task")) or "办理"
        return f"{_who(event, '', case)}领取了“{title}”任务"
    role, did = SENTENCES.get(event.action, ("", action_label(event.action)))
    sentence = f"{_who(event, role, case)}{did}"
    if event.action == "request.registered" and (event.after or {}).get("registration_number"):
        sentence += f"（登记号 {event.after['registration_number']}）"
    return sentence


def case_story(case) -> list[AuditEvent]:
    """The case's recorded actions (readings left out), oldest first, each with its
    `sentence`."""
    events = list(AuditEvent.objects.filter(object_type="workflows.disclosurerequest", object_id=str(case.pk))
                  .exclude(action__in=READ_ACTIONS).order_by("id"))
    claimed = [(e.after or {}).get("task") for e in events if e.action == "request.task_claimed"]
    titles = {t.pk: str(t.flow_task.task_title or "") for t in Task.objects.filter(pk__in=[pk for pk in claimed if pk])}
    for event in events:
        event.sentence = event_sentence(event, case, titles)
        event.label = action_label(event.action)
        if event.action == "request.task_claimed":
            event.reason = ""  # the step is in the sentence
    return events
