from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import path
from viewflow.urls import AppMenuMixin, Viewset
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as flow_views
from viewflow.workflow.flow.views.actions import BulkAssignTasksActionView
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from flowkit.access import guard_object_urls

from .flows import PublicationFlow, review_queue_for
from .selectors import publication_processes_visible_to, publication_tasks_visible_to
from .services import publication_task_claim
from .views import (
    CatalogueView,
    DeidentifyView,
    PublicationCreateView,
    PublicationDetailView,
    PublicationListView,
    PublicationUpdateView,
    SensitiveWordsView,
)


class PublicationsViewset(AppMenuMixin, Viewset):
    title = "公开信息"
    icon = "article"
    turbo_disabled = True
    index_path = path("", PublicationListView.as_view(), name="index")
    add_path = path("new/", PublicationCreateView.as_view(), name="add")
    detail_path = path("<int:pk>/", PublicationDetailView.as_view(), name="detail")
    change_path = path("<int:pk>/edit/", PublicationUpdateView.as_view(), name="change")


class CatalogueViewset(AppMenuMixin, Viewset):
    title = "标准目录"
    icon = "list_alt"
    turbo_disabled = True
    index_path = path("", CatalogueView.as_view(), name="index")


class SensitiveWordsViewset(AppMenuMixin, Viewset):
    title = "敏感词"
    icon = "report"
    turbo_disabled = True
    index_path = path("", SensitiveWordsView.as_view(), name="index")


class DeidentifyViewset(AppMenuMixin, Viewset):
    title = "去标识化"
    icon = "visibility_off"
    turbo_disabled = True
    index_path = path("", DeidentifyView.as_view(), name="index")


ROW_RELATIONS = ("owner", "process__publicationprocess__publication__clock")  # what each row's summary reads


class ScopedQueueView(flow_views.FlowQueueListView):
    def get_queryset(self):
        return review_queue_for(self.request.user, super().get_queryset()).select_related(*ROW_RELATIONS)


class InboxView(flow_views.FlowInboxListView):
    bulk_actions = ()  # a claimed task is given back one at a time, through the service


class ScopedProcessListView(flow_views.DashboardProcessListView):
    def get_queryset(self):
        return publication_processes_visible_to(self.request.user, super().get_queryset()).order_by("-created", "-pk")


class ScopedTaskListView(flow_views.DashboardTaskListView):
    def get_queryset(self):
        return publication_tasks_visible_to(self.request.user, super().get_queryset()).select_related(*ROW_RELATIONS)


class ScopedDashboardView(flow_views.DashboardView):
    """The flow dashboard with only the publications the user may see."""

    def get_context_data(self, **kwargs):
        from viewflow.workflow import chart
        from viewflow.workflow.fields import get_task_ref

        tasks = publication_tasks_visible_to(
            self.request.user,
            self.flow_class.task_class._default_manager.filter_available([self.flow_class], self.request.user),
        ).select_related(*ROW_RELATIONS)
        sorted_nodes, _ = chart.topsort(self.flow_class)
        nodes = [n for n in sorted_nodes if n.task_type in ["HUMAN", "JOB", "SUBPROCESS"]]
        end_nodes = [n for n in sorted_nodes if n.task_type in ["END"]]
        columns = [{"node": node, "node_ref": get_task_ref(node),
                    "tasks": tasks.filter(Q(finished__isnull=True) | Q(status=STATUS.ERROR), flow_task=node)[: self.MAX_ROWS]}
                   for node in nodes]
        finished = tasks.filter(finished__isnull=False, flow_task__in=end_nodes)[: self.MAX_ROWS]
        return super(flow_views.DashboardView, self).get_context_data(
            columns=columns, start_nodes=[], end_nodes=end_nodes, finished=finished, **kwargs)


class ClaimSelectedTasksView(BulkAssignTasksActionView):
    """Claiming several review tasks goes through `publication_task_claim`, all or none;
    the confirm page and "select all" reach only the user's own queue."""

    def get_queryset(self):
        user = self.request.user
        self.queryset = review_queue_for(user, Task.objects.queue([PublicationFlow], user)).select_related(*ROW_RELATIONS)
        return super().get_queryset()

    def form_valid(self, form):
        try:
            with transaction.atomic():
                for task in self.get_queryset():
                    publication_task_claim(actor=self.request.user, task=task)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(self.request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(self.request, "已认领所选任务。")
        return HttpResponseRedirect(self.get_success_url())


class PublicationApp(FlowAppViewset):
    queue_view_class = ScopedQueueView
    inbox_view_class = InboxView
    dashboard_view_class = ScopedDashboardView
    process_list_view_class = ScopedProcessListView
    task_list_view_class = ScopedTaskListView
    tasks_assign_view_class = ClaimSelectedTasksView
    tasks_unassign_path = None  # closed: a claimed task is given back one at a time (publication_task_release)

    def _get_urls(self):
        return guard_object_urls(super()._get_urls(), PublicationFlow)

    def get_context_data(self, request):
        ctx = super().get_context_data(request)  # the menu badge counts
        ctx["user_queue"] = review_queue_for(request.user, ctx["user_queue"])
        return ctx


def staff_apps():
    return [PublicationApp(PublicationFlow, icon="publish", title="主动公开",
                           viewsets=[PublicationsViewset(), CatalogueViewset(), SensitiveWordsViewset(), DeidentifyViewset()])]
