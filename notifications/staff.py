from django.urls import path
from viewflow.urls import Application, AppMenuMixin, Viewset

from .views import NoticeListView


class NoticesViewset(AppMenuMixin, Viewset):
    title = "站内通知"
    icon = "notifications"
    index_path = path("", NoticeListView.as_view(), name="index")


class NotificationsApp(Application):
    title = "通知"
    icon = "notifications"
    app_name = "notices"
    viewsets = [NoticesViewset()]


def staff_apps():
    return [NotificationsApp()]
