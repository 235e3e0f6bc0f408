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
