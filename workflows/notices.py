"""Who hears about a change to an application, and in what words (the case decides who
is told; the outbox in `notifications` only delivers). Called by the case services
inside their transaction, so a message exists exactly when the change does."""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from agencies.roles import AGENCY_WIDE_ROLES, REGISTRAR, user_roles
from audit.services import actor_label
from legal.dates import date_words
from notifications.models import Message
from notifications.services import Outbox, message_enqueue


@dataclass(frozen=True)
class Wording:
    """What the applicant reads about one event of their case: the line of the portal
    timeline, and (where they are told by e-mail/SMS) the message."""

    timeline: str
    subject: str = ""
    body: str = ""  # format fields: see `_fields`


# The one table of applicant-facing wording. Events not listed (reviews, 会商,
# assignments, opinions) are internal and never shown to the applicant.
APPLICANT_WORDING: dict[str, Wording] = {
    "request.submitted": Wording("申请已提交"),
    "request.registered": Wording(
        "本机关已确认收到并登记", "申请已登记",
        "您的政府信息公开申请（查询号 {t}）已登记，收到申请之日为 {received}，答复期限为 {due}。"),
    "request.supplement_requested": Wording(
        "本机关告知需要补正申请", "请补正申请",
        "您的申请（查询号 {t}）需要补正，请在 {supplement_due} 前提交补正材料，逾期视为放弃申请。"),
    "request.supplement_received": Wording("已收到补正材料，答复期限重新计算"),
    "request.supplement_lapsed": Wording(
        "逾期未补正，申请视为放弃", "申请已终止", "您的申请（查询号 {t}）未在补正期限内补正，视为放弃申请。"),
    "request.third_party_consulted": Wording(
        "正在征求第三方意见，答复期限暂停计算", "正在征求第三方意见",
        "您的申请（查询号 {t}）需征求第三方意见，征求意见期间不计入答复期限。"),
    "request.third_party_opinion": Wording("第三方意见征询结束，恢复计算答复期限"),
    "request.other_agency_consulted": Wording(
        "正在征求其他机关意见，答复期限暂停计算", "正在征求其他机关意见",
        "您的申请（查询号 {t}）需征求其他机关意见，征求意见期间不计入答复期限。"),
    "request.volume_reasons_asked": Wording(
        "本机关要求您说明申请理由", "请说明申请理由",
        "您的申请（查询号 {t}）数量、频次明显超过合理范围，请按说明理由通知书的要求说明理由。"),
    "request.volume_decided": Wording("本机关已对您说明的理由作出认定"),
    "request.other_agency_opinion": Wording("其他机关意见征询结束，恢复计算答复期限"),
    "request.extension_approved": Wording(
        "经负责人同意延长答复期限", "答复期限延长", "您的申请（查询号 {t}）答复期限经批准延长，新的答复期限为 {due}。"),
    "request.fee_notified": Wording(
        "本机关发出收费通知", "信息处理费缴费通知",
        "您的申请（查询号 {t}）需缴纳信息处理费，请在 {fee_due} 前缴纳，逾期视为放弃申请。"),
    "request.fee_payment_claimed": Wording("您告知已缴费，待本机关核实到账"),
    "request.fee_paid": Wording("已确认缴费，恢复计算答复期限"),
    "request.fee_declined": Wording("您放弃缴费，申请视为放弃"),
    "request.fee_lapsed": Wording(
        "逾期未缴费，申请视为放弃", "申请已终止", "您的申请（查询号 {t}）未在期限内缴纳信息处理费，视为放弃申请。"),
    "request.closure_issued": Wording(
        "已出具终止处理告知书", "终止处理告知书已出具",
        "您的申请（查询号 {t}）已终止处理，终止处理告知书可凭查询号和查询码下载。"),
    "request.reply_issued": Wording(
        "已作出答复", "答复书已出具", "您的申请（查询号 {t}）已作出答复，可凭查询号和查询码下载答复书。"),
    "request.delivered": Wording("答复已送达"),
    "request.archived": Wording("已办结归档"),
    "request.withdrawn": Wording("您已撤回申请", "申请已撤回", "您的申请（查询号 {t}）已撤回，不再办理；撤回确认书可凭查询号和查询码下载。"),
}


def _period_due(case, due, which: str) -> str:
    """A period that runs from the applicant's receipt of a posted notice is provisional
    until the receipt is recorded (legal/receipt.py)."""
    if not due:
        return "—"
    return f"{date_words(due)}（暂计，以您签收通知之日起算为准）" if case.period_provisional(which) else date_words(due)


def _fields(case) -> dict:
    clock = case.clock if case.clock_id else None
    return {
        "t": case.tracking_number,
        "received": date_words(case.received_on) or "—",
        "due": date_words(clock.due_date) if clock and clock.due_date else "—",
        "supplement_due": _period_due(case, case.supplement_due, "supplement"),
        "fee_due": _period_due(case, case.fee_due, "fee"),
    }


def case_notify(*, case, action: str) -> None:
    """Tell the applicant (e-mail, SMS) and the staff concerned (in-app) of `action`."""
    link = f"/cases/{case.tracking_number}/"
    wording = APPLICANT_WORDING.get(action)
    if wording and wording.subject:
        subject, body = wording.subject, wording.body.format(**_fields(case))
        key = f"case:{case.pk}:{action}:{case.updated_at.isoformat() if case.updated_at else ''}"
        if case.email:
            message_enqueue(key=key + "|email", channel=Message.EMAIL, to_address=case.email, subject=subject,
                            body=body, agency=case.agency, obj=case, link=link)
        if case.phone and case.phone.replace(" ", "").startswith("1") and len(case.phone.replace(" ", "")) == 11:
            message_enqueue(key=key + "|sms", channel=Message.SMS, to_address=case.phone.replace(" ", ""),
                            subject=subject, body=body, agency=case.agency, obj=case)
    staff_link = reverse("workflow:case_detail", args=[case.pk])
    # A new application waiting to be registered is told by the notice of its 登记 task (`task_announce`).
    if action == "request.fee_payment_claimed":
        # The handler (or, without one, the registrars) checks the payment and records it.
        told = [case.handler] if case.handler_id else list(get_user_model().objects.filter(
            staff_profile__agency=case.agency, groups__name=REGISTRAR, is_active=True))
        notice = case.fee_notices.order_by("-id").first()
        for user in told:
            message_enqueue(key=f"case:{case.pk}:fee_claim:{user.pk}:{notice.payment_claimed_at.isoformat()}",
                            channel=Message.INAPP, to_user=user,
                            subject=f"申请人告知已缴费 {case.registration_number or case.tracking_number}",
                            body=f"{case.applicant_name} 告知已缴纳信息处理费 {notice.amount} 元，请核实到账后登记缴费。",
                            agency=case.agency, obj=case, link=staff_link)
    # Routing and reassignment are told by the notice of the task they give (`task_announce`).


# --- staff: every task given to someone, and every 催办 ---------------------------------------

def _number(case) -> str:
    return case.registration_number or case.tracking_number


def _due(case) -> str:
    due = case.clock.due_date if case.clock_id and case.clock.due_date else None
    return f"，答复期限{due.year}年{due.month}月{due.day}日" if due else ""


def task_candidates(task, case) -> list:
    """Who may take a task waiting in a queue: the holders of its permission in the
    case's agency who may see the case (agency-wide roles, or the case's department)."""
    if not task.owner_permission or "." not in task.owner_permission:
        return []
    app_label, codename = task.owner_permission.split(".", 1)
    perm = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label)
    people = (get_user_model()._default_manager.filter(perm, is_active=True, staff_profile__agency=case.agency_id)
              .select_related("staff_profile").distinct())
    return [u for u in people
            if user_roles(u) & AGENCY_WIDE_ROLES or u.staff_profile.department_id == case.department_id]


def task_announce(task_id: int) -> int:
    """The in-app notice of a task: to its owner (分配给您办理), or, while it waits in a
    queue, to each person who may take it (待认领) except whoever did the step before.
    Once per task and person (the outbox key), so calling it again tells no one twice.
    Returns how many were told."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    task = (Task.objects.filter(pk=task_id, status__in=[STATUS.NEW, STATUS.ASSIGNED])
            .select_related("owner", "process__requestprocess__case__clock").first())
    if task is None or task.flow_task is None or not hasattr(task.process, "requestprocess"):
        return 0
    case = task.process.requestprocess.case
    step = str(task.flow_task.task_title or task.flow_task)
    link = reverse("workflow:case_detail", args=[case.pk])
    if task.owner_id:
        told = [task.owner]
        subject = f"新的待办：{step}（{_number(case)}）"
        body = f"{case.applicant_name} 的申请的“{step}”已分配给您办理{_due(case)}。"
    else:
        just_done = set(task.previous.values_list("owner_id", flat=True))
        told = [u for u in task_candidates(task, case) if u.pk not in just_done]
        subject = f"待认领：{step}（{_number(case)}）"
        body = f"{case.applicant_name} 的申请的“{step}”等待认领办理{_due(case)}。"
    with transaction.atomic():  # one insert for everyone told (a key already there is skipped)
        outbox = Outbox()
        for user in told:
            outbox.add(key=f"task:{task.pk}:to:{user.pk}", channel=Message.INAPP, to_user=user, subject=subject,
                       body=body, agency=case.agency, obj=case, link=link)
        outbox.write()
    return len(told)


def task_announce_on_commit(task) -> None:
    """Tell about `task` once the step that gave it has committed (a rolled-back step tells no one)."""
    transaction.on_commit(lambda: task_announce(task.pk), robust=True)  # a failed notice never fails the step


def case_urge_notify(*, case, actor, to, message: str, at) -> None:
    """催办: each person the case waits on is told who asks, by when, and the message."""
    text = f"{actor_label(actor)}催办：{case.applicant_name} 的申请{_due(case)}，请抓紧办理。"
    if message:
        text += f"\n留言：{message}"
    link = reverse("workflow:case_detail", args=[case.pk])
    for user in to:
        message_enqueue(key=f"case:{case.pk}:urged:{user.pk}:{at.isoformat()}", channel=Message.INAPP, to_user=user,
                        subject=f"【催办】{_number(case)}", body=text, agency=case.agency, obj=case, link=link)
