"""Staff pages of 依申请公开 › 复议诉讼: the list with each answer deadline (督办), the
form that registers a proceeding, its page with the answer, the result and the papers.
Thin: a form, then one service; the services check who may act."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from audit.labels import action_label
from audit.models import AuditEvent
from legal import remedy as remedy_rules
from legal.selectors import get_calendar, local_today

from .downloads import stored_file_download
from .forms import RemedyAnswerForm, RemedyDocumentForm, RemedyForm, RemedyResultForm
from .selectors import cases_visible_to, remedies_visible_to, remedy_badge
from .services import remedy as remedy_services

MANAGE = remedy_services.MANAGE
ERR_NOT_FOUND = "没有找到该行政复议或行政诉讼记录"


def _errors(form, exc) -> None:
    for m in getattr(exc, "messages", [str(exc)]):
        form.add_error(None, m)


def with_badges(proceedings, *, calendar=None, today=None) -> list:
    calendar, today = calendar or get_calendar(), today or local_today()
    rows = list(proceedings)
    for p in rows:
        p.badge = remedy_badge(p, calendar=calendar, today=today)
    return rows


class RemedyListView(LoginRequiredMixin, TemplateView):
    """Every proceeding the user may see: those still awaiting the agency's answer first,
    by their last day, then the others, newest first."""

    template_name = "workflows/remedy_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = remedies_visible_to(self.request.user).select_related("case", "follows")
        ctx["awaiting"] = with_badges(qs.filter(answered_on__isnull=True).order_by("answer_due", "pk")[:200])
        ctx["others"] = with_badges(qs.filter(answered_on__isnull=False).order_by("-received_on", "-pk")[:200])
        ctx["can_register"] = self.request.user.has_perm(MANAGE)
        return ctx


class RemedyNewView(LoginRequiredMixin, FormView):
    template_name = "workflows/remedy_form.html"
    form_class = RemedyForm

    def get_initial(self):
        initial = super().get_initial()
        case = cases_visible_to(self.request.user).filter(pk=self.request.GET.get("case") or 0).first() \
            if str(self.request.GET.get("case", "")).isdigit() else None
        if case is not None:
            initial.update(case_ref=case.registration_number or case.tracking_number, applicant=case.applicant_name)
        kind = self.request.GET.get("kind")
        if kind in remedy_rules.KIND_LABELS:
            initial["kind"] = kind
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        from agencies.selectors import user_agency

        ctx["agency"] = user_agency(self.request.user)
        ctx["basis"] = remedy_rules.ANSWER_BASIS
        return ctx

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        data["case"] = data.pop("case_ref")
        try:
            p = remedy_services.remedy_register(actor=self.request.user, **data)
        except (ValidationError, PermissionDenied) as exc:
            _errors(form, exc)
            return self.form_invalid(form)
        due = p.answer_due
        messages.success(self.request, f"已登记{p.get_kind_display()}，{p.labels['answer']}期限为{due.year}年{due.month}月{due.day}日。")
        return HttpResponseRedirect(reverse("workflow:remedy_detail", args=[p.pk]))


class RemedyDetailView(LoginRequiredMixin, TemplateView):
    """One proceeding: the facts, the answer deadline and its legal basis, the answer and
    the result (forms for those who may record them), the papers received, the record."""

    template_name = "workflows/remedy_detail.html"
    steps = {"answer": RemedyAnswerForm, "result": RemedyResultForm, "document": RemedyDocumentForm}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.proceeding = remedies_visible_to(request.user).select_related("case", "follows", "agency").filter(
                pk=kwargs["pk"]).first()
            if self.proceeding is None:
                raise Http404(ERR_NOT_FOUND)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p, user = self.proceeding, self.request.user
        p.badge = remedy_badge(p, calendar=get_calendar(), today=local_today())
        may = user.has_perm(MANAGE)
        ctx.update(p=p, may_manage=may, can_answer=may and p.answered_on is None, can_conclude=may and not p.result,
                   documents=list(p.documents.select_related("uploaded_by")),
                   lawsuits=list(p.lawsuits.all()))
        for step, form_class in self.steps.items():
            ctx[f"{step}_form"] = kwargs.get(f"{step}_form") or form_class()
        ctx["answer_form"].fields["answered_on"].label = f"提交{p.labels['answer']}之日"
        own = Q(object_type="workflows.remedyproceeding", object_id=str(p.pk))
        if p.case_id:
            own |= Q(object_type="workflows.disclosurerequest", object_id=str(p.case_id), action__startswith="remedy.",
                     after__proceeding=p.pk)
        events = list(AuditEvent.objects.filter(own).order_by("id"))
        for event in events:
            event.label = action_label(event.action)
        ctx["events"] = events
        return ctx

    def post(self, request, *args, **kwargs):
        p, step = self.proceeding, request.POST.get("step")
        form_class = self.steps.get(step)
        if form_class is None:
            raise Http404(ERR_NOT_FOUND)
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if step == "answer":
                    remedy_services.remedy_answer_record(actor=request.user, proceeding=p, **data)
                    done = f"已登记提交{p.labels['answer']}。"
                elif step == "result":
                    remedy_services.remedy_result_record(actor=request.user, proceeding=p, **data)
                    done = "已登记结果。"
                else:
                    remedy_services.remedy_document_attach(actor=request.user, proceeding=p, **data)
                    done = f"已收存“{data['title']}”。"
            except (ValidationError, PermissionDenied) as exc:
                _errors(form, exc)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(reverse("workflow:remedy_detail", args=[p.pk]))
        return self.render_to_response(self.get_context_data(**{f"{step}_form": form}))


class RemedyDocumentView(LoginRequiredMixin, View):
    """A paper of a proceeding, for staff who may see the proceeding."""

    def get(self, request, pk, file_pk):
        p = remedies_visible_to(request.user).filter(pk=pk).first()
        document = p.documents.filter(pk=file_pk).first() if p else None
        if document is None:
            raise Http404("没有找到该文件")
        return stored_file_download(request, record=p, stored=document, what="复议诉讼材料")
