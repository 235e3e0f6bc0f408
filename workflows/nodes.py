"""The custom viewflow node of the application flow.

`CaseView` is a human step that only staff who may see the case can claim or execute
(viewflow itself checks only model-level permissions)."""
from viewflow.workflow import flow

from .selectors import case_visible_to
from .views import ClaimTaskView


def case_of(task):
    return task.process.coerced.case


class CaseView(flow.View):
    assign_view_class = ClaimTaskView

    def can_assign(self, user, task):
        return super().can_assign(user, task) and case_visible_to(user, case_of(task))

    def can_execute(self, user, task):
        return super().can_execute(user, task) and case_visible_to(user, case_of(task))

    def can_unassign(self, user, task):
        # Releasing a task is done by reassignment with a reason (request_reassign), so
        # that the case's handler and the audit record stay right; viewflow's own
        # unassign screens would bypass both.
        return False
