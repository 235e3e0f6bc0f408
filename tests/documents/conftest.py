import datetime as dt

import pytest
from django.utils import timezone

from agencies import roles
from legal.services import clock_open
from workflows.models import DisclosureRequest, RequestItem

RARE_NAME = "王𠀾䶮堃犇龘"


def make_case(agency, *, name="张三", items=(("2025年石龙区财政预算执行情况报告", "1"),), department=None,
              received_on=dt.date(2026, 3, 2), number="石龙依申〔2026〕7号", tracking="T2026000007", **extra):
    clock = clock_open(actor=None, label=f"申请 {number}", received_on=received_on, agency=agency)
    req = DisclosureRequest.objects.create(
        agency=agency, department=department, registration_number=number, tracking_number=tracking,
        applicant_type=DisclosureRequest.NATURAL, applicant_name=name, id_type="resident_id",
        id_number="410402199001011234", phone="13800000000", address="河南省平顶山市新华区建设路8号",
        postcode="467000", channel="online", submitted_at=timezone.make_aware(dt.datetime(2026, 3, 1, 10, 0)),
        received_on=received_on, description="财政预算", form_wanted="electronic", delivery_wanted="email",
        clock=clock, **extra,
    )
    for i, item in enumerate(items, 1):
        title, outcome = item[0], item[1]
        fields = item[2] if len(item) > 2 else {}
        RequestItem.objects.create(request=req, position=i, title=title, outcome=outcome, **fields)
    return req


@pytest.fixture
def case(agency, department):
    return make_case(agency, department=department)


@pytest.fixture
def handler(make_staff):
    return make_staff(roles.HANDLER, full_name="李承办")


@pytest.fixture
def chief(make_staff):
    return make_staff(roles.PERSON_IN_CHARGE, full_name="赵负责")
