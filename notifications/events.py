"""Who hears about a change to an application, and in what words. Called by the case
services inside their transaction, so a message exists exactly when the change does."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from agencies.roles import REGISTRAR

from .models import Message
from .services import message_enqueue

# action -> (subject, body template) for the applicant. Plain words, no internal names.
APPLICANT_MESSAGES = {
    "request.registered": ("申请已登记", "您的政府信息公开申请（查询号 {t}）已登记，收到申请之日为 {received}，答复期限为 {due}。"),
    "request.supplement_requested": ("请补正申请", "您的申请（查询号 {t}）需要补正，请在 {supplement_due} 前提交补正材料，逾期视为放弃申请。"),
    "request.supplement_lapsed": ("申请已终止", "您的申请（查询号 {t}）未在补正期限内补正，视为放弃申请。"),
    "request.third_party_consulted": ("正在征求第三方意见", "您的申请（查询号 {t}）需征求第三方意见，征求意见期间不计入答复期限。"),
    "request.extension_approved": ("答复期限延长", "您的申请（查询号 {t}）答复期限经批准延长，新的答复期限为 {due}。"),
    "request.fee_notified": ("信息处理费缴费通知", "您的申请（查询号 {t}）需缴纳信息处理费，请在 {fee_due} 前缴纳，逾期视为放弃申请。"),
    "request.fee_lapsed": ("申请已终止", "您的申请（查询号 {t}）未在期限内缴纳信息处理费，视为放弃申请。"),
    "request.reply_issued": ("答复书已出具", "您的申请（查询号 {t}）已作出答复，可凭查询号和查询码下载答复书。"),
    "request.withdrawn": ("申请已撤回", "您的申请（查询号 {t}）已撤回，不再办理。"),
}


def _fields(case) -> dict:
    clock = case.clock if case.clock_id else None
    return {
        "t": case.tracking_number,
        "received": case.received_on or "—",
        "due": clock.due_date if clock else "—",
        "supplement_due": case.supplement_due or "—",
        "fee_due": case.fee_due or "—",
    }


def notify_case_event(*, case, action: str) -> None:
    link = f"/cases/{case.tracking_number}/"
    message = APPLICANT_MESSAGES.get(action)
    if message:
        subject, body = message[0], message[1].format(**_fields(case))
        key = f"case:{case.pk}:{action}:{case.updated_at.isoformat() if case.updated_at else ''}"
        if case.email:
            message_enqueue(key=key + "|email", channel=Message.EMAIL, to_address=case.email, subject=subject,
                            body=body, agency=case.agency, obj=case, link=link)
        if case.phone and case.phone.replace(" ", "").startswith("1") and len(case.phone.replace(" ", "")) == 11:
            message_enqueue(key=key + "|sms", channel=Message.SMS, to_address=case.phone.replace(" ", ""),
                            subject=subject, body=body, agency=case.agency, obj=case)
    staff_link = reverse("workflow:case_detail", args=[case.pk])
    if action == "request.submitted" and case.channel == "online":
        registrars = get_user_model().objects.filter(staff_profile__agency=case.agency, groups__name=REGISTRAR,
                                                     is_active=True)
        for user in registrars:
            message_enqueue(key=f"case:{case.pk}:submitted:{user.pk}", channel=Message.INAPP, to_user=user,
                            subject=f"新的网上申请 {case.tracking_number}",
                            body=f"{case.applicant_name} 在网上提交了政府信息公开申请，请确认收到并登记。",
                            agency=case.agency, obj=case, link=staff_link)
    if action in ("request.routed", "request.reassigned") and case.handler_id:
        message_enqueue(key=f"case:{case.pk}:{action}:{case.handler_id}:{case.updated_at.isoformat()}",
                        channel=Message.INAPP, to_user=case.handler,
                        subject=f"新分配的申请 {case.registration_number or case.tracking_number}",
                        body=f"{case.applicant_name} 的申请已分配给您办理，答复期限 {_fields(case)['due']}。",
                        agency=case.agency, obj=case, link=staff_link)
