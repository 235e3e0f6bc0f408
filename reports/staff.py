"""Staff pages of the report app, at /staff/reports/."""
from django.urls import path
from viewflow.urls import Application, AppMenuMixin, Viewset

from workflows.services.register_import import may_import

from .register_views import RegisterImportDetailView, RegisterImportView, RegisterTemplateView
from .views import AnnualReportView, CellCasesView, DownloadView, RemedyCellView, StatisticsView, Table2View


class AnnualReportViewset(AppMenuMixin, Viewset):
    title = "年度报告表三、表四"
    icon = "table_chart"
    app_name = "annual"
    index_path = path("", AnnualReportView.as_view(), name="index")


class Table2Viewset(AppMenuMixin, Viewset):
    title = "年度报告表二"
    icon = "fact_check"
    app_name = "table2"
    index_path = path("", Table2View.as_view(), name="index")


class StatisticsViewset(AppMenuMixin, Viewset):
    title = "办理统计"
    icon = "insights"
    app_name = "statistics"
    index_path = path("", StatisticsView.as_view(), name="index")


class RegisterImportViewset(AppMenuMixin, Viewset):
    """台账导入: an agency's earlier register of applications, for its administrator and OGI office."""

    title = "台账导入"
    icon = "upload_file"
    app_name = "register_import"
    index_path = path("", RegisterImportView.as_view(), name="index")
    template_path = path("template.xlsx", RegisterTemplateView.as_view(), name="template")
    detail_path = path("<int:pk>/", RegisterImportDetailView.as_view(), name="detail")

    def has_view_permission(self, user, obj=None):
        return may_import(user)


class ReportsApp(Application):
    title = "年度报告和统计"
    icon = "assessment"
    app_name = "reports"
    index_path = path("", AnnualReportView.as_view(), name="index")
    cases_path = path("cases/", CellCasesView.as_view(), name="cases")
    remedies_path = path("remedies/", RemedyCellView.as_view(), name="remedies")
    download_path = path("download/", DownloadView.as_view(), name="download")
    viewsets = [Table2Viewset(), AnnualReportViewset(), StatisticsViewset(), RegisterImportViewset()]


def staff_apps():
    return [ReportsApp()]
