"""Reading applications for a screen: who sees which case and task, similar earlier
cases (Art. 36(6)), the tasks of a case with what the user may do on each."""
from __future__ import annotations

import difflib

from django.db.models import Q, QuerySet
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .models import FINISHED_STATUSES, DisclosureRequest, RequestStatus, visibility_q, visible_row


def cases_visible_to(user, qs: QuerySet | None = None) -> QuerySet:
    """The cases `user` may see (the rule: `DisclosureRequestQuerySet.visible_to`)."""
    return (qs if qs is not None else DisclosureRequest.objects.all()).visible_to(user)


def case_visible_to(user, case) -> bool:
    """May `user` see this case? The rule of `cases_visible_to`, applied to the row in hand
    (its agency and department as loaded): callers pass a case they have just read."""
    return visible_row(user, case)


def request_tasks_visible_to(user, tasks: QuerySet) -> QuerySet:
    """Restrict a viewflow Task queryset to the tasks of cases the user may see."""
    q = visibility_q(user, "process__requestprocess__case__")
    return tasks.filter(process__requestprocess__isnull=False) if q is None else tasks.filter(q)


def request_queue_visible_to(user, tasks: QuerySet) -> QuerySet:
    """`request_tasks_visible_to` for the queue (tasks waiting to be claimed). Finished
    cases have none; saying so lets the database start from the agency's cases that may
    still have work (a partial index) instead of every waiting task of the installation,
    which viewflow's task table cannot tell apart by agency."""
    return request_tasks_visible_to(user, tasks).filter(
        ~Q(process__requestprocess__case__status__in=FINISHED_STATUSES))


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


# --- the case summary at the top of every task page ------------------------------------------

OPEN_BEFORE_REGISTRATION = {RequestStatus.SUBMITTED}
NOTE_ROLES = {"confidentiality_cleared": "保密审查意见", "confidentiality_returned": "保密审查退回意见",
              "sign_off_returned": "负责人退回意见", "reassigned": "改派理由"}


def case_summary(case: DisclosureRequest) -> dict:
    """What every task page of a case starts with (templatetags/case_summary.py): the
    applicant, the items as the applicant described them, the applicant's files, the
    clock (deadline, days left, paused or extended, and how it was derived) and the
    opinions recorded so far. A few queries, none per row."""
    from django.db.models import prefetch_related_objects

    from legal import clock as clock_rules
    from legal.selectors import clock_state, days_left_words

    clock = state = None
    if case.clock_id:
        clock = case.clock
        prefetch_related_objects([clock], "segments")
        segments = list(clock.segments.all())
        state = clock_state(clock)
        paused = [s for s in segments if s.kind == clock_rules.PAUSE and s.end_date is None]
        state.pause_label = paused[-1].get_pause_reason_display() if paused else ""
        state.extended_days = sum(s.days or 0 for s in segments if s.kind == clock_rules.EXTENSION)
        state.longer_days = sum(s.days or 0 for s in segments if s.kind == clock_rules.LONGER)
        state.left_words = "已办结" if state.stopped_on else days_left_words(state.left_days)
    elif case.status in OPEN_BEFORE_REGISTRATION:
        state = _clock_if_registered_today(case)
    notes = list(case.notes.select_related("author").order_by("id"))
    for note in notes:
        note.role = NOTE_ROLES.get(note.kind, "意见")
    return {
        "case": case,
        "items": list(case.items.order_by("position", "id")),
        "applicant_files": list(case.attachments.order_by("id")),
        "clock": state,
        "notes": notes,
    }


def _clock_if_registered_today(case: DisclosureRequest):
    """Before registration the clock has not opened: the deadline it would have if the
    case were registered today (Art. 31: handed in -> that day; otherwise the day the
    receipt is signed for or confirmed, at the earliest today), marked as provisional."""
    from legal import clock as clock_rules
    from legal import receipt as receipt_rules
    from legal.selectors import days_left_words, get_calendar, local_today

    today = local_today()
    received = today
    if case.channel == receipt_rules.IN_PERSON and case.submitted_at:
        received = min(receipt_rules.receipt_date(case.channel, submitted_at=case.submitted_at), today)
    start = clock_rules.Seg(clock_rules.START, received, days=clock_rules.STATUTORY_DAYS)
    state = clock_rules.compute([start], get_calendar(), today)
    state.provisional, state.pause_label, state.extended_days, state.longer_days = True, "", 0, 0
    state.left_words = days_left_words(state.left_days)
    state.unregistered_from = received
    return state


def opinions_before_sign_off(case: DisclosureRequest) -> list[dict]:
    """Every opinion the person in charge signs over, by name and in order: the reviews
    and returns (case notes), each 会商 participant and its conclusion, third parties and
    other agencies consulted, and extension decisions."""
    from audit.services import actor_label

    rows = []
    for note in case.notes.select_related("author").order_by("id"):
        if note.kind in NOTE_ROLES and note.kind != "reassigned":
            rows.append({"at": note.created_at, "role": NOTE_ROLES[note.kind], "name": actor_label(note.author),
                         "text": note.text or "（无文字意见）"})
    for c in case.consultations.select_related("convener").prefetch_related("opinions__participant").order_by("id"):
        for o in c.opinions.all():
            rows.append({"at": o.given_at or c.created_at, "role": "会商意见", "name": actor_label(o.participant),
                         "text": o.opinion or "（尚未出具）"})
        if c.decision:
            rows.append({"at": c.decided_at or c.created_at, "role": "会商结论", "name": actor_label(c.convener),
                         "text": c.decision})
    for tp in case.third_party_consultations.order_by("id"):
        if tp.opinion:
            text = f"{tp.get_opinion_display()}{('：' + tp.opinion_text) if tp.opinion_text else ''}"
            if tp.public_interest_override:
                text += f"；因公共利益决定公开：{tp.override_reasons}"
            rows.append({"at": None, "day": tp.opinion_on, "role": "第三方意见", "name": tp.third_party, "text": text})
    for oa in case.other_agency_consultations.order_by("id"):
        if oa.answer:
            rows.append({"at": None, "day": oa.answer_on, "role": "其他机关意见", "name": oa.other_agency,
                         "text": f"{oa.get_answer_display()}{('：' + oa.answer_text) if oa.answer_text else ''}"})
    return rows
