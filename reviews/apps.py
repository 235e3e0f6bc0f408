from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "主动公开"

    def ready(self):
        from flowkit.labels import name_viewflow_columns

        # Flow node permissions are added to the process model's Meta on import, so the
        # flows module must be loaded before post_migrate (viewflow notes §5).
        from . import flows  # noqa: F401

        name_viewflow_columns()
