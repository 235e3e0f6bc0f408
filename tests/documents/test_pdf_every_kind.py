"""Every kind renders; the PDF carries the facts as real text with embedded fonts."""
import datetime as dt
import io
import os
import shutil
import subprocess

import pdfplumber
import pytest
from pypdf import PdfReader

from documents import kinds
from documents.content import cn_date
from documents.rendering import harfbuzz_subsetting
from documents.services import case_document_draft, case_document_issue, case_document_issue_now, case_document_sign
from legal.remedy import remedy_sentence

from .conftest import RARE_NAME, make_case

pytestmark = pytest.mark.django_db

DATA = {
    kinds.RECEIPT: {},
    kinds.SUPPLEMENT_NOTICE: {"supplement_items": ["所需信息的名称或文号", "信息形成的大致时间"], "supplement_due": "2026-03-20"},
    kinds.EXTENSION_NOTICE: {"extension_days": 20, "reason": "所需信息涉及多个部门，需要会商"},
    kinds.THIRD_PARTY_LETTER: {"third_party_name": "平顶山市某建材有限公司", "info": "该公司的环评报告", "reply_due": "2026-04-01"},
    kinds.PUBLIC_INTEREST_NOTICE: {"third_party_name": "平顶山市某建材有限公司", "info": "环评报告全文",
                                   "reason": "涉及周边居民健康与环境安全", "objection_on": "2026-03-25"},
    kinds.FEE_NOTICE: {"fee_basis": "按件计收", "fee_standard": "本月第11件至第30件，每件100元", "fee_quantity": 3,
                       "fee_amount": "300", "fee_due": "2026-04-10"},
    kinds.REPLY: {"note": "特此答复。"},
    kinds.SERVICE_PROOF: {"served_document": "政府信息公开申请答复书", "delivery_method": "邮政EMS邮寄",
                          "tracking_number": "1178123456789", "delivered_on": "2026-03-27"},
    kinds.APPROVAL_SHEET: {"proposal": "拟予以公开", "opinions": [{"role": "保密审查", "name": "王审查", "opinion": "同意公开", "date": "2026-03-18"}],
                           "approval": "同意签发。赵负责 2026年3月19日"},
    kinds.CONSULTATION_RECORD: {"held_on": "2026-03-16", "place": "三楼会议室", "participants": "李承办、王审查、赵负责",
                                "opinions": [{"name": "王审查", "opinion": "不涉密"}], "conclusion": "予以公开",
                                "recorder": "李承办"},
}
DECIDING = {kinds.REPLY, kinds.PUBLIC_INTEREST_NOTICE, kinds.FEE_NOTICE}


def pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as p:
        return "".join((page.extract_text() or "") for page in p.pages).replace(" ", "").replace("\n", "")


def squash(s: str) -> str:
    return s.replace(" ", "").replace("\n", "")


def test_weasyprint_subsets_fonts_with_harfbuzz():
    assert harfbuzz_subsetting(), "install libharfbuzz-subset0: fontTools subsetting of CJK fonts takes ~14 s a page"


@pytest.mark.parametrize("kind", list(DATA))
def test_every_kind_carries_names_dates_number_articles_and_remedy(agency, department, kind, tmp_path):
    case = make_case(agency, department=department, name=RARE_NAME)
    doc = case_document_issue_now(actor=None, request=case, kind=kind, data=DATA[kind])
    pdf = bytes(doc.pdf)
    text = pdf_text(pdf)
    assert squash(doc.number) in text
    assert squash(cn_date(doc.issued_on)) in text if kind not in (kinds.SERVICE_PROOF,) else True
    if kind != kinds.SERVICE_PROOF:
        assert cn_date(case.received_on) in text
    if kind in (kinds.THIRD_PARTY_LETTER, kinds.PUBLIC_INTEREST_NOTICE):
        assert RARE_NAME not in text  # a letter to the third party does not name the applicant
    else:
        assert RARE_NAME in text  # 生僻字 survive via the fallback chain
    assert "法律依据" in text
    if kind in DECIDING:
        assert "行政复议" in text and "60日内" in text and agency.court in text and agency.reconsideration_body in text
    if kind == kinds.REPLY:
        assert squash(remedy_sentence(agency)) in text and "第三十六条" in text
    if kind == kinds.SERVICE_PROOF:
        assert "1178123456789" in text and "2026年3月27日" in text
    out = os.environ.get("DOCS_PDF_OUT")
    if out:
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, f"{kind}.pdf"), "wb") as fh:
            fh.write(pdf)
    # every font embedded (pdffonts "emb" column)
    if shutil.which("pdffonts"):
        path = tmp_path / "doc.pdf"
        path.write_bytes(pdf)
        lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert lines, "no fonts listed"
        for line in lines:
            cols = line.split()
            emb = cols[-5]
            assert emb == "yes", line
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 1


REPLY_CASES = [
    ("1", {}, "予以公开"),
    ("2", {"withheld_parts": "第三页所列个人身份证号码", "reasoning": "涉及个人隐私"}, "不予公开的部分为：第三页所列个人身份证号码"),
    ("3.6", {"reasoning": "属于内部讨论记录"}, "第十六条第二款"),
    ("4.1", {}, "该政府信息不存在"),
    ("not_this_agency", {"right_agency": "平顶山市自然资源和规划局", "right_agency_contact": "0375-2222222"}, "平顶山市自然资源和规划局"),
    ("already_public", {"where_published": "石龙区人民政府门户网站“财政预决算”栏目"}, "“财政预决算”栏目"),
    ("5.1", {"reasoning": "12345政务服务便民热线"}, "不作为政府信息公开申请处理"),
    ("special_rules", {"reasoning": "《不动产登记资料查询暂行办法》"}, "不动产登记资料查询暂行办法"),
]


@pytest.mark.parametrize("code,fields,expected", REPLY_CASES)
def test_reply_wording_follows_the_outcome(agency, code, fields, expected, chief):
    case = make_case(agency, items=(("某信息", code, fields),), outcome=code)
    doc = case_document_draft(actor=None, request=case, kind=kinds.REPLY)
    doc = case_document_issue(actor=chief, document=case_document_sign(actor=chief, document=doc))
    assert expected in doc.html
    assert squash(remedy_sentence(agency)) in pdf_text(bytes(doc.pdf))


def test_repeat_application_names_the_earlier_reply(agency):
    first = make_case(agency, items=(("某信息", "1"),))
    earlier = case_document_issue_now(actor=None, request=first, kind=kinds.REPLY)
    again = make_case(agency, items=(("某信息", "5.2"),), outcome="5.2", repeat_of=first, number="石龙依申〔2026〕8号",
                      tracking="T2026000008")
    doc = case_document_issue_now(actor=None, request=again, kind=kinds.REPLY)
    assert earlier.number in doc.html and "重复申请" in doc.html


@pytest.mark.parametrize("closure,expected", [("6.1", "逾期未补正"), ("6.2", "逾期未缴纳")])
def test_lapsed_supplement_or_fee_closes_with_a_notice(agency, closure, expected):
    case = make_case(agency, outcome=closure, supplement_due=dt.date(2026, 3, 20), fee_due=dt.date(2026, 4, 10))
    doc = case_document_issue_now(actor=None, request=case, kind=kinds.REPLY)
    assert "终止处理告知书" in doc.html and expected in doc.html and "行政复议" in doc.html
