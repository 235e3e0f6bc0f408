"""Who reaches what through the API: another agency's key reaches nothing of agency A,
each scope only what it allows, a revoked key nothing; every call is in the audit
record with the key as actor; the administrator issues and revokes keys in the staff UI."""
import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from api.models import ApiKey
from api.services import api_key_issue, api_key_revoke
from audit.models import AuditEvent
from documents.models import Document
from tests.applications import accepted
from tests.security.test_access_generated import ALLOW, all_routes, build, fingerprint
from workflows.models import DisclosureRequest

from .conftest import KeyClient, application_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(agency, people, land):
    return accepted(agency, people, land)


def _api_object_routes():
    return [r for r in all_routes() if r.route.startswith("api/") and r.kwargs and r.name.split(":")[-1] not in ALLOW]


def test_every_object_endpoint_refuses_another_agencys_key(case, other_key, people):
    w = type("W", (), {"case": case, "document": Document.objects.filter(request=case).first()})()
    client = KeyClient(other_key[1])
    before = fingerprint()
    routes = _api_object_routes()
    assert len(routes) >= 7
    for route in routes:
        url = "/" + route.route.replace("<int:pk>", str(build(route, w)["pk"]))
        assert client.get(url).status_code in (404, 405), url
        response = client.post(url, {"department": case.department_id}, content_type="application/json")
        assert response.status_code in (404, 405), url
    assert fingerprint()[:4] == before[:4]
    assert client.get("/api/applications/").json()["results"] == []
    assert client.get("/api/tasks/queue/").json() == []


def test_an_intake_key_pushes_and_reads_back_only_its_own_pushes(client_for, case):
    intake = client_for("intake")
    assert intake.get(f"/api/applications/{case.pk}/").status_code == 404  # entered at the counter, not pushed
    assert intake.get("/api/applications/").status_code == 403  # no search over the agency's cases
    assert intake.get("/api/tasks/inbox/").status_code == 403
    pushed = intake.post_json("/api/applications/", application_body(register=True)).json()
    detail = intake.get(f"/api/applications/{pushed['id']}/")
    assert detail.status_code == 200
    receipt = detail.json()["documents"][0]  # the receipt (受理回执), issued once the push committed
    assert intake.get(f"/api/documents/{receipt['id']}/").status_code == 200
    assert intake.post_json(f"/api/applications/{pushed['id']}/supplement-notice/", {"what": "补"}).status_code == 403
    internal = Document.objects.filter(request=case).first()
    assert intake.get(f"/api/documents/{internal.pk}/").status_code == 404


def test_a_read_key_reads_the_agency_and_changes_nothing(client_for, case, land):
    read = client_for("read")
    assert read.get(f"/api/applications/{case.pk}/").status_code == 200
    assert read.post_json("/api/applications/", application_body()).status_code == 403
    assert read.post_json(f"/api/applications/{case.pk}/accept/", {"department": land.pk}).status_code == 403
    assert DisclosureRequest.objects.count() == 1


def test_a_revoked_or_wrong_key_is_refused(client_for, keys, admin):
    key, secret = keys["full"]
    assert client_for("full").get("/api/applications/").status_code == 200
    api_key_revoke(actor=admin, key=key)
    response = client_for("full").get("/api/applications/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Api-Key")
    assert response.json()["detail"] == "接口密钥无效或已吊销。"
    prefix = secret.split("_")[1]
    assert KeyClient(f"ogi_{prefix}_wrong").get("/api/applications/").status_code == 401
    assert Client().get("/api/applications/").status_code == 401


def test_every_call_is_recorded_with_the_key_as_actor(client_for, keys, case):
    key = keys["read"][0]
    client_for("read").get(f"/api/applications/{case.pk}/")
    client_for("read").get("/api/applications/", {"status": "bogus"})
    events = list(AuditEvent.objects.filter(action="api.called").order_by("id"))
    assert [(e.after["method"], e.after["status"]) for e in events] == [("GET", 200), ("GET", 400)]
    assert all(e.actor_id == key.account_id and e.actor_label == "接口密钥「系统-read」" for e in events)
    assert events[0].actor_detail["api_key"] == key.prefix and events[0].agency_id == case.agency_id
    assert ApiKey.objects.get(pk=key.pk).last_used_at is not None


def test_staff_sessions_see_what_their_role_and_department_allow(case, people):
    client = Client()
    client.force_login(people["handler"])  # the land handler: their own case
    assert client.get(f"/api/applications/{case.pk}/").status_code == 200
    client.force_login(people["ogi_handler"])  # another department of the same agency
    assert client.get(f"/api/applications/{case.pk}/").status_code == 404
    assert client.get("/api/applications/").json()["results"] == []


def test_the_administrator_issues_a_key_shown_once_and_revokes_it(admin, agency, make_staff):
    client = Client()
    client.force_login(admin)
    page = client.post("/staff/apikeys/api_keys/", {"name": "省政务服务网", "scope": "intake"})
    assert page.status_code == 200
    html = page.content.decode()
    key = ApiKey.objects.get(name="省政务服务网")
    secret = html.split("Authorization: Api-Key ")[1].split("<")[0].strip()
    assert secret.startswith(f"ogi_{key.prefix}_") and secret not in key.secret_hash
    assert "离开本页后无法再次查看" in html
    listing = client.get("/staff/apikeys/api_keys/").content.decode()
    assert key.prefix in listing and secret not in listing and "从未使用" in listing
    KeyClient(secret).get("/api/calendar/is-workday/", {"date": "2026-10-01"})
    assert "从未使用" not in client.get("/staff/apikeys/api_keys/").content.decode()
    # keys' accounts are not people of the agency
    assert key.account.username not in client.get("/staff/agency/people/").content.decode()
    client.post(f"/staff/apikeys/api_keys/{key.pk}/revoke/")
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
    assert KeyClient(secret).get("/api/calendar/is-workday/", {"date": "2026-10-01"}).status_code == 401
    assert AuditEvent.objects.filter(action__in=["api_key.issued", "api_key.revoked"], actor=admin).count() == 2
    # a registrar may not open the page
    client.force_login(make_staff("registrar", username="reg2"))
    assert client.get("/staff/apikeys/api_keys/").status_code == 403


def test_a_full_key_acts_in_the_roles_chosen_at_issue_shown_on_its_page(admin, agency, land):
    client = Client()
    client.force_login(admin)
    page = client.post("/staff/apikeys/api_keys/", {"name": "机关 OA 系统", "scope": "full",
                                                    "grants": ["handler", "person_in_charge", "calendar"],
                                                    "department": land.pk})
    assert page.status_code == 200 and "离开本页后无法再次查看" in page.content.decode()
    key = ApiKey.objects.get(name="机关 OA 系统")
    assert set(key.account.groups.values_list("name", flat=True)) == {"handler", "person_in_charge"}
    assert key.account.has_perm("legal.manage_calendar") and not key.account.has_perm("agencies.change_agency")
    assert key.account.staff_profile.department == land
    listing = client.get("/staff/apikeys/api_keys/").content.decode()
    assert "承办人、公开工作机构负责人、工作日日历维护（自然资源局）" in listing
    # roles only for a full key; a push-only key keeps the registrar's intake
    refused = client.post("/staff/apikeys/api_keys/", {"name": "12345 热线", "scope": "intake", "grants": ["handler"]})
    assert "办理角色只适用于" in refused.content.decode() and not ApiKey.objects.filter(name="12345 热线").exists()
    with pytest.raises(ValidationError):
        api_key_issue(actor=admin, agency=agency, name="x", scope="full", grants=["administrator"])
