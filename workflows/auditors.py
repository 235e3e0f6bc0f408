"""The auditors' page (审计记录): the audit record of the auditor's own agency, searched
by case, person, action and period, with the state of the sealed chain. Read-only;
nothing here writes. A platform auditor (superuser) sees every agency."""
from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.views.generic import TemplateView

from agencies.models import Agency
from agencies.selectors import user_agency
from audit.labels import ACTION_LABELS, action_label
from audit.models import AuditEvent
from audit.selectors import audit_chain_state, audit_events_search
from documents.models import Document

from .models import DisclosureRequest
from .selectors import cases_visible_to

VIEW_PERM = "audit.view_auditevent"
ERR_NO_CASE = "没有找到该申请（请输入登记号或查询号）。"
ERR_PERIOD = "起始日期不能晚于截止日期。"
# Events of no agency that every auditor may see: the shared working-day calendar,
# which moves every agency's deadlines.
PLATFORM_ACTIONS = ("calendar.",)


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
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
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


class AuditLogView(LoginRequiredMixin, TemplateView):
    template_name = "workflows/audit_log.html"

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
                    date_from=data.get("date_from"), date_to=data.get("date_to"), before=before)
        for event in events:
            event.label = action_label(event.action)
        query = self.request.GET.copy()
        query.pop("before", None)
        ctx.update(form=form, events=events, more=more, case=case, query=query.urlencode(), chain=audit_chain_state())
        return ctx
