from django.apps import AppConfig


class LegalConfig(AppConfig):
    """The law as the ground floor: working days, the legal clock, the receipt-date rule,
    outcomes and their report rows, fee bands, the remedy sentence, the Art. 26 period.
    Every other app imports these; this app imports none of them (agencies and audit only)."""

    name = "legal"
    verbose_name = "法定期限与规则"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_seed_calendar, sender=self, weak=False)


def _seed_calendar(using="default", **kwargs):
    # The official schedules shipped in chinesecalendar are loaded once, automatically,
    # so a fresh database never computes a deadline without them.
    from .services import calendar_seed_official

    calendar_seed_official()
