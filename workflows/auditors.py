"""The auditors' page (审计记录): the audit record of the auditor's own agency, searched
by case, person, action and period, with the state of the sealed chain. Read-only;
nothing here writes. A platform auditor (superuser) sees every agency."""
from __future__ import annotations

import csv
import datetime as dt

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from agencies.models import Agency
from agencies.selectors import user_agency
from audit.labels import ACTION_LABELS, action_label
from audit.models import AuditEvent
from audit.selectors import audit_chain_state, audit_events_search
from documents.models import CaseFile, Document, DocumentStatus
from legal import outcomes
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
    "is_workday": "工作日", "channel": "申请方式",
}
_CASE = DisclosureRequest._meta
_VALUE_WORDS = {
    "status": dict(RequestStatus.choices), "outcome": dict(outcomes.CHOICES),
    "channel": dict(_CASE.get_field("channel").choices), "provided_form": dict(_CASE.get_field("provided_form").choices),
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
    def exporting(self) -> bool:
        return self.request.GET.get("export") == "csv"

    def render_to_response(self, context, **kwargs):
        if not self.exporting or not context["form"].is_valid():
            return super().render_to_response(context, **kwargs)
        return self.csv_response(context["events"])

    def csv_response(self, events):
        """The search result as a spreadsheet (CSV in UTF-8 with a byte-order mark, which
        Excel and WPS open as Chinese text)."""

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())

        def rows():
            yield "\ufeff" + writer.writerow(CSV_HEADER)
            for e in events:
                at = timezone.localtime(e.at)
                yield writer.writerow([
                    e.pk, f"{at.year}年{at.month}月{at.day}日 {at:%H:%M:%S}",
                    e.agency.short_name if e.agency_id else "全平台", e.actor_label, e.label, e.object_repr,
                    e.change, e.reason, e.position or "待封存"])

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
            ctx["segments"] = list(case.clock.segments.order_by("id")) if case.clock_id else []
            ctx["case_file"] = CaseFile.objects.filter(request=case).only("pk", "built_at").first()
        ctx.update(form=form, events=events, more=more, case=case, query=query.urlencode(), chain=audit_chain_state())
        return ctx
