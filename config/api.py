"""REST API at /api/. Each app with an API defines `urlpatterns` in `api_urls.py`;
they are mounted here under /api/<app_label>/."""
from django.urls import include, path

from .discovery import app_modules

urlpatterns = [path(f"{config.label}/", include(module)) for config, module in app_modules("api_urls")]
