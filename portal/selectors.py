"""What an applicant may see of their case: plain words, no internal names or opinions."""
from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password

from audit.models import AuditEvent
from workflows.models import DisclosureRequest, RequestStatus
from workflows.selectors import clock_state

ERR_LOOKUP = "查询号或查询码不正确。"  # one message for every failure: nothing to probe

STATUS_TEXT = {
    RequestStatus.SUBMITTED: "已提交，等待本机关确认收到",
    RequestStatus.REGISTERED: "已登记，正在审查申请内容",
    RequestStatus.AWAITING_SUPPLEMENT: "需要您补正申请，请在期限内提交",
    RequestStatus.IN_PROGRESS: "正在办理",
    RequestStatus.CONSULTING: "正在征求意见（此期间不计入答复期限）",
    RequestStatus.AWAITING_FEE: "等待您缴纳信息处理费",
    RequestStatus.CONFIDENTIALITY_REVIEW: "正在办理（审核中）",
    RequestStatus.DRAFTING: "正在办理（起草答复）",
    RequestStatus.SIGN_OFF: "正在办理（审批中）",
    RequestStatus.ISSUED: "已作出答复",
    RequestStatus.DELIVERED: "已送达答复",
    RequestStatus.ARCHIVED: "已办结",
    RequestStatus.WITHDRAWN: "您已撤回申请",
    RequestStatus.CLOSED: "已终止办理",
}

# Audit actions an applicant sees, in plain words. Everything else (reviews, 会商,
# assignments, opinions) is internal and never shown.
PUBLIC_EVENTS = {
    "request.submitted": "申请已提交",
    "request.registered": "本机关已确认收到并登记",
    "request.supplement_requested": "本机关告知需要补正申请",
    "request.supplement_received": "已收到补正材料，答复期限重新计算",
    "request.supplement_lapsed": "逾期未补正，申请视为放弃",
    "request.third_party_consulted": "正在征求第三方意见，答复期限暂停计算",
    "request.third_party_opinion": "第三方意见征询结束，恢复计算答复期限",
    "request.extension_approved": "经负责人同意延长答复期限",
    "request.fee_notified": "本机关发出收费通知",
    "request.fee_paid": "已确认缴费，恢复计算答复期限",
    "request.fee_declined": "您放弃缴费，申请视为放弃",
    "request.fee_lapsed": "逾期未缴费，申请视为放弃",
    "request.reply_issued": "已作出答复",
    "request.delivered": "答复已送达",
    "request.archived": "已办结归档",
    "request.withdrawn": "您已撤回申请",
}


def find_case(tracking_number: str, access_code: str) -> DisclosureRequest | None:
    """The case if both match; otherwise None, in about the same time either way."""
    case = DisclosureRequest.objects.filter(tracking_number=tracking_number.strip().upper()).first()
    if case is None or not case.access_code_hash:
        check_password(access_code, make_password("timing-equaliser"))
        return None
    return case if check_password(access_code.strip(), case.access_code_hash) else None


def public_timeline(case: DisclosureRequest) -> list[dict]:
    events = AuditEvent.objects.filter(
        object_type=case._meta.label_lower, object_id=str(case.pk), action__in=PUBLIC_EVENTS
    ).order_by("sequence").values("at", "action")
    return [{"at": e["at"], "text": PUBLIC_EVENTS[e["action"]]} for e in events]


def public_clock(case: DisclosureRequest):
    return clock_state(case.clock) if case.clock_id else None


def public_documents(case: DisclosureRequest) -> list:
    try:
        from documents.selectors import documents_for_applicant
    except ImportError:
        return []
    return list(documents_for_applicant(case))
