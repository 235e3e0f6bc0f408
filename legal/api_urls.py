from django.urls import path

from . import apis

urlpatterns = [
    path("calendar/add-workdays/", apis.AddWorkdaysApi.as_view(), name="api-add-workdays"),
]
