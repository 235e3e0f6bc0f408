"""Reading the calendar and clocks."""
from __future__ import annotations

import datetime as dt
import threading

from django.utils import timezone

from . import clock as rules
from .calendar import WorkingCalendar
from .models import CalendarDay, CalendarRevision, Clock, OfficialYear

_cache = threading.local()


def get_calendar() -> WorkingCalendar:
    """The current calendar. One query to check the revision; reloads only on change."""
    revision = CalendarRevision.objects.values_list("number", flat=True).first() or 0
    cached = getattr(_cache, "calendar", None)
    if cached is not None and cached.revision == revision and getattr(_cache, "db", None) == _db_identity():
        return cached
    overrides = {d: (w, n) for d, w, n in CalendarDay.objects.values_list("date", "is_workday", "name")}
    years = set(OfficialYear.objects.values_list("year", flat=True))
    cal = WorkingCalendar(overrides, years, revision)
    _cache.calendar, _cache.db = cal, _db_identity()
    return cal


def _db_identity():
    from django.db import connection

    return connection.settings_dict.get("NAME")


def forget_calendar() -> None:
    _cache.calendar = None


def local_today() -> dt.date:
    return timezone.localdate()


def clock_state(clock: Clock, *, calendar: WorkingCalendar | None = None, today: dt.date | None = None) -> rules.ClockState:
    return rules.compute(
        clock.segments.all(), calendar or get_calendar(), today or local_today()
    )


# --- applications: who sees what -------------------------------------------------------

import difflib  # noqa: E402

from django.db.models import Q, QuerySet  # noqa: E402


def cases_visible_to(user, qs: QuerySet | None = None) -> QuerySet:
    """Own agency always; own department unless the role is agency-wide; plus the cases
    on which the user was asked for a 会商 opinion (they need to read them)."""
    from agencies.selectors import scope_to_user

    from .models import DisclosureRequest

    qs = qs if qs is not None else DisclosureRequest.objects.all()
    scoped = scope_to_user(qs, user, department_field="department")
    if getattr(user, "is_superuser", False) or not getattr(user, "is_authenticated", False):
        return scoped
    from agencies.selectors import user_agency

    agency = user_agency(user)
    if agency is None:
        return scoped
    invited = qs.filter(agency=agency, consultations__opinions__participant=user)
    return qs.filter(Q(pk__in=scoped.values("pk")) | Q(pk__in=invited.values("pk"))).distinct()


def case_visible_to(user, case) -> bool:
    from .models import DisclosureRequest

    return cases_visible_to(user, DisclosureRequest.objects.filter(pk=case.pk)).exists()


def request_tasks_visible_to(user, tasks: QuerySet) -> QuerySet:
    """Restrict a viewflow Task queryset to the tasks of cases the user may see."""
    from .models import RequestProcess

    visible = cases_visible_to(user)
    return tasks.filter(process__in=RequestProcess.objects.filter(case__in=visible.values("pk")).values("pk"))


def similar_answered_cases(case, *, threshold: float = 0.6) -> list:
    """Earlier answered applications of the same applicant asking for similar
    information (Art. 36(6), 重复申请): same agency and identity number, reply issued."""
    from .models import DisclosureRequest, RequestStatus

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


def case_tasks(case, user) -> list:
    """The tasks of a case, with what `user` may do on each (claim / execute)."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    out = []
    for task in Task.objects.filter(process__in=case.processes.values("pk")).select_related("owner").order_by("id"):
        node = task.flow_task
        if node is None or getattr(node, "task_type", "") != "HUMAN":
            continue
        task.can_claim = task.status == STATUS.NEW and node.can_assign(user, task)
        task.can_do = task.status in (STATUS.ASSIGNED, STATUS.STARTED) and node.can_execute(user, task)
        task.urls = {
            "assign": node.reverse("assign", args=[task.process_id, task.pk]),
            "execute": node.reverse("execute", args=[task.process_id, task.pk]),
        } if node.flow_class.instance.urls else {}
        out.append(task)
    return out
