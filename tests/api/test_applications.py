"""Pushing applications, reading them back, and taking the registrar's steps through the API."""
import pytest

from api.models import ApiPush
from audit.models import AuditEvent
from tests.applications import open_steps
from workflows.models import DisclosureRequest, RequestStatus

from .conftest import application_body

pytestmark = pytest.mark.django_db


def test_a_retried_push_with_the_same_idempotency_key_creates_one_case(client_for, people):
    client = client_for("intake")
    first = client.post_json("/api/applications/", application_body(), HTTP_IDEMPOTENCY_KEY="12345-2026-0001")
    assert first.status_code == 201, first.content
    again = client.post_json("/api/applications/", application_body(), HTTP_IDEMPOTENCY_KEY="12345-2026-0001")
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert DisclosureRequest.objects.count() == 1
    assert again.json()["tracking_number"] == first.json()["tracking_number"]
    assert first.json()["access_code"] and again.json()["access_code"] is None  # only its hash is kept
    assert first["Location"] == f"/api/applications/{first.json()['id']}/"
    # another key means another push
    other = client.post_json("/api/applications/", application_body(), HTTP_IDEMPOTENCY_KEY="12345-2026-0002")
    assert other.status_code == 201 and DisclosureRequest.objects.count() == 2


def test_the_same_idempotency_key_with_another_body_is_refused(client_for, people):
    client = client_for("intake")
    client.post_json("/api/applications/", application_body(), HTTP_IDEMPOTENCY_KEY="k1")
    response = client.post_json("/api/applications/", application_body(applicant_name="李四"), HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "内容不同" in response.json()["detail"]
    # another system of the agency using the same key gets no replay of someone else's push
    assert client_for("full").post_json("/api/applications/", application_body(),
                                        HTTP_IDEMPOTENCY_KEY="k1").status_code == 422
    assert DisclosureRequest.objects.count() == 1


def test_a_push_runs_the_same_intake_as_the_staff_page(client_for, people, keys):
    response = client_for("intake").post_json("/api/applications/", application_body(channel="post", register=True,
                                              signed_for_on=None))
    assert response.status_code == 422  # post without its signed-for day: the service's own message
    assert "签收日期" in response.json()["detail"]
    assert DisclosureRequest.objects.count() == 0 and ApiPush.objects.count() == 0  # nothing half-made
    today = application_body()["submitted_at"][:10]
    response = client_for("intake").post_json("/api/applications/", application_body(
        channel="post", register=True, signed_for_on=today))
    assert response.status_code == 201, response.content
    body = response.json()
    case = DisclosureRequest.objects.get(pk=body["id"])
    assert case.status == RequestStatus.REGISTERED and case.registration_number
    assert body["registration_number"] == case.registration_number
    assert body["clock"]["due_date"] and body["clock"]["explanation"]
    assert "第三十一条" in body["receipt_rule"]
    assert [t["text"] for t in body["timeline"]] == ["申请已提交", "本机关已确认收到并登记"]
    assert body["items"][0]["title"] == "2025年土地征收补偿方案"
    assert open_steps(case) == ["check_completeness"]
    # the case is entered by the key's account, named as the key in the record
    event = AuditEvent.objects.get(action="request.submitted", object_id=str(case.pk))
    key = keys["intake"][0]
    assert event.actor_id == key.account_id and "接口密钥" in event.actor_label
    assert event.actor_detail["api_key"] == key.prefix


def test_bad_input_answers_a_problem_in_the_callers_language(client_for):
    response = client_for("intake").post_json("/api/applications/", application_body(items=[]))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "请求内容有误" and problem["status"] == 400 and "items" in problem["errors"]
    response = client_for("intake").post_json("/api/applications/", application_body(items=[]),
                                              HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["title"] == "Bad request"


def test_search_filters_and_cursor_pagination(client_for, people):
    intake = client_for("intake")
    for name in ("张三", "李四", "王五"):
        intake.post_json("/api/applications/", application_body(applicant_name=name, register=True))
    read = client_for("read")
    page = read.get("/api/applications/?page_size=2").json()
    assert len(page["results"]) == 2 and page["next"]
    rest = read.get(page["next"]).json()
    assert len(rest["results"]) == 1 and rest["next"] is None
    names = [r["applicant_name"] for r in page["results"] + rest["results"]]
    assert sorted(names) == ["张三", "李四", "王五"]
    found = read.get("/api/applications/?applicant=李").json()["results"]
    assert [r["applicant_name"] for r in found] == ["李四"]
    number = found[0]["registration_number"]
    assert [r["registration_number"] for r in read.get(f"/api/applications/?number={number}").json()["results"]] == [number]
    assert read.get("/api/applications/?status=submitted").json()["results"] == []
    assert read.get("/api/applications/?status=nonsense").status_code == 400


def test_actions_call_the_services_and_a_wrong_state_is_409_changing_nothing(client_for, people, land):
    pushed = client_for("intake").post_json("/api/applications/", application_body()).json()
    full = client_for("full")
    url = f"/api/applications/{pushed['id']}/"
    response = full.post_json(url + "accept/", {"department": land.pk})  # not registered yet
    assert response.status_code == 409, response.content
    assert response.json()["detail"] == "该步骤已由他人办理完毕或已取消，请刷新页面查看最新状态。"
    case = DisclosureRequest.objects.get(pk=pushed["id"])
    assert case.status == RequestStatus.SUBMITTED and open_steps(case) == ["register"]
    registered = full.post_json(url + "register/", {})
    assert registered.status_code == 200 and registered.json()["status"] == "registered"
    again = full.post_json(url + "register/", {})
    assert again.status_code == 409
    assert DisclosureRequest.objects.get(pk=case.pk).registration_number == registered.json()["registration_number"]
    routed = full.post_json(url + "accept/", {"department": land.pk, "handler": people["handler"].pk})
    assert routed.status_code == 200, routed.content
    assert routed.json()["status"] == "in_progress" and routed.json()["department"] == land.name
    assert open_steps(DisclosureRequest.objects.get(pk=case.pk)) == ["handle"]


def test_a_supplement_notice_and_its_receipt(client_for, people):
    pushed = client_for("intake").post_json("/api/applications/", application_body(register=True)).json()
    full = client_for("full")
    url = f"/api/applications/{pushed['id']}/"
    assert full.post_json(url + "supplement-notice/", {"what": ""}).status_code == 400
    asked = full.post_json(url + "supplement-notice/", {"what": "请写明所需信息的年份", "days": 10})
    assert asked.status_code == 200 and asked.json()["status"] == "awaiting_supplement"
    twice = full.post_json(url + "supplement-notice/", {"what": "再补一次"})
    assert twice.status_code == 409
    received = full.post_json(url + "supplement-received/", {"note": "已写明 2025 年"})
    assert received.status_code == 200 and received.json()["status"] == "registered"


def test_a_department_of_another_agency_is_refused_with_the_services_message(client_for, people, other_agency):
    from agencies.services import department_create
    foreign = department_create(actor=None, agency=other_agency, name="政务公开股", code="ogi")
    pushed = client_for("intake").post_json("/api/applications/", application_body(register=True)).json()
    response = client_for("full").post_json(f"/api/applications/{pushed['id']}/accept/", {"department": foreign.pk})
    assert response.status_code == 422 and response.json()["detail"] == "承办部门必须属于本机关。"
