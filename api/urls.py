"""/api/: the parts of the REST API, its OpenAPI schema and its documentation (offline)."""
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from . import views
from .actions import ACTIONS

app_name = "api"


def _open(view_class, **kwargs):
    return view_class.as_view(permission_classes=[AllowAny], authentication_classes=[], **kwargs)


urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("schema/", _open(SpectacularAPIView), name="schema"),
    path("docs/", _open(SpectacularSwaggerView, url_name="api:schema"), name="docs"),
    path("redoc/", _open(SpectacularRedocView, url_name="api:schema"), name="redoc"),
    path("applications/", views.ApplicationsView.as_view(), name="applications"),
    path("applications/<int:pk>/", views.ApplicationView.as_view(), name="application"),
    path("applications/<int:pk>/register/", views.RegisterAction.as_view(), name="application-register"),
    path("applications/<int:pk>/accept/", views.AcceptAction.as_view(), name="application-accept"),
    path("applications/<int:pk>/supplement-notice/", views.SupplementNoticeAction.as_view(),
         name="application-supplement-notice"),
    path("applications/<int:pk>/supplement-received/", views.SupplementReceiveAction.as_view(),
         name="application-supplement-received"),
    *[path(f"applications/<int:pk>/{slug}/", view.as_view(), name=f"application-{slug}") for slug, view in ACTIONS],
    path("documents/<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("documents/<int:pk>/pdf/", views.DocumentPdfView.as_view(), name="document-pdf"),
    path("tasks/inbox/", views.InboxView.as_view(), name="inbox"),
    path("tasks/queue/", views.QueueView.as_view(), name="queue"),
    path("calendar/is-workday/", views.IsWorkdayView.as_view(), name="is-workday"),
    path("calendar/add-workdays/", views.AddWorkdaysView.as_view(), name="add-workdays"),
    path("calendar/years/<int:year>/", views.CalendarYearView.as_view(), name="calendar-year"),
    path("calendar/years/<int:year>/import/", views.CalendarImportView.as_view(), name="calendar-import"),
    # the calculator's first address, kept for the scripts that call it
    path("legal/calendar/add-workdays/", views.AddWorkdaysView.as_view(), name="legal-add-workdays"),
    path("reports/annual/", views.AnnualReportView.as_view(), name="annual-report"),
    path("publications/", views.PublicationsView.as_view(), name="publications"),
    path("publications/feed.atom", views.PublicationsAtomView.as_view(), name="publications-atom"),
    re_path(r"^", views.NotFoundView.as_view()),  # last: any other address is a problem document
]
