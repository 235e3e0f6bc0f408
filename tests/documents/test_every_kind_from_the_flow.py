"""Every kind of document, produced by cases that went through the flow (not hand-made
data), read as the person receiving it would: pdftotext, then the required sentences, no
paragraph twice, no raw code, no ISO date, no empty field, no applicant's details in
letters to others."""
import datetime as dt
import os
import re
import shutil
import subprocess

import pytest
from viewflow.workflow.timers import fire_due_timers

from documents import kinds
from documents.content import compose
from documents.models import Document, DocumentStatus
from documents.services import case_document_issue, case_document_sign
from legal import fees as fee_rules
from legal.selectors import local_today
from tests.applications import accepted, submit, svc
from workflows.demo import sample_pdf
from workflows.models import DisclosureRequest
from workflows.services.correction import correction_answer, correction_decide, correction_register

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")]

APPLICANT, ID_NUMBER = "张三", "410402199001011234"
# Latin letters a reader may meet in a letter: none but the postal service's name.
ALLOWED_LATIN = {"EMS"}


def pdftotext(document) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=bytes(document.pdf),
                         capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", "", out)


def everything_through_the_flow(agency, people, land) -> DisclosureRequest:
    """One application through every branch that writes to the applicant or to others."""
    p, today = people, local_today()
    case = accepted(agency, p, land, items=("2025年土地征收补偿方案", "2025年征地听证笔录"))
    svc.request_third_party_consult(actor=p["handler"], case=case, third_party="平顶山某建材有限公司",
                                    matter="补偿方案附件涉及该公司的商业秘密", sent_via="email")
    svc.request_third_party_opinion(actor=p["handler"], case=case, opinion="object", opinion_text="涉及商业秘密",
                                    public_interest_override=True, override_reasons="涉及被征地农民的切身利益")
    notice = case.documents.get(kind=kinds.PUBLIC_INTEREST_NOTICE)
    case_document_issue(actor=p["chief"], document=case_document_sign(actor=p["chief"], document=notice))
    oc = svc.request_other_agency_consult(actor=p["handler"], case=case, other_agency="平顶山市自然资源和规划局",
                                          matter="补偿方案由两机关联合制作")
    from workflows.services.receipts import request_notice_receipt

    request_notice_receipt(actor=p["handler"], case=case, notice=oc, received_on=today, proof="机要交换签收单")
    svc.request_other_agency_answer(actor=p["handler"], case=case, answer="consent", answer_text="同意公开")
    svc.request_consultation_convene(actor=p["handler"], case=case, participants=[p["legal"], p["secrecy"]],
                                     question="听证笔录是否已经制作")
    svc.request_consultation_opinion(actor=p["legal"], case=case, opinion="未组织听证，笔录不存在")
    svc.request_consultation_opinion(actor=p["secrecy"], case=case, opinion="补偿方案不涉密")
    svc.request_consultation_decide(actor=p["handler"], case=case, decision="方案予以公开，笔录告知不存在",
                                    place="区政府办三楼会议室")
    svc.request_extension_ask(actor=p["handler"], case=case, days=10, reason="补偿方案附件较多，需逐页审查")
    svc.request_extension_decide(actor=p["chief"], case=case, approve=True, comment="同意")
    svc.request_fee_notice(actor=p["handler"], case=case, method=fee_rules.PER_PAGE, quantity=45, sent_via="email")
    svc.request_fee_paid(actor=p["handler"], case=case)
    svc.request_volume_reasons_ask(actor=p["handler"], case=case, question="本月提出的三十件申请各自的用途")
    svc.request_volume_decide(actor=p["handler"], case=case, reasons="用于征地补偿诉讼", decision="longer",
                              longer_days=15)
    first, second = case.items.order_by("position")
    svc.request_determine(actor=p["handler"], case=case, decisions=[
        {"item": first.pk, "outcome": "1", "reasoning": ""},
        {"item": second.pk, "outcome": "4.1", "reasoning": "经会商确认，本机关未组织听证，该笔录不存在"}])
    svc.request_confidentiality_clear(actor=p["secrecy"], case=case)
    svc.request_reply_draft(actor=p["handler"], case=case, attachments=[(first, sample_pdf("2025年土地征收补偿方案"))])
    svc.request_sign_off(actor=p["chief"], case=case, approve=True, comments="同意")
    svc.request_delivery_record(actor=p["registrar"], case=case, method="post", delivered_on=today,
                                tracking_number="1190012345678")
    return DisclosureRequest.objects.get(pk=case.pk)


@pytest.fixture
def flow_documents(agency, people, land):
    main = everything_through_the_flow(agency, people, land)
    withdrawn, _ = submit(agency, people["registrar"], id_number=ID_NUMBER)
    svc.request_withdraw(actor=people["registrar"], case=withdrawn, reason="申请人已通过其他途径获取")
    received = dt.date(2026, 11, 2)
    lapsed, _ = submit(agency, people["registrar"], channel="post", received=received)
    lapsed = svc.request_register(actor=people["registrar"], case=lapsed, signed_for_on=received)
    svc.request_supplement_notice(actor=people["registrar"], case=lapsed, what="请写明所需信息的文号\n请写明信息形成的年份",
                                  days=5, on=dt.date(2026, 11, 3), sent_via="email")
    fire_due_timers()
    svc.request_closure_sign_off(actor=people["chief"], case=lapsed)
    correction = correction_register(actor=people["registrar"], department=land, applicant_name="李四",
                                     record="低保对象名单中李四的住址", inaccurate="住址记载为人民路2号",
                                     correct_to="人民路12号", evidence="房产证复印件")
    correction = correction_decide(actor=people["handler"], correction=correction, decision="corrected",
                                   corrected_what="住址已由人民路2号更正为人民路12号")
    correction_answer(actor=people["chief"], correction=correction)
    docs = list(Document.objects.filter(status=DocumentStatus.ISSUED).order_by("id"))
    return main, docs


def test_every_kind_comes_out_of_the_flow(flow_documents):
    _main, docs = flow_documents
    assert {d.kind for d in docs} == set(kinds.KINDS)
    out = os.environ.get("DOCS_PDF_OUT")  # to look at them: DOCS_PDF_OUT=dir pytest this file
    if out:
        os.makedirs(out, exist_ok=True)
        for doc in docs:
            with open(os.path.join(out, f"{doc.pk:02d}-{doc.kind}.pdf"), "wb") as fh:
                fh.write(bytes(doc.pdf))


def test_every_document_reads_like_a_letter(flow_documents, agency):
    _main, docs = flow_documents
    for doc in docs:
        text = pdftotext(doc)
        label = f"{doc.kind} {doc.number}"
        assert compose(doc.kind, doc.data, agency).title in text, label
        assert "。。" not in text and "1．1." not in text and "．．" not in text, label
        assert not re.search(r"\d{4}-\d{1,2}-\d{1,2}", text), f"{label}: a date not written as 2026年12月2日"
        plain = text
        for number in DisclosureRequest.objects.values_list("tracking_number", flat=True):
            plain = plain.replace(number, "")  # 查询号 are letters and digits by design
        latin = set(re.findall(r"[A-Za-z_]{2,}", plain)) - ALLOWED_LATIN
        assert not latin, f"{label}: raw codes {latin}"
        sentences = [s for s in re.split(r"[。；]", text) if len(s) >= 12]
        repeated = {s for s in sentences if sentences.count(s) > 1}
        assert not repeated, f"{label}: said twice: {repeated}"
        assert not re.search(r"(为|至|于|：)(。|；)|于前|（即前）|人民币元", text), f"{label}: an empty field"


def test_letters_to_others_do_not_disclose_the_applicant(flow_documents):
    _main, docs = flow_documents
    for doc in docs:
        if doc.kind in (kinds.THIRD_PARTY_LETTER, kinds.OTHER_AGENCY_LETTER, kinds.PUBLIC_INTEREST_NOTICE):
            text = pdftotext(doc)
            assert APPLICANT not in text and ID_NUMBER not in text and "13800000000" not in text, doc.kind


def test_the_documents_say_what_the_law_requires(flow_documents, agency, people):
    main, docs = flow_documents
    text = {d.kind: pdftotext(d) for d in docs if d.request_id == main.pk}
    assert "现随本答复书一并提供（见附件1）" in text[kinds.REPLY] and "附件：2025年土地征收补偿方案" in text[kinds.REPLY]
    assert "该笔录不存在" in text[kinds.REPLY] and "第三十六条第（四）项" in text[kinds.REPLY]
    record = text[kinds.CONSULTATION_RECORD]
    for expected in ["会商时间", "区政府办三楼会议室", "王承办（主持）", "周法制", "孙保密", "记录人王承办",
                     "周法制（", "）：未组织听证，笔录不存在", "方案予以公开，笔录告知不存在"]:
        assert expected in record, expected
    sheet = text[kinds.APPROVAL_SHEET]
    assert "保密审查意见" in sheet and "孙保密" in sheet and "同意吴负责" in sheet
    fee = text[kinds.FEE_NOTICE]
    assert "《政府信息公开信息处理费管理办法》" in fee and "按量计收" in fee and "人民币150元" in fee
    assert "延长后的答复期限为" in text[kinds.EXTENSION_NOTICE]
    assert "第三十五条" in text[kinds.LONGER_PERIOD_NOTICE] and "15个工作日" in text[kinds.LONGER_PERIOD_NOTICE]
    assert "行政复议" in text[kinds.PUBLIC_INTEREST_NOTICE]
