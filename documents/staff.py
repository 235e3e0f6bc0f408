from django.urls import path
from viewflow.urls import Application, AppMenuMixin, Viewset

from .views import CaseFileView, DocumentDetailView, DocumentListView, DocumentPdfView, DocumentStatusView


class DocumentsViewset(AppMenuMixin, Viewset):
    title = "文书"
    icon = "description"
    turbo_disabled = True  # the detail page embeds the preview in an iframe
    index_path = path("", DocumentListView.as_view(), name="index")
    detail_path = path("<int:pk>/", DocumentDetailView.as_view(), name="detail")
    status_path = path("<int:pk>/status/", DocumentStatusView.as_view(), name="status")
    pdf_path = path("<int:pk>/pdf/", DocumentPdfView.as_view(), name="pdf")
    case_file_path = path("case/<int:request_pk>/casefile.<str:fmt>", CaseFileView.as_view(), name="case_file")


class DocumentsApp(Application):
    title = "文书管理"
    icon = "description"
    app_name = "documents"
    viewsets = [DocumentsViewset()]


def staff_apps():
    return [DocumentsApp()]
