"""Deadline reminders (regulation §2–3): nobody misses a legal deadline.

Bands, each fired once per case and deadline (idempotency key includes the due date,
so a moved deadline can remind again):
- handler: 5 working days left, then 2 working days left (a sweep that finds 1 left
  sends the 2-day reminder only);
- person in charge: on the due day, and once when overdue;
- supplement and fee deadlines: the handler when the period has run out;
- a daily digest per person of their open cases;
- the person in charge, once, for an online application unconfirmed after one working day;
- the agency's answer in a reconsideration or lawsuit (legal/remedy.py): whoever registered
  it when it is due soon, they and the person in charge on the last day and once overdue.
Paused clocks do not run, so no countdown reminders while paused.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from legal.receipt import ONLINE
from legal.selectors import clock_state, get_calendar, local_today
from notifications.models import Message

from . import reminder_cache
from .models import OPEN_STATUSES, DisclosureRequest, RemedyProceeding, RequestStatus
from .selectors import REMEDY_DUE_SOON, remedy_days_left

HANDLER_BANDS = (2, 5)  # most urgent first


def _chiefs(agency):
    return reminder_cache.current.get().chiefs(agency)


def _notify(user, *, key: str, subject: str, body: str, case, link: str = "") -> bool:
    """In-app notice plus e-mail; True when this reminder is new (the key makes it once).
    The reminder waits in the sweep's outbox, written with the others at the end."""
    cache = reminder_cache.current.get()
    if not cache.knows(case):  # its sent reminders were not read in: `sent` could not answer
        raise RuntimeError(f"reminder about {case._meta.label_lower} #{case.pk}, which the sweep did not read in")
    if cache.sent(f"{key}|inapp"):
        return False
    for channel in (Message.INAPP, Message.EMAIL):
        cache.outbox.add(key=f"{key}|{channel}", channel=channel, to_user=user, subject=subject, body=body,
                         agency=case.agency, obj=case, link=link)
    cache.mark_sent(f"{key}|inapp")
    return True


@transaction.atomic
def reminders_sweep(*, today: dt.date | None = None) -> dict:
    cache = reminder_cache.SweepCache({
        DisclosureRequest._meta.label_lower:
            list(DisclosureRequest.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True)),
        RemedyProceeding._meta.label_lower:
            list(RemedyProceeding.objects.filter(answered_on__isnull=True, result="").values_list("pk", flat=True)),
    })
    token = reminder_cache.current.set(cache)
    try:
        fired = _sweep(today=today)
        cache.outbox.write()
        return fired
    finally:
        reminder_cache.current.reset(token)


def _sweep(*, today: dt.date | None = None) -> dict:
    today = today or local_today()
    calendar = get_calendar()
    fired: dict[str, int] = defaultdict(int)
    digest: dict[int, list[str]] = defaultdict(list)
    users = {}
    cases = (DisclosureRequest.objects.filter(status__in=OPEN_STATUSES, clock__isnull=False)
             .select_related("clock", "agency", "handler").prefetch_related("clock__segments"))
    for case in cases:
        state = clock_state(case.clock, calendar=calendar, today=today)
        label = case.registration_number or case.tracking_number
        link = reverse("workflow:case_detail", args=[case.pk])
        if case.handler and not state.paused:
            for band in HANDLER_BANDS:
                if 0 < state.left_days <= band:
                    fired["handler_%d" % band] += _notify(
                        case.handler, key=f"remind:{case.pk}:{state.due_date}:{band}",
                        subject=f"【期限提醒】{label} 剩余 {state.left_days} 个工作日",
                        body=f"申请 {label}（{case.applicant_name}）答复期限为 {state.due_date}，剩余 {state.left_days} 个工作日。",
                        case=case, link=link)
                    break
        if state.left_days == 0 and not state.overdue:
            for chief in _chiefs(case.agency):
                fired["due_today"] += _notify(
                    chief, key=f"due:{case.pk}:{state.due_date}:{chief.pk}", subject=f"【今日到期】{label}",
                    body=f"申请 {label} 今日（{state.due_date}）到期，承办人：{case.handler or '未分配'}。", case=case, link=link)
        if state.overdue and not state.paused:
            for chief in _chiefs(case.agency):
                fired["overdue"] += _notify(
                    chief, key=f"overdue:{case.pk}:{state.due_date}:{chief.pk}", subject=f"【已超期】{label}",
                    body=f"申请 {label} 已超过答复期限 {state.due_date}，请督办。", case=case, link=link)
        waiting_for = {RequestStatus.AWAITING_SUPPLEMENT: "supplement", RequestStatus.AWAITING_FEE: "fee"}.get(case.status)
        due = case.supplement_due if waiting_for == "supplement" else case.fee_due
        if waiting_for and due and today > due and case.period_provisional(waiting_for):
            # the period runs from the applicant's receipt, still unrecorded: nothing lapses
            # until it is (legal/receipt.py); ask for the signed receipt instead
            if case.handler:
                fired["receipt_missing"] += _notify(
                    case.handler, key=f"receipt:{case.pk}:{waiting_for}", subject=f"【请登记签收】{label}",
                    body=f"申请 {label} 的{'补正告知书' if waiting_for == 'supplement' else '收费通知书'}已发出，"
                         "但尚未登记申请人签收日期。期限自签收之日起算，登记前不会按逾期处理，请尽快登记送达回证或邮件签收记录。",
                    case=case, link=link)
        elif case.status == RequestStatus.AWAITING_SUPPLEMENT and case.supplement_due and today > case.supplement_due:
            if case.handler:
                fired["supplement_lapsed"] += _notify(
                    case.handler, key=f"supplement:{case.pk}:{case.supplement_due}", subject=f"【补正期限已过】{label}",
                    body=f"申请 {label} 的补正期限 {case.supplement_due} 已过，申请人未补正的视为放弃申请（第三十条）。",
                    case=case, link=link)
        elif case.status == RequestStatus.AWAITING_FEE and case.fee_due and today > case.fee_due:
            if case.handler:
                fired["fee_lapsed"] += _notify(
                    case.handler, key=f"fee:{case.pk}:{case.fee_due}", subject=f"【缴费期限已过】{label}",
                    body=f"申请 {label} 的缴费期限 {case.fee_due} 已过，逾期未缴费的视为放弃申请（第四十二条）。",
                    case=case, link=link)
        if case.handler:
            users[case.handler.pk] = case.handler
            digest[case.handler.pk].append(
                f"{label} {case.applicant_name}：{case.get_status_display()}，期限 {state.due_date}，"
                f"剩余 {state.left_days} 个工作日（{state.status_label}）")
    for band, n in _remedy_answers(today, calendar).items():
        fired[band] += n
    unconfirmed = _unconfirmed_online_applications(today, calendar)
    if unconfirmed:
        fired["unconfirmed"] = unconfirmed
    cache = reminder_cache.current.get()
    sent = cache.sent_among([f"digest:{pk}:{today}" for pk in digest])
    for user_pk, lines in digest.items():
        if (key := f"digest:{user_pk}:{today}") not in sent:
            fired["digest"] += cache.outbox.add(
                key=key, channel=Message.EMAIL, to_user=users[user_pk],
                subject=f"【每日待办】{today} 您有 {len(lines)} 件在办申请", body="\n".join(lines)) is not None
    return dict(fired)


UNCONFIRMED_ALERT_WORKDAYS = 1


def _unconfirmed_online_applications(today: dt.date, calendar) -> int:
    """Art. 31(3): an online application counts as received on the day both sides confirm
    it, so an agency could hold the clock back by not confirming. After one working day
    unconfirmed, the person in charge is alerted (once per application)."""
    fired = 0
    waiting = (DisclosureRequest.objects.filter(status=RequestStatus.SUBMITTED, channel=ONLINE)
               .select_related("agency").order_by("submitted_at"))
    for case in waiting:
        submitted_on = timezone.localtime(case.submitted_at).date()
        days = calendar.workdays_between(submitted_on, today)
        if days < UNCONFIRMED_ALERT_WORKDAYS:
            continue
        for chief in _chiefs(case.agency):
            fired += _notify(
                chief, key=f"unconfirmed:{case.pk}:{chief.pk}", subject=f"【待确认】网上申请 {case.tracking_number}",
                body=(f"{case.applicant_name} 于 {submitted_on} 在网上提交的政府信息公开申请已等待 {days} 个工作日，"
                      "仍未确认收到。网上申请以双方确认之日为收到申请之日（条例第三十一条第（三）项），请督促登记。"),
                case=case, link=reverse("workflow:case_detail", args=[case.pk]))
    return fired


def _remedy_answers(today: dt.date, calendar) -> dict[str, int]:
    """Answers owed to a reconsideration body or a court (行政复议法 Art. 48, 行政诉讼法
    Art. 67): a missed answer loses the agency its defence, so they are watched like a reply."""
    fired: dict[str, int] = defaultdict(int)
    waiting = (RemedyProceeding.objects.filter(answered_on__isnull=True, result="")
               .select_related("agency", "case", "created_by").order_by("answer_due"))
    for p in waiting:
        left = remedy_days_left(p, calendar=calendar, today=today)
        unit = "个工作日" if p.kind == "reconsideration" else "日"
        what = f"{p.get_kind_display()}{(' ' + p.case_number) if p.case_number else ''}（{p.applicant}）"
        answer = p.labels["answer"]
        link = reverse("workflow:remedy_detail", args=[p.pk])
        due = f"{p.answer_due.year}年{p.answer_due.month}月{p.answer_due.day}日"
        keeper = p.created_by if p.created_by_id and p.created_by.is_active else None
        if 0 < left <= REMEDY_DUE_SOON[p.kind] and keeper:
            fired["remedy_due_soon"] += _notify(
                keeper, key=f"remedy:{p.pk}:{p.answer_due}:soon", subject=f"【答复期限提醒】{what} 剩余 {left} {unit}",
                body=f"{what}的{answer}应于{due}前提交{p.body}，剩余 {left} {unit}。依据：{p.basis}。",
                case=p, link=link)
        elif left == 0:
            for person in {u.pk: u for u in [*_chiefs(p.agency), *([keeper] if keeper else [])]}.values():
                fired["remedy_due_today"] += _notify(
                    person, key=f"remedy:{p.pk}:{p.answer_due}:today:{person.pk}", subject=f"【今日到期】{what}的{answer}",
                    body=f"{what}的{answer}今日（{due}）到期，尚未登记提交。", case=p, link=link)
        elif left < 0:
            for chief in _chiefs(p.agency):
                fired["remedy_overdue"] += _notify(
                    chief, key=f"remedy:{p.pk}:{p.answer_due}:overdue:{chief.pk}", subject=f"【已超期】{what}的{answer}",
                    body=f"{what}的{answer}期限{due}已过，尚未登记提交，请督办。", case=p, link=link)
    return fired
