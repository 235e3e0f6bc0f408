"""督办: the person in charge (or the OGI office) presses an open case on whoever it
waits on (催办). Recorded in the audit record and told in-app, in one transaction."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from agencies.roles import REGISTRAR
from audit.services import audit_record

from ..models import DisclosureRequest
from ..notices import case_urge_notify, task_candidates
from ._step import ERR_NOT_ALLOWED, lock_case, require

# Who supervises: the person in charge, and the OGI office (its registrars).
SUPERVISE_PERMS = ("workflows.approve_request", "workflows.register_request")
ERR_URGE_CLOSED = "该申请已办结，无需催办。"
ERR_URGE_NOBODY = "该申请目前没有可催办的办理人员。"
URGE_MESSAGE_MAX = 500


def may_supervise(user) -> bool:
    return any(user.has_perm(p) for p in SUPERVISE_PERMS)


def urge_recipients(case: DisclosureRequest) -> list:
    """Whom the case waits on: the owners of its open tasks and its handler; for a task
    still in a queue, those who may take it; failing all, the registrars."""
    live = list(Task.objects.filter(process__in=case.processes.values("pk"), status__in=[STATUS.NEW, STATUS.ASSIGNED])
                .select_related("owner").order_by("id"))
    people = {t.owner.pk: t.owner for t in live if t.owner_id}
    if case.handler_id and case.handler.is_active:
        people.setdefault(case.handler_id, case.handler)
    for task in live:
        if not task.owner_id:
            people.update({u.pk: u for u in task_candidates(task, case)})
    if not people:
        people = {u.pk: u for u in get_user_model()._default_manager.filter(
            staff_profile__agency=case.agency_id, groups__name=REGISTRAR, is_active=True)}
    return list(people.values())


@transaction.atomic
def request_urge(*, actor, case: DisclosureRequest, message: str = "") -> list:
    """催办: tell everyone the open case waits on, with an optional message; recorded.
    Returns the people told."""
    case = lock_case(case)
    if not may_supervise(actor):
        raise PermissionDenied(ERR_NOT_ALLOWED)
    require(actor, case, None)  # same agency, and may see the case
    if not case.is_open:
        raise ValidationError(ERR_URGE_CLOSED)
    message = (message or "").strip()[:URGE_MESSAGE_MAX]
    told = [u for u in urge_recipients(case) if u.pk != actor.pk]
    if not told:
        raise ValidationError(ERR_URGE_NOBODY)
    now = timezone.now()
    audit_record(actor=actor, action="request.urged", obj=case,
                 after={"told": sorted(u.pk for u in told), "message": message}, reason=message)
    case_urge_notify(case=case, actor=actor, to=told, message=message, at=now)
    return told
