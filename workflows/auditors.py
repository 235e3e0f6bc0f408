"""The auditors' page (审计记录): the audit record of the auditor's own agency, searched
by case, person, action and period, with the state of the sealed chain. Read-only;
nothing here writes. A platform auditor (superuser) sees every agency."""
from __future__ import annotations

import csv
import datetime as dt
import io

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from agencies.models import Agency
from agencies.selectors import user_agency
from audit.labels import ACTION_LABELS, action_label
from audit.models import AuditEvent
from audit.selectors import audit_chain_state, audit_events_search
from audit.services import actor_label_of, audit_access
from documents.models import CaseFile, Document, DocumentStatus
from legal import outcomes
from legal import remedy as remedy_rules
from legal.calendar import validate_plausible_date

from .models import DisclosureRequest, RequestStatus
from .selectors import cases_visible_to

VIEW_PERM = "audit.view_auditevent"
ERR_NO_CASE = "没有找到该申请（请输入登记号或查询号）。"
ERR_PERIOD = "起始日期不能晚于截止日期。"
# Events of no agency that every auditor may see: the shared working-day calendar,
# which moves every agency's deadlines.
PLATFORM_ACTIONS = ("calendar.",)


# What a recorded change is called, field by field. Fields not named here (internal
# ids, digests) are left out of the sentence; the admin keeps the raw record.
FIELD_LABELS = {
    "status": "状态", "outcome": "处理结果", "registration_number": "登记号", "received_on": "收到申请之日",
    "due_date": "答复期限", "date": "日期", "days": "工作日数", "notice_on": "通知日", "supplement_due": "补正期限",
    "reply_due": "答复期限", "third_party": "第三方", "issued_on": "出具日", "delivered_on": "送达日",
    "method": "送达方式", "number": "文号", "publish_on": "发布日期", "published_at": "发布时间", "title": "标题",
    "name": "名称", "username": "账号", "word": "敏感词", "year": "年度", "provided_form": "提供形式",
    "is_workday": "工作日", "channel": "申请方式", "what": "查阅内容", "note": "补充说明",
    "remedy_kind": "类别", "body": "行政复议机关或人民法院", "case_number": "案号", "answer_due": "答复或答辩期限",
    "answered_on": "提交答复或答辩状之日", "late": "超期", "after_reconsideration": "经复议后起诉",
    "co_defendant": "本机关作为复议机关共同被告", "remedy_result": "结果", "result_on": "审结日期",
}
_CASE = DisclosureRequest._meta
_VALUE_WORDS = {
    "status": dict(RequestStatus.choices), "outcome": dict(outcomes.CHOICES),
    "channel": dict(_CASE.get_field("channel").choices), "provided_form": dict(_CASE.get_field("provided_form").choices),
    "remedy_kind": remedy_rules.KIND_LABELS, "remedy_result": remedy_rules.RESULT_LABELS,
}
# The same field name means another thing on another record.
_VALUE_WORDS_OF = {Document._meta.label_lower: {"status": dict(DocumentStatus.choices)}}


def _value_in_words(field: str, value, object_type: str = "") -> str:
    if value is None or value == "":
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    words = _VALUE_WORDS_OF.get(object_type, {}).get(field) or _VALUE_WORDS.get(field, {})
    if str(value) in words:
        return str(words[str(value)])
    if isinstance(value, str):
        try:
            if len(value) == 10:
                day = dt.date.fromisoformat(value)
                return f"{day.year}年{day.month}月{day.day}日"
            moment = timezone.localtime(dt.datetime.fromisoformat(value))
            return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
        except ValueError:
            return value
    return str(value)


def change_in_words(before, after, object_type: str = "") -> str:
    """'状态：办理中 → 保密审查中；处理结果：予以公开' from the recorded before/after."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    parts = []
    for field, label in FIELD_LABELS.items():
        if field not in before and field not in after:
            continue
        old, new = before.get(field), after.get(field, before.get(field))
        if field in before and old != new:
            parts.append(f"{label}：{_value_in_words(field, old, object_type)} → {_value_in_words(field, new, object_type)}")
        elif field in after and new not in (None, ""):
            parts.append(f"{label}：{_value_in_words(field, new, object_type)}")
    return "；".join(parts)


def audit_events_visible_to(user):
    if not user.has_perm(VIEW_PERM):
        return AuditEvent.objects.none()
    if user.is_superuser:
        return AuditEvent.objects.all()
    agency = user_agency(user)
    if agency is None:
        return AuditEvent.objects.none()
    shared = Q(object_type=Agency._meta.label_lower, object_id=str(agency.pk))  # the agency's own set-up
    for prefix in PLATFORM_ACTIONS:
        shared |= Q(agency__isnull=True, action__startswith=prefix)
    return AuditEvent.objects.filter(Q(agency=agency) | shared)


def process_charts(case: DisclosureRequest) -> list[dict]:
    """Each process of the case drawn as its chart, the steps taken marked (viewflow's own
    layout; its yes/no branch labels in words)."""
    from viewflow.workflow import chart

    out = []
    for process in case.processes.order_by("pk"):
        flow_class = process.flow_class
        grid = chart.calc_layout_data(flow_class)
        chart.calc_cell_status(flow_class, grid, process.pk)
        svg = chart.grid_to_svg(grid).replace(">yes</text>", ">是</text>").replace(">no</text>", ">否</text>")
        out.append({"title": str(flow_class.process_title), "svg": mark_safe(svg), "width": grid.width,
                    "height": grid.height})
    return out


def case_audit_objects(case: DisclosureRequest) -> list[tuple[str, str]]:
    """The records a case's story is written on: the case, its clock, its documents."""
    keys = [(case._meta.label_lower, str(case.pk))]
    if case.clock_id:
        keys.append(("legal.clock", str(case.clock_id)))
    keys += [(Document._meta.label_lower, str(pk)) for pk in Document.objects.filter(request=case).values_list("pk", flat=True)]
    return keys


class AuditSearchForm(forms.Form):
    case = forms.CharField(label="申请（登记号或查询号）", required=False, max_length=40)
    person = forms.CharField(label="操作人", required=False, max_length=150)
    action = forms.ChoiceField(label="操作", required=False)
    date_from = forms.DateField(label="起始日期", required=False, validators=[validate_plausible_date], widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, validators=[validate_plausible_date], widget=forms.DateInput(attrs={"type": "date"}))
    agency = forms.ModelChoiceField(label="机关", required=False, queryset=Agency.objects.none(), empty_label="全部机关")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "全部操作")] + sorted(ACTION_LABELS.items(), key=lambda kv: kv[0])
        if user.is_superuser:
            self.fields["agency"].queryset = Agency.objects.order_by("name")
        else:
            del self.fields["agency"]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(ERR_PERIOD)
        return data


PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
CSV_HEADER = ["编号", "时间（北京时间）", "机关", "操作人", "操作", "对象", "变更", "理由", "链上位置"]


class AuditLogView(LoginRequiredMixin, TemplateView):
    template_name = "workflows/audit_log.html"

    @property
    def exporting(self) -> str:
        value = self.request.GET.get("export", "")
        return value if value in ("csv", "xlsx", "pdf") else ""

    def render_to_response(self, context, **kwargs):
        if not self.exporting or not context["form"].is_valid():
            return super().render_to_response(context, **kwargs)
        if self.exporting == "xlsx":
            return self.xlsx_response(context["events"])
        if self.exporting == "pdf":
            return self.pdf_response(context)
        return self.csv_response(context["events"])

    @staticmethod
    def _row(e) -> list:
        at = timezone.localtime(e.at)
        return [e.pk, f"{at.year}年{at.month}月{at.day}日 {at:%H:%M:%S}", e.agency.short_name if e.agency_id else "全平台",
                e.actor_label, e.label, e.object_repr, e.change, e.reason,
                f"第{e.position}条" if e.position else "待封存"]

    def _filename(self, ext: str) -> str:
        return f'attachment; filename="audit-{timezone.localtime():%Y%m%d-%H%M}.{ext}"'

    def xlsx_response(self, events):
        """The search result as an Excel workbook; text that looks like a formula is kept as text."""
        from openpyxl import Workbook

        from documents.spreadsheets import spreadsheet_text

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("审计记录")
        ws.append(CSV_HEADER)
        for e in events:
            ws.append([spreadsheet_text(v) if isinstance(v, str) else v for v in self._row(e)])
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(out.getvalue(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = self._filename("xlsx")
        return response

    def pdf_response(self, context):
        """The search result (with a case: its clock ledger first) as a PDF to file or hand over."""
        from documents.rendering import BODY_FONTS, TITLE_FONTS, font_face_css, html_to_pdf

        html = render_to_string("workflows/audit_log_pdf.html", {
            **context, "rows": [self._row(e) for e in context["events"]], "header": CSV_HEADER,
            "font_css": font_face_css(), "body_fonts": BODY_FONTS, "title_fonts": TITLE_FONTS, "printed_at": timezone.localtime(), "printed_by": actor_label_of(self.request.user),
        })
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = self._filename("pdf")
        return response

    def csv_response(self, events):
        """The search result as a spreadsheet (CSV in UTF-8 with a byte-order mark, which
        Excel and WPS open as Chinese text)."""

        class Echo:
            def write(self, value):
                return value

        from documents.spreadsheets import spreadsheet_text

        writer = csv.writer(Echo())

        def rows():
            yield "\ufeff" + writer.writerow(CSV_HEADER)
            for e in events:
                at = timezone.localtime(e.at)
                yield writer.writerow([spreadsheet_text(v) if isinstance(v, str) else v for v in [
                    e.pk, f"{at.year}年{at.month}月{at.day}日 {at:%H:%M:%S}",
                    e.agency.short_name if e.agency_id else "全平台", e.actor_label, e.label, e.object_repr,
                    e.change, e.reason, e.position or "待封存"]])

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        return response

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(VIEW_PERM):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        form = AuditSearchForm(self.request.GET or None, user=user)
        events, more, case = [], None, None
        if not form.is_bound or form.is_valid():
            data = form.cleaned_data if form.is_bound else {}
            scoped = audit_events_visible_to(user)
            if data.get("agency"):
                scoped = scoped.filter(agency=data["agency"])
            objects = None
            number = (data.get("case") or "").strip()
            if number:
                case = cases_visible_to(user).filter(
                    Q(registration_number=number) | Q(tracking_number=number)).select_related("clock").first()
                if case is None:
                    form.add_error("case", ERR_NO_CASE)
                objects = case_audit_objects(case) if case else []
            try:
                before = int(self.request.GET.get("before") or 0) or None
            except ValueError:
                before = None
            if form.is_valid():
                events, more = audit_events_search(
                    scoped, objects=objects, person=(data.get("person") or "").strip(), action=data.get("action") or "",
                    date_from=data.get("date_from"), date_to=data.get("date_to"), before=before,
                    limit=EXPORT_LIMIT if self.exporting else PAGE_SIZE)
        for event in events:
            event.label = action_label(event.action)
            event.change = change_in_words(event.before, event.after, event.object_type)
        query = self.request.GET.copy()
        query.pop("before", None)
        if case is not None:
            audit_access(actor=user, obj=case, what="审计记录（案件）")
            ctx["charts"] = process_charts(case)
            ctx["segments"] = list(case.clock.segments.order_by("id")) if case.clock_id else []
            ctx["case_file"] = CaseFile.objects.filter(request=case).only("pk", "built_at").first()
        ctx.update(form=form, events=events, more=more, case=case, query=query.urlencode(), chain=audit_chain_state())
        return ctx
