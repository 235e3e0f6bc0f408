from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "依申请公开与法定期限"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_seed_calendar, sender=self, weak=False)
        # The flow adds its permissions (manage_requestprocess) to the model's Meta on
        # import; importing it here makes post_migrate create them.
        from . import flows  # noqa: F401


def _seed_calendar(using="default", **kwargs):
    # The official schedules shipped in chinesecalendar are loaded once, automatically,
    # so a fresh database never computes a deadline without them.
    from .services import calendar_seed_official

    calendar_seed_official()
