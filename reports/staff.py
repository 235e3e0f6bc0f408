"""Staff pages of the report app, at /staff/reports/."""
from django.urls import path
from viewflow.urls import Application, AppMenuMixin, Viewset

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


class ReportsApp(Application):
    title = "年度报告和统计"
    icon = "assessment"
    app_name = "reports"
    index_path = path("", AnnualReportView.as_view(), name="index")
    cases_path = path("cases/", CellCasesView.as_view(), name="cases")
    remedies_path = path("remedies/", RemedyCellView.as_view(), name="remedies")
    download_path = path("download/", DownloadView.as_view(), name="download")
    viewsets = [Table2Viewset(), AnnualReportViewset(), StatisticsViewset()]


def staff_apps():
    return [ReportsApp()]
