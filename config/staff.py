"""The staff UI (viewflow Material frontend) mounted at /staff/.

Each domain app that has staff pages defines `staff_apps()` in its `staff.py`,
returning viewflow Applications; they are collected here in INSTALLED_APPS order."""
from importlib import import_module

from django.apps import apps
from viewflow.urls import Site


def build_site() -> Site:
    applications = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.staff")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.staff":
                raise
            continue
        applications.extend(module.staff_apps())
    return Site(title="政府信息公开办理系统", viewsets=applications)


site = build_site()
