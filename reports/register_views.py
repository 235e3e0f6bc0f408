"""Staff pages of 年度报告和统计 › 台账导入: the template, the check (dry run) and the import of
an agency's earlier register, and the record of each import with its cases. Only the
agency's administrator and OGI office reach them, for their own agency; the services
check again."""
from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from agencies.selectors import user_agency
from legal.selectors import clock_badge, days_left_words, get_calendar, local_today
from workflows.models import RegisterImport
from workflows.register_sheet import COLUMNS, template_workbook
from workflows.services.register_import import RegisterRefused, may_import, register_import, register_import_check

from .forms import RegisterImportForm

TEMPLATE_NAME = "申请台账导入模板.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportAccessMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_import(request.user):
            raise PermissionDenied("只有本机关的系统管理员和政务公开工作机构可以导入申请台账。")
        return super().dispatch(request, *args, **kwargs)


class RegisterImportView(ImportAccessMixin, FormView):
    """Upload the filled template: 检查 lists every refused row and writes nothing; 导入
    imports every row or, while any is refused, nothing."""

    template_name = "reports/register_import.html"
    form_class = RegisterImportForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        agency = user_agency(self.request.user)
        ctx["agency"] = agency
        ctx["columns"] = COLUMNS
        ctx["imports"] = list(RegisterImport.objects.filter(agency=agency).select_related("imported_by")[:50])
        return ctx

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        content = upload.read()
        agency = user_agency(self.request.user)
        if "import" in self.request.POST:
            try:
                record = register_import(actor=self.request.user, agency=agency, content=content,
                                         file_name=upload.name)
            except RegisterRefused as exc:
                return self.render_to_response(self.get_context_data(
                    form=form, reading=exc.reading, refused_import=True, file_name=upload.name))
            messages.success(self.request, f"已从台账导入 {record.rows} 件申请。")
            return HttpResponseRedirect(reverse("reports:register_import:detail", args=[record.pk]))
        reading = register_import_check(actor=self.request.user, agency=agency, content=content)
        return self.render_to_response(self.get_context_data(form=form, reading=reading, file_name=upload.name))


class RegisterTemplateView(ImportAccessMixin, View):
    """The template to fill: the header row, and the explanation sheet with an example."""

    def get(self, request):
        response = HttpResponse(template_workbook(), content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(TEMPLATE_NAME)}"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class RegisterImportDetailView(ImportAccessMixin, TemplateView):
    """One import: who, when, which file (SHA-256), and the cases it brought, the open ones
    with their days left."""

    template_name = "reports/register_import_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        record = (RegisterImport.objects.filter(pk=kwargs["pk"], agency=user_agency(self.request.user))
                  .select_related("imported_by", "agency").first())
        if record is None:
            raise Http404("没有找到该导入记录")
        cases = list(record.cases.select_related("clock", "department", "handler").order_by("received_on", "pk"))
        calendar, today = get_calendar(), local_today()
        for case in cases:
            if case.is_open and case.clock_id:
                label, left, colour = clock_badge(case.clock, calendar=calendar, today=today)
                case.days_left = days_left_words(left) if left is not None else label
                case.days_colour = colour
        ctx.update(record=record, cases=cases,
                   can_open_cases=self.request.user.has_perm("workflows.view_disclosurerequest"))
        return ctx
