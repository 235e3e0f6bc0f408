"""The agency's own pages in the staff UI (its administrator keeps them; the Django admin
is the platform administrators')."""
from django.urls import path
from viewflow.urls import Application, AppMenuMixin, Viewset

from .views import AgencySettingsView, PeopleView, StaffChangeView, may_keep_settings


class AgencySettingsViewset(AppMenuMixin, Viewset):
    title = "本机关设置"
    icon = "account_balance"
    index_path = path("", AgencySettingsView.as_view(), name="index")

    def has_view_permission(self, user, obj=None):
        return may_keep_settings(user)


class PeopleViewset(AppMenuMixin, Viewset):
    title = "工作人员与部门"
    icon = "people"
    index_path = path("", PeopleView.as_view(), name="index")
    change_path = path("<int:pk>/", StaffChangeView.as_view(), name="change")

    def has_view_permission(self, user, obj=None):
        return may_keep_settings(user)


class AgencyApp(Application):
    title = "机关管理"
    icon = "account_balance"
    app_name = "agency"
    menu_position = 100  # last: only administrators may open it, and the site's index leads to the first app
    viewsets = [AgencySettingsViewset(), PeopleViewset()]

    def has_view_permission(self, user, obj=None):
        return may_keep_settings(user)


def staff_apps():
    return [AgencyApp()]
