"""Every URL of the installation, tried as staff who must not reach what it names.

The URL patterns are read from the resolver, not listed by hand: each pattern whose
route names an object (a process, a task, a case, a document, a publication, a tracking
number, an admin record…) is filled with a real object of agency A — an application
in the handling stage with its tasks, a publication under review, a document — and
requested, GET and POST, by a member of agency B who holds every role, and by a handler
of another department of agency A. Each must get 403 or 404 (or the log-in page), and
no POST may change a task, a case, a publication, a document or the audit record.

A new URL pattern is covered without anyone remembering to add it; one whose object
this file cannot build makes the test fail until it is taught here (or, with a reason,
put on the short allow-list). The list pages (inbox, queue, done, case list, process
and task lists, dashboards, publication lists…) are walked the same way and must not
show agency A's rows to those users.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from viewflow.workflow.models import Task

from agencies import roles
from agencies.services import department_create
from api.models import ApiKey
from api.services import api_key_issue
from audit.models import AuditEvent
from documents.models import Document
from legal.selectors import local_today
from reviews.flows import publication_start_review
from reviews.models import Publication, PublicationProcess
from reviews.services import publication_create
from tests.applications import accepted
from workflows.demo import sample_pdf
from workflows.models import DisclosedFile, DisclosureRequest, RequestAttachment, RequestProcess, ThirdPartyConsultation
from workflows.services.correction import correction_register
from workflows.services.register_import import register_import
from workflows.services.remedy import remedy_document_attach, remedy_register

pytestmark = pytest.mark.django_db

# Patterns that name something which is not an agency's object, with the reason.
ALLOW = {
    "password_reset_confirm": "密码重置链接：uidb64 与 token 是一次性签名凭据，不指向任何机关的数据",
    "calendar-year": "接口中某年的工作日安排：年份不是任何机关的对象，日历全国共用",
    "calendar-import": "接口导入某年的官方放假安排：年份不是任何机关的对象，日历全国共用；须有日历维护权限"
                       "（tests/api/test_calendar_import.py）",
    "captcha-image": "验证码图片：key 是一次性随机值，不指向任何机关的数据",
    "captcha-image-2x": "验证码图片（高清）：同上",
    "captcha-audio": "验证码语音：同上（未配置 flite 时不提供）",
}

POST_DATA = {"_confirm": "1", "_cancel_process": "1", "_continue": "1", "select_all": "1", "decision": "approve",
             "comment": "越权尝试", "reason": "越权尝试", "approve": "1"}


# --- the resolver, walked ---------------------------------------------------------------------

@dataclass
class Route:
    route: str
    name: str | None  # namespaced, e.g. "workflow:flows:disclosurerequest:handle:cancel"
    kwargs: tuple[str, ...]


def _kwargs_of(pattern) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return list(converters)
    return list(pattern.regex.groupindex)


def all_routes() -> list[Route]:
    out = []

    def walk(resolver, prefix, namespaces, kwargs):
        for entry in resolver.url_patterns:
            here = kwargs + _kwargs_of(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern), namespaces + ([entry.namespace] if entry.namespace else []),
                     here)
            elif isinstance(entry, URLPattern):
                name = ":".join(namespaces + [entry.name]) if entry.name else None
                out.append(Route(prefix + str(entry.pattern), name, tuple(dict.fromkeys(here))))

    walk(get_resolver(), "", [], [])
    return out


# --- agency A's objects, and the people who must not reach them ------------------------------

@pytest.fixture
def world(agency, other_agency, people, land, make_staff):
    case = accepted(agency, people, land)  # registered, checked, 承办 assigned to the land handler
    queued = accepted(agency, people, land, handler=None, id_number="410402199202021234")  # waiting in the land queue
    drafter = make_staff(roles.HANDLER, username="drafter", full_name="王起草", department_=land)
    publication = publication_create(actor=drafter, department=land, title="石龙区集体土地征收补偿标准调整方案",
                                     body="根据有关规定，现将补偿标准公告如下。", created_on=local_today())
    publication_start_review(actor=drafter, publication=publication)
    document = Document.objects.filter(request=case).order_by("id").first()
    assert document is not None, "登记后应已出具受理回执等文书"
    b_department = department_create(actor=None, agency=other_agency, name="政务公开股", code="ogi")
    outsider = make_staff(*roles.ROLE_PERMISSIONS, username="outsider", full_name="乙机关全能人员",
                          agency_=other_agency, department_=b_department)
    # a posted letter waiting for its signed receipt, and a file attached to the reply
    letter = ThirdPartyConsultation.objects.create(
        request=case, third_party="平顶山某建材有限公司", matter="环评报告", letter_on=local_today(),
        reply_due=local_today(), sent_via="post")
    upload = sample_pdf("补偿方案")
    disclosed = DisclosedFile.objects.create(request=case, item=case.items.first(), file=upload,
                                             original_name=upload.name, content_type="application/pdf",
                                             size=upload.size, sha256="0" * 64, uploaded_by=people["handler"])
    id_copy = sample_pdf("身份证复印件")
    applicant_file = RequestAttachment.objects.create(request=case, file=id_copy, original_name=id_copy.name,
                                                      content_type="application/pdf", size=id_copy.size, sha256="0" * 64)
    correction = correction_register(actor=people["registrar"], department=land, applicant_name="张三", record="征收补偿名册",
                                     inaccurate="人口3人", correct_to="人口4人", evidence="出生医学证明")
    # a lawsuit over the case, with the complaint received
    remedy = remedy_register(actor=people["legal"], kind="litigation", case=case, applicant="张三",
                             received_on=local_today(), case_number="（2026）豫0411行初9945号")
    remedy_file = remedy_document_attach(actor=people["legal"], proceeding=remedy, title="起诉状副本",
                                         file=sample_pdf("起诉状副本"))
    # the handler's authenticator: its admin pages show the secret (QR code, config URL)
    totp_device = TOTPDevice.objects.create(user=people["handler"], name="手机", confirmed=True)
    api_key, _secret = api_key_issue(actor=None, agency=agency, name="省政务服务网", scope=ApiKey.FULL)
    # an earlier register imported by the OGI office (台账导入): its record names the file and the cases
    imported = register_import(actor=people["registrar"], agency=agency, content=_register_sheet(),
                               file_name="石龙区原申请台账.xlsx")
    return SimpleNamespace(api_key=api_key, register_import=imported,
        letter=letter, disclosed=disclosed, applicant_file=applicant_file, correction=correction, totp_device=totp_device,
        remedy=remedy, remedy_file=remedy_file,
        case=case, queued=queued, publication=Publication.objects.get(pk=publication.pk), document=document,
        request_process=RequestProcess.objects.get(case=case),
        publication_process=PublicationProcess.objects.get(publication=publication),
        outsider=outsider, neighbour=people["ogi_handler"], people=people,
        markers=[case.tracking_number, case.registration_number, queued.tracking_number,
                 queued.registration_number, publication.title, remedy.case_number, imported.file_name],
    )


def _register_sheet() -> bytes:
    import io

    from openpyxl import Workbook

    from workflows.register_sheet import HEADERS, SHEET_TITLE

    wb = Workbook()
    wb.active.title = SHEET_TITLE
    wb.active.append(HEADERS)
    wb.active.append(["2025-0901", "自然人", "张三", "当面", "2025-03-03", "石龙区2024年财政预算执行情况", "已办结",
                      "予以公开", "2025-03-20", "2025-03-21"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _node_task(process, node_name: str) -> Task:
    tasks = Task.objects.filter(process=process).order_by("id")
    own = [t for t in tasks if t.flow_task is not None and t.flow_task.name == node_name]
    return (own or list(tasks))[-1]


def _admin_object(route: Route, w) -> str:
    """The admin of one model (from its path, admin/<app>/<model>/…): agency A's record
    of it where there is one."""
    parts = route.route.split("/")
    for model in admin.site._registry:
        if parts[1:3] == [model._meta.app_label, model._meta.model_name]:
            preferred = {"agencies.agency": w.case.agency, "agencies.department": w.case.department,
                         "agencies.staffprofile": w.people["handler"].staff_profile,
                         "auth.user": w.people["handler"], "workflows.disclosurerequest": w.case,
                         "reviews.publication": w.publication, "documents.document": w.document,
                         "otp_totp.totpdevice": w.totp_device}
            obj = preferred.get(model._meta.label_lower) or model._default_manager.order_by("pk").first()
            # the admin refuses non-superusers before it looks anything up; an empty table still gets a probe
            return str(obj.pk) if obj is not None else "1"
    raise LookupError(f"不认识的管理后台 URL：{route.route}")


def build(route: Route, w) -> dict:
    """The kwargs naming agency A's object for this route; LookupError when unknown."""
    name = route.name or ""
    ns = name.split(":")
    kw = {}
    for key in route.kwargs:
        if key == "process_pk":
            process = {"workflow": w.request_process, "publication": w.publication_process}.get(ns[0])
            if process is None:
                raise LookupError(f"{name}: 不知道 process_pk 属于哪个流程")
            kw[key] = process.pk
        elif key == "task_pk":
            process = {"workflow": w.request_process, "publication": w.publication_process}[ns[0]]
            kw[key] = _node_task(process, ns[-2]).pk
        elif key == "pk" and name == "workflow:correction_detail":
            kw[key] = w.correction.pk
        elif key == "pk" and name in ("workflow:remedy_detail", "workflow:remedy_document"):
            kw[key] = w.remedy.pk
        elif key == "file_pk" and name == "workflow:remedy_document":
            kw[key] = w.remedy_file.pk
        elif key == "pk" and name in ("workflow:notice_receipt", "workflow:disclosed_file", "workflow:applicant_file"):
            kw[key] = w.case.pk
        elif key == "kind" and name == "workflow:notice_receipt":
            kw[key] = "third_party"
        elif key == "notice_pk" and name == "workflow:notice_receipt":
            kw[key] = w.letter.pk
        elif key == "file_pk" and name == "workflow:disclosed_file":
            kw[key] = w.disclosed.pk
        elif key == "file_pk" and name == "workflow:applicant_file":
            kw[key] = w.applicant_file.pk
        elif key == "pk" and name == "portal:disclosed_file":
            kw[key] = w.disclosed.pk
        elif key == "pk" and name in ("workflow:case_urge", "workflow:case_intake_receipt"):  # 催办, the counter's 回执
            kw[key] = w.case.pk
        elif key == "pk" and name.startswith("workflow:case_"):  # the case page and its actions
            kw[key] = w.case.pk
        elif key == "pk" and name.startswith("api:application"):  # the API: a case and its actions
            kw[key] = w.case.pk
        elif key == "pk" and name.startswith("api:document"):
            kw[key] = w.document.pk
        elif key == "pk" and name == "reports:register_import:detail":  # the record of an import (台账导入)
            kw[key] = w.register_import.pk
        elif key == "pk" and name == "apikeys:api_keys:revoke":
            kw[key] = w.api_key.pk
        elif key == "pk" and name == "agency:people:change":  # a colleague's account page
            kw[key] = w.people["handler"].pk
        elif key == "pk" and name.startswith("publication:publications:"):
            kw[key] = w.publication.pk
        elif key == "pk" and name.startswith("documents:documents:"):
            kw[key] = w.document.pk
        elif key == "pk" and name in ("reviews_public:detail", "portal:document"):
            kw[key] = w.publication.pk if name.startswith("reviews_public") else w.document.pk
        elif key == "request_pk" and name == "documents:documents:case_file":
            kw[key] = w.case.pk
        elif key == "fmt" and name == "documents:documents:case_file":
            kw[key] = "pdf"
        elif key == "tracking_number":
            kw[key] = w.case.tracking_number
        elif key == "object_id" and "content_type_id" in route.kwargs:
            kw[key] = str(w.case.pk)
        elif key == "content_type_id" and name.startswith("admin:"):
            kw[key] = ContentType.objects.get_for_model(DisclosureRequest).pk
        elif key in ("object_id", "id", "pk") and route.route.startswith("admin/"):  # django-otp's admin uses pk
            kw[key] = _admin_object(route, w)
        elif key == "app_label" and name.startswith("admin:"):
            kw[key] = "agencies"
        else:
            raise LookupError(f"{name or route.route}: 不知道如何为参数 {key} 构造机关甲的对象")
    return kw


def url_for(route: Route, kw: dict) -> str:
    if route.name:
        return reverse(route.name, kwargs=kw)
    # an unnamed pattern (the admin's <object_id>/ redirects): fill the route itself
    if "(?P<" in route.route:
        raise LookupError(f"{route.route}: 无名称的正则路由，无法构造")
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kw[m.group(1)]), route.route)


def fingerprint():
    return (
        sorted(Task.objects.values_list("id", "status", "owner_id")),
        sorted(DisclosureRequest.objects.values_list("id", "status", "handler_id", "department_id")),
        sorted(Publication.objects.values_list("id", "state")),
        sorted(Document.objects.values_list("id", "status")),
        sorted(ApiKey.objects.values_list("id", "revoked_at")),
        AuditEvent.objects.count(),
    )


def refused(response) -> bool:
    if response.status_code in (403, 404, 405):  # 405: the view does not answer that method at all
        return True
    if response.status_code in (301, 302):
        where = response["Location"]
        return where.startswith(settings.LOGIN_URL) or where.startswith(reverse("admin:login"))
    return False


def follow(client, response):
    """A redirect elsewhere (viewflow's task index page) is followed to where it ends."""
    hops = 0
    while response.status_code in (301, 302) and not refused(response) and hops < 5:
        response = client.get(response["Location"])
        hops += 1
    return response


def object_routes():
    return [r for r in all_routes() if r.kwargs]


# --- the tests ------------------------------------------------------------------------------

def test_every_object_url_refuses_another_agency_and_another_department(world):
    routes = object_routes()
    assert len(routes) > 300, "the resolver walk found too few patterns"
    unbuildable, leaks = [], []
    clients = {}
    for who in ("outsider", "neighbour"):
        clients[who] = Client(raise_request_exception=False)
        clients[who].force_login(getattr(world, who))
    before = fingerprint()
    tried = 0
    for route in routes:
        if route.name and route.name.split(":")[-1] in ALLOW:
            continue
        try:
            url = url_for(route, build(route, world))
        except LookupError as exc:
            unbuildable.append(str(exc))
            continue
        for who, client in clients.items():
            response = follow(client, client.get(url))
            if not refused(response):
                leaks.append(f"GET {url} as {who}: {response.status_code}")
            response = follow(client, client.post(url, POST_DATA))
            if not refused(response):
                leaks.append(f"POST {url} as {who}: {response.status_code}")
            after = fingerprint()
            if after != before:
                leaks.append(f"POST {url} as {who} changed the data")
                before = after
            tried += 1
    assert not unbuildable, "URL patterns this test cannot fill with an object (teach `build` or allow-list):\n" + \
        "\n".join(unbuildable)
    assert not leaks, f"{len(leaks)} of {tried * 2} requests reached agency A's objects:\n" + "\n".join(leaks[:60])


def test_list_pages_show_no_foreign_rows(world):
    routes = [r for r in all_routes() if not r.kwargs and r.name and r.route.startswith(("staff/", "api/", "gk/"))
              and not r.name.endswith(("logout", "password_change"))]
    names = {r.name for r in routes}
    for expected in ("workflow:inbox", "workflow:queue", "workflow:archive", "workflow:cases:index",
                     "workflow:flows:disclosurerequest:index", "workflow:flows:disclosurerequest:process_list",
                     "workflow:flows:disclosurerequest:task_list", "publication:index", "publication:queue",
                     "publication:process_list", "publication:task_list", "publication:publications:index",
                     "documents:documents:index", "workflow:supervision:index", "workflow:cases:export"):
        assert expected in names, f"list page {expected} not found by the walk"
    shown = []
    for who in ("outsider", "neighbour"):
        client = Client()
        client.force_login(getattr(world, who))
        for route in routes:
            url = reverse(route.name)
            response = client.get(url)
            body = response.content.decode("utf-8", "replace")
            for marker in world.markers:
                if marker and marker in body:
                    shown.append(f"{url} as {who} shows {marker}")
    assert not shown, "\n".join(shown)
    # the markers are real: the case's own handler finds it in the inbox, its registrar in the case list
    client = Client()
    client.force_login(world.people["handler"])
    assert world.case.registration_number in client.get(reverse("workflow:inbox")).content.decode()
    client.force_login(world.people["registrar"])
    assert world.queued.registration_number in client.get(reverse("workflow:cases:index")).content.decode()
    assert world.queued.registration_number in client.get(
        reverse("workflow:cases:index"), {"number": world.queued.registration_number}).content.decode()


def test_bulk_select_all_reaches_only_the_users_own_queue(world):
    client = Client()
    client.force_login(world.outsider)
    before = fingerprint()
    for url in ("/staff/workflow/queue/assign/", "/staff/publication/queue/assign/"):
        confirm = client.post(url, {"select_all": "1"})
        body = confirm.content.decode()
        assert confirm.status_code == 200
        assert not [m for m in world.markers if m in body], body
        assert not re.search(r"#\d+/\d+", body), "the confirm page lists no task of another agency"
        client.post(url, {"select_all": "1", "_confirm": "1"})
    assert fingerprint() == before
    for url in ("/staff/workflow/inbox/unassign/", "/staff/publication/inbox/unassign/"):
        assert client.post(url, {"select_all": "1", "_confirm": "1"}).status_code == 404  # closed


def test_the_same_pages_open_for_those_who_may_see_the_objects(world):
    """The refusals above are not a wall in front of everyone: agency A's own staff reach
    the same URLs (so a guard that refused all would fail here)."""
    handle = _node_task(world.request_process, "handle")
    first_review = _node_task(world.publication_process, "first_review")
    pages = {
        world.people["handler"]: [
            reverse("workflow:case_detail", kwargs={"pk": world.case.pk}),
            reverse("workflow:flows:disclosurerequest:process_detail", kwargs={"process_pk": world.request_process.pk}),
            reverse("workflow:flows:disclosurerequest:process_chart", kwargs={"process_pk": world.request_process.pk}),
            reverse("workflow:flows:disclosurerequest:handle:detail",
                    kwargs={"process_pk": world.request_process.pk, "task_pk": handle.pk}),
            reverse("documents:documents:detail", kwargs={"pk": world.document.pk}),
            reverse("workflow:remedy_detail", kwargs={"pk": world.remedy.pk}),
            reverse("workflow:remedy_document", kwargs={"pk": world.remedy.pk, "file_pk": world.remedy_file.pk}),
            reverse("workflow:applicant_file", kwargs={"pk": world.case.pk, "file_pk": world.applicant_file.pk}),
            reverse("workflow:case_intake_receipt", kwargs={"pk": world.case.pk}),
        ],
        world.people["registrar"]: [
            reverse("reports:register_import:detail", kwargs={"pk": world.register_import.pk}),
        ],
        world.people["chief"]: [
            reverse("publication:process_detail", kwargs={"process_pk": world.publication_process.pk}),
            reverse("publication:process_chart", kwargs={"process_pk": world.publication_process.pk}),
            reverse("publication:first_review:detail",
                    kwargs={"process_pk": world.publication_process.pk, "task_pk": first_review.pk}),
            reverse("publication:publications:detail", kwargs={"pk": world.publication.pk}),
        ],
    }
    for user, urls in pages.items():
        client = Client()
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, url
