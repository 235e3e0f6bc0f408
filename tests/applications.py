"""Building applications for tests through the services (never the ORM): submit,
register, route, decide, reply and archive; and reading back their tasks, audit
actions and clock ledger. The fixtures `land` and `people` live in tests/conftest.py."""
import datetime as dt

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from audit.models import AuditEvent
from legal.selectors import get_calendar, local_today
from workflows import services as svc
from workflows.demo import disclosed_attachments


def days_ago(n: int) -> dt.date:
    return local_today() - dt.timedelta(days=n)


def submit(agency, registrar, *, channel="in_person", received=None, items=("2025年土地征收补偿方案",),
           id_number="410402199001011234", description="申请公开石龙区2025年土地征收补偿方案",
           address="河南省平顶山市石龙区人民路1号"):
    received = received or local_today()
    submitted_at = timezone.make_aware(dt.datetime.combine(received, dt.time(9, 30)))
    return svc.request_submit(
        actor=registrar, agency=agency, applicant_type="natural", applicant_name="张三", id_type="resident_id",
        id_number=id_number, phone="13800000000", channel=channel, form_wanted="paper", delivery_wanted="post",
        description=description, submitted_at=submitted_at, items=[{"title": t} for t in items],
        address=address,
    )


def registered(agency, p, *, received=None, **kw):
    case, _code = submit(agency, p["registrar"], received=received, **kw)
    return svc.request_register(actor=p["registrar"], case=case)


def accepted(agency, p, land, *, handler="handler", **kw):
    case = registered(agency, p, **kw)
    return svc.request_accept(actor=p["registrar"], case=case, department=land,
                              handler=p[handler] if handler else None)


def open_tasks(case):
    return list(Task.objects.filter(process__in=case.processes.values("pk"))
                .exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).order_by("id"))


def open_steps(case):
    return sorted(t.flow_task.name for t in open_tasks(case))


def task_of(case, node):
    return Task.objects.filter(process__in=case.processes.values("pk"), flow_task=node).order_by("-id").first()


def actions(case):
    return [e.action for e in AuditEvent.objects.filter(object_type="workflows.disclosurerequest",
                                                        object_id=str(case.pk)).order_by("id")]


def ledger(case):
    return [(s.kind, s.pause_reason) for s in case.clock.segments.order_by("id")] if case.clock_id else []


def determine_all(case, actor, outcome="1", **extra):
    decisions = [{"item": i.pk, "outcome": outcome, "reasoning": extra.get("reasoning", "依法予以公开"), **extra}
                 for i in case.items.all()]
    return svc.request_determine(actor=actor, case=case, decisions=decisions, repeat_of=extra.get("repeat_of"))


def reply_to_archive(case, p):
    svc.request_confidentiality_clear(actor=p["secrecy"], case=case)
    svc.request_reply_draft(actor=p["handler"], case=case, attachments=disclosed_attachments(case))
    svc.request_sign_off(actor=p["chief"], case=case, approve=True)
    svc.request_delivery_record(actor=p["registrar"], case=case, method="post", delivered_on=local_today(),
                                tracking_number="1190012345678")
    return svc.request_archive(actor=p["registrar"], case=case)


def workdays(start, n):
    return get_calendar().add_workdays(start, n)
