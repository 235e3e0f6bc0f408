"""The step frame every case service shares, written once.

A service is one transaction (`@step_service`) that opens a `Step`:

    step = Step.open(case, actor=actor, perm=REGISTER, node="register", task=task)
    ...the rule of the service, on step.case...
    step.move("register", action="request.registered", reason=...)
    step.complete()

`Step.open` locks the case (its process row, then the case row, so concurrent steps
queue up), checks the actor (role permission, same agency, department scope, task
ownership) and finds the open task of `node`. `move` changes the legal status through
its FSM transition, writes the audit event and says who is told; `complete` finishes the
viewflow task, which creates the next one. A failed check raises before anything is
written; a later failure rolls back with the transaction. `actor=None` is the system.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from agencies.models import Agency
from audit.services import actor_label, audit_record
from dbrows import Columns, Reader
from legal.selectors import get_calendar, local_today
from legal.services import clock_stop

from ..models import DisclosureRequest, RequestProcess
from ..notices import case_notify
from ..selectors import case_visible_to

ERR_NOT_ALLOWED = "您没有办理此项操作的权限。"
ERR_NOT_VISIBLE = "您无权查看或办理该申请（不属于您所在的机关或部门）。"
ERR_TASK_GONE = "该步骤已由他人办理完毕或已取消，请刷新页面查看最新状态。"
ERR_TASK_TAKEN = "该任务已由{name}认领，您不能办理。"
ERR_BUSY = "该申请正在由他人办理，请稍后重试。"
ERR_READ_ONLY = "该申请已归档或已终止，只能查看，不能再修改。"
ERR_REASON_REQUIRED = "请填写理由。"
ERR_OPINION_REQUIRED = "请填写意见。"

# The permission each kind of step needs (codenames of workflows.DisclosureRequest).
REGISTER, HANDLE, REVIEW, APPROVE = "register_request", "handle_request", "review_confidentiality", "approve_request"
LIVE = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def request_flow():
    """The application flow class. The flow sits above the services (its nodes call them),
    so the services find it through the app registry rather than importing it."""
    return apps.get_app_config("workflows").request_flow


def step_service(func):
    """`transaction.atomic`, and a viewflow lock failure becomes a message users can act on."""
    atomic = transaction.atomic(func)

    def wrapper(*args, **kwargs):
        try:
            return atomic(*args, **kwargs)
        except FlowLockFailed as exc:
            raise ValidationError(ERR_BUSY) from exc

    wrapper.__name__, wrapper.__doc__, wrapper.__wrapped__ = func.__name__, func.__doc__, func
    return wrapper


def today(on: dt.date | None = None) -> dt.date:
    return on or local_today()


def add_workdays(start: dt.date, days: int) -> dt.date:
    return get_calendar().add_workdays(start, days)


def latest_process(case: DisclosureRequest) -> RequestProcess | None:
    return case.processes.order_by("-pk").first()


def _lock_sql(connection, select: str) -> str:
    qn = connection.ops.quote_name
    rp, p = qn(RequestProcess._meta.db_table), qn(Process._meta.db_table)
    c, a = qn(DisclosureRequest._meta.db_table), qn(Agency._meta.db_table)
    rp_key, rp_case = qn(RequestProcess._meta.pk.column), qn(RequestProcess._meta.get_field("case").column)
    c_agency = qn(DisclosureRequest._meta.get_field("agency").column)
    lock = f" FOR UPDATE OF {rp}, {p}, {c}" if connection.features.has_select_for_update_of else ""
    return (f"SELECT {select} FROM {rp} INNER JOIN {p} ON {p}.{qn(Process._meta.pk.column)} = {rp}.{rp_key} "
            f"INNER JOIN {c} ON {c}.{qn(DisclosureRequest._meta.pk.column)} = {rp}.{rp_case} "
            f"INNER JOIN {a} ON {a}.{qn(Agency._meta.pk.column)} = {c}.{c_agency} "
            f"WHERE {rp}.{rp_case} = %s ORDER BY {rp}.{rp_key} DESC LIMIT 1{lock}")


# the latest process of a case with the case and its agency; process and case rows locked
_LOCK = Reader([Columns(RequestProcess), Columns(DisclosureRequest), Columns(Agency)], _lock_sql)


def _live_tasks_sql(connection, select: str) -> str:
    qn = connection.ops.quote_name
    t = qn(Task._meta.db_table)
    return (f"SELECT {select} FROM {t} WHERE {t}.{qn('process_id')} = %s AND {t}.{qn('flow_task')} = %s "
            f"AND {t}.{qn('status')} IN (%s, %s, %s) ORDER BY {t}.{qn('id')}")


_LIVE_TASKS = Reader([Columns(Task)], _live_tasks_sql)


def _task_sql(connection, select: str) -> str:
    qn = connection.ops.quote_name
    t = qn(Task._meta.db_table)
    return f"SELECT {select} FROM {t} WHERE {t}.{qn('id')} = %s"


_TASK = Reader([Columns(Task)], _task_sql)  # a task handed in by a page, read again under the lock


def lock_case(case: DisclosureRequest) -> DisclosureRequest:
    """Lock the process row then the case row (the order viewflow's own views use), and
    return a fresh copy of the case. Concurrent steps on one case wait here.

    One statement (`dbrows`: built once, not compiled per step): the latest process
    with its case and the case's agency (its number series, documents and notices need
    it), the process and case rows locked, the agency not. A case without a process (none
    is started yet) locks its own row alone."""
    found = _LOCK.rows([case.pk])
    if found:
        process, locked, agency = found[0]
        locked.agency = agency
        process.case = locked  # the flow's nodes read the case through the process: this copy, as the step leaves it
    else:
        process = None
        locked = DisclosureRequest.objects.select_for_update(of=("self",)).select_related("agency").get(pk=case.pk)
    locked.locked_process = process  # the latest process, read under the lock (open_task uses it)
    _remember_loaded(locked)
    return locked


def _remember_loaded(case: DisclosureRequest) -> None:
    # the columns as read under the lock (all plain values: no field is mutated in place),
    # so that `move` writes back only what the step changed
    case._as_loaded = {f.attname: getattr(case, f.attname) for f in case._meta.concrete_fields if not f.primary_key}


def save_case(case: DisclosureRequest) -> None:
    """Write the case: only the columns changed since `lock_case` read it (and the time of
    the change), or every column for a copy read otherwise."""
    loaded = getattr(case, "_as_loaded", None)
    if loaded is None:
        case.save()
        return
    changed = [name for name, value in loaded.items() if getattr(case, name) != value]
    case.save(update_fields=[*changed, "updated_at"])
    _remember_loaded(case)


def require(actor, case: DisclosureRequest, perm: str | None) -> None:
    """The actor holds `perm` (a workflows codename) and may see the case (agency, department)."""
    if actor is None:
        return
    if perm and not actor.has_perm(f"workflows.{perm}"):
        raise PermissionDenied(ERR_NOT_ALLOWED)
    if not case_visible_to(actor, case):
        raise PermissionDenied(ERR_NOT_VISIBLE)


def require_open(case: DisclosureRequest) -> None:
    if case.is_read_only:
        raise ValidationError(ERR_READ_ONLY)


def open_task(case: DisclosureRequest, node, *, actor=None, task=None, item=None, visible: bool = False) -> Task:
    """The live task of `node` on this case, checked for `actor` (`visible`: the caller
    has already checked that the actor may see the case)."""
    if task is not None:
        if task.status != STATUS.STARTED:
            task = next((t for (t,) in _TASK.rows([task.pk])), None)
        locked = getattr(case, "locked_process", None)
        if task is not None and locked is not None and task.process_id == locked.pk:
            task.process = locked  # read under the lock
    else:
        process = getattr(case, "locked_process", None) or latest_process(case)
        live = [t for (t,) in _LIVE_TASKS.rows([getattr(process, "pk", None), get_task_ref(node), *LIVE])]
        if item is not None:
            live = [t for t in live if (t.data or {}).get("item") == item]
        task = live[0] if live else None
        if task is not None and process is not None:
            task.process = process  # already in hand
    if task is None or task.status not in LIVE or task.flow_task != node:
        raise ValidationError(ERR_TASK_GONE)
    if actor is not None:
        if visible:  # the caller has checked the case against the actor (require)
            task.scoped_for_user = actor.pk
        if task.status == STATUS.NEW:
            if not node.can_assign(actor, task):
                raise PermissionDenied(ERR_NOT_ALLOWED)
        elif task.owner_id != actor.pk:
            raise PermissionDenied(ERR_TASK_TAKEN.format(name=actor_label(task.owner)))
    return task


def move(case: DisclosureRequest, transition: str, *, actor, action: str, reason: str = "",
         was: dict | None = None, **after: Any) -> None:
    """Change the legal status (django_fsm), record it and tell whoever must know. `was`
    holds what a redone step replaces (the earlier draft), recorded as the event's before."""
    before = {"status": case.status, **(was or {})}
    getattr(case, transition)()
    save_case(case)
    audit_record(actor=actor, action=action, obj=case, before=before, after={"status": case.status, **after},
                 reason=reason)
    case_notify(case=case, action=action)


def cancel_processes(case: DisclosureRequest) -> None:
    """Cancel every open task and process of the case (withdrawal, declined fee)."""
    for process in case.processes.exclude(status__in=[PROCESS.DONE, PROCESS.CANCELED]):
        for task in process.task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED]):
            activation = task.flow_task.activation_class(task)
            cancel = getattr(activation, "cancel", None)
            if cancel is not None and cancel.can_proceed():
                cancel()
            else:
                task.status, task.finished = STATUS.CANCELED, timezone.now()
                task.save(update_fields=["status", "finished"])
        process.status, process.finished = PROCESS.CANCELED, timezone.now()
        process.save(update_fields=["status", "finished"])


def close_case(case, *, actor, outcome: str, on: dt.date, transition: str, action: str, reason: str) -> None:
    case.outcome = outcome
    case.closed_on = on
    case.items.update(outcome=outcome)
    if case.clock and case.clock.is_open:
        clock_stop(actor=actor, clock=case.clock, on=max(on, case.received_on or on), reason=reason)
    move(case, transition, actor=actor, action=action, reason=reason, outcome=outcome)


@dataclass
class Step:
    """One human step in progress: the locked case, the checked actor, the open task."""

    case: DisclosureRequest
    actor: Any
    task: Task

    @classmethod
    def open(cls, case: DisclosureRequest, *, actor, perm: str | None, node: str, task=None, item=None) -> "Step":
        case = lock_case(case)
        require(actor, case, perm)
        return cls(case=case, actor=actor, task=open_task(case, getattr(request_flow(), node), actor=actor,
                                                          task=task, item=item, visible=True))

    def move(self, transition: str, *, action: str, reason: str = "", was: dict | None = None, **after: Any) -> None:
        move(self.case, transition, actor=self.actor, action=action, reason=reason, was=was, **after)

    def complete(self, *, decision: str | None = None) -> None:
        """Finish the task; `decision` is the route the flow's gateway reads next."""
        activation = self.task.flow_task.activation_class(self.task)
        if activation.process is not getattr(self.case, "locked_process", None):
            activation.process.refresh_from_db()  # read before the lock (a task handed in)
        if decision is not None:
            activation.process.decision = decision
            activation.process.save(update_fields=["decision"])
        if self.task.status == STATUS.NEW:
            take = getattr(activation, "take", None)  # written once, when done (CaseView)
            (take or activation.assign)(self.actor)
        if self.task.status == STATUS.ASSIGNED:
            activation.start(SimpleNamespace(user=self.actor))
        activation.execute()
