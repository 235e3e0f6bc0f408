"""API keys of agency A (one per scope) and of agency B, issued through the service, and
a client that calls the API with one of them."""
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from agencies import roles
from api.models import ApiKey
from api.services import api_key_issue
from legal.selectors import local_today


class KeyClient(Client):
    def __init__(self, secret: str, **kw):
        super().__init__(HTTP_AUTHORIZATION=f"Api-Key {secret}", **kw)

    def post_json(self, url, data, **extra):
        return self.post(url, data, content_type="application/json", **extra)


@pytest.fixture
def admin(make_staff):
    return make_staff(roles.ADMINISTRATOR, username="admin", full_name="周管理")


@pytest.fixture
def keys(agency, admin):
    out = {}
    for scope in (ApiKey.INTAKE, ApiKey.READ, ApiKey.FULL):
        key, secret = api_key_issue(actor=admin, agency=agency, name=f"系统-{scope}", scope=scope)
        out[scope] = (key, secret)
    return out


@pytest.fixture
def client_for(keys):
    def make(scope, **kw):
        return KeyClient(keys[scope][1], **kw)
    return make


@pytest.fixture
def other_key(other_agency):
    key, secret = api_key_issue(actor=None, agency=other_agency, name="乙机关的系统", scope=ApiKey.FULL)
    return key, secret


_SUBMITTED: dict = {}


def _submitted_today():
    """This morning at 9:30, or the moment of the first push when it is not yet 9:30 in
    Beijing (a time to come is refused); the same value for every push of the day, so a
    retried push sends the same body."""
    day = local_today()
    if day not in _SUBMITTED:
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))
        _SUBMITTED[day] = timezone.localtime(max(start, min(start + dt.timedelta(hours=9, minutes=30),
                                                            timezone.now() - dt.timedelta(seconds=1))))
    return _SUBMITTED[day]


def application_body(**over):
    submitted = _submitted_today()
    body = {
        "applicant_type": "natural", "applicant_name": "张三", "id_type": "resident_id",
        "id_number": "410402199001011234", "phone": "13800000000", "channel": "online",
        "submitted_at": submitted.isoformat(), "form_wanted": "electronic", "delivery_wanted": "email",
        "email": "zhangsan@example.com", "description": "申请公开石龙区2025年土地征收补偿方案",
        "items": [{"title": "2025年土地征收补偿方案"}],
    }
    body.update(over)
    return body
