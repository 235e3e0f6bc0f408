"""For cron users: `python manage.py send_reminders` (idempotent; run it as often as you like)."""
from django.core.management.base import BaseCommand

from notifications.services import outbox_flush
from workflows.reminders import reminders_sweep


class Command(BaseCommand):
    help = "扫描在办申请并发送期限提醒；重新投递积压的消息"

    def handle(self, *args, **opts):
        fired = reminders_sweep()
        flushed = outbox_flush()
        self.stdout.write(f"reminders: {fired or 'none'}; pending messages re-dispatched: {flushed}")
