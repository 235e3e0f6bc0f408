"""Celery application. Without REDIS_URL tasks run eagerly in-process (embedded default)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ogi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Every thread uses this app (Celery's "current app" is per thread): a step run in a
# worker thread queues its after-commit work here too, eagerly in the embedded mode.
app.set_default()
