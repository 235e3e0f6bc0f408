from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    """Applications for government information (依申请公开): the case, its process and
    its staff pages."""

    name = "workflows"
    verbose_name = "依申请公开"

    def ready(self):
        # The services find the flow here (the flow sits above them: its nodes call
        # them). Importing it also adds its permissions (manage_requestprocess) to the
        # model's Meta, so post_migrate creates them.
        from .flows import DisclosureRequestFlow

        self.request_flow = DisclosureRequestFlow

        from flowkit.labels import name_viewflow_columns

        name_viewflow_columns()
