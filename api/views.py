"""The REST API's endpoints: thin views over the same selectors and services the staff
pages use. Every call with a key is recorded with the key as actor (`Audited`)."""
from __future__ import annotations

import base64
import hashlib
import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from viewflow.workflow.models import Task

from agencies.models import Department
from agencies.selectors import user_agency
from audit.models import AuditEvent
from audit.services import acting_through
from documents import kinds
from documents.models import DocumentStatus
from documents.selectors import staff_documents
from legal import clock as clock_rules
from legal.calendar import ERR_YEAR_RANGE, FIRST_YEAR, LAST_YEAR, UnsupportedYear
from legal.models import CalendarDay, OfficialYear
from legal.selectors import clock_state, get_calendar
from legal.services import calendar_import_year, parse_schedule_csv
from reports import table3 as t3
from reports import table4 as t4
from reports.exports import TITLE as TABLE3_TITLE
from reports.selectors import ScopeDenied, fees_charged, report_scope
from reviews.models import Publication
from reviews.selectors import public_publications
from workflows import services as svc
from workflows.notices import APPLICANT_WORDING
from workflows.selectors import TASK_STATUS_LABELS, request_tasks_visible_to
from workflows.services.completeness import ERR_DEPARTMENT, ERR_HANDLER_DEPT

from . import serializers as s
from .errors import problem
from .models import ApiKey, ApiPush
from .permissions import KeyScope, caller_key
from .selectors import api_cases
from .services import api_call_record

ERR_NO_AGENCY = "您的账号不属于任何机关，不能推送申请。"
ERR_IDEMPOTENCY_LONG = "Idempotency-Key 不能超过 200 个字符。"
ERR_IDEMPOTENCY_REUSED = "该 Idempotency-Key 已用于内容不同的申请（或由其他调用方使用），请换用新的键。"
ERR_IDEMPOTENCY_BUSY = "使用同一 Idempotency-Key 的推送正在办理，请稍后重试。"
ERR_NO_PDF = "该文书尚未生成 PDF。"
ERR_DATE_RANGE = "日期超出系统日历支持的范围。"
ERR_IMPORT_ONE_OF = "请提供 days（逐日列表）或 csv（CSV 文本）二者之一。"

PROBLEMS = {code: OpenApiResponse(s.ProblemSerializer, description=desc) for code, desc in {
    400: "请求内容有误 / bad request", 401: "未认证 / not authenticated", 403: "无权办理 / forbidden",
    404: "未找到 / not found", 409: "当前状态不允许此操作 / wrong state", 422: "未通过校验 / invalid"}.items()}


def problems(*codes):
    return {c: PROBLEMS[c] for c in codes}


class Audited:
    """Mixed into every view: a call with a key runs with the key named in every audit
    event it writes, and is itself recorded (method, path, answer) with its last use."""

    permission_classes = [IsAuthenticated, KeyScope]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        key = caller_key(request)
        if key is not None:
            self._through = acting_through(detail={"api_key": key.prefix, "api_key_name": key.name,
                                                   "client": request.META.get("REMOTE_ADDR", "")})
            self._through.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        through = getattr(self, "_through", None)
        if through is not None:
            through.__exit__(None, None, None)
            self._through = None
        key = getattr(request, "_auth", None)
        if isinstance(key, ApiKey):
            api_call_record(key=key, method=request.method, path=request.get_full_path(),
                            status=response.status_code, client=request.META.get("REMOTE_ADDR", ""))
        return response


# --- reading a case --------------------------------------------------------------------------

def _timeline(case) -> list[dict]:
    events = AuditEvent.objects.filter(object_type=case._meta.label_lower, object_id=str(case.pk),
                                       action__in=APPLICANT_WORDING).order_by("id").values("at", "action")
    return [{"at": e["at"], "text": APPLICANT_WORDING[e["action"]].timeline} for e in events]


def api_documents(request):
    """The documents the caller may open: the staff rule; an intake key only the issued,
    non-internal documents of the applications it pushed (what the applicant sees)."""
    docs = staff_documents(request.user)
    key = caller_key(request)
    if key is not None and key.scope == ApiKey.INTAKE:
        docs = docs.filter(request__in=api_cases(request.user, key).values("pk"), status=DocumentStatus.ISSUED) \
            .exclude(kind__in=kinds.INTERNAL)
    return docs


def detail_context(request) -> dict:
    return {"request": request, "timeline": _timeline,
            "clock": lambda case: clock_state(case.clock) if case.clock_id else None,
            "documents": lambda case: api_documents(request).filter(request=case).order_by("created_at", "id")}


def case_or_404(request, pk):
    case = (api_cases(request.user, caller_key(request)).filter(pk=pk)
            .select_related("clock", "department").prefetch_related("items").first())
    if case is None:
        raise Http404
    return case


def case_detail(request, case) -> dict:
    return s.ApplicationOut(case, context=detail_context(request)).data


class ByIdCursor(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_description = "翻页游标（取自上一页的 next/previous） / pagination cursor (from next/previous)"
    page_size_query_description = "每页条数（≤200） / items per page (≤200)"


class ApplicationQuery(s.serializers.Serializer):
    number = s.serializers.CharField(required=False, max_length=40, help_text=s.h("登记号或查询号", "registration or tracking number"))
    applicant = s.serializers.CharField(required=False, max_length=200, help_text=s.h("申请人（包含）", "applicant name contains"))
    status = s.serializers.ChoiceField(required=False, choices=s.RequestStatus.choices, help_text=s.h("状态", "status"))
    received_from = s.serializers.DateField(required=False, help_text=s.h("收到申请之日起", "received on or after"))
    received_to = s.serializers.DateField(required=False, help_text=s.h("收到申请之日止", "received on or before"))
    submitted_from = s.serializers.DateField(required=False, help_text=s.h("提交日期起", "submitted on or after"))
    submitted_to = s.serializers.DateField(required=False, help_text=s.h("提交日期止", "submitted on or before"))


def _body_digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


class ApplicationsView(Audited, generics.ListAPIView):
    """申请：查询列表（与办理页面的筛选相同）与推送新申请 / applications: search and push."""

    key_scopes = (ApiKey.READ, ApiKey.FULL)
    key_write_scopes = (ApiKey.INTAKE, ApiKey.FULL)
    serializer_class = s.ApplicationListOut
    pagination_class = ByIdCursor

    def get_queryset(self):
        query = ApplicationQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        qs = api_cases(self.request.user, caller_key(self.request)).select_related("clock")
        if f.get("number"):
            number = f["number"].strip()
            qs = qs.filter(registration_number=number) | qs.filter(tracking_number=number.upper())
        if f.get("applicant"):
            qs = qs.filter(applicant_name__icontains=f["applicant"].strip())
        if f.get("status"):
            qs = qs.filter(status=f["status"])
        if f.get("received_from"):
            qs = qs.filter(received_on__gte=f["received_from"])
        if f.get("received_to"):
            qs = qs.filter(received_on__lte=f["received_to"])
        if f.get("submitted_from"):
            qs = qs.filter(submitted_at__date__gte=f["submitted_from"])
        if f.get("submitted_to"):
            qs = qs.filter(submitted_at__date__lte=f["submitted_to"])
        return qs

    @extend_schema(summary="查询申请 / search applications", parameters=[ApplicationQuery],
                   responses={200: s.ApplicationListOut(many=True), **problems(400, 401, 403)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="推送申请 / push an application",
        description=("外部受理渠道（政务服务网、12345 热线等）推送一件申请；`register` 为真时同时按条例第三十一条确认收到并登记。"
                     "带 `Idempotency-Key` 重试不会重复建立申请，而是重放首次应答。 / "
                     "An external intake pushes one application; with `register` it is also registered (Art. 31). "
                     "A retry with the same `Idempotency-Key` creates nothing and replays the first answer."),
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                                     description="幂等键（同一机关内唯一，≤200 字符） / idempotency key (per agency, ≤200 chars)")],
        request=s.ApplicationInput,
        responses={201: s.ApplicationCreated, 200: s.ApplicationCreated, **problems(400, 401, 403, 409, 422)})
    @staticmethod
    def _replay(agency, key, idem: str, digest: str):
        prior = ApiPush.objects.filter(agency=agency, idempotency_key=idem).first()
        if prior is None:
            return None
        if prior.body_sha256 != digest or prior.api_key_id != getattr(key, "pk", None):
            return problem(422, ERR_IDEMPOTENCY_REUSED)
        return Response(prior.response, status=200, headers={"Idempotent-Replayed": "true"})

    @staticmethod
    def _push(request, agency, key, idem: str, digest: str, d: dict):
        """The push's key row first (it is what a concurrent retry waits on), then the case."""
        register, signed_for_on, confirmed_on = d.pop("register"), d.pop("signed_for_on"), d.pop("confirmed_on")
        with transaction.atomic():
            push = ApiPush.objects.create(agency=agency, api_key=key, idempotency_key=idem, body_sha256=digest)
            case, code = svc.request_submit(actor=request.user, agency=agency, **d)
            if register:
                svc.request_register(actor=request.user, case=case, signed_for_on=signed_for_on,
                                     confirmed_on=confirmed_on)
            push.request = case
            push.save(update_fields=["request"])
            body = case_detail(request, case_or_404(request, case.pk))
            push.response = {**body, "access_code": None}
            push.save(update_fields=["response"])
        return case, code, body

    def post(self, request, *args, **kwargs):
        key = caller_key(request)
        agency = key.agency if key is not None else user_agency(request.user)
        if agency is None:
            raise PermissionDenied(ERR_NO_AGENCY)
        idem = request.headers.get("Idempotency-Key", "").strip()
        if len(idem) > 200:
            return problem(400, ERR_IDEMPOTENCY_LONG)
        digest = _body_digest(request.data)
        data = None
        # A push with a key that is being pushed at this moment waits on the key's unique
        # row (PostgreSQL holds the second INSERT until the first commits; SQLite's
        # IMMEDIATE transaction waits for the write lock), then fails on the constraint:
        # the first answer is committed by then and is replayed.
        for _attempt in range(3):
            if idem:
                replay = self._replay(agency, key, idem, digest)
                if replay is not None:
                    return replay
            if data is None:
                data = s.ApplicationInput(data=request.data)
                data.is_valid(raise_exception=True)
            try:
                case, code, body = self._push(request, agency, key, idem, digest, dict(data.validated_data))
            except IntegrityError:
                if not idem:
                    raise
                continue
            break
        else:
            return problem(409, ERR_IDEMPOTENCY_BUSY)
        location = reverse("api:application", kwargs={"pk": case.pk})
        return Response({**body, "access_code": code}, status=201, headers={"Location": location})


class ApplicationView(Audited, APIView):
    key_scopes = (ApiKey.INTAKE, ApiKey.READ, ApiKey.FULL)

    @extend_schema(summary="申请详情 / application detail",
                   description="含答复期限及其推算、逐项结果、公开进展和文书。接口密钥为“仅推送申请”时只能读取本密钥推送的申请。",
                   responses={200: s.ApplicationOut, **problems(401, 403, 404)})
    def get(self, request, pk: int):
        return Response(case_detail(request, case_or_404(request, pk)))


class CaseAction(Audited, APIView):
    """One step of the process, by the same service (and checks, and messages) as the page."""

    input_class = s.serializers.Serializer

    def run(self, request, case, data):  # pragma: no cover - each action defines it
        raise NotImplementedError

    def post(self, request, pk: int):
        case = case_or_404(request, pk)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        self.run(request, case, dict(data.validated_data))
        return Response(case_detail(request, case_or_404(request, pk)))


def _action_schema(summary: str, input_class):
    return extend_schema(summary=summary, request=input_class,
                         responses={200: s.ApplicationOut, **problems(400, 401, 403, 404, 409, 422)})


class RegisterAction(CaseAction):
    input_class = s.RegisterInput

    def run(self, request, case, data):
        svc.request_register(actor=request.user, case=case, **data)

    @_action_schema("登记（确认收到） / register (confirm receipt)", s.RegisterInput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class AcceptAction(CaseAction):
    input_class = s.AcceptInput

    def run(self, request, case, data):
        department = Department.objects.filter(pk=data["department"], agency=case.agency_id).first()
        if department is None:
            raise ValidationError(ERR_DEPARTMENT)
        handler = None
        if data.get("handler"):
            handler = get_user_model().objects.filter(pk=data["handler"],
                                                      staff_profile__agency=case.agency_id).first()
            if handler is None:
                raise ValidationError(ERR_HANDLER_DEPT)
        svc.request_accept(actor=request.user, case=case, department=department, handler=handler)

    @_action_schema("内容明确，分送承办 / accept and route to a department", s.AcceptInput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class SupplementNoticeAction(CaseAction):
    input_class = s.SupplementNoticeInput

    def run(self, request, case, data):
        svc.request_supplement_notice(actor=request.user, case=case, what=data["what"], days=data["days"])

    @_action_schema("一次性告知补正 / ask once for a supplement (Art. 30)", s.SupplementNoticeInput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class SupplementReceiveAction(CaseAction):
    input_class = s.SupplementReceiveInput

    def run(self, request, case, data):
        svc.request_supplement_receive(actor=request.user, case=case, received_on=data["received_on"],
                                       note=data["note"])

    @_action_schema("登记收到补正 / record the supplement received", s.SupplementReceiveInput)
    def post(self, request, pk: int):
        return super().post(request, pk)


# --- documents -------------------------------------------------------------------------------

class PdfRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()


class AtomRenderer(PdfRenderer):
    media_type = "application/atom+xml"
    format = "atom"


def document_or_404(request, pk):
    doc = api_documents(request).filter(pk=pk).first()
    if doc is None:
        raise Http404
    return doc


class DocumentView(Audited, APIView):
    key_scopes = (ApiKey.INTAKE, ApiKey.READ, ApiKey.FULL)

    @extend_schema(summary="文书信息 / document metadata", responses={200: s.DocumentOut, **problems(401, 403, 404)})
    def get(self, request, pk: int):
        return Response(s.DocumentOut(document_or_404(request, pk)).data)


class DocumentPdfView(Audited, APIView):
    key_scopes = (ApiKey.INTAKE, ApiKey.READ, ApiKey.FULL)
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(summary="文书 PDF / the document's PDF",
                   description="响应头 `X-Content-SHA256` 与 `Repr-Digest` 给出 PDF 的 SHA-256。 / "
                               "`X-Content-SHA256` and `Repr-Digest` carry the PDF's SHA-256.",
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY, **problems(401, 403, 404)})
    def get(self, request, pk: int):
        doc = document_or_404(request, pk)
        pdf = bytes(type(doc).objects.filter(pk=doc.pk).values_list("pdf", flat=True).first() or b"")
        if not pdf:
            return problem(404, ERR_NO_PDF)
        digest = hashlib.sha256(pdf).digest()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["X-Content-SHA256"] = digest.hex()
        response["Repr-Digest"] = f"sha-256=:{base64.b64encode(digest).decode()}:"
        response["Content-Disposition"] = f'attachment; filename="document-{doc.pk}.pdf"'
        return response


# --- tasks -----------------------------------------------------------------------------------

def _task_rows(user, tasks) -> list[dict]:
    tasks = list(request_tasks_visible_to(user, tasks).select_related("process").order_by("-created", "-id")[:200])
    RequestProcess = apps.get_model("workflows", "RequestProcess")
    cases = dict(RequestProcess.objects.filter(pk__in=[t.process_id for t in tasks])
                 .values_list("pk", "case_id"))
    numbers = dict(api_cases(user, None).filter(pk__in=cases.values()).values_list("pk", "registration_number"))
    rows = []
    for t in tasks:
        node = t.flow_task
        case_id = cases.get(t.process_id)
        rows.append({"id": t.pk, "step": str(getattr(node, "task_title", "") or node or ""), "status": t.status,
                     "status_label": TASK_STATUS_LABELS.get(t.status, ""), "created": t.created,
                     "application": case_id, "registration_number": numbers.get(case_id, "")})
    return rows


class TaskListView(Audited, APIView):
    which = "inbox"

    def get(self, request):
        flow_class = apps.get_app_config("workflows").request_flow
        manager = Task.objects
        tasks = manager.inbox([flow_class], request.user) if self.which == "inbox" else \
            manager.queue([flow_class], request.user)
        return Response(s.TaskOut(_task_rows(request.user, tasks), many=True).data)


class InboxView(TaskListView):
    which = "inbox"

    @extend_schema(summary="我的待办 / my inbox", responses={200: s.TaskOut(many=True), **problems(401, 403)})
    def get(self, request):
        return super().get(request)


class QueueView(TaskListView):
    which = "queue"

    @extend_schema(summary="待认领任务 / the queue I may claim from", responses={200: s.TaskOut(many=True), **problems(401, 403)})
    def get(self, request):
        return super().get(request)


# --- calendar --------------------------------------------------------------------------------

class CalendarView(Audited, APIView):
    key_scopes = (ApiKey.INTAKE, ApiKey.READ, ApiKey.FULL)


class IsWorkdayView(CalendarView):
    @extend_schema(summary="是否工作日 / is it a working day", parameters=[s.IsWorkdayQuery],
                   responses={200: s.IsWorkdayOut, **problems(400, 401, 403)})
    def get(self, request):
        q = s.IsWorkdayQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        day = q.validated_data["date"]
        status = get_calendar().status(day)
        return Response(s.IsWorkdayOut({"date": day, "is_workday": status.is_workday, "name": status.name or "",
                                        "provisional": bool(status.provisional)}).data)


class AddWorkdaysView(CalendarView):
    @extend_schema(summary="第 N 个工作日（含推算过程） / add working days, with the derivation",
                   parameters=[s.AddWorkdaysQuery], responses={200: s.AddWorkdaysOut, **problems(400, 401, 403)})
    def get(self, request):
        q = s.AddWorkdaysQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        start, days = q.validated_data["start"], q.validated_data["days"]
        cal = get_calendar()
        try:
            due, provisional = clock_rules.due_date_for(cal, start, days)
            derivation = clock_rules.explain_add_workdays(cal, start, days)
        except UnsupportedYear as exc:  # the period runs past the years the calendar computes
            return problem(400, str(exc), errors={"start": [str(exc)]})
        return Response(s.AddWorkdaysOut({"due_date": due, "provisional": provisional, "derivation": derivation}).data)


class CalendarYearView(CalendarView):
    @extend_schema(summary="某年的工作日安排 / a year's calendar",
                   parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH, description=f"年份（{FIRST_YEAR}–{LAST_YEAR}） / year")],
                   responses={200: s.CalendarYearOut, **problems(401, 403, 404)})
    def get(self, request, year: int):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise Http404
        official = OfficialYear.objects.filter(year=year).first()
        days = CalendarDay.objects.filter(date__year=year).order_by("date")
        return Response(s.CalendarYearOut({"year": year, "official": official is not None,
                                           "source": official.source if official else "", "days": days}).data)


class CalendarImportView(Audited, APIView):
    """The official schedule of a year, imported as the staff calendar page imports it."""

    key_write_scopes = (ApiKey.FULL,)

    @extend_schema(
        summary="导入某年的官方放假安排 / import a year's official holiday schedule",
        description=("与办理页面“工作日日历”的导入相同：替换该年的放假日和调休上班日（地方节假日保留），"
                     "标记为官方安排，并重新计算所有在办事项的期限（含行政复议、诉讼答复期限），每一次变动记入审计记录。"
                     "需要“全部”范围、且被授予“工作日日历维护”的密钥。 / "
                     "As the staff calendar page imports: replaces the year's holidays and make-up working days "
                     "(local holidays stay), marks it official and recomputes every open deadline, each change audited. "
                     "Needs a full key granted calendar upkeep."),
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH,
                                     description=f"年份（{FIRST_YEAR}–{LAST_YEAR}） / year")],
        request=s.CalendarImportInput,
        responses={200: s.CalendarImportOut, **problems(400, 401, 403, 422)})
    def post(self, request, year: int):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return problem(400, ERR_YEAR_RANGE, errors={"year": [ERR_YEAR_RANGE]})
        data = s.CalendarImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        if bool(d.get("days")) == bool(d["csv"].strip()):
            return problem(400, ERR_IMPORT_ONE_OF, errors={"days": [ERR_IMPORT_ONE_OF]})
        if d.get("days"):
            rows = [(day["date"], day["is_workday"], day["name"].strip()) for day in d["days"]]
        else:
            rows = parse_schedule_csv(d["csv"])
        n = calendar_import_year(actor=request.user, year=year, rows=rows, source=d["source"].strip())
        return Response(s.CalendarImportOut({"year": year, "days": n, "source": d["source"].strip()}).data)


# --- publications (public, no key) ----------------------------------------------------------

class PublicationsView(Audited, generics.ListAPIView):
    """已发布的主动公开信息 / the published items of the public column."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = s.PublicationOut
    pagination_class = ByIdCursor

    def get_queryset(self):
        q = s.PublicationQuery(data=self.request.query_params)
        q.is_valid(raise_exception=True)
        return public_publications(q=q.validated_data["q"], domain=q.validated_data["domain"]).filter(
            state=Publication.PUBLISHED)

    @extend_schema(summary="公开信息（JSON） / published items (JSON)", auth=[], parameters=[s.PublicationQuery],
                   responses={200: s.PublicationOut(many=True), **problems(400)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PublicationsAtomView(Audited, APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    renderer_classes = [AtomRenderer, JSONRenderer]

    @extend_schema(summary="公开信息（Atom 订阅） / published items (Atom feed)", auth=[], parameters=[s.PublicationQuery],
                   responses={(200, "application/atom+xml"): OpenApiTypes.STR, **problems(400)})
    def get(self, request):
        q = s.PublicationQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        items = public_publications(q=q.validated_data["q"], domain=q.validated_data["domain"]).filter(
            state=Publication.PUBLISHED)[:50]
        feed = Atom1Feed(title="政府信息公开专栏", link=request.build_absolute_uri("/gk/"),
                         description="已发布的主动公开信息", language="zh-hans",
                         feed_url=request.build_absolute_uri())
        for p in items:
            url = request.build_absolute_uri(f"/gk/{p.pk}/")
            feed.add_item(title=p.title, link=url, unique_id=url, description=(p.body or "")[:500],
                          pubdate=p.published_at, author_name=p.agency.name,
                          categories=[p.catalogue_item.domain] if p.catalogue_item_id else None)
        return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


class NotFoundView(APIView):
    """Any other address under /api/ answers a problem document too, not the staff 404 page."""

    permission_classes = [AllowAny]
    authentication_classes = []
    schema = None

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise Http404

    def get(self, request, *args, **kwargs):
        raise Http404

    post = put = patch = delete = head = options = get


# --- the index -------------------------------------------------------------------------------

class RootView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(summary="接口目录 / what the API offers", auth=[], responses={200: s.RootOut})
    def get(self, request):
        parts = {name: request.build_absolute_uri(reverse(f"api:{url}")) for name, url in [
            ("schema", "schema"), ("docs", "docs"), ("redoc", "redoc"), ("applications", "applications"),
            ("inbox", "inbox"), ("queue", "queue"), ("is_workday", "is-workday"), ("add_workdays", "add-workdays"),
            ("publications", "publications"), ("publications_atom", "publications-atom"),
            ("annual_report", "annual-report")]}
        return Response({"name": "政府信息公开办理系统接口 / government information disclosure API", "parts": parts})


# --- reports ---------------------------------------------------------------------------------

class AnnualReportView(Audited, APIView):
    """表三 and 表四 of the annual report for the caller's agency (国办公开办函〔2021〕30号)."""

    key_scopes = (ApiKey.READ, ApiKey.FULL)

    @extend_schema(summary="年度报告表三、表四 / annual report tables 3 and 4", parameters=[s.ReportQuery],
                   responses={200: s.AnnualReportOut, **problems(400, 401, 403)})
    def get(self, request):
        q = s.ReportQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        year = q.validated_data["year"]
        try:
            scope = report_scope(request.user)
        except ScopeDenied:
            raise PermissionDenied from None
        table = t3.table3(scope.cases, year=year)
        remedies = t4.table4(t4.proceedings_of(scope.cases), year=year)
        fees = fees_charged(scope.cases, year=year)
        return Response(s.AnnualReportOut({
            "agency": scope.label, "year": year,
            "table3": {"title": TABLE3_TITLE, "columns": [label for _c, label in t3.ALL_COLUMNS],
                       "rows": [{"row": row, "title": t3.row_title(row), "values": values} for row, values in table.rows()],
                       "balanced": table.balanced,
                       "failures": [{"rule": f.rule, "explanation": f.explanation,
                                     "cases": [c.registration_number or c.tracking_number for c in f.cases]}
                                    for f in table.failures]},
            "table4": {"title": t4.TITLE, "columns": [label for _c, label in t4.COLUMNS],
                       "rows": [{"row": g, "title": t4.GROUP_TITLES[g], "values": [remedies.cells[g][c] for c, _l in t4.COLUMNS]}
                                for g, _l in t4.GROUPS],
                       "balanced": remedies.balanced,
                       "failures": [{"rule": t4.RULE_GROUP_TOTAL, "explanation": f"{c.where}：{c.parts} ≠ {c.total}", "cases": []}
                                    for c in remedies.failures]},
            "fees_count": fees.count, "fees_amount": str(fees.amount),
        }).data)
