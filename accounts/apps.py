from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "工作人员登录与安全"

    def ready(self):
        from . import signals  # noqa: F401  (log-ins, log-outs and failures go to the audit record)
