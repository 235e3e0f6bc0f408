from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from viewflow.urls import Application, AppMenuMixin, Viewset
from viewflow.workflow.flow import FlowViewset, WorkflowAppViewset
from viewflow.workflow.flow import views as flow_views
from viewflow.workflow.flow.views.actions import BulkAssignTasksActionView
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from flowkit.access import guard_object_urls
from flowkit.paging import BoundedPaginator
from legal.selectors import clock_badge, date_words, days_left_words, get_calendar, local_today

from .auditors import VIEW_PERM as VIEW_AUDIT
from .auditors import AuditLogView
from .finding import CaseExportView, CaseSearchView, SupervisionView, UrgeView
from .flows import DisclosureRequestFlow
from .models import RequestProcess
from .nodes import case_of, scoped_for
from .remedy_views import RemedyDetailView, RemedyDocumentView, RemedyListView, RemedyNewView
from .selectors import cases_visible_to, request_queue_visible_to, request_tasks_visible_to
from .services import request_task_claim
from .services.supervision import may_supervise
from .task_filters import CaseArchiveFilter, CaseTaskFilter
from .views import (
    ApplicantFileView,
    CaseDetailView,
    CaseFileStatusView,
    CorrectionDetailView,
    CorrectionListView,
    CorrectionNewView,
    DisclosedFileView,
    IntakeReceiptView,
    IntakeView,
    NoticeReceiptView,
    ReassignView,
    ReplyPreviewView,
)


class CaseColumnsMixin:
    """Adds the case's number, days left and clock state; sortable by due date."""

    paginator_class = BoundedPaginator  # a long done list is not counted to its end
    task_scope = staticmethod(request_tasks_visible_to)

    @property
    def filterset_class(self):
        return CaseArchiveFilter if isinstance(self, flow_views.WorkflowArchiveListView) else CaseTaskFilter

    def get_queryset(self):
        qs = self.task_scope(self.request.user, super().get_queryset())
        return qs.select_related(
            "process__requestprocess__case__clock", "owner")

    def _case(self, task):
        return task.process.requestprocess.case

    @cached_property
    def _calendar_today(self):
        """The calendar and today's date, loaded once per page (not once per row)."""
        return get_calendar(), local_today()

    def _badge(self, task):
        calendar, today = self._calendar_today
        return clock_badge(self._case(task).clock, calendar=calendar, today=today)

    def step(self, task):
        """The step, linked to the task (viewflow's #process/task number means nothing to staff)."""
        url = task.flow_task.reverse("index", args=[task.process_id, task.pk])
        return format_html('<a href="{}">{}</a>', url, task.title)

    step.short_description = "任务"

    def given_at(self, task):
        return date_words(timezone.localtime(task.created).date()) + timezone.localtime(task.created).strftime(" %H:%M")

    given_at.short_description = "派发时间"
    given_at.orderby_column = "created"

    def case_number(self, task):
        case = self._case(task)
        return format_html('<a href="{}">{}</a>', reverse("workflow:case_detail", args=[case.pk]),
                           case.registration_number or case.tracking_number)

    case_number.short_description = "申请"

    def applicant(self, task):
        return self._case(task).applicant_name

    applicant.short_description = "申请人"

    def days_left(self, task):
        label, left, colour = self._badge(task)
        if left is None:
            return label
        paused = "（暂停）" if self._case(task).clock.paused else ""
        return format_html('<span class="ogi-days" style="color:{};font-weight:bold">{}{}</span>', colour,
                           days_left_words(left), paused)

    days_left.short_description = "剩余期限"
    days_left.orderby_column = "process__requestprocess__case__clock__due_date"

    def clock_state(self, task):
        label, _left, colour = self._badge(task)
        case = self._case(task)
        due = date_words(case.clock.due_date) if case.clock_id else ""
        return format_html('<span style="color:{}">{} {}</span>', colour, due, label)

    clock_state.short_description = "答复期限 / 状态"

    def waiting(self, task):
        """How long an application has waited for its receipt to be confirmed (Art. 31)."""
        case = self._case(task)
        if case.received_on is not None:
            return "—"
        calendar, today = self._calendar_today
        days = calendar.workdays_between(timezone.localtime(case.submitted_at).date(), today)
        colour = "#c62828" if days >= 1 else "#2e7d32"
        return format_html('<span style="color:{}" title="提交后已等待的工作日">{} 个工作日</span>', colour, days)

    waiting.short_description = "等待确认"

    def created(self, task):
        day = timezone.localtime(task.created).date()
        return format_html('<span title="{}">{}年{}月{}日</span>', f"{timezone.localtime(task.created):%H:%M}",
                           day.year, day.month, day.day)

    created.short_description = "到达时间"
    created.orderby_column = "created"
    clock_state.orderby_column = "process__requestprocess__case__clock__due_date"


# Most urgent first: the nearest deadline (overdue ones lead), cases without a running
# clock (not yet received, or stopped) last, then the oldest task (task ids grow with time).
_CLOCK = "process__requestprocess__case__clock__"
BY_DAYS_LEFT = (
    Case(When(**{f"{_CLOCK}stopped_on__isnull": True, f"{_CLOCK}due_date__isnull": False}, then=Value(0)),
         default=Value(1)),
    F(f"{_CLOCK}due_date").asc(nulls_last=True), "pk")


class InboxView(CaseColumnsMixin, flow_views.WorkflowInboxListView):
    """我的待办, sorted by days left; the landing page of everyone who handles cases."""

    bulk_actions = ()  # a task is released by reassignment with a reason (request_reassign)
    ordering = BY_DAYS_LEFT
    columns = ("days_left", "step", "case_number", "applicant", "clock_state", "given_at")
    title = "我的待办"
    template_name = "workflows/task_list.html"


class QueueView(CaseColumnsMixin, flow_views.WorkflowQueueListView):
    task_scope = staticmethod(request_queue_visible_to)
    columns = ("task_id", "flow_task", "case_number", "applicant", "waiting", "days_left", "clock_state", "created")
    title = "部门待认领"
    template_name = "workflows/task_list.html"


class ArchiveView(CaseColumnsMixin, flow_views.WorkflowArchiveListView):
    columns = ("task_id", "flow_task", "case_number", "applicant", "clock_state", "created", "finished")
    title = "已办"


class ScopedProcessListView(flow_views.DashboardProcessListView):
    def get_queryset(self):
        visible = RequestProcess.objects.filter(case__in=cases_visible_to(self.request.user).values("pk"))
        return super().get_queryset().filter(pk__in=visible.values("pk")).select_related("case").order_by("-created", "-pk")


class ScopedTaskListView(flow_views.DashboardTaskListView):
    def get_queryset(self):
        return request_tasks_visible_to(self.request.user, super().get_queryset()).select_related(
            "owner", "process__requestprocess__case")

    def process_summary(self, task):
        return str(task.process.requestprocess.case)  # the flow's summary, without a query per row


class ScopedDashboardView(flow_views.DashboardView):
    """The flow dashboard, scoped to the cases the user may see; each task is marked as
    already scoped so that the per-task action checks ask no further query."""

    def get_context_data(self, **kwargs):
        from viewflow.workflow import chart
        from viewflow.workflow.fields import get_task_ref

        tasks = request_tasks_visible_to(
            self.request.user,
            self.flow_class.task_class._default_manager.filter_available([self.flow_class], self.request.user))
        sorted_nodes, _ = chart.topsort(self.flow_class)
        nodes = [n for n in sorted_nodes if n.task_type in ["HUMAN", "JOB", "SUBPROCESS"]]
        end_nodes = [n for n in sorted_nodes if n.task_type in ["END"]]
        tasks = tasks.select_related("owner", "process__requestprocess__case")
        columns = [{"node": node, "node_ref": get_task_ref(node),
                    "tasks": scoped_for(self.request.user, tasks.filter(
                        Q(finished__isnull=True) | Q(status=STATUS.ERROR), flow_task=node)[: self.MAX_ROWS])}
                   for node in nodes]
        finished = scoped_for(self.request.user, tasks.filter(finished__isnull=False, flow_task__in=end_nodes)[: self.MAX_ROWS])
        return super(flow_views.DashboardView, self).get_context_data(
            columns=columns, start_nodes=[], end_nodes=end_nodes, finished=finished, **kwargs)


class RequestFlowViewset(FlowViewset):
    dashboard_view_class = ScopedDashboardView
    process_list_view_class = ScopedProcessListView
    task_list_view_class = ScopedTaskListView

    def _get_urls(self):
        return guard_object_urls(super()._get_urls(), DisclosureRequestFlow)


class CorrectionsViewset(AppMenuMixin, Viewset):
    """更正申请 (Art. 41) in the menu of 依申请公开."""

    title = "更正申请"
    icon = "edit_note"
    index_path = path("", CorrectionListView.as_view(), name="index")


class RemediesViewset(AppMenuMixin, Viewset):
    """行政复议、行政诉讼 in the menu of 依申请公开, with each answer deadline."""

    title = "复议诉讼"
    icon = "gavel"
    index_path = path("", RemedyListView.as_view(), name="index")

    def has_view_permission(self, user, obj=None):
        return user.has_perm("workflows.view_remedyproceeding")


class CasesViewset(AppMenuMixin, Viewset):
    """案件查询: the search across the cases the person may see, and its export."""

    title = "案件查询"
    icon = "manage_search"
    index_path = path("", CaseSearchView.as_view(), name="index")
    export_path = path("export.xlsx", CaseExportView.as_view(), name="export")


class SupervisionViewset(AppMenuMixin, Viewset):
    """督办: overdue and near-due cases, for the person in charge and the OGI office."""

    title = "督办"
    icon = "alarm"
    index_path = path("", SupervisionView.as_view(), name="index")

    def has_view_permission(self, user, obj=None):
        return may_supervise(user)


class AuditLogViewset(AppMenuMixin, Viewset):
    title = "审计记录"
    icon = "fact_check"
    index_path = path("", AuditLogView.as_view(), name="index")

    def has_view_permission(self, user, obj=None):
        return user.has_perm(VIEW_AUDIT)


class AuditApp(Application):
    title = "审计监督"
    icon = "policy"
    app_name = "audit"
    viewsets = [AuditLogViewset()]

    def has_view_permission(self, user, obj=None):
        return user.has_perm(VIEW_AUDIT)


class ClaimSelectedTasksView(BulkAssignTasksActionView):
    """Claiming several tasks from the queue goes through the claim service (permission,
    the case's handler, the audit record), all or none. The confirm page and "select
    all" reach only the department queue of cases the user may see."""

    def get_queryset(self):
        user = self.request.user
        self.queryset = request_queue_visible_to(
            user, Task.objects.queue([DisclosureRequestFlow], user)).select_related("process")
        return super().get_queryset()

    def form_valid(self, form):
        try:
            with transaction.atomic():
                for task in self.get_queryset():
                    request_task_claim(actor=self.request.user, case=case_of(task), task=task)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(self.request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(self.request, "已认领所选任务。")
        return HttpResponseRedirect(self.get_success_url())


class RequestWorkflowApp(WorkflowAppViewset):
    tasks_assign_view_class = ClaimSelectedTasksView
    tasks_unassign_path = None  # closed: releasing is reassignment with a reason (request_reassign)
    title = "依申请公开"
    icon = "assignment"
    inbox_view_class = InboxView
    queue_view_class = QueueView
    archive_view_class = ArchiveView
    case_detail_path = path("cases/<int:pk>/", CaseDetailView.as_view(), name="case_detail")
    intake_path = path("cases/new/", IntakeView.as_view(), name="case_new")
    intake_receipt_path = path("cases/<int:pk>/intake-receipt/", IntakeReceiptView.as_view(), name="case_intake_receipt")
    disclosed_file_path = path("cases/<int:pk>/files/<int:file_pk>/", DisclosedFileView.as_view(), name="disclosed_file")
    applicant_file_path = path("cases/<int:pk>/applicant-files/<int:file_pk>/", ApplicantFileView.as_view(),
                               name="applicant_file")
    notice_receipt_path = path("cases/<int:pk>/receipts/<str:kind>/<int:notice_pk>/", NoticeReceiptView.as_view(),
                               name="notice_receipt")
    correction_list_path = path("corrections/", CorrectionListView.as_view(), name="correction_list")
    correction_new_path = path("corrections/new/", CorrectionNewView.as_view(), name="correction_new")
    correction_detail_path = path("corrections/<int:pk>/", CorrectionDetailView.as_view(), name="correction_detail")
    remedy_new_path = path("remedies/new/", RemedyNewView.as_view(), name="remedy_new")
    remedy_detail_path = path("remedies/<int:pk>/", RemedyDetailView.as_view(), name="remedy_detail")
    remedy_document_path = path("remedies/<int:pk>/files/<int:file_pk>/", RemedyDocumentView.as_view(),
                                name="remedy_document")
    case_reassign_path = path("cases/<int:pk>/reassign/", ReassignView.as_view(), name="case_reassign")
    case_urge_path = path("cases/<int:pk>/urge/", UrgeView.as_view(), name="case_urge")
    case_file_status_path = path("cases/<int:pk>/case-file-status/", CaseFileStatusView.as_view(),
                                 name="case_file_status")
    case_reply_png_path = path("cases/<int:pk>/reply-preview.png", ReplyPreviewView.as_view(fmt="png"),
                               name="case_reply_preview_png")
    case_reply_pdf_path = path("cases/<int:pk>/reply-preview.pdf", ReplyPreviewView.as_view(fmt="pdf"),
                               name="case_reply_preview_pdf")

    def get_context_data(self, request):
        ctx = super().get_context_data(request)
        ctx["user_inbox"] = request_tasks_visible_to(request.user, ctx["user_inbox"])
        ctx["user_queue"] = request_queue_visible_to(request.user, ctx["user_queue"])
        return ctx


def staff_apps():
    return [
        RequestWorkflowApp(flow_viewsets=[RequestFlowViewset(DisclosureRequestFlow, icon="assignment")],
                           viewsets=[CasesViewset(), SupervisionViewset(), CorrectionsViewset(), RemediesViewset()]),
        AuditApp(),
    ]
