"""Load the demo data (idempotent).

Each app may define `seed_demo(stdout)` in its `demo.py`; they run in INSTALLED_APPS
order after the organisations and log-ins exist."""
from django.core.management.base import BaseCommand
from django.db import transaction

from agencies.demo import DEMO_PASSWORD, seed_organisations
from agencies.discovery import app_modules


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）"

    def handle(self, *args, **opts):
        logins = seed_organisations()
        for config, module in app_modules("demo"):
            if config.name == "agencies":
                continue
            with transaction.atomic():
                module.seed_demo(self.stdout)
        self.stdout.write("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
        for username, name, role in logins:
            self.stdout.write(f"  {username:<15} {name:<6} {role}")
        self.stdout.write("申请人门户：http://127.0.0.1:8000/   工作人员：http://127.0.0.1:8000/staff/   管理后台：http://127.0.0.1:8000/admin/")
