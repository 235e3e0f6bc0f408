"""At the counter: the paper intake form opens with today's time filled in (Beijing
time, editable); saving leads straight to the 回执 with the 查询号 and the 查询码,
printable on A4 or a receipt printer; the code is shown once, never in a message."""
import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from workflows.access_codes import access_code_matches
from workflows.models import DisclosureRequest

pytestmark = pytest.mark.django_db

NEW = "/staff/workflow/cases/new/"
FORM = {"channel": "in_person", "applicant_type": "natural", "applicant_name": "张三", "id_type": "resident_id",
        "id_number": "410402199001011234", "phone": "13800000000", "address": "石龙区", "form_wanted": "paper",
        "description": "申请公开土地征收补偿方案", "items": "2025年土地征收补偿方案\n征收公告", "delivery_wanted": "post"}


def test_the_form_opens_with_the_time_now_in_beijing(client, people):
    client.force_login(people["registrar"])
    body = client.get(NEW).content.decode()
    value = re.search(r'name="submitted_at" value="([^"]+)"', body).group(1)
    shown = dt.datetime.fromisoformat(value)
    now = timezone.localtime().replace(tzinfo=None)  # Asia/Shanghai
    assert abs((now - shown).total_seconds()) < 120 and value.count("T") == 1
    assert 'value="in_person" selected' in body


def test_saving_shows_the_receipt_with_the_code_once_and_never_in_a_message(client, people):
    client.force_login(people["registrar"])
    resp = client.post(NEW, {**FORM, "submitted_at": "2026-12-01T16:45"})
    case = DisclosureRequest.objects.get()
    assert resp["Location"] == f"/staff/workflow/cases/{case.pk}/intake-receipt/"
    assert not [m for m in get_messages(resp.wsgi_request)]
    assert timezone.localtime(case.submitted_at).strftime("%Y-%m-%d %H:%M") == "2026-12-01 16:45"  # as typed

    page = client.get(resp["Location"])
    body = page.content.decode()
    code = re.search(r'id="access-code">([^<]+)<', body).group(1)
    assert access_code_matches(code, case.access_code_hash)  # the code that opens the case on the portal
    assert case.tracking_number in body and "2026年12月1日 16:45" in body and "征收公告" in body
    assert "打印回执（A4）" in body and "打印小票（80毫米热敏打印机）" in body
    assert "size:80mm" in body and "size:A4" in body
    assert not [m for m in get_messages(page.wsgi_request)]

    again = client.get(resp["Location"]).content.decode()
    assert code not in again and case.tracking_number in again and "不再显示" in again
    for url in (f"/staff/workflow/cases/{case.pk}/", "/staff/workflow/cases/", "/staff/notices/notices/"):
        assert code not in client.get(url).content.decode()


def test_a_mistake_keeps_what_was_typed_and_saves_nothing(client, people):
    client.force_login(people["registrar"])
    body = client.post(NEW, {**FORM, "submitted_at": "明天上午", "items": ""}).content.decode()
    assert "请按“年-月-日 时:分”填写提交时间。" in body and 'value="张三"' in body
    assert not DisclosureRequest.objects.exists()


def test_another_agency_cannot_open_the_receipt(client, people, other_agency, make_staff):
    from agencies import roles
    from agencies.services import department_create

    client.force_login(people["registrar"])
    client.post(NEW, {**FORM, "submitted_at": "2026-12-01T16:45"})
    case = DisclosureRequest.objects.get()
    client.force_login(make_staff(roles.REGISTRAR, agency_=other_agency, username="anyue",
                                 department_=department_create(actor=None, agency=other_agency, name="政务公开股",
                                                               code="ogi")))
    assert client.get(f"/staff/workflow/cases/{case.pk}/intake-receipt/").status_code == 404
