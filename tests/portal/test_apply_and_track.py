"""The portal as an applicant uses it: apply, keep what was typed on errors, track,
and never reach someone else's case."""
import re

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile

from workflows.models import DisclosureRequest, RequestStatus

from .helpers import VALID_ID, application_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    caches["shared"].clear()  # the rate-limit counters


def submit(client, agency, **overrides):
    page = client.get("/apply/").content.decode()
    return client.post("/apply/", application_data(agency, page, **overrides))


def test_apply_online_gives_tracking_number_code_and_receipt_rule(client, agency):
    resp = submit(client, agency)
    assert resp.status_code == 302
    page = client.get(resp["Location"]).content.decode()
    tracking = re.search(r'id="tracking-number">([^<]+)<', page).group(1)
    code = re.search(r'id="access-code">([^<]+)<', page).group(1)
    case = DisclosureRequest.objects.get(tracking_number=tracking)
    assert case.status == RequestStatus.SUBMITTED and case.channel == "online"
    assert case.items.get().title == "2025年石龙区财政预算执行情况报告"
    assert "以双方确认之日为收到申请之日" in page
    # the code is shown once; the stored value is a hash
    assert code not in case.access_code_hash
    assert "id=\"access-code\"" not in client.get(resp["Location"], follow=True).content.decode()


def test_errors_are_shown_in_place_and_nothing_typed_is_lost(client, agency):
    resp = submit(client, agency, id_number="110105194912310021", phone="abc", **{"items-0-title": "",
                                                                                 "items-0-description": ""})
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "居民身份证号码校验位不正确" in body
    assert "请填写11位手机号码" in body
    assert "请至少填写一项所需的政府信息" in body
    assert 'value="张三"' in body and 'value="石龙区龙兴街2号"' in body and 'value="110105194912310021"' in body
    assert not DisclosureRequest.objects.exists()


def test_wrong_captcha_is_refused_and_input_kept(client, agency):
    resp = submit(client, agency, captcha_1="WRONG")
    body = resp.content.decode()
    assert "验证码不正确或已使用过" in body and 'value="张三"' in body
    assert 'src="/captcha/image/' in body  # a new picture to answer
    assert not DisclosureRequest.objects.exists()


def test_organisation_needs_a_representative(client, agency):
    body = submit(client, agency, applicant_type="commercial", id_type="uscc", id_number="91410400MA44XXXX1X",
                  applicant_name="平顶山某某建材有限公司").content.decode()
    assert "请填写法定代表人或负责人" in body


def test_uploads_are_checked_by_content_not_name(client, agency):
    fake = SimpleUploadedFile("id.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    page = client.get("/apply/").content.decode()
    body = client.post("/apply/", {**application_data(agency, page), "attachments": fake}).content.decode()
    assert "附件只接受 PDF、JPG 或 PNG 文件" in body
    assert not DisclosureRequest.objects.exists()


def track(client, tracking, code):
    return client.post("/track/", {"tracking_number": tracking, "access_code": code})


def new_case(client, agency):
    resp = submit(client, agency)
    page = client.get(resp["Location"]).content.decode()
    return (re.search(r'id="tracking-number">([^<]+)<', page).group(1),
            re.search(r'id="access-code">([^<]+)<', page).group(1))


def test_wrong_code_and_unknown_number_give_the_same_generic_error(client, agency):
    tracking, code = new_case(client, agency)
    client.cookies.clear()
    wrong_code = track(client, tracking, "WRONG123").content.decode()
    unknown = track(client, "NOSUCHCASE", code).content.decode()
    assert "查询号或查询码不正确" in wrong_code and "查询号或查询码不正确" in unknown
    strip = lambda html: re.sub(r'value="[^"]*"|csrfmiddlewaretoken[^>]*', "", html)  # noqa: E731
    assert strip(wrong_code) == strip(unknown)
    ok = track(client, tracking, code)
    assert ok.status_code == 302 and ok["Location"] == f"/cases/{tracking}/"


def test_the_code_opens_the_case_however_it_is_typed(client, agency):
    tracking, code = new_case(client, agency)
    client.cookies.clear()
    typed = f" {code[:4].lower()}-{code[4:].lower()} "  # copied from the receipt, in lower case, with a hyphen
    ok = track(client, tracking.lower(), typed)
    assert ok.status_code == 302 and ok["Location"] == f"/cases/{tracking}/"
    case = DisclosureRequest.objects.get(tracking_number=tracking)
    assert case.access_code_hash.startswith("hmac-sha256$")  # a keyed hash of a random code, not a password hash


def test_one_applicant_cannot_open_another_applicants_case(client, agency, django_user_model):
    from django.test import Client

    first, first_code = new_case(client, agency)
    other = Client()
    second, _ = new_case(other, agency)
    assert other.get(f"/cases/{second}/").status_code == 200
    for url in (f"/cases/{first}/", f"/cases/{first}/documents/1/"):
        assert other.get(url).status_code == 404
    assert other.post(f"/cases/{first}/withdraw/", {"confirm": "on"}).status_code == 404
    assert DisclosureRequest.objects.get(tracking_number=first).status == RequestStatus.SUBMITTED


def test_tracking_lookups_are_rate_limited(client, agency):
    for _ in range(10):
        track(client, "NOSUCHCASE", "x")
    assert "操作过于频繁" in track(client, "NOSUCHCASE", "x").content.decode()


def test_case_page_shows_status_timeline_and_lets_the_applicant_withdraw(client, agency):
    tracking, _ = new_case(client, agency)
    page = client.get(f"/cases/{tracking}/").content.decode()
    assert "已提交，等待本机关确认收到" in page and "申请已提交" in page
    resp = client.post(f"/cases/{tracking}/withdraw/", {"reason": "已从其他渠道获得", "confirm": "on"}, follow=True)
    body = resp.content.decode()
    assert "您已撤回申请" in body
    assert DisclosureRequest.objects.get(tracking_number=tracking).status == RequestStatus.WITHDRAWN


def test_large_type_mode_is_remembered(client):
    resp = client.get("/large-type/?next=/apply/")
    assert resp["Location"] == "/apply/" and resp.cookies["large_type"].value == "1"
    assert '<html lang="zh-Hans" class="large">' in client.get("/apply/").content.decode()
    assert client.get("/large-type/?next=https://evil.example/")["Location"] == "/"


def test_resident_id_validation_accepts_valid_and_lower_x():
    from portal.validators import validate_resident_id

    assert validate_resident_id(VALID_ID.lower()) == VALID_ID


def test_every_status_has_plain_words_for_the_applicant():
    from portal.selectors import STATUS_TEXT

    assert set(STATUS_TEXT) == set(RequestStatus.values)
