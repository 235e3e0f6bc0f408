"""Staff pages of the annual report: 表三 in the layout of the published report, the
cases behind each cell, the spreadsheet."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views import View
from django.views.generic import TemplateView

from legal import outcomes as outcome_rules
from legal.selectors import get_calendar, local_today

from . import exports
from .forms import ProactiveFiguresForm
from .models import ProactiveFigures
from .selectors import ScopeDenied, agency_choices, fees_charged, may_consolidate, report_scope
from .services import ERR_NOT_ALLOWED, may_enter_figures, proactive_figures_set
from .statistics import CHANNELS, statistics
from .table2 import TITLE as TABLE2_TITLE
from .table2 import layout as table2_layout
from .table2 import publication_counts, table2, with_publications
from .table3 import ALL_COLUMNS, COLUMN_LABELS, COLUMNS, LEGAL_PERSON_HEADER, ROW_ORDER, cell_cases, row_title, table3
from .table4 import COLUMN_LABELS as T4_COLUMN_LABELS
from .table4 import COLUMNS as T4_COLUMNS
from .table4 import GROUP_LABELS as T4_GROUP_LABELS
from .table4 import GROUP_TITLES as T4_GROUP_TITLES
from .table4 import GROUPS as T4_GROUPS
from .table4 import LITIGATION_HEADER, cell_proceedings, proceedings_of, table4
from .table4 import TITLE as TABLE4_TITLE

YEARS_SHOWN = 6


class ReportScopeMixin(LoginRequiredMixin):
    """Reads ?year= and ?agency= and the scope the user may see (403 otherwise)."""

    def year(self) -> int:
        this_year = local_today().year
        try:
            year = int(self.request.GET.get("year") or this_year)
        except ValueError:
            raise Http404("年度不正确") from None
        if not 2008 <= year <= this_year + 1:  # the regulation's first reports are for 2008
            raise Http404("年度不正确")
        return year

    def scope(self):
        try:
            return report_scope(self.request.user, self.request.GET.get("agency") or None)
        except ScopeDenied:
            raise PermissionDenied("无权查看该机关的报告") from None

    def query(self, scope, year, **extra) -> str:
        return urlencode({"year": year, "agency": scope.choice, **extra})


class AnnualReportView(ReportScopeMixin, TemplateView):
    template_name = "reports/annual.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year, scope = self.year(), self.scope()
        table = table3(scope.cases, year=year)
        cases_url = reverse("reports:cases")
        rows = []
        for (row, labels), (_row, values) in zip(exports.layout_rows(), table.rows(), strict=True):
            cells = [{"value": v, "url": f"{cases_url}?{self.query(scope, year, row=row, col=col)}" if v else ""}
                     for (col, _l), v in zip(ALL_COLUMNS, values, strict=True)]
            rows.append({"key": row, "labels": labels, "cells": cells})
        this_year = local_today().year
        ctx.update(
            year=year, scope=scope, table=table, rows=rows, fees=fees_charged(scope.cases, year=year),
            natural_label=COLUMNS[0][1], legal_person_label=LEGAL_PERSON_HEADER,
            legal_person_columns=[label for _c, label in COLUMNS[1:]], n_legal_person=len(COLUMNS) - 1,
            years=list(range(this_year, this_year - YEARS_SHOWN, -1)),
            agencies=agency_choices() if may_consolidate(self.request.user) else [],
            download_url=f"{reverse('reports:download')}?{self.query(scope, year)}",
            pdf_url=f"{reverse('reports:download')}?{self.query(scope, year, format='pdf')}",
            today=local_today(), title=exports.TITLE,
        )
        t4 = table4(proceedings_of(scope.cases), year=year)
        remedies_url = reverse("reports:remedies")
        ctx.update(table4=t4, table4_title=TABLE4_TITLE, t4_columns=[label for _c, label in T4_COLUMNS],
                   t4_n=len(T4_COLUMNS), t4_groups=T4_GROUP_LABELS, litigation_header=LITIGATION_HEADER,
                   t4_cells=[{"value": t4.value(g, c), "group": g, "column": c,
                              "url": f"{remedies_url}?{self.query(scope, year, group=g, col=c)}"
                              if t4.value(g, c) else ""}
                             for g, _l in T4_GROUPS for c, _cl in T4_COLUMNS])
        return ctx


class RemedyCellView(ReportScopeMixin, TemplateView):
    """The reconsiderations and lawsuits one cell of 表四 counts, scoped like the report."""

    template_name = "reports/remedies.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year, scope = self.year(), self.scope()
        group, col = self.request.GET.get("group", ""), self.request.GET.get("col", "")
        if group not in T4_GROUP_TITLES or col not in T4_COLUMN_LABELS:
            raise Http404("没有这一栏")
        rows = (cell_proceedings(proceedings_of(scope.cases), year=year, group=group, column=col)
                .select_related("case", "agency").order_by("received_on", "pk"))
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        ctx.update(year=year, scope=scope, page=page, group_title=T4_GROUP_TITLES[group],
                   column=T4_COLUMN_LABELS[col], back_url=f"{reverse('reports:index')}?{self.query(scope, year)}",
                   page_query=self.query(scope, year, group=group, col=col))
        return ctx


class CellCasesView(ReportScopeMixin, TemplateView):
    """The cases one cell of 表三 counts, scoped like the report."""

    template_name = "reports/cases.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year, scope = self.year(), self.scope()
        row, col = self.request.GET.get("row", ""), self.request.GET.get("col", "")
        if row not in ROW_ORDER or col not in COLUMN_LABELS:
            raise Http404("没有这一栏")
        cases = (cell_cases(scope.cases, year=year, row=row, column=col)
                 .select_related("agency", "department").order_by("received_on", "pk"))
        page = Paginator(cases, self.paginate_by).get_page(self.request.GET.get("page"))
        for case in page.object_list:
            rule = outcome_rules.OUTCOMES.get(case.outcome)
            case.outcome_label = rule.label if rule else ""
        ctx.update(year=year, scope=scope, page=page, row_title=row_title(row), column=COLUMN_LABELS[col],
                   back_url=f"{reverse('reports:index')}?{self.query(scope, year)}",
                   page_query=self.query(scope, year, row=row, col=col))
        return ctx


def _publications(scope):
    """The publications 表二 counts: the agency's, or every agency's for 汇总."""
    from reviews.models import Publication

    return Publication.objects.all() if scope.consolidated else Publication.objects.filter(agency=scope.agency)


class DownloadView(ReportScopeMixin, View):
    """The report as a spreadsheet (表二, 表三 and 表四 sheets) or, with ?format=pdf, as a PDF
    in the national layout (表二, 表三, 表四 and the fee figure)."""

    def get(self, request, *args, **kwargs):
        year, scope = self.year(), self.scope()
        table = table3(scope.cases, year=year)
        fees = fees_charged(scope.cases, year=year)
        name = f"{scope.label}{year}年政府信息公开工作年度报告"
        figures = ProactiveFigures.objects.all() if scope.consolidated else ProactiveFigures.objects.filter(
            agency=scope.agency)
        table2_values = with_publications(table2(figures, year=year),
                                          publication_counts(_publications(scope), year=year))
        remedies = table4(proceedings_of(scope.cases), year=year)
        if request.GET.get("format") == "pdf":
            from .pdf import annual_report_pdf  # WeasyPrint loads only when a PDF is asked for

            data = annual_report_pdf(scope_label=scope.label, year=year, table=table, fees=fees,
                                     table2_values=table2_values, table4=remedies, today=local_today())
            response = HttpResponse(data, content_type="application/pdf")
            response["Content-Disposition"] = content_disposition_header(True, f"{name}.pdf")
            return response
        data = exports.as_xlsx(table, scope_label=scope.label, fees=fees, table2_values=table2_values,
                               table4=remedies)
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.xlsx")
        return response


class StatisticsView(ReportScopeMixin, TemplateView):
    """Running statistics with charts (Apache ECharts, served from our static files)."""

    template_name = "reports/statistics.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year, scope = self.year(), self.scope()
        stats = statistics(scope.cases, year=year, today=local_today(), calendar=get_calendar())
        this_year = local_today().year
        ctx.update(year=year, scope=scope, stats=stats, chart_data=stats.chart_data(), channels=CHANNELS,
                   years=list(range(this_year, this_year - YEARS_SHOWN, -1)),
                   agencies=agency_choices() if may_consolidate(self.request.user) else [],
                   today=local_today())
        return ctx


class Table2View(ReportScopeMixin, TemplateView):
    """表二: shown in the layout of the format; the agency's person in charge (or its
    administrator) enters the figures, each change audited."""

    template_name = "reports/table2.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year, scope = self.year(), self.scope()
        figures = ProactiveFigures.objects.all() if scope.consolidated else ProactiveFigures.objects.filter(
            agency=scope.agency)
        entered = table2(figures, year=year)
        published = publication_counts(_publications(scope), year=year)
        values = with_publications(entered, published)
        editable = not scope.consolidated and may_enter_figures(self.request.user, scope.agency)
        form = kwargs.get("form")
        if editable and form is None:
            form = ProactiveFiguresForm(initial=entered)  # the hand-entered part only; the system's own is added
        this_year = local_today().year
        ctx.update(year=year, scope=scope, sections=table2_layout(values), title=TABLE2_TITLE, published=published,
                   form=form if editable else None, years=list(range(this_year, this_year - YEARS_SHOWN, -1)),
                   agencies=agency_choices() if may_consolidate(self.request.user) else [],
                   entered=figures.filter(year=year).select_related("updated_by").order_by("-updated_at").first())
        return ctx

    def post(self, request, *args, **kwargs):
        year, scope = self.year(), self.scope()
        if scope.consolidated or not may_enter_figures(request.user, scope.agency):
            raise PermissionDenied(ERR_NOT_ALLOWED)
        form = ProactiveFiguresForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            reason = data.pop("reason")
            try:
                proactive_figures_set(actor=request.user, agency=scope.agency, year=year, reason=reason, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已保存{year}年表二数据。")
                return HttpResponseRedirect(f"{request.path}?{self.query(scope, year)}")
        return self.render_to_response(self.get_context_data(form=form))
