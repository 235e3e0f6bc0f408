"""Working a case in the staff UI with the test client, and who sees what on every
list and detail page."""

import re

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from agencies import roles
from agencies.services import department_create
from legal.selectors import local_today
from tests.applications import accepted, actions, days_ago, submit, svc, task_of, workdays
from workflows.demo import sample_pdf
from workflows.flows import DisclosureRequestFlow as Flow
from workflows.models import DisclosureRequest, RequestStatus
from workflows.services import _step

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


def step(client, user, case, node, data):
    """Claim (if in a queue) and execute the live task of `node` through the pages."""
    as_user(client, user)
    task = Task.objects.filter(process__in=case.processes.values("pk"), flow_task=node).exclude(
        status__in=["DONE", "CANCELED"]).get()
    if task.status == "NEW":
        resp = client.post(node.reverse("assign", args=[task.process_id, task.pk]))
        assert resp.status_code == 302, resp.content[:500]
    url = node.reverse("execute", args=[task.process_id, task.pk])
    assert client.get(url).status_code == 200
    resp = client.post(url, data)
    if resp.status_code != 302:  # show the form's errors, not the page's head
        import re

        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</', resp.content.decode(), re.S)
        raise AssertionError(f"{node.name}: {errors or resp.content.decode()[:3000]}")
    return DisclosureRequest.objects.get(pk=case.pk)


def test_a_case_worked_end_to_end_in_the_browser(client, agency, people, land):
    today = local_today().isoformat()
    as_user(client, people["registrar"])
    resp = client.post("/staff/workflow/cases/new/", {
        "channel": "in_person", "submitted_at": f"{today}T09:30", "applicant_type": "natural", "applicant_name": "张三",
        "id_type": "resident_id", "id_number": "410402199001011234", "phone": "13800000000", "address": "石龙区",
        "description": "申请公开土地征收补偿方案", "items": "2025年土地征收补偿方案\n征收公告", "form_wanted": "paper",
        "delivery_wanted": "post"})
    assert resp.status_code == 302
    case = DisclosureRequest.objects.get()
    assert case.items.count() == 2
    assert "登记" in client.get(f"/staff/workflow/cases/{case.pk}/").content.decode()
    case = step(client, people["registrar"], case, Flow.register, {})
    assert case.status == RequestStatus.REGISTERED and case.registration_number
    case = step(client, people["registrar"], case, Flow.check_completeness,
                {"decision": "complete", "department": land.pk, "days": 15})
    assert case.status == RequestStatus.IN_PROGRESS
    # the handler finds it in the department queue and claims it
    as_user(client, people["handler"])
    assert case.registration_number in client.get("/staff/workflow/queue/").content.decode()
    first, second = case.items.all()
    case = step(client, people["handler"], case, Flow.handle, {
        "action": "determine", f"item_{first.pk}_outcome": "1", f"item_{first.pk}_reasoning": "予以公开",
        f"item_{second.pk}_outcome": "already_public", f"item_{second.pk}_where_published": "区政府网站"})
    assert case.status == RequestStatus.CONFIDENTIALITY_REVIEW and case.handler == people["handler"]
    case = step(client, people["secrecy"], case, Flow.confidentiality_review, {"decision": "clear"})
    case = step(client, people["handler"], case, Flow.draft_reply,
                {f"files_{first.pk}": sample_pdf("2025年土地征收补偿方案"), "provided_form": "paper"})
    assert case.disclosed_files.get().original_name == "2025年土地征收补偿方案.pdf"
    case = step(client, people["chief"], case, Flow.sign_off, {"approve": "0", "comments": "补充救济途径"})
    assert case.status == RequestStatus.DRAFTING
    case = step(client, people["handler"], case, Flow.draft_reply, {"text": "如需纸质件，请与联系人联系。"})
    case = step(client, people["chief"], case, Flow.sign_off, {"approve": "1"})
    assert case.status == RequestStatus.ISSUED
    case = step(client, people["registrar"], case, Flow.deliver, {
        "method": "post", "delivered_on": local_today().isoformat(), "tracking_number": "1190012345678"})
    case = step(client, people["registrar"], case, Flow.archive, {"confirm": "on"})
    assert case.status == RequestStatus.ARCHIVED
    body = client.get(f"/staff/workflow/cases/{case.pk}/").content.decode()
    assert "已归档" in body and "登记人员李登记归档，案件办结" in body and "答复期限" in body
    assert not re.search(r"request\.[a-z_]+ed\b", body)  # the record in words, not action codes
    assert ">Register<" not in body and ">Done<" not in body
    as_user(client, people["handler"])
    assert case.registration_number in client.get("/staff/workflow/archive/").content.decode()


def test_service_errors_show_on_the_form_and_change_nothing(client, agency, people, land):
    case = accepted(agency, people, land)
    as_user(client, people["handler"])
    task = task_of(case, Flow.handle)
    resp = client.post(Flow.handle.reverse("execute", args=[task.process_id, task.pk]),
                       {"action": "extension", "days": "5", "reason": ""})
    assert resp.status_code == 200 and _step.ERR_REASON_REQUIRED in resp.content.decode()
    assert task_of(case, Flow.handle).status == STATUS.ASSIGNED
    assert not case.extensions.exists()


def test_inbox_shows_days_left_and_colours(client, agency, people, land):
    fresh = accepted(agency, people, land)
    received = days_ago(40)
    late, _ = submit(agency, people["registrar"], channel="post", received=received)
    late = svc.request_register(actor=people["registrar"], case=late, signed_for_on=received)
    late = svc.request_accept(actor=people["registrar"], case=late, department=land, handler=people["handler"])
    as_user(client, people["handler"])
    body = client.get("/staff/workflow/inbox/").content.decode()
    assert fresh.registration_number in body and late.registration_number in body
    assert "已超期" in body and "#c62828" in body and "剩余20个工作日" in body
    sorted_body = client.get("/staff/workflow/inbox/?_orderby=days_left").content.decode()
    assert sorted_body.index(late.registration_number) < sorted_body.index(fresh.registration_number)


@pytest.fixture
def outsiders(other_agency, make_staff, department):
    finance = department_create(actor=None, agency=other_agency, name="财政局", code="finance")
    return {
        "other_agency_registrar": make_staff(roles.REGISTRAR, roles.HANDLER, agency_=other_agency, department_=finance,
                                             username="anyue"),
        "other_dept_handler": make_staff(roles.HANDLER, username="housing", department_=department),
    }


def test_every_list_and_detail_page_is_scoped(client, agency, people, land, outsiders):
    case = accepted(agency, people, land, handler=None)
    process = case.processes.get()
    task = task_of(case, Flow.handle)
    done = task_of(case, Flow.register)
    detail_urls = [
        f"/staff/workflow/cases/{case.pk}/",
        f"/staff/workflow/flows/disclosurerequest/{process.pk}/",
        Flow.handle.reverse("detail", args=[process.pk, task.pk]),
        Flow.handle.reverse("assign", args=[process.pk, task.pk]),
        Flow.handle.reverse("execute", args=[process.pk, task.pk]),
        Flow.register.reverse("detail", args=[process.pk, done.pk]),
    ]
    list_urls = ["/staff/workflow/inbox/", "/staff/workflow/queue/", "/staff/workflow/archive/",
                 "/staff/workflow/cases/", "/staff/workflow/flows/disclosurerequest/",
                 "/staff/workflow/flows/disclosurerequest/processes/" if False else "/staff/workflow/flows/disclosurerequest/",
                 ]
    for name, user in outsiders.items():
        as_user(client, user)
        for url in detail_urls:
            status = client.get(url).status_code
            assert status in (403, 404), (name, url, status)
        assert client.post(detail_urls[3]).status_code in (403, 404)
        for url in list_urls + _flow_list_urls():
            resp = client.get(url)
            assert resp.status_code in (200, 302, 403), (name, url, resp.status_code)
            assert case.tracking_number not in resp.content.decode(), (name, url)
            assert (case.registration_number not in resp.content.decode()), (name, url)
    # the insiders do see it
    as_user(client, people["handler"])
    assert case.registration_number in client.get("/staff/workflow/queue/").content.decode()
    assert client.get(detail_urls[0]).status_code == 200
    assert client.get(detail_urls[1]).status_code == 200
    as_user(client, people["auditor"])
    assert client.get(detail_urls[0]).status_code == 200
    assert client.post(detail_urls[3]).status_code == 403  # reads everything, changes nothing


def _flow_list_urls():
    from django.urls import reverse

    names = ["workflow:flows:disclosurerequest:index", "workflow:flows:disclosurerequest:process_list",
             "workflow:flows:disclosurerequest:task_list"]
    out = []
    for n in names:
        try:
            out.append(reverse(n))
        except Exception:
            pass
    return out


def test_menu_badge_counts_are_scoped(client, agency, people, land, outsiders):
    accepted(agency, people, land, handler=None)
    from django.test import RequestFactory

    from workflows.staff import RequestWorkflowApp

    app = RequestWorkflowApp(flow_viewsets=[])
    app.flow_classes = [Flow]
    request = RequestFactory().get("/")
    request.user = outsiders["other_dept_handler"]
    ctx = app.get_context_data(request)
    assert ctx["user_queue"].count() == 0 and ctx["user_inbox"].count() == 0
    request.user = people["handler"]
    assert app.get_context_data(request)["user_queue"].count() == 1


def test_claiming_selected_tasks_from_the_queue_goes_through_the_service(client, agency, people, land):
    first = accepted(agency, people, land, handler=None)
    second = accepted(agency, people, land, handler=None)
    tasks = [task_of(c, Flow.handle) for c in (first, second)]
    as_user(client, people["handler"])
    resp = client.post("/staff/workflow/queue/assign/", {"pk": [t.pk for t in tasks], "_confirm": "1"})
    assert resp.status_code == 302
    for case in (first, second):
        case = DisclosureRequest.objects.get(pk=case.pk)
        assert case.handler == people["handler"]
        assert "request.task_claimed" in actions(case)
    # releasing a task is done by reassignment with a reason: viewflow's bulk unassign is gone
    resp = client.post("/staff/workflow/inbox/unassign/", {"pk": [tasks[0].pk], "_confirm": "1"})
    assert resp.status_code == 404
    assert task_of(first, Flow.handle).owner == people["handler"]


def test_the_person_in_charge_sees_what_they_sign_and_approve(client, agency, people, land):
    """审签 shows the reply as it will be issued, its attachments and the review opinion;
    the extension approval shows the days, the reason and both deadlines."""
    from tests.applications import determine_all
    from workflows.demo import disclosed_attachments

    case = accepted(agency, people, land)
    svc.request_extension_ask(actor=people["handler"], case=case, days=10, reason="需调取2019年以前的纸质档案")
    due = DisclosureRequest.objects.get(pk=case.pk).clock.due_date
    as_user(client, people["chief"])
    task = Task.objects.get(process__in=case.processes.all(), flow_task=Flow.approve_extension)
    client.post(Flow.approve_extension.reverse("assign", args=[task.process_id, task.pk]))
    page = client.get(Flow.approve_extension.reverse("execute", args=[task.process_id, task.pk])).content.decode()
    new_due = workdays(due, 10)
    for expected in ["10 个工作日", "需调取2019年以前的纸质档案", "王承办",
                     f"{due.year}年{due.month}月{due.day}日", f"{new_due.year}年{new_due.month}月{new_due.day}日"]:
        assert expected in page, expected
    svc.request_extension_decide(actor=people["chief"], case=case, approve=True, comment="同意")

    case = determine_all(case, people["handler"])
    svc.request_confidentiality_clear(actor=people["secrecy"], case=case, note="不涉密，同意公开")
    svc.request_reply_draft(actor=people["handler"], case=case, attachments=disclosed_attachments(case))
    task = Task.objects.get(process__in=case.processes.all(), flow_task=Flow.sign_off)
    client.post(Flow.sign_off.reverse("assign", args=[task.process_id, task.pk]))
    page = client.get(Flow.sign_off.reverse("execute", args=[task.process_id, task.pk])).content.decode()
    for expected in ["答复书（将要签发的文本）", "本机关予以公开，现随本答复书一并提供（见附件1）", "申请人如对本答复不服",
                     "2025年土地征收补偿方案.pdf"]:
        assert expected in page, expected
    assert re.search(r"孙保密（[^）]*）：不涉密，同意公开", page), "the confidentiality opinion, by name"
