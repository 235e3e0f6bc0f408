"""Deliver the outbox's pending messages now, one after another (cron, every minute,
when there is no Celery worker): what a mail server refused earlier is tried again."""
import datetime as dt

from django.core.management.base import BaseCommand

from notifications import delivery
from notifications.channels import TransientDeliveryError
from notifications.models import Message


class Command(BaseCommand):
    help = "发送待发送的消息（无 Celery 时由 cron 每分钟运行）"

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=60, help="只发送创建已超过这么多秒的消息")

    def handle(self, *args, older_than, **options):
        from django.utils import timezone

        cutoff = timezone.now() - dt.timedelta(seconds=older_than)
        sent = failed = 0
        for pk in Message.objects.filter(status=Message.PENDING, created_at__lte=cutoff).values_list("pk", flat=True):
            try:
                sent += delivery.message_deliver(message_id=pk)
            except TransientDeliveryError:
                failed += 1
        self.stdout.write(f"已发送 {sent} 条，{failed} 条稍后重试。")
