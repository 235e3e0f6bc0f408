"""The one page every human step of PublicationFlow uses: the documents of the branch
(or the whole package at 终审), their findings and review record, and the decision."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.views import generic
from viewflow.workflow.flow.views import mixins as vf_mixins

from . import services
from .forms import FinalTaskForm, JustifyForm, ResubmitForm, TaskForm
from .models import Publication, ReviewRecord


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


class PublicationTaskView(vf_mixins.TaskSuccessUrlMixin, generic.FormView):
    step = None
    template_name = "reviews/task.html"

    def documents(self) -> list[Publication]:
        activation = self.request.activation
        data = activation.task.data or {}
        if "publication" in data:
            return [Publication.objects.get(pk=data["publication"])]
        return activation.process.coerced.publication.package

    def get_form_class(self):
        if self.step == ReviewRecord.FINAL:
            return FinalTaskForm
        if self.step in (ReviewRecord.FIRST, ReviewRecord.SECOND):
            return TaskForm
        return ResubmitForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        docs = self.documents()
        ctx.update(
            step=self.step, documents=docs, justify_form=JustifyForm(),
            items=[(d, d.findings.filter(run=d.findings.order_by("-run").values_list("run", flat=True).first() or 0))
                   for d in docs],
            is_review=self.step in (ReviewRecord.FIRST, ReviewRecord.SECOND, ReviewRecord.FINAL),
            needs_waiver=(self.step == ReviewRecord.FINAL and docs[0].kind == Publication.POLICY and len(docs) == 1),
            process=self.request.activation.process, task=self.request.activation.task,
        )
        return ctx

    def form_valid(self, form):
        user, docs = self.request.user, self.documents()
        data = form.cleaned_data
        try:
            if self.step in (ReviewRecord.FIRST, ReviewRecord.SECOND):
                services.publication_review(actor=user, publication=docs[0], step=self.step,
                                            approve=data["decision"] == "approve", comment=data["comment"])
            elif self.step == ReviewRecord.FINAL:
                services.package_sign(actor=user, publication=docs[0], approve=data["decision"] == "approve",
                                      comment=data["comment"], publish_on=data.get("publish_on"),
                                      no_interpretation_reason=data.get("no_interpretation_reason", ""))
            else:
                for doc in docs:
                    services.publication_resubmit(actor=user, publication=doc, comment=data["comment"])
        except ValidationError as exc:
            for m in _errors(exc):
                form.add_error(None, m)
            return self.form_invalid(form)
        self.request.activation.execute()
        messages.success(self.request, f"已完成：{self.request.activation.task.flow_task.task_title}")
        return HttpResponseRedirect(self.get_success_url())


class _TaskActionView(vf_mixins.TaskViewTemplateNames, generic.FormView):
    """viewflow's confirm page for a task action, carried out by a service."""

    form_class = forms.Form

    def get_context_data(self, **kwargs):
        activation = self.request.activation
        return super().get_context_data(activation=activation, process=activation.process, task=activation.task,
                                        **kwargs)

    def form_valid(self, form):
        task = self.request.activation.task
        try:
            self.act(task)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(self.request, "；".join(getattr(exc, "messages", [str(exc)])), fail_silently=True)
            return HttpResponseRedirect(task.flow_task.reverse("detail", args=[task.process_id, task.pk]))
        return HttpResponseRedirect(self.next_url(task))


class ClaimTaskView(_TaskActionView):
    """认领 through `publication_task_claim` (the audit record says who took the step)."""

    template_filename = "task_assign.html"

    def act(self, task):
        services.publication_task_claim(actor=self.request.user, task=task)

    def next_url(self, task):
        return task.flow_task.reverse("execute", args=[task.process_id, task.pk])


class ReleaseTaskView(_TaskActionView):
    """退回队列 through `publication_task_release`."""

    template_filename = "task_unassign.html"

    def act(self, task):
        services.publication_task_release(actor=self.request.user, task=task)

    def next_url(self, task):
        return task.flow_task.reverse("detail", args=[task.process_id, task.pk])
