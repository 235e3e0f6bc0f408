"""The custom viewflow node of the application flow.

`CaseView` is a human step that only staff who may see the case can claim or execute
(viewflow itself checks only model-level permissions)."""
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.status import STATUS

from .selectors import case_visible_to
from .views import ClaimTaskView


def case_of(task):
    return task.process.requestprocess.case


def scoped_for(user, tasks) -> list:
    """Tasks a list has already scoped to `user` (request_tasks_visible_to): marked so the
    per-row action checks of that list need no query of their own."""
    tasks = list(tasks)
    for task in tasks:
        task.scoped_for_user = user.pk
    return tasks


def _visible(user, task) -> bool:
    if getattr(task, "scoped_for_user", None) == user.pk:
        return True
    return case_visible_to(user, case_of(task))


class CaseViewActivation(ViewActivation):
    @Activation.status.transition(
        source=STATUS.NEW, target=STATUS.ASSIGNED,
        permission=lambda activation, user: activation.flow_task.can_assign(user, activation.task))
    def take(self, user):
        """`assign` without its own save, for a step that takes a waiting task and finishes it
        at once (the step frame): the task row is written once, done, by `execute`."""
        self.task.owner = user


class CaseView(flow.View):
    activation_class = CaseViewActivation
    assign_view_class = ClaimTaskView

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._on_create = this.task_created  # every human step tells whom it waits on (the flow's task_created)

    def can_assign(self, user, task):
        return super().can_assign(user, task) and _visible(user, task)

    def can_execute(self, user, task):
        return super().can_execute(user, task) and _visible(user, task)

    def can_view(self, user, task):
        if getattr(task, "scoped_for_user", None) == user.pk:
            return self.flow_class.instance.has_view_permission(user)
        return super().can_view(user, task)

    def can_unassign(self, user, task):
        # Releasing a task is done by reassignment with a reason (request_reassign), so
        # that the case's handler and the audit record stay right; viewflow's own
        # unassign screens would bypass both.
        return False
