"""Art. 41: a person asks to correct a record about themself; the agency verifies and
corrects it, finds it accurate, or refers the request / tells where to apply, and answers
in writing — on the legal clock and the audit record."""
import datetime as dt
import io

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agencies import roles
from agencies.services import staff_create
from audit.models import AuditEvent
from legal.selectors import clock_state, get_calendar
from workflows.models import CorrectionRequest
from workflows.services import correction as svc

pytestmark = pytest.mark.django_db

RECEIVED = dt.date(2026, 11, 16)


def registered(people, **kw):
    land = people["handler"].staff_profile.department
    return svc.correction_register(
        actor=people["registrar"], department=land, applicant_name="张三", id_number="410402199001011234", phone="13800000000",
        address="河南省平顶山市石龙区人民路1号", record="2025年集体土地征收补偿安置名册中张三户的家庭人口",
        inaccurate="名册记载家庭人口为3人", correct_to="家庭人口应为4人（含2025年3月出生的子女）",
        evidence="出生医学证明、户口簿复印件", received_on=RECEIVED, **kw)


def pdf_text(doc) -> str:
    with pdfplumber.open(io.BytesIO(bytes(doc.pdf))) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "").replace("\n", "")


def test_a_correction_is_verified_corrected_and_answered_in_writing_on_the_clock(people):
    c = registered(people)
    assert c.number == "更2026-0001" and c.status == CorrectionRequest.RECEIVED
    assert clock_state(c.clock).due_date == get_calendar().add_workdays(RECEIVED, 20)
    c = svc.correction_decide(actor=people["handler"], correction=c, decision="corrected",
                              corrected_what="名册中张三户的家庭人口已由3人更正为4人", reason="经核对户籍登记信息")
    assert c.status == CorrectionRequest.DECIDED
    c = svc.correction_answer(actor=people["chief"], correction=c)
    assert c.status == CorrectionRequest.ANSWERED and clock_state(c.clock).stopped_on == c.answered_on
    text = pdf_text(c.documents.get(kind="correction_reply", status="issued"))
    for expected in ["政府信息更正申请答复书", "2026年11月16日收到您提出的政府信息更正申请", "已予以更正",
                     "由3人更正为4人", "第四十一条", "行政复议", "行政诉讼"]:
        assert expected in text, expected
    assert list(AuditEvent.objects.filter(object_type="workflows.correctionrequest", object_id=str(c.pk))
                .values_list("action", flat=True)) == ["correction.registered", "correction.decided", "correction.answered"]


@pytest.mark.parametrize("decision, extra, expected", [
    ("accurate", {"reason": "经调取户籍档案，2025年名册制作时该户登记人口为3人，记录准确"}, "本机关不予更正"),
    ("referred", {"right_agency": "平顶山市公安局石龙分局"}, "已将您的申请转送平顶山市公安局石龙分局处理"),
    ("told", {"right_agency": "平顶山市不动产登记中心"}, "请您向平顶山市不动产登记中心提出"),
])
def test_accurate_referred_or_told_each_answer_says_so(people, decision, extra, expected):
    c = svc.correction_decide(actor=people["handler"], correction=registered(people), decision=decision, **extra)
    c = svc.correction_answer(actor=people["chief"], correction=c)
    assert expected in pdf_text(c.documents.get(kind="correction_reply", status="issued"))


@pytest.mark.parametrize("decision, message", [
    ("corrected", svc.ERR_CORRECTED_WHAT), ("accurate", svc.ERR_ACCURATE_REASON), ("referred", svc.ERR_RIGHT_AGENCY)])
def test_a_decision_needs_what_its_answer_says(people, decision, message):
    with pytest.raises(ValidationError) as exc:
        svc.correction_decide(actor=people["handler"], correction=registered(people), decision=decision)
    assert exc.value.messages == [message]


def test_only_the_agencys_handlers_decide_and_only_the_person_in_charge_answers(people, other_agency):
    c = registered(people)
    outsider = staff_create(actor=None, username="outsider", password="pw-for-tests-123", full_name="外机关",
                            agency=other_agency, roles=[roles.HANDLER, roles.PERSON_IN_CHARGE])
    with pytest.raises(PermissionDenied):
        svc.correction_decide(actor=outsider, correction=c, decision="told", right_agency="某局")
    with pytest.raises(PermissionDenied):
        svc.correction_decide(actor=people["registrar"], correction=c, decision="told", right_agency="某局")
    c = svc.correction_decide(actor=people["handler"], correction=c, decision="told", right_agency="某局")
    with pytest.raises(PermissionDenied):
        svc.correction_answer(actor=people["handler"], correction=c)
    with pytest.raises(ValidationError):
        svc.correction_decide(actor=people["handler"], correction=c, decision="told", right_agency="某局")


def test_staff_register_verify_and_sign_in_the_pages(client, people, other_agency):
    client.force_login(people["registrar"])
    response = client.post(reverse("workflow:correction_new"), {
        "applicant_name": "李四", "department": people["handler"].staff_profile.department.pk, "record": "低保对象名单中李四的住址", "inaccurate": "住址记载为人民路2号",
        "correct_to": "人民路12号", "evidence": "房产证复印件", "received_on": "2026-11-20"})
    assert response.status_code == 302
    c = CorrectionRequest.objects.get()
    client.force_login(people["handler"])
    url = reverse("workflow:correction_detail", args=[c.pk])
    page = client.get(url).content.decode()
    assert "低保对象名单中李四的住址" in page and "房产证复印件" in page and "核实结果" in page
    assert client.post(url, {"step": "decide", "decision": "corrected", "corrected_what": "住址已更正为人民路12号"}
                       ).status_code == 302
    client.force_login(people["chief"])
    page = client.get(url).content.decode()
    assert "政府信息更正申请答复书" in page and "住址已更正为人民路12号" in page  # reads what they sign
    assert client.post(url, {"step": "answer", "confirm": "on"}).status_code == 302
    assert CorrectionRequest.objects.get().status == CorrectionRequest.ANSWERED
    assert "李四" in client.get(reverse("workflow:correction_list")).content.decode()
    outsider = staff_create(actor=None, username="outsider", password="pw-for-tests-123", full_name="外机关",
                            agency=other_agency, roles=[roles.HANDLER])
    for stranger in (outsider, people["ogi_handler"]):  # another agency; another department
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        assert "李四" not in client.get(reverse("workflow:correction_list")).content.decode()
