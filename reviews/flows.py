"""Review before publication (先审后发), regulation §5.

One process per publication, or per policy package (policy + interpretation): a branch
per document runs the automated checks, 初审 and 复审 in parallel; the branches join for
终审 (the person in charge signs the package together, 同步审签); the package is then
scheduled and published in one transaction (同步发布).

Steps call `reviews.services`; the domain state routes the gateways."""
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.status import STATUS

from flowkit.access import ServicesOnlyFlow
from flowkit.nodes import DynamicSplit, If

from . import services
from .models import Publication, PublicationProcess, ReviewRecord
from .selectors import publication_processes_visible_to, publication_tasks_visible_to
from .task_views import ClaimTaskView, PublicationTaskView, ReleaseTaskView

SUMMARY = (
    "{% with p=process.publication %}{{ p.title }}"
    "{% if p.clock and not p.clock.stopped_on %}｜公开期限 {{ p.clock.due_date|date:'Y年n月j日' }}"
    "{% if p.clock.provisional %}（暂定）{% endif %}{% endif %}{% endwith %}"
)
BRANCH_SUMMARY = (
    "{{ task.data.title }}{% with c=process.publication.clock %}{% if c and not c.stopped_on %}"
    "｜公开期限 {{ c.due_date|date:'Y年n月j日' }}{% if c.provisional %}（暂定）{% endif %}{% endif %}{% endwith %}"
)


def branch_publication(activation) -> Publication:
    return Publication.objects.get(pk=activation.task.data["publication"])


def signed_for_publication(activation) -> bool:
    """Read afresh: the 终审 page signs through the service, which saves its own copy of
    the publication, not the one the process holds (a stale state sent a signed package
    back to the drafter as 按终审意见修改, left open after publication)."""
    return Publication.objects.only("state").get(pk=activation.process.publication_id).state == Publication.SCHEDULED


def keep_data(activation):
    return activation.task.data


def _actor(activation):
    return getattr(getattr(activation, "request", None), "user", None)


class AgencyScopedView(flow.View):
    """Viewflow checks only model permissions (upstream #505): also require that the user
    may see the publication (its agency; a drafter's own department). Claiming and giving
    back go through the services (audit record)."""

    assign_view_class = ClaimTaskView
    unassign_view_class = ReleaseTaskView

    def can_assign(self, user, task):
        return _visible(user, task) and super().can_assign(user, task)

    def can_execute(self, user, task):
        return _visible(user, task) and super().can_execute(user, task)

    def can_unassign(self, user, task):
        return _visible(user, task) and task.owner_id == user.pk and bool(task.owner_permission)


class ReviewStepView(AgencyScopedView):
    """初审 and 复审: besides the agency rule, nobody reviews an item they drafted (four eyes)."""

    def can_assign(self, user, task):
        return _not_own(user, task) and super().can_assign(user, task)

    def can_execute(self, user, task):
        return _not_own(user, task) and super().can_execute(user, task)


def _not_own(user, task) -> bool:
    data = task.data or {}
    if "publication" not in data:
        return True
    return services.may_review(user, Publication.objects.only("author_id").get(pk=data["publication"]))


def _visible(user, task) -> bool:
    process = task.process.coerced
    return process.publication_id is not None and publication_processes_visible_to(
        user, PublicationProcess.objects.filter(pk=process.pk)).exists()


def _author(activation):
    return branch_publication(activation).author if activation.task.data and "publication" in activation.task.data \
        else activation.process.publication.author


class PublicationFlow(ServicesOnlyFlow, flow.Flow):
    """发布审核"""

    process_class = PublicationProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("主动公开发布审核")
    process_description = _("自动检查 → 初审 → 复审 → 终审（审签）→ 发布")
    process_summary_template = SUMMARY

    start = flow.StartHandle(this.start_process).Annotation(title=_("提交审核")).Next(this.split)

    # one branch per document of the package; each branch task carries its document
    split = DynamicSplit(this.package_items, task_data=dict).Annotation(title=_("逐件分送审核")).Next(this.run_checks)

    run_checks = (
        flow.Function(this.do_checks).Annotation(title=_("自动检查"))
        .Next(this.checks_gate, task_data=keep_data)
    )
    checks_gate = (
        If(lambda a: branch_publication(a).state == Publication.FIRST_REVIEW).Annotation(title=_("检查是否通过"))
        .Then(this.first_review, task_data=keep_data)
        .Else(this.resolve_findings, task_data=keep_data)
    )
    resolve_findings = (
        AgencyScopedView(PublicationTaskView.as_view(step="resolve"))
        .Annotation(title=_("处理检查发现"), summary_template=BRANCH_SUMMARY)
        .Assign(_author)
        .Next(this.run_checks, task_data=keep_data)
    )
    first_review = (
        ReviewStepView(PublicationTaskView.as_view(step=ReviewRecord.FIRST))
        .Annotation(title=_("初审"), summary_template=BRANCH_SUMMARY)
        .Permission("reviews.review_first")
        .Next(this.first_gate, task_data=keep_data)
    )
    first_gate = (
        If(lambda a: branch_publication(a).state == Publication.SECOND_REVIEW).Annotation(title=_("初审是否通过"))
        .Then(this.second_review, task_data=keep_data)
        .Else(this.revise, task_data=keep_data)
    )
    second_review = (
        ReviewStepView(PublicationTaskView.as_view(step=ReviewRecord.SECOND))
        .Annotation(title=_("复审（保密审查）"), summary_template=BRANCH_SUMMARY)
        .Permission("reviews.review_second")
        .Next(this.second_gate, task_data=keep_data)
    )
    second_gate = (
        If(lambda a: branch_publication(a).state == Publication.FINAL_REVIEW).Annotation(title=_("复审是否通过"))
        .Then(this.join)
        .Else(this.revise, task_data=keep_data)
    )
    revise = (
        AgencyScopedView(PublicationTaskView.as_view(step="revise"))
        .Annotation(title=_("按审核意见修改"), summary_template=BRANCH_SUMMARY)
        .Assign(_author)
        .Next(this.run_checks, task_data=keep_data)
    )
    join = flow.Join().Annotation(title=_("汇合")).Next(this.final_review)
    final_review = (
        AgencyScopedView(PublicationTaskView.as_view(step=ReviewRecord.FINAL))
        .Annotation(title=_("终审（审签）"), summary_template=SUMMARY)
        .Permission("reviews.review_final")
        .Next(this.final_gate)
    )
    final_gate = (
        If(signed_for_publication).Annotation(title=_("是否签发"))
        .Then(this.publish)
        .Else(this.revise_package)
    )
    revise_package = (
        AgencyScopedView(PublicationTaskView.as_view(step="revise_package"))
        .Annotation(title=_("按终审意见修改"), summary_template=SUMMARY)
        .Assign(lambda a: a.process.publication.author)
        .Next(this.split)
    )
    publish = flow.Handle(this.do_publish).Annotation(title=_("发布"), summary_template=SUMMARY).Next(this.end)
    end = flow.End().Annotation(title=_("已发布"))

    # --- callbacks ---------------------------------------------------------------------------

    def start_process(self, activation, publication=None, actor=None):
        services.publication_submit(actor=actor, publication=publication)
        activation.process.publication = publication
        return activation.process

    def package_items(self, activation):
        return [{"publication": p.pk, "title": p.title} for p in activation.process.publication.package]

    def do_checks(self, activation):
        services.publication_enter_checks(actor=None, publication=branch_publication(activation))

    def do_publish(self, activation, actor=None, force=False):
        services.package_publish(actor=actor, publication=activation.process.publication, force=force)

    # Object-level access (upstream #505): a process is visible to whoever may see its publication.
    def has_view_permission(self, user, obj=None):
        if not super().has_view_permission(user, obj):
            return False
        if obj is None:
            return True
        process = getattr(obj, "coerced", obj)
        return publication_processes_visible_to(user, PublicationProcess.objects.filter(pk=process.pk)).exists()


def review_queue_for(user, tasks):
    """The review tasks `user` may take: visible to them, and not 初审/复审 of their own drafts."""
    return publication_tasks_visible_to(user, tasks).exclude(
        flow_task__in=[PublicationFlow.first_review, PublicationFlow.second_review],
        process__publicationprocess__publication__author=user)


# --- entry points used by views and commands ----------------------------------------------------

def publication_start_review(*, actor, publication: Publication) -> PublicationProcess:
    """提交审核: start the process (the submit service runs inside the start)."""
    return PublicationFlow.start.run(publication=publication, actor=actor)


def publish_task(publication: Publication):
    from viewflow.workflow.models import Task

    return (Task.objects.filter(process__publicationprocess__publication=publication, flow_task=PublicationFlow.publish,
                                status=STATUS.NEW).select_related("process").first())


def publication_publish_now(*, actor, publication: Publication) -> bool:
    """A person publishes a scheduled package (before or on the planned day)."""
    head = publication.interprets if publication.kind == Publication.INTERPRETATION else publication
    task = publish_task(head)
    if task is None:
        services.package_publish(actor=actor, publication=head, force=True)  # raises the state error
        return False
    PublicationFlow.publish.run(task, actor=actor, force=True)
    return True


def publications_publish_due(*, today=None) -> int:
    """The scheduler (`manage.py publish_due`, or Celery beat): publish what is due."""
    from legal.selectors import local_today

    today = today or local_today()
    n = 0
    for pub in Publication.objects.filter(state=Publication.SCHEDULED, publish_on__lte=today).exclude(kind=Publication.INTERPRETATION):
        task = publish_task(pub)
        if task is not None:
            PublicationFlow.publish.run(task, actor=None)
            n += 1
    return n
