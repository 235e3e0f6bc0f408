"""The filters above the inbox, the department queue and the done list: by step and by
date. The step choices come from the flow's definition, not from a DISTINCT over every
task of the installation; there is no picker listing every process (it read the
processes of all agencies, thousands of options at a province's volume)."""
from __future__ import annotations

from django_filters import ChoiceFilter, DateRangeFilter, FilterSet
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task

from .flows import DisclosureRequestFlow


def step_choices() -> list[tuple[str, str]]:
    nodes = [n for n in DisclosureRequestFlow.instance.nodes() if getattr(n, "task_type", "") == "HUMAN"]
    return [(get_task_ref(n), str(n.task_title or n.name)) for n in nodes]


class CaseTaskFilter(FilterSet):
    flow_task = ChoiceFilter(label="步骤")
    created = DateRangeFilter(label="创建时间")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["flow_task"].field.choices = step_choices()

    class Meta:
        model = Task
        fields = ("flow_task", "created")


class CaseArchiveFilter(CaseTaskFilter):
    finished = DateRangeFilter(label="完成时间")

    class Meta:
        model = Task
        fields = ("flow_task", "created", "finished")
