import datetime as dt

import pytest

from agencies import roles
from agencies.services import agency_create, department_create, staff_create


@pytest.fixture(autouse=True, scope="session")
def _staff_site_loaded():
    """Flow nodes learn their URL namespaces when the staff site is built (config.urls),
    as they always have in a running server; a test that reverses a node URL before any
    request must not depend on another test having loaded them."""
    import config.urls  # noqa: F401


@pytest.fixture
def agency(db):
    return agency_create(
        actor=None,
        name="平顶山市石龙区人民政府办公室",
        short_name="石龙政办",
        ogi_office="石龙区人民政府办公室政务公开科",
        address="河南省平顶山市石龙区龙兴街1号",
        phone="0375-1234567",
        reconsideration_body="平顶山市石龙区人民政府",
        court="平顶山市湛河区人民法院",
    )


@pytest.fixture
def other_agency(db):
    return agency_create(
        actor=None,
        name="安岳县人民政府办公室",
        short_name="安府办",
        ogi_office="安岳县人民政府办公室政务公开股",
        address="四川省资阳市安岳县岳阳镇",
        phone="028-24521234",
        reconsideration_body="安岳县人民政府",
        court="资阳市雁江区人民法院",
    )


@pytest.fixture
def department(agency):
    return department_create(actor=None, agency=agency, name="政务公开科", code="ogi")


@pytest.fixture
def make_staff(agency, department):
    counter = {"n": 0}

    def make(*role_names, agency_=None, department_=None, **kw):
        counter["n"] += 1
        return staff_create(
            actor=None,
            username=kw.pop("username", f"staff{counter['n']}"),
            password="pw-for-tests-123",
            full_name=kw.pop("full_name", f"工作人员{counter['n']}"),
            agency=agency_ or agency,
            department=department_ if department_ is not None else department,
            roles=list(role_names),
            **kw,
        )

    return make


@pytest.fixture
def calendar_admin(make_staff):
    return make_staff(roles.ADMINISTRATOR, full_name="日历管理员")


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)
