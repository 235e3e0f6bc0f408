"""The staff UI (viewflow Material frontend) mounted at /staff/.

Each domain app that has staff pages defines `staff_apps()` in its `staff.py`,
returning viewflow Applications; they are collected here in INSTALLED_APPS order."""
from viewflow.urls import Site

from .discovery import app_modules


def build_site() -> Site:
    applications = [app for _config, module in app_modules("staff") for app in module.staff_apps()]
    return Site(title="政府信息公开办理系统", viewsets=applications)


site = build_site()
