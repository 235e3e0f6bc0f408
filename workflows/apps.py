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

        from legal.services import calendar_changed

        from .services.remedy import remedy_deadlines_recompute

        def on_calendar_changed(sender, *, actor, reason, calendar, **_signal):
            remedy_deadlines_recompute(actor=actor, reason=reason, calendar=calendar)

        calendar_changed.connect(on_calendar_changed, weak=False, dispatch_uid="remedy_deadlines_recompute")

        from flowkit.labels import name_viewflow_columns

        name_viewflow_columns()
