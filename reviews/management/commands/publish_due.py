"""Publish every scheduled item whose planned day has come (run daily from cron or Celery beat)."""
from django.core.management.base import BaseCommand

from reviews.flows import publications_publish_due


class Command(BaseCommand):
    help = "发布已到计划发布日期的公开信息"

    def handle(self, *args, **opts):
        n = publications_publish_due()
        self.stdout.write(f"已发布 {n} 件（政策与解读同步发布）。")
