"""The staff UI (viewflow Material frontend) mounted at /staff/.

Each domain app that has staff pages defines `staff_apps()` in its `staff.py`,
returning viewflow Applications; they are collected here in INSTALLED_APPS order, except
that an application may ask to come later (`menu_position`, default 0): the site's
index leads to the first page of the first application, which everyone must be able to open."""
from viewflow.urls import Site

from .discovery import app_modules


def build_site() -> Site:
    applications = [app for _config, module in app_modules("staff") for app in module.staff_apps()]
    applications.sort(key=lambda app: getattr(app, "menu_position", 0))  # stable: INSTALLED_APPS order otherwise
    return Site(title="政府信息公开办理系统", viewsets=applications)


site = build_site()
