"""Demo applications in every state for 平顶山市石龙区人民政府办公室, built through the
services (idempotent: skipped when the demo cases exist)."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from agencies.models import Agency, Department
from legal.selectors import local_today

from . import services as svc
from .demo_documents import seed_demo_documents
from .models import DisclosureRequest

AGENCY = "平顶山市石龙区人民政府办公室"
MARK = "【演示】"

APPLICANTS = [
    ("张三", "natural", "410402199001011234", ["石龙区2025年集体土地征收补偿安置方案"]),
    ("李四", "natural", "410402198502023456", ["龙兴街道棚户区改造项目立项批复", "该项目征收决定公告"]),
    ("平顶山市某置业有限公司", "commercial", "91410400MA0000001X", ["2025年国有建设用地供应计划"]),
    ("王五", "natural", "410402197003034567", ["石龙区2024年财政预算执行情况"]),
    ("河南某律师事务所", "legal_service", "31410000MD0000002Y", ["某信访事项的处理意见书"]),
    ("赵六", "natural", "410402199204045678", ["人民路道路拓宽工程环评批复"]),
    ("中原某研究院", "research", "12410000MB0000003Z", ["石龙区矿山生态修复项目验收材料"]),
    ("孙七", "natural", "410402198806065678", ["高庄村宅基地审批台账"]),
    ("周八", "natural", "410402199507075678", ["2025年耕地保护目标责任书"]),
    ("吴九", "natural", "410402196608085678", ["2023年农村危房改造补助名单"]),
]


def sample_pdf(name: str):
    """A one-page PDF standing for a file of disclosed information (demo data and tests)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": name})
    writer.write(out)
    return SimpleUploadedFile(f"{name}.pdf", out.getvalue(), content_type="application/pdf")


def disclosed_attachments(case) -> list:
    """A file for every item the case discloses, named after the item."""
    from legal.outcomes import PROVIDED_WITH_REPLY

    return [(item, sample_pdf(item.title)) for item in case.items.all() if item.outcome in PROVIDED_WITH_REPLY]


def seed_demo(stdout) -> None:
    _seed_cases(stdout)
    seed_demo_documents(stdout)
    _seed_remedies(stdout)


def _seed_remedies(stdout) -> None:
    """A reconsideration of the archived demo case (its copy attached, the answer due in ten
    working days) and a lawsuit over another case (answer due in fifteen days)."""
    from .models import RemedyProceeding, RequestStatus
    from .services import remedy as remedy_services

    agency = Agency.objects.filter(name=AGENCY).first()
    if agency is None or RemedyProceeding.objects.filter(agency=agency).exists():
        return
    demo = DisclosureRequest.objects.filter(agency=agency, description__startswith=MARK)
    archived = demo.filter(status=RequestStatus.ARCHIVED).first()
    other = demo.filter(status__in=[RequestStatus.ISSUED, RequestStatus.SIGN_OFF]).first()
    if archived is None or other is None:
        return
    legal = get_user_model().objects.get(username="legal")
    today = local_today()
    rec = remedy_services.remedy_register(
        actor=legal, kind="reconsideration", case=archived, applicant=archived.applicant_name,
        received_on=today - dt.timedelta(days=2), case_number=f"石政复〔{today.year}〕7号")
    remedy_services.remedy_document_attach(actor=legal, proceeding=rec, title="行政复议申请书副本",
                                           file=sample_pdf("行政复议申请书副本"))
    suit = remedy_services.remedy_register(
        actor=legal, kind="litigation", case=other, applicant=other.applicant_name,
        received_on=today - dt.timedelta(days=6), case_number=f"（{today.year}）豫0411行初45号")
    remedy_services.remedy_document_attach(actor=legal, proceeding=suit, title="起诉状副本", file=sample_pdf("起诉状副本"))
    stdout.write("行政复议、行政诉讼演示记录：2 件")


def _seed_cases(stdout) -> None:
    agency = Agency.objects.filter(name=AGENCY).first()
    if agency is None or DisclosureRequest.objects.filter(agency=agency, description__startswith=MARK).exists():
        return
    User = get_user_model()
    u = {name: User.objects.get(username=name) for name in
         ["registrar", "handler", "handler2", "secrecy", "legal", "chief"]}
    land = Department.objects.get(agency=agency, code="land")
    housing = Department.objects.get(agency=agency, code="housing")
    today = local_today()

    def new(i, days_ago=0):
        name, kind, idno, items = APPLICANTS[i]
        received = today - dt.timedelta(days=days_ago)
        case, _code = svc.request_submit(
            actor=u["registrar"], agency=agency, applicant_type=kind, applicant_name=name,
            id_type="resident_id" if kind == "natural" else "uscc", id_number=idno, phone="0375-2880000",
            channel="post" if days_ago else "in_person", form_wanted="paper", delivery_wanted="post",
            description=MARK + "申请公开" + "、".join(items), items=[{"title": t} for t in items],
            submitted_at=timezone.make_aware(dt.datetime.combine(received, dt.time(10, 0))), address="平顶山市石龙区")
        return case, received

    def reg(i, days_ago=0):
        case, received = new(i, days_ago)
        return svc.request_register(actor=u["registrar"], case=case,
                                    signed_for_on=received if days_ago else None)

    def accept(i, days_ago=0, handler="handler", dept=land):
        case = reg(i, days_ago)
        return svc.request_accept(actor=u["registrar"], case=case, department=dept,
                                  handler=u[handler] if handler else None)

    def decide(case, code="1", **extra):
        return svc.request_determine(actor=case.handler, case=case, decisions=[
            {"item": it.pk, "outcome": code, "reasoning": extra.get("reasoning", "依法予以公开"), **extra}
            for it in case.items.all()])

    new(0)                                                         # 待确认收到 (register task)
    reg(1, days_ago=2)                                             # 待审查
    c = reg(2, days_ago=3)                                         # 待补正
    svc.request_supplement_notice(actor=u["registrar"], case=c, what="请写明所需用地供应计划的年度和文号", days=10)
    accept(3, days_ago=5, handler=None)                            # 部门待认领 (land queue)
    c = accept(4, days_ago=25)                                     # 承办中，已超期
    c = accept(5, days_ago=6)                                      # 征求第三方意见（暂停计时）
    svc.request_third_party_consult(actor=u["handler"], case=c, third_party="平顶山某建设工程有限公司",
                                    matter="环评报告涉及企业技术资料")
    c = accept(6, days_ago=8)                                      # 会商
    svc.request_consultation_convene(actor=u["handler"], case=c, participants=[u["legal"], u["secrecy"], u["handler2"]],
                                     question="验收材料是否属于过程性信息")
    c = accept(7, days_ago=10)                                     # 延期待审批
    svc.request_extension_ask(actor=u["handler"], case=c, days=15, reason="需调取村级档案，信息量较大")
    c = decide(accept(8, days_ago=12))                             # 保密审查
    c = decide(accept(9, days_ago=15), "3.4", reasoning="涉及个人隐私")
    svc.request_confidentiality_clear(actor=u["secrecy"], case=c)
    svc.request_reply_draft(actor=u["handler"], case=c)  # 待审签
    c = decide(accept(0, days_ago=20, handler="handler2", dept=housing))
    svc.request_confidentiality_clear(actor=u["secrecy"], case=c)
    svc.request_reply_draft(actor=u["handler2"], case=c, attachments=disclosed_attachments(c))
    svc.request_sign_off(actor=u["chief"], case=c, approve=True)   # 待送达
    c = decide(accept(1, days_ago=30))
    svc.request_confidentiality_clear(actor=u["secrecy"], case=c)
    svc.request_reply_draft(actor=u["handler"], case=c, attachments=disclosed_attachments(c))
    svc.request_sign_off(actor=u["chief"], case=c, approve=True)
    svc.request_delivery_record(actor=u["registrar"], case=c, method="post", delivered_on=today,
                                tracking_number="1190000000001")
    svc.request_archive(actor=u["registrar"], case=c)             # 已归档 (and a repeat candidate for 李四)
    c = reg(3, days_ago=1)
    svc.request_withdraw(actor=u["registrar"], case=c, reason="申请人书面撤回")  # 已撤回
    stdout.write(f"依申请公开演示案件：{DisclosureRequest.objects.filter(agency=agency).count()} 件")
