"""What an applicant may see of their case: plain words, no internal names or opinions."""
from __future__ import annotations

import functools

from audit.models import AuditEvent
from documents.selectors import documents_for_applicant
from legal.selectors import clock_state
from workflows.access_codes import access_code_hash, access_code_matches
from workflows.models import DisclosureRequest, RequestStatus
from workflows.notices import APPLICANT_WORDING

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

@functools.cache
def _dummy_hash() -> str:
    """A hash made like the real ones (same keyed hash, same work), made once per process."""
    return access_code_hash("timing-equaliser")


def find_case(tracking_number: str, access_code: str) -> DisclosureRequest | None:
    """The case if both match; otherwise None. One query and one hash check on every path:
    an unknown tracking number is checked against a dummy hash of the same cost, so the
    answer takes as long as for a known number with a wrong code."""
    case = DisclosureRequest.objects.filter(tracking_number=tracking_number.strip().upper()).only(
        "pk", "tracking_number", "access_code_hash").first()
    stored = case.access_code_hash if case is not None and case.access_code_hash else _dummy_hash()
    matches = access_code_matches(access_code, stored)
    return case if matches and case is not None and case.access_code_hash else None


def public_timeline(case: DisclosureRequest) -> list[dict]:
    events = AuditEvent.objects.filter(
        object_type=case._meta.label_lower, object_id=str(case.pk), action__in=APPLICANT_WORDING
    ).order_by("id").values("at", "action")
    return [{"at": e["at"], "text": APPLICANT_WORDING[e["action"]].timeline} for e in events]


def public_clock(case: DisclosureRequest):
    return clock_state(case.clock) if case.clock_id else None


def public_documents(case: DisclosureRequest) -> list:
    return list(documents_for_applicant(case))
