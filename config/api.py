"""REST API at /api/. Each app with an API defines `urlpatterns` in `api_urls.py`;
they are mounted here under /api/<app_label>/."""
from importlib import import_module

from django.apps import apps
from django.urls import include, path

urlpatterns = []
for _config in apps.get_app_configs():
    try:
        _module = import_module(f"{_config.name}.api_urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{_config.name}.api_urls":
            raise
        continue
    urlpatterns.append(path(f"{_config.label}/", include(_module)))
