"""REST API at /api/. Each app contributes its routes here."""
from django.urls import path

from workflows import apis as workflow_apis

urlpatterns = [
    path("calendar/add-workdays/", workflow_apis.AddWorkdaysApi.as_view(), name="api-add-workdays"),
]
