"""The staff UI (viewflow Material frontend) mounted at /staff/.

Each domain app that has staff pages defines `staff_apps()` in its `staff.py`,
returning viewflow Applications; they are collected here in INSTALLED_APPS order, except
that an application may ask to come later (`menu_position`, default 0).

The site's index (where a log-in lands) is the person's 我的待办: the inbox of the first
application with one that they may open; only someone with no inbox at all (the
agency's administrator) goes to the first page of the first application."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import path
from django.views.generic import RedirectView
from viewflow.urls import Site
from viewflow.urls.base import _get_index_redirect_url

from agencies.discovery import app_modules


class LandingView(LoginRequiredMixin, RedirectView):
    site = None

    def get_redirect_url(self, *args, **kwargs):
        user = self.request.user
        for app in self.site.viewsets:
            if hasattr(app, "inbox_view") and app.has_view_permission(user):
                return app.reverse("inbox")
        return _get_index_redirect_url(self.site)


class StaffSite(Site):
    @property
    def index_path(self):
        return path("", LandingView.as_view(site=self), name="index")


def build_site() -> Site:
    applications = [app for _config, module in app_modules("staff") for app in module.staff_apps()]
    applications.sort(key=lambda app: getattr(app, "menu_position", 0))  # stable: INSTALLED_APPS order otherwise
    return StaffSite(title="政府信息公开办理系统", viewsets=applications)


site = build_site()
