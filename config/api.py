"""REST API at /api/ (the `api` app: applications, documents, tasks, the calendar, the
public feed, the OpenAPI schema and its documentation)."""
from django.urls import include, path

urlpatterns = [path("", include("api.urls"))]
