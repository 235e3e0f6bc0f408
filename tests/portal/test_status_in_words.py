"""What the applicant reads: a mobile number checked as one, what a supplement must contain
and that the clock restarts after it, the outcome of each item after the reply, and a
receipt that prints."""
import re

import pytest

from portal.validators import ERR_PHONE
from tests.applications import determine_all, svc
from workflows.demo import disclosed_attachments
from workflows.models import DisclosureRequest

from .helpers import application_data
from .test_apply_and_track import submit, track

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("phone,ok", [("13812345678", True), ("138 1234 5678", True), ("+8613812345678", True),
                                      ("0375-2881234", True), ("1381234567", False), ("12812345678", False),
                                      ("23812345678", False), ("2881234", False)])
def test_a_phone_number_is_a_mobile_of_11_digits_or_a_landline_with_its_area_code(client, agency, phone, ok):
    page = client.get("/apply/").content.decode()
    resp = client.post("/apply/", application_data(agency, page, phone=phone))
    if ok:
        assert resp.status_code == 302, re.findall(r'class="error[^"]*">([^<]+)', resp.content.decode())
    else:
        assert resp.status_code == 200 and ERR_PHONE in resp.content.decode()
        assert phone in resp.content.decode()  # what was typed is kept
        assert not DisclosureRequest.objects.exists()


def test_the_receipt_after_applying_prints_and_dates_read_in_words(client, agency):
    resp = submit(client, agency)
    page = client.get(resp["Location"]).content.decode()
    assert 'id="print-receipt"' in page and "window.print()" in page
    assert re.search(r"提交时间</th><td>\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", page)


def _open(client, case, code):
    client.cookies.clear()
    assert track(client, case.tracking_number, code).status_code == 302
    return client.get(f"/cases/{case.tracking_number}/").content.decode()


def test_while_a_supplement_is_awaited_the_page_says_what_and_that_the_clock_restarts(client, agency, people):
    case, code = svc.request_submit(
        actor=people["registrar"], agency=agency, applicant_type="natural", applicant_name="张三", id_type="resident_id",
        id_number="410402199001011234", phone="13800000000", channel="in_person", form_wanted="paper",
        delivery_wanted="post", description="申请公开补偿方案", items=[{"title": "补偿方案"}])
    case = svc.request_register(actor=people["registrar"], case=case)
    svc.request_supplement_notice(actor=people["registrar"], case=case, what="请写明所需补偿方案涉及的村组名称和年份。",
                                  days=15)
    page = _open(client, case, code)
    what = re.search(r'id="supplement-what">(.*?)</div>', page, re.S).group(1)
    assert "请写明所需补偿方案涉及的村组名称和年份。" in what and "重新计算" in what


def test_after_the_reply_each_items_outcome_is_stated(client, agency, people, land):
    from tests.applications import submit as submit_case

    case, code = submit_case(agency, people["registrar"], items=("2025年土地征收补偿方案",))
    case = svc.request_register(actor=people["registrar"], case=case)
    case = svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    determine_all(case, people["handler"])
    svc.request_confidentiality_clear(actor=people["secrecy"], case=case)
    svc.request_reply_draft(actor=people["handler"], case=case, attachments=disclosed_attachments(case))
    svc.request_sign_off(actor=people["chief"], case=case, approve=True)
    page = _open(client, DisclosureRequest.objects.get(pk=case.pk), code)
    outcomes = re.search(r'<ol id="outcomes">(.*?)</ol>', page, re.S).group(1)
    assert "2025年土地征收补偿方案" in outcomes and "予以公开" in outcomes
    assert "答复附件" in page and not re.search(r"\d{4}-\d\d-\d\d", re.sub(r"<[^>]+>", "", page))
