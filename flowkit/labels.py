"""Column headings of viewflow's own lists, in words.

viewflow 2.4 names some of its list columns only by their Python names (`created`,
`brief`, `process_brief`, `active_tasks`…), which its list header prints as "Created",
"Brief", "Process brief", "Active tasks". Each gets the heading staff read; the texts
go through gettext so the English interface keeps viewflow's words. Its task filters
name each step "<process>/<Python name>" ("…/Handle"); they name it by its title.
"""
from django.utils.translation import gettext_lazy as _

HEADINGS = {
    "brief": _("Brief"),
    "process_brief": _("Process brief"),
    "process_summary": _("Process brief"),
    "process_id": _("#"),
    "active_tasks": _("Active tasks"),
    "created": _("Created"),
}


def name_viewflow_columns() -> None:
    """Give every heading-less column of viewflow's task and process lists its heading."""
    from viewflow.views import ListModelView
    from viewflow.workflow.flow import views
    from viewflow.workflow.flow.views import filters
    from viewflow.workflow.models import Process, Task

    filters.get_queryset_flow_task_choices = _step_choices

    for model in (Process, Task):
        model.brief.fget.short_description = HEADINGS["brief"]
    for name in dir(views):
        view = getattr(views, name)
        if not (isinstance(view, type) and issubclass(view, ListModelView)):
            continue
        for column, heading in HEADINGS.items():
            method = view.__dict__.get(column)
            if callable(method) and not hasattr(method, "short_description"):
                method.short_description = heading


def _step_choices(queryset):
    """The steps present in `queryset`, for viewflow's task filters: "办理流程/承办"."""
    from viewflow.workflow.fields import get_task_ref

    steps = queryset.order_by("flow_task").values_list("flow_task", flat=True).distinct()
    return [(get_task_ref(step), f"{step.flow_class.process_title}/{step.task_title}") for step in steps]
