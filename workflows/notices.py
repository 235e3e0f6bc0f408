"""Who hears about a change to an application, and in what words (the case decides who
is told; the outbox in `notifications` only delivers). Called by the case services
inside their transaction, so a message exists exactly when the change does."""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse

from agencies.roles import REGISTRAR
from legal.dates import date_words
from notifications.models import Message
from notifications.services import message_enqueue


@dataclass(frozen=True)
class Wording:
    """What the applicant reads about one event of their case: the line of the portal
    timeline, and (where they are told by e-mail/SMS) the message."""

    timeline: str
    subject: str = ""
    body: str = ""  # format fields: see `_fields`


# The one table of applicant-facing wording. Events not listed (reviews, 会商,
# assignments, opinions) are internal and never shown to the applicant.
APPLICANT_WORDING: dict[str, Wording] = {
    "request.submitted": Wording("申请已提交"),
    "request.registered": Wording(
        "本机关已确认收到并登记", "申请已登记",
        "您的政府信息公开申请（查询号 {t}）已登记，收到申请之日为 {received}，答复期限为 {due}。"),
    "request.supplement_requested": Wording(
        "本机关告知需要补正申请", "请补正申请",
        "您的申请（查询号 {t}）需要补正，请在 {supplement_due} 前提交补正材料，逾期视为放弃申请。"),
    "request.supplement_received": Wording("已收到补正材料，答复期限重新计算"),
    "request.supplement_lapsed": Wording(
        "逾期未补正，申请视为放弃", "申请已终止", "您的申请（查询号 {t}）未在补正期限内补正，视为放弃申请。"),
    "request.third_party_consulted": Wording(
        "正在征求第三方意见，答复期限暂停计算", "正在征求第三方意见",
        "您的申请（查询号 {t}）需征求第三方意见，征求意见期间不计入答复期限。"),
    "request.third_party_opinion": Wording("第三方意见征询结束，恢复计算答复期限"),
    "request.other_agency_consulted": Wording(
        "正在征求其他机关意见，答复期限暂停计算", "正在征求其他机关意见",
        "您的申请（查询号 {t}）需征求其他机关意见，征求意见期间不计入答复期限。"),
    "request.volume_reasons_asked": Wording(
        "本机关要求您说明申请理由", "请说明申请理由",
        "您的申请（查询号 {t}）数量、频次明显超过合理范围，请按说明理由通知书的要求说明理由。"),
    "request.volume_decided": Wording("本机关已对您说明的理由作出认定"),
    "request.other_agency_opinion": Wording("其他机关意见征询结束，恢复计算答复期限"),
    "request.extension_approved": Wording(
        "经负责人同意延长答复期限", "答复期限延长", "您的申请（查询号 {t}）答复期限经批准延长，新的答复期限为 {due}。"),
    "request.fee_notified": Wording(
        "本机关发出收费通知", "信息处理费缴费通知",
        "您的申请（查询号 {t}）需缴纳信息处理费，请在 {fee_due} 前缴纳，逾期视为放弃申请。"),
    "request.fee_payment_claimed": Wording("您告知已缴费，待本机关核实到账"),
    "request.fee_paid": Wording("已确认缴费，恢复计算答复期限"),
    "request.fee_declined": Wording("您放弃缴费，申请视为放弃"),
    "request.fee_lapsed": Wording(
        "逾期未缴费，申请视为放弃", "申请已终止", "您的申请（查询号 {t}）未在期限内缴纳信息处理费，视为放弃申请。"),
    "request.closure_issued": Wording(
        "已出具终止处理告知书", "终止处理告知书已出具",
        "您的申请（查询号 {t}）已终止处理，终止处理告知书可凭查询号和查询码下载。"),
    "request.reply_issued": Wording(
        "已作出答复", "答复书已出具", "您的申请（查询号 {t}）已作出答复，可凭查询号和查询码下载答复书。"),
    "request.delivered": Wording("答复已送达"),
    "request.archived": Wording("已办结归档"),
    "request.withdrawn": Wording("您已撤回申请", "申请已撤回", "您的申请（查询号 {t}）已撤回，不再办理；撤回确认书可凭查询号和查询码下载。"),
}


def _period_due(case, due, which: str) -> str:
    """A period that runs from the applicant's receipt of a posted notice is provisional
    until the receipt is recorded (legal/receipt.py)."""
    if not due:
        return "—"
    return f"{date_words(due)}（暂计，以您签收通知之日起算为准）" if case.period_provisional(which) else date_words(due)


def _fields(case) -> dict:
    clock = case.clock if case.clock_id else None
    return {
        "t": case.tracking_number,
        "received": date_words(case.received_on) or "—",
        "due": date_words(clock.due_date) if clock and clock.due_date else "—",
        "supplement_due": _period_due(case, case.supplement_due, "supplement"),
        "fee_due": _period_due(case, case.fee_due, "fee"),
    }


def case_notify(*, case, action: str) -> None:
    """Tell the applicant (e-mail, SMS) and the staff concerned (in-app) of `action`."""
    link = f"/cases/{case.tracking_number}/"
    wording = APPLICANT_WORDING.get(action)
    if wording and wording.subject:
        subject, body = wording.subject, wording.body.format(**_fields(case))
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
    if action == "request.fee_payment_claimed":
        # The handler (or, without one, the registrars) checks the payment and records it.
        told = [case.handler] if case.handler_id else list(get_user_model().objects.filter(
            staff_profile__agency=case.agency, groups__name=REGISTRAR, is_active=True))
        notice = case.fee_notices.order_by("-id").first()
        for user in told:
            message_enqueue(key=f"case:{case.pk}:fee_claim:{user.pk}:{notice.payment_claimed_at.isoformat()}",
                            channel=Message.INAPP, to_user=user,
                            subject=f"申请人告知已缴费 {case.registration_number or case.tracking_number}",
                            body=f"{case.applicant_name} 告知已缴纳信息处理费 {notice.amount} 元，请核实到账后登记缴费。",
                            agency=case.agency, obj=case, link=staff_link)
    if action in ("request.routed", "request.reassigned") and case.handler_id:
        message_enqueue(key=f"case:{case.pk}:{action}:{case.handler_id}:{case.updated_at.isoformat()}",
                        channel=Message.INAPP, to_user=case.handler,
                        subject=f"新分配的申请 {case.registration_number or case.tracking_number}",
                        body=f"{case.applicant_name} 的申请已分配给您办理，答复期限 {_fields(case)['due']}。",
                        agency=case.agency, obj=case, link=staff_link)
