"""The steps of the process through the API alone, by a full key acting in the roles its
administrator granted: from the push to the delivered and archived reply, each branch of
承办, and the refusals — a step the case is not at (409, nothing changed), a role the
key lacks (403), another agency's key (404)."""
import base64
import datetime as dt

import pytest
from django.test import Client
from viewflow.workflow.timers import fire_due_timers

from agencies import roles
from api.actions import ACTIONS
from api.services import api_key_issue
from audit.models import AuditEvent
from documents import kinds
from documents.models import Document
from legal.selectors import local_today
from tests.applications import accepted, actions, days_ago, open_steps, open_tasks, reply_to_archive, submit
from workflows import services as svc
from workflows.demo import sample_pdf
from workflows.models import DisclosureRequest, RequestStatus
from workflows.services._step import ERR_NOT_ALLOWED, ERR_TASK_GONE

from .conftest import KeyClient, application_body

pytestmark = pytest.mark.django_db

STAFF_ROLES = [roles.REGISTRAR, roles.HANDLER, roles.CONFIDENTIALITY_REVIEWER, roles.PERSON_IN_CHARGE]


@pytest.fixture
def oa(agency, admin, land, people):
    """The agency's OA system: a full key granted every role of the process, in the land department."""
    key, secret = api_key_issue(actor=admin, agency=agency, name="机关 OA 系统", scope="full", grants=STAFF_ROLES,
                                department=land)
    client = KeyClient(secret)
    client.key = key
    return client


def act(client, case_id, slug, body=None, status=200):
    response = client.post_json(f"/api/applications/{case_id}/{slug}/", body or {})
    assert response.status_code == status, (slug, response.status_code, response.content.decode())
    return response.json()


def pdf_base64(title: str) -> str:
    return base64.b64encode(sample_pdf(title).read()).decode()


def state(case_id):
    """What a refused action must leave as it was: the case, its tasks, documents and record."""
    case = DisclosureRequest.objects.get(pk=case_id)
    return (case.status, case.handler_id, case.outcome, [(t.pk, t.status, t.owner_id) for t in open_tasks(case)],
            Document.objects.filter(request=case).count(), actions(case))


def test_from_push_to_archived_reply_through_the_api_alone(oa, land, people):
    case_id = oa.post_json("/api/applications/", application_body(register=True, address="河南省平顶山市石龙区人民路1号",
                                                                  postcode="467000")).json()["id"]
    assert act(oa, case_id, "accept", {"department": land.pk})["status"] == RequestStatus.IN_PROGRESS
    # 承办 waits in the land department's queue: the key's account takes it, as a handler would
    case = DisclosureRequest.objects.get(pk=case_id)
    assert case.handler_id is None and open_steps(case) == ["handle"]
    body = act(oa, case_id, "extension-request", {"days": 10, "reason": "需要调取多个部门的档案"})
    assert DisclosureRequest.objects.get(pk=case_id).handler_id == oa.key.account_id
    due_before = body["clock"]["due_date"]
    body = act(oa, case_id, "extension-decide", {"approve": True, "comment": "同意延长"})
    assert body["clock"]["due_date"] > due_before
    assert any(d["kind"] == kinds.EXTENSION_NOTICE for d in body["documents"])
    item = body["items"][0]["id"]
    body = act(oa, case_id, "determine", {"decisions": [{"item": item, "outcome": "1"}]})
    assert body["status"] == RequestStatus.CONFIDENTIALITY_REVIEW and body["items"][0]["outcome"] == "1"
    # a step the case is not at: 409 with the service's message, nothing changed
    before = state(case_id)
    refused = oa.post_json(f"/api/applications/{case_id}/sign-off/", {"approve": True})
    assert refused.status_code == 409 and refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"] == ERR_TASK_GONE
    assert state(case_id) == before
    # returned once by the reviewer, decided again, cleared
    act(oa, case_id, "confidentiality-review", {"decision": "return", "reasons": "请核实是否涉及个人信息"})
    act(oa, case_id, "determine", {"decisions": [{"item": item, "outcome": "1"}]})
    assert act(oa, case_id, "confidentiality-review", {"decision": "clear"})["status"] == RequestStatus.DRAFTING
    # the disclosed file goes with the reply; without it the service's own message (Art. 40)
    missing = oa.post_json(f"/api/applications/{case_id}/reply-draft/", {"text": "请查收。"})
    assert missing.status_code == 422 and "第1项" in missing.json()["detail"]
    body = act(oa, case_id, "reply-draft", {"text": "请查收。", "attachments": [
        {"item": item, "name": "补偿方案.pdf", "content_base64": pdf_base64("补偿方案")}]})
    assert body["status"] == RequestStatus.SIGN_OFF
    act(oa, case_id, "sign-off", {"approve": False, "comments": "请补充获取方式"})
    act(oa, case_id, "reply-draft", {"text": "请查收附件。"})  # the file stays attached
    body = act(oa, case_id, "sign-off", {"approve": True, "comments": "同意"})
    assert body["status"] == RequestStatus.ISSUED and body["issued_on"]
    reply = [d for d in body["documents"] if d["kind"] == kinds.REPLY]
    assert reply and reply[-1]["status"] == "issued" and reply[-1]["number"]
    body = act(oa, case_id, "delivery", {"method": "email", "delivered_on": local_today().isoformat()})
    assert body["status"] == RequestStatus.DELIVERED and body["delivered_on"] == local_today().isoformat()
    assert body["clock"]["stopped_on"] == local_today().isoformat()
    assert "答复已送达" in [t["text"] for t in body["timeline"]]
    assert act(oa, case_id, "archive")["status"] == RequestStatus.ARCHIVED
    # every step by the key's account, named as the key in the record
    case = DisclosureRequest.objects.get(pk=case_id)
    done = AuditEvent.objects.filter(object_type="workflows.disclosurerequest", object_id=str(case_id),
                                     action__in=["request.task_claimed", "request.determined", "request.reply_drafted",
                                                 "request.signed_off", "request.delivered", "request.archived"])
    assert {e.action for e in done} == {"request.task_claimed", "request.determined", "request.reply_drafted",
                                        "request.signed_off", "request.delivered", "request.archived"}
    assert all(e.actor_id == oa.key.account_id and e.actor_detail["api_key"] == oa.key.prefix for e in done)
    assert case.disclosed_files.count() == 1 and open_steps(case) == []


def test_the_branches_of_handling_through_the_api(oa, agency, people, land):
    case = accepted(agency, people, land, handler=None)
    # a third party (Art. 32): the letter, its signed-for day, the opinion
    body = act(oa, case.pk, "third-party-consult", {"third_party": "平顶山某建材有限公司", "matter": "环评报告",
                                                    "sent_via": "post"})
    assert body["status"] == RequestStatus.CONSULTING and body["clock"]["paused"]
    letter = case.third_party_consultations.get()
    act(oa, case.pk, "notice-receipt", {"kind": "third_party", "notice": letter.pk,
                                        "received_on": local_today().isoformat()})
    letter.refresh_from_db()
    assert letter.receipt_on == local_today()
    assert act(oa, case.pk, "third-party-opinion", {"opinion": "consent", "opinion_text": "同意"})["status"] == \
        RequestStatus.IN_PROGRESS
    # another agency (Art. 34)
    act(oa, case.pk, "other-agency-consult", {"other_agency": "平顶山市自然资源和规划局", "matter": "联合发文"})
    act(oa, case.pk, "other-agency-answer", {"answer": "consent"})
    # volume beyond reason (Art. 35)
    act(oa, case.pk, "volume-reasons", {"question": "请说明本月第二十件申请的理由"})
    act(oa, case.pk, "volume-decide", {"decision": "longer", "reasons": "用于课题研究", "longer_days": 10})
    # 会商: the participant gives their opinion through the API with their own session
    act(oa, case.pk, "consultation", {"participants": [people["handler2"].pk], "question": "是否涉及商业秘密"})
    colleague = KeyClient("none")
    colleague.defaults.pop("HTTP_AUTHORIZATION")
    colleague.force_login(people["handler2"])
    act(colleague, case.pk, "consultation-opinion", {"opinion": "不涉及"})
    act(oa, case.pk, "consultation-decide", {"decision": "不涉及商业秘密，予以公开"})
    # a fee, then the payment (Art. 42)
    body = act(oa, case.pk, "fee-notice", {"method": "per_page", "quantity": 150, "basis": "按量计收"})
    assert body["status"] == RequestStatus.AWAITING_FEE
    assert act(oa, case.pk, "fee-paid", {})["status"] == RequestStatus.IN_PROGRESS
    # handed over to a colleague, with a reason
    body = act(oa, case.pk, "reassign", {"to_user": people["handler"].pk, "reason": "按分工改由王承办办理"})
    assert DisclosureRequest.objects.get(pk=case.pk).handler_id == people["handler"].pk
    # now the task is 王承办's: the key's handler role does not let it take it (403)
    taken = oa.post_json(f"/api/applications/{case.pk}/determine/",
                         {"decisions": [{"item": body["items"][0]["id"], "outcome": "1"}]})
    assert taken.status_code == 403 and "王承办" in taken.json()["detail"]
    # the applicant withdraws in writing
    body = act(oa, case.pk, "withdraw", {"reason": "申请人书面撤回"})
    assert body["status"] == RequestStatus.WITHDRAWN and open_steps(DisclosureRequest.objects.get(pk=case.pk)) == []


def test_a_declined_fee_and_a_lapsed_supplement_are_closed_through_the_api(oa, agency, people, land):
    case = accepted(agency, people, land, handler=None)
    act(oa, case.pk, "fee-notice", {"amount": "100.00", "basis": "按件计收"})
    assert act(oa, case.pk, "fee-declined", {})["status"] == RequestStatus.CLOSED
    # a supplement never sent back: the timer closes the case, the key signs and serves the notice
    received = days_ago(20)
    lapsing, _code = submit(agency, people["registrar"], channel="post", received=received,
                            id_number="410402199202021234")
    svc.request_register(actor=people["registrar"], case=lapsing, signed_for_on=received)
    svc.request_supplement_notice(actor=people["registrar"], case=lapsing, what="请补充身份证明", days=3,
                                  on=received + dt.timedelta(days=1), sent_via="email")
    assert fire_due_timers() == 1
    assert open_steps(lapsing) == ["closure_sign_off"]
    act(oa, lapsing.pk, "closure-sign-off", {"comments": "同意"})
    body = act(oa, lapsing.pk, "closure-delivery", {"method": "direct", "delivered_on": local_today().isoformat()})
    assert body["status"] == RequestStatus.CLOSED and body["delivered_on"] == local_today().isoformat()
    assert open_steps(lapsing) == []


def _bodies(case, people):
    item = case.items.first().pk
    today = local_today().isoformat()
    letter = case.third_party_consultations.first()
    return {
        "determine": {"decisions": [{"item": item, "outcome": "1"}]},
        "third-party-consult": {"third_party": "某公司", "matter": "环评报告"},
        "third-party-opinion": {"opinion": "consent"},
        "other-agency-consult": {"other_agency": "某局", "matter": "联合发文"},
        "other-agency-answer": {"answer": "consent"},
        "volume-reasons": {"question": "请说明理由"},
        "volume-decide": {"decision": "unreasonable", "reasons": "无"},
        "consultation": {"participants": [people["handler2"].pk], "question": "是否公开"},
        "consultation-opinion": {"opinion": "同意"},
        "consultation-decide": {"decision": "公开"},
        "extension-request": {"days": 5, "reason": "需要检索档案"},
        "extension-decide": {"approve": True},
        "fee-notice": {"amount": "100.00", "basis": "按件计收"},
        "fee-paid": {},
        "fee-declined": {},
        "confidentiality-review": {"decision": "clear"},
        "reply-draft": {"text": "请查收。"},
        "sign-off": {"approve": True},
        "delivery": {"method": "direct", "delivered_on": today},
        "archive": {},
        "closure-sign-off": {},
        "closure-delivery": {"method": "direct", "delivered_on": today},
        "withdraw": {"reason": "书面撤回"},
        "reassign": {"to_user": people["handler2"].pk, "reason": "分工调整"},
        "notice-receipt": {"kind": "third_party", "notice": letter.pk if letter else 1, "received_on": today},
    }


def test_every_action_on_an_archived_case_is_a_409_that_changes_nothing(oa, agency, people, land):
    case = accepted(agency, people, land)
    svc.request_third_party_consult(actor=people["handler"], case=case, third_party="某公司", matter="环评报告",
                                    sent_via="post")
    svc.request_third_party_opinion(actor=people["handler"], case=case, opinion="consent")
    svc.request_determine(actor=people["handler"], case=case,
                          decisions=[{"item": i.pk, "outcome": "1"} for i in case.items.all()])
    reply_to_archive(case, people)
    bodies = _bodies(case, people)
    assert set(bodies) == {slug for slug, _view in ACTIONS}
    before = state(case.pk)
    for slug, body in bodies.items():
        response = oa.post_json(f"/api/applications/{case.pk}/{slug}/", body)
        assert response.status_code == 409, (slug, response.status_code, response.content.decode())
        problem = response.json()
        assert response["Content-Type"] == "application/problem+json" and problem["title"] == "当前状态不允许此操作"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in problem["detail"]), problem  # the service's Chinese message
        assert state(case.pk) == before, slug


def test_another_agencys_key_reaches_no_action(other_key, agency, people, land):
    case = accepted(agency, people, land)
    client = KeyClient(other_key[1])
    before = state(case.pk)
    for slug, body in _bodies(case, people).items():
        response = client.post_json(f"/api/applications/{case.pk}/{slug}/", body)
        assert response.status_code == 404, slug
    assert state(case.pk) == before


def test_a_role_the_key_was_not_granted_is_a_403(client_for, agency, people, land):
    registrar_only = client_for("full")  # issued without roles: the registrar's steps
    case = accepted(agency, people, land, handler=None)
    item = case.items.first().pk
    before = state(case.pk)
    response = registrar_only.post_json(f"/api/applications/{case.pk}/determine/",
                                        {"decisions": [{"item": item, "outcome": "1"}]})
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == ERR_NOT_ALLOWED
    assert state(case.pk) == before  # the queued task was not claimed either
    svc.request_task_claim(actor=people["handler"], case=case, task=open_tasks(case)[0])
    svc.request_determine(actor=people["handler"], case=case, decisions=[{"item": item, "outcome": "1"}])
    before = state(case.pk)
    response = registrar_only.post_json(f"/api/applications/{case.pk}/confidentiality-review/", {"decision": "clear"})
    assert response.status_code == 403 and response.json()["detail"] == ERR_NOT_ALLOWED
    assert state(case.pk) == before
    # a staff session is checked the same way: the registrar may not review either
    client = Client()
    client.force_login(people["registrar"])
    assert client.post(f"/api/applications/{case.pk}/confidentiality-review/", {"decision": "clear"},
                       content_type="application/json").status_code == 403
    assert state(case.pk) == before


def test_every_action_is_described_in_chinese_and_english():
    schema = Client().get("/api/schema/?format=json").json()
    for slug, _view in ACTIONS:
        op = schema["paths"][f"/api/applications/{{id}}/{slug}/"]["post"]
        for text in (op["summary"], op["description"]):
            zh, _sep, en = text.partition(" / ")
            cjk = [any("\u4e00" <= ch <= "\u9fff" for ch in part) for part in (zh, en)]
            assert en and cjk == [True, False], (slug, text)
        assert {"200", "403", "409"} <= set(op["responses"]), slug
