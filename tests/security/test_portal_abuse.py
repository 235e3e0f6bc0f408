"""The public portal under abuse: limits counted per real client behind a trusted proxy
(and not dodged by writing X-Forwarded-For), the log-in lock-out on the same address,
a CAPTCHA used up by any answer, tracking look-ups that take the same path for unknown
numbers, and an applicant's access to a case that ends."""
import re
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from agencies import roles
from audit.clients import client_address
from audit.models import AuditEvent
from portal import selectors as portal_selectors
from portal.views import ACCESS_EXPIRED, SESSION_KEY
from workflows.models import DisclosureRequest

from ..portal.helpers import application_data

pytestmark = pytest.mark.django_db
PROXY = "10.1.0.5"


@pytest.fixture(autouse=True)
def behind_a_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.1.0.0/24"]
    caches["shared"].clear()  # the rate-limit counters


def meta(remote, forwarded=None):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}))
    return client_address(request)


def test_the_client_is_the_right_most_address_the_trusted_proxy_did_not_write():
    assert meta(PROXY, "203.0.113.9") == "203.0.113.9"
    # a client-written prefix is ignored: the proxy appended the real peer last
    assert meta(PROXY, "1.2.3.4, 203.0.113.9") == "203.0.113.9"
    # two trusted hops
    assert meta(PROXY, "1.2.3.4, 203.0.113.9, 10.1.0.7") == "203.0.113.9"
    # a request not from a trusted proxy: its header is the client's own words, ignored
    assert meta("198.51.100.20", "1.2.3.4") == "198.51.100.20"
    assert meta(PROXY) == PROXY


def track(client, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/track/", {"tracking_number": "NOSUCHCASE", "access_code": "x"}, **extra).content.decode()


def test_limits_count_each_real_client_behind_the_proxy(client):
    for _ in range(10):
        assert "操作过于频繁" not in track(client, PROXY, "203.0.113.9")
    assert "操作过于频繁" in track(client, PROXY, "203.0.113.9")
    # another member of the public behind the same proxy is not in that bucket
    assert "操作过于频繁" not in track(Client(), PROXY, "203.0.113.10")


def test_a_client_cannot_dodge_the_limit_by_writing_the_header(client):
    for i in range(10):
        track(client, "198.51.100.20", f"192.0.2.{i}")
    assert "操作过于频繁" in track(client, "198.51.100.20", "192.0.2.99")
    # nor through the proxy, by putting a fresh address at the front of the chain
    for i in range(10):
        track(client, PROXY, f"192.0.2.{i}, 203.0.113.50")
    assert "操作过于频繁" in track(client, PROXY, "192.0.2.200, 203.0.113.50")


def test_the_counters_live_in_the_shared_cache_every_process_sees():
    assert "locmem" not in caches["shared"].__class__.__module__
    track(Client(), PROXY, "203.0.113.77")
    fresh = caches.create_connection("shared")  # what another worker process opens
    assert any(fresh.get(k) for k in _ratelimit_keys(fresh))


def _ratelimit_keys(backend):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {backend._table}")
        return [row[0].split(":", 2)[-1] for row in cursor.fetchall()]


def test_log_in_lock_out_counts_the_real_client_and_records_its_address(client, make_staff, settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_staff(roles.HANDLER, username="wang")
    for i in range(3):
        client.post("/staff/accounts/login/", {"username": "wang", "password": "wrong-password-1"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.9")
    locked = client.post("/staff/accounts/login/", {"username": "wang", "password": "pw-for-tests-123"},
                         REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert locked.status_code == 429
    # wang at another desk behind the same proxy is not locked out by that
    other = Client().post("/staff/accounts/login/", {"username": "wang", "password": "pw-for-tests-123"},
                          REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.status_code == 302
    failures = AuditEvent.objects.filter(action__icontains="fail").values_list("actor_detail", flat=True)
    assert failures and {d["address"] for d in failures} == {"203.0.113.9"}


# --- the CAPTCHA ---

def test_the_captcha_is_a_picture_drawn_offline(client):
    page = client.get("/apply/").content.decode()
    src = re.search(r'<img src="(/captcha/image/\w+/)"', page).group(1)
    image = client.get(src)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG") and len(image.content) > 500


def test_a_captcha_is_used_up_by_a_wrong_answer(client, agency):
    page = client.get("/apply/").content.decode()
    data = application_data(agency, page)
    right = data["captcha_1"]
    body = client.post("/apply/", {**data, "captcha_1": "WRONG"}).content.decode()
    assert "验证码不正确或已使用过" in body
    # the right answer to the same picture, sent again, no longer works
    body = client.post("/apply/", {**data, "captcha_1": right}).content.decode()
    assert "验证码不正确或已使用过" in body and 'value="张三"' in body
    assert not DisclosureRequest.objects.exists()


def test_a_captcha_is_used_up_by_a_right_answer(client, agency):
    page = client.get("/apply/").content.decode()
    data = application_data(agency, page)
    assert client.post("/apply/", data).status_code == 302
    again = Client().post("/apply/", data)  # a second browser replays the solved picture
    assert again.status_code == 200 and "验证码不正确或已使用过" in again.content.decode()
    assert DisclosureRequest.objects.count() == 1


def test_the_production_settings_have_no_captcha_test_mode():
    from captcha.conf import settings as captcha_settings

    assert captcha_settings.CAPTCHA_TEST_MODE is False


# --- tracking look-ups ---

def test_unknown_tracking_numbers_take_the_same_path_as_wrong_codes(client, agency, monkeypatch):
    page = client.get("/apply/").content.decode()
    client.post("/apply/", application_data(agency, page))
    case = DisclosureRequest.objects.get()
    portal_selectors.find_case("WARMUP", "x")  # the dummy hash is made once per process

    checked = []
    real_check = portal_selectors.access_code_matches
    monkeypatch.setattr(portal_selectors, "access_code_matches", lambda code, stored: checked.append(stored) or
                        real_check(code, stored))
    queries = {}
    for label, number in (("known", case.tracking_number), ("unknown", "NOSUCHCASE1")):
        with CaptureQueriesContext(connection) as ctx:
            assert portal_selectors.find_case(number, "WRONGCODE") is None
        queries[label] = len(ctx.captured_queries)
    assert len(checked) == 2
    # the same keyed hash either way, after the same one query (the same path, not a time)
    assert checked[0].split("$")[0] == checked[1].split("$")[0] == "hmac-sha256"
    assert queries["known"] == queries["unknown"] == 1, queries


# --- the applicant's access to a case ---

def _applied(client, agency):
    page = client.get("/apply/").content.decode()
    client.post("/apply/", application_data(agency, page))
    return DisclosureRequest.objects.get()


def test_sign_out_ends_the_access_to_the_case(client, agency):
    case = _applied(client, agency)
    assert client.get(f"/cases/{case.tracking_number}/").status_code == 200
    page = client.get(f"/cases/{case.tracking_number}/").content.decode()
    assert "退出查询" in page
    resp = client.post("/sign-out/", follow=True)
    assert "已退出查询" in resp.content.decode()
    assert client.get(f"/cases/{case.tracking_number}/").status_code == 404


def _age_grant(client, case, *, granted_ago, seen_ago):
    session = client.session
    now = int(time.time())
    session[SESSION_KEY] = {str(case.pk): [now - granted_ago, now - seen_ago]}
    session.save()


def test_case_access_ends_after_thirty_idle_minutes(client, agency, settings):
    case = _applied(client, agency)
    _age_grant(client, case, granted_ago=31 * 60, seen_ago=31 * 60)
    resp = client.get(f"/cases/{case.tracking_number}/", follow=True)
    assert resp.redirect_chain[-1][0] == "/track/"
    assert ACCESS_EXPIRED in resp.content.decode()
    assert client.get(f"/cases/{case.tracking_number}/").status_code == 404


def test_case_access_ends_two_hours_after_the_look_up_even_when_busy(client, agency):
    case = _applied(client, agency)
    _age_grant(client, case, granted_ago=2 * 3600 + 60, seen_ago=30)
    assert client.get(f"/cases/{case.tracking_number}/")["Location"] == "/track/"
    _age_grant(client, case, granted_ago=3600, seen_ago=10 * 60)
    assert client.get(f"/cases/{case.tracking_number}/").status_code == 200


def test_portal_actions_record_the_real_client_address(client, agency):
    case = _applied(client, agency)
    client.post(f"/cases/{case.tracking_number}/withdraw/", {"confirm": "on"},
                REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9")
    event = AuditEvent.objects.filter(object_id=str(case.pk), action__icontains="withdraw").latest("id")
    assert event.actor_detail["address"] == "203.0.113.9"
