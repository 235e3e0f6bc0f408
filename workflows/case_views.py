"""Staff pages of a case: the detail page (items, clock, documents, audit events)."""
from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView

from audit.models import AuditEvent

from .models import DisclosureRequest
from .selectors import case_tasks, cases_visible_to, clock_state


def case_context(case: DisclosureRequest, user) -> dict:
    state = clock_state(case.clock) if case.clock_id else None
    return {
        "case": case,
        "items": list(case.items.all()),
        "clock": state,
        "notes": list(case.notes.select_related("author")),
        "case_documents": list(case.case_documents.all()),
    }


class CaseDetailView(LoginRequiredMixin, TemplateView):
    template_name = "workflows/case_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        case = cases_visible_to(self.request.user).filter(pk=kwargs["pk"]).first()
        if case is None:
            raise Http404("没有找到该申请")
        ctx.update(case_context(case, self.request.user))
        ctx["tasks"] = case_tasks(case, self.request.user)
        ctx["events"] = AuditEvent.objects.filter(object_type="workflows.disclosurerequest", object_id=str(case.pk)).order_by("sequence")
        ctx["third_party"] = list(case.third_party_consultations.all())
        ctx["consultations"] = list(case.consultations.prefetch_related("opinions__participant"))
        ctx["extensions"] = list(case.extensions.all())
        return ctx


class CaseListView(LoginRequiredMixin, TemplateView):
    """Every case the user may see, newest first, with the clock state."""

    template_name = "workflows/case_list.html"

    def get_context_data(self, **kwargs):
        from .staff import clock_badge

        ctx = super().get_context_data(**kwargs)
        cases = list(cases_visible_to(self.request.user).select_related("clock", "department", "handler")[:200])
        for case in cases:
            case.badge = clock_badge(case.clock)
        ctx["cases"] = cases
        return ctx


class IntakeView(LoginRequiredMixin, TemplateView):
    """登记人员代为录入纸质（当面、邮寄、信函、传真、电子邮件）申请."""

    template_name = "workflows/step.html"

    def get_form(self):
        from .step_views import IntakeForm

        return IntakeForm(self.request.POST or None)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", self.get_form())
        ctx["step_title"] = "录入申请"
        ctx["case"] = None
        return ctx

    def post(self, request, *args, **kwargs):
        from django.core.exceptions import PermissionDenied, ValidationError
        from django.http import HttpResponseRedirect
        from django.urls import reverse

        from agencies.selectors import user_agency

        from .requests import request_submit

        form = self.get_form()
        if form.is_valid():
            data = dict(form.cleaned_data)
            items = [{"title": t.strip()} for t in data.pop("items").splitlines() if t.strip()]
            try:
                case, code = request_submit(actor=request.user, agency=user_agency(request.user), items=items, **data)
            except ValidationError as exc:
                for m in exc.messages:
                    form.add_error(None, m)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                from django.contrib import messages

                messages.success(request, f"已录入，查询号 {case.tracking_number}，查询码 {code}（仅显示一次）")
                return HttpResponseRedirect(reverse("workflow:case_detail", args=[case.pk]))
        return self.render_to_response(self.get_context_data(form=form))
