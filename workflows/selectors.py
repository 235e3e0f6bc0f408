"""Reading applications for a screen: who sees which case and task, similar earlier
cases (Art. 36(6)), the tasks of a case with what the user may do on each."""
from __future__ import annotations

import difflib

from django.db.models import QuerySet
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .models import DisclosureRequest, RequestStatus, visibility_q


def cases_visible_to(user, qs: QuerySet | None = None) -> QuerySet:
    """The cases `user` may see (the rule: `DisclosureRequestQuerySet.visible_to`)."""
    return (qs if qs is not None else DisclosureRequest.objects.all()).visible_to(user)


def case_visible_to(user, case) -> bool:
    return cases_visible_to(user, DisclosureRequest.objects.filter(pk=case.pk)).exists()


def request_tasks_visible_to(user, tasks: QuerySet) -> QuerySet:
    """Restrict a viewflow Task queryset to the tasks of cases the user may see."""
    q = visibility_q(user, "process__requestprocess__case__")
    return tasks.filter(process__requestprocess__isnull=False) if q is None else tasks.filter(q)


def similar_answered_cases(case, *, threshold: float = 0.6) -> list:
    """Earlier answered applications of the same applicant asking for similar
    information (Art. 36(6), 重复申请): same agency and identity number, reply issued."""
    def text(c) -> str:
        return " ".join([c.description] + [i.title for i in c.items.all()])

    mine = text(case)
    earlier = (DisclosureRequest.objects
               .filter(agency=case.agency_id, id_number=case.id_number,
                       status__in=[RequestStatus.ISSUED, RequestStatus.DELIVERED, RequestStatus.ARCHIVED])
               .exclude(pk=case.pk).prefetch_related("items"))
    found = []
    for other in earlier:
        ratio = difflib.SequenceMatcher(None, mine, text(other)).ratio()
        if ratio >= threshold:
            other.similarity = round(ratio, 2)
            found.append(other)
    return sorted(found, key=lambda c: -c.similarity)


TASK_STATUS_LABELS = {STATUS.NEW: "待认领", STATUS.ASSIGNED: "已认领", STATUS.STARTED: "办理中", STATUS.DONE: "已完成",
                      STATUS.CANCELED: "已取消", STATUS.SCHEDULED: "等待中", STATUS.ERROR: "出错"}


def case_tasks(case, user) -> list:
    """The tasks of a case, with what `user` may do on each (claim / execute)."""
    out = []
    for task in Task.objects.filter(process__in=case.processes.values("pk")).select_related("owner").order_by("id"):
        node = task.flow_task
        if node is None or getattr(node, "task_type", "") != "HUMAN":
            continue
        task.step_title = str(node.task_title or node)
        task.status_label = TASK_STATUS_LABELS.get(task.status, "")
        task.can_claim = task.status == STATUS.NEW and node.can_assign(user, task)
        task.can_do = task.status in (STATUS.ASSIGNED, STATUS.STARTED) and node.can_execute(user, task)
        task.urls = {
            "assign": node.reverse("assign", args=[task.process_id, task.pk]),
            "execute": node.reverse("execute", args=[task.process_id, task.pk]),
        } if node.flow_class.instance.urls else {}
        out.append(task)
    return out


# --- reconsideration and litigation -------------------------------------------------------------

REMEDY_DUE_SOON = {"reconsideration": 3, "litigation": 5}  # working days / calendar days, as the law counts each


def remedies_visible_to(user):
    from .models import RemedyProceeding

    return RemedyProceeding.objects.visible_to(user)


def remedy_days_left(proceeding, *, calendar, today) -> int:
    """Days left to answer, in the unit the law counts: working days for a reconsideration
    (行政复议法 Art. 88), calendar days for a lawsuit; negative when overdue."""
    due = proceeding.answer_due
    if proceeding.kind == "reconsideration":
        return calendar.workdays_between(today, due) if due >= today else -calendar.workdays_between(due, today)
    return (due - today).days


def remedy_badge(proceeding, *, calendar, today) -> tuple[str, str]:
    """(words, css colour) of a proceeding's answer deadline, for the lists (督办)."""
    if proceeding.answered_on is not None:
        late = proceeding.answered_on > proceeding.answer_due
        return ("已答复（超期）" if late else "已按期答复"), ("#c62828" if late else "#2e7d32")
    left = remedy_days_left(proceeding, calendar=calendar, today=today)
    unit = "个工作日" if proceeding.kind == "reconsideration" else "日"
    if left < 0:
        return f"已超期 {-left} {unit}", "#c62828"
    if left == 0:
        return "今日到期", "#c62828"
    colour = "#b45309" if left <= REMEDY_DUE_SOON[proceeding.kind] else "#2e7d32"
    return f"剩余 {left} {unit}", colour


def supervision_near_due_days() -> int:
    """督办 lists a case from this many working days before its deadline (setting
    OGI_SUPERVISION_NEAR_DUE_DAYS, 3 unless set)."""
    from django.conf import settings

    return int(getattr(settings, "OGI_SUPERVISION_NEAR_DUE_DAYS", 3))


def supervision_cases(user, *, calendar, today) -> QuerySet:
    """督办: the open cases `user` may see whose running clock is overdue or near its
    deadline, most urgent first, with when each was last pressed (催办). A paused clock
    (third-party consultation, a fee awaited) does not run, so it is not listed."""
    from django.db.models import CharField, OuterRef, Subquery
    from django.db.models.functions import Cast

    from audit.models import AuditEvent

    from .models import OPEN_STATUSES

    threshold = calendar.add_workdays(today, supervision_near_due_days())
    urged = AuditEvent.objects.filter(object_type="workflows.disclosurerequest", action="request.urged",
                                      object_id=Cast(OuterRef("pk"), CharField())).order_by("-id")
    return (cases_visible_to(user).filter(status__in=OPEN_STATUSES, clock__isnull=False, clock__stopped_on__isnull=True,
                                          clock__paused=False, clock__due_date__lte=threshold)
            .select_related("clock", "department", "handler")
            .annotate(last_urged_at=Subquery(urged.values("at")[:1]),
                      last_urged_by=Subquery(urged.values("actor_label")[:1]))
            .order_by("clock__due_date", "pk"))
