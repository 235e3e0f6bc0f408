from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "机关与角色"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import ensure_roles

        post_migrate.connect(lambda **kw: ensure_roles(), sender=self, weak=False)

        # Wherever a person is printed (task owners, process lists, dropdowns), staff read
        # the name (王承办), not the log-in (handler); a log-in without a name stays as it is.
        from django.contrib.auth import get_user_model

        get_user_model().__str__ = _person_name


def _person_name(user) -> str:
    return user.get_full_name() or user.get_username()
