"""Demo documents (idempotent): issued PDFs of every kind on the demo cases, so a
person opening the staff UI sees real documents at once, including the kinds the demo
cases have not reached. Uses the demo cases when they exist; otherwise one plain case."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from agencies.models import Agency, Department
from documents import kinds
from documents.models import Document, DocumentStatus
from documents.services import case_document_draft, case_document_issue, case_document_issue_now, case_document_sign
from legal.services import clock_open

from .models import DisclosureRequest, RequestItem

DEMO_AGENCY = "平顶山市石龙区人民政府办公室"

DEMO_DATA = {
    kinds.SUPPLEMENT_NOTICE: {"supplement_items": ["所需政府信息的名称、文号或者便于查询的其他特征性描述"],
                              "supplement_due": "+15"},
    kinds.EXTENSION_NOTICE: {"extension_days": 20, "reason": "所需信息涉及多个部门，需要会商确认"},
    kinds.OTHER_AGENCY_LETTER: {"other_agency_name": "平顶山市自然资源和规划局", "info": "2025年度国有建设用地供应计划（两机关联合制作）"},
    kinds.VOLUME_REASONS_NOTICE: {"question": "本月内提出的三十件申请各自所需信息的用途"},
    kinds.LONGER_PERIOD_NOTICE: {"longer_days": 30, "reason": "申请人说明了合理理由，但所需信息数量大，需逐件检索"},
    kinds.WITHDRAWAL_CONFIRMATION: {"withdrawn_on": "+0", "reason": "申请人已通过其他途径获取所需信息"},
    kinds.THIRD_PARTY_LETTER: {"third_party_name": "平顶山市石龙区某建材有限公司", "info": "该公司2025年度环境影响评价报告",
                               "interest": "商业秘密"},
    kinds.PUBLIC_INTEREST_NOTICE: {"third_party_name": "平顶山市石龙区某建材有限公司", "info": "环境影响评价报告（技术参数部分除外）",
                                   "reason": "涉及周边居民健康与环境安全，不公开可能对公共利益造成重大影响"},
    kinds.FEE_NOTICE: {"fee_basis": "按件计收", "fee_standard": "同一申请人一个自然月内第11件至第30件，每件100元",
                       "fee_quantity": 2, "fee_amount": "200", "payment_method": "银行转账（户名：石龙区财政局非税收入专户）"},
    kinds.REPLY: {"note": "所提供信息为电子文件，已通过电子邮件发送。"},
    kinds.SERVICE_PROOF: {"served_document": "政府信息公开申请答复书", "delivery_method": "中国邮政EMS邮寄",
                          "tracking_number": "1178000000001", "delivered_on": "+0"},
    kinds.APPROVAL_SHEET: {"proposal": "拟予以公开", "opinions": [{"role": "保密审查", "name": "保密审查员", "opinion": "不涉及国家秘密，同意公开"}],
                           "approval": "同意签发。吴负责"},
    kinds.CONSULTATION_RECORD: {"place": "区政府办三楼会议室", "participants": "承办人、保密审查员、法制审核人员",
                                "opinions": "均认为不涉密，可以公开", "conclusion": "予以公开", "held_on": "+0",
                                "recorder": "王承办"},
}


def _resolve(data: dict) -> dict:
    today = timezone.localdate()
    return {k: (today + dt.timedelta(days=int(v[1:]))).isoformat() if isinstance(v, str) and v.startswith("+") else v
            for k, v in data.items()}


def _demo_cases(agency):
    return list(DisclosureRequest.objects.filter(agency=agency).order_by("id"))


def _own_case(agency):
    """Only when no other demo case exists: one plain registered case (status untouched)."""
    today = timezone.localdate()
    received = today - dt.timedelta(days=7)
    clock = clock_open(actor=None, label="演示申请", received_on=received, agency=agency)
    case = DisclosureRequest.objects.create(
        agency=agency, registration_number=f"石龙依申〔{today.year}〕演示1号", tracking_number="DEMO-DOCS-1",
        applicant_type=DisclosureRequest.NATURAL, applicant_name="刘䶮", id_type="resident_id",
        id_number="410402199001011234", phone="13800000000", address="河南省平顶山市新华区建设路8号",
        postcode="467000", channel="online", submitted_at=timezone.now() - dt.timedelta(days=8), received_on=received,
        description="2025年度财政预算执行情况", form_wanted="electronic", delivery_wanted="email", clock=clock,
        department=agency.departments.order_by("id").first() or Department.objects.create(
            agency=agency, name="政务公开科", code="demo-ogi"))
    RequestItem.objects.create(request=case, position=1, title="石龙区2025年度财政预算执行情况报告", outcome="1")
    return case


def seed_demo_documents(stdout) -> None:
    agency = Agency.objects.filter(name=DEMO_AGENCY).first() or Agency.objects.order_by("id").first()
    if agency is None:
        stdout.write("documents: no agency, skipped")
        return
    # only registered cases: a notice quotes the receipt date and the answer deadline
    cases = [c for c in _demo_cases(agency) if c.clock_id] or [_own_case(agency)]
    # Prefer a case that has items with outcomes for the reply.
    with_outcomes = [c for c in cases if c.items.exclude(outcome="").exists()]
    made = 0
    for kind in kinds.KINDS:
        if Document.objects.filter(agency=agency, kind=kind, status=DocumentStatus.ISSUED).exists():
            continue
        case = (with_outcomes or cases)[0] if kind in (kinds.REPLY, kinds.APPROVAL_SHEET) else cases[0]
        data = _resolve(DEMO_DATA.get(kind, {}))
        if kinds.KINDS[kind].needs_sign_off:
            doc = case_document_draft(actor=None, request=case, kind=kind, data=data)
            case_document_issue(actor=None, document=case_document_sign(actor=None, document=doc))
        else:
            case_document_issue_now(actor=None, request=case, kind=kind, data=data)
        made += 1
    # One draft to show the preview and the editing of free text.
    if not Document.objects.filter(agency=agency, kind=kinds.REPLY, status=DocumentStatus.DRAFT).exists():
        case_document_draft(actor=None, request=(with_outcomes or cases)[0], kind=kinds.REPLY,
                            data={"note": "（草稿：可在此补充说明后送负责人审签）"})
    stdout.write(f"documents: {made} demo documents issued")
