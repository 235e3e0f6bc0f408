from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "机关与角色"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import ensure_roles

        post_migrate.connect(lambda **kw: ensure_roles(), sender=self, weak=False)
