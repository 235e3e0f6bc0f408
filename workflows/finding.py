"""Finding work: the case search (案件查询) with its spreadsheet export, and 督办 (the
overdue and near-due open cases for the person in charge) with its 催办 action. Thin:
the filter set and the selectors decide what is found, the service what 催办 does."""
from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from documents.spreadsheets import spreadsheet_text
from flowkit.paging import keyed_page
from legal.selectors import clock_badge, date_words, days_left_words, get_calendar, local_today, overdue_if_due_before

from .filters import CaseSearchFilter
from .models import RequestItem
from .selectors import cases_visible_to, supervision_cases, supervision_near_due_days
from .services.supervision import may_supervise, request_urge

PAGE_SIZE = 50
EXPORT_LIMIT = 10_000
ERR_EXPORT_TOO_MANY = "符合条件的案件超过{limit}件，请缩小查询范围后再导出。"


def search_rows(user, data):
    """The filter set, and its rows with what each row shows loaded in a fixed number of queries."""
    found = CaseSearchFilter(data or None, queryset=cases_visible_to(user), user=user)
    if found.is_bound and not found.is_valid():
        return found, cases_visible_to(user).none()  # the form says what to correct; nothing is guessed
    qs = found.qs if found.is_bound else cases_visible_to(user)
    if not (found.is_bound and found.form.is_valid() and found.form.cleaned_data.get("order")):
        qs = qs.order_by("-submitted_at", "-pk")
    qs = qs.select_related("clock", "department", "handler").prefetch_related(
        Prefetch("items", queryset=RequestItem.objects.order_by("position", "pk").only("request_id", "title")))
    return found, qs


def decorate(cases) -> list:
    calendar, today = get_calendar(), local_today()
    for case in cases:
        case.badge = clock_badge(case.clock, calendar=calendar, today=today)
        case.days_words = days_left_words(case.badge[1])
        case.item_titles = "；".join(i.title for i in case.items.all())
    return cases


class CaseSearchView(LoginRequiredMixin, TemplateView):
    """案件查询: every case the person may see, by number, 查询号, applicant, item, status,
    department, handler and dates; 50 a page."""

    template_name = "workflows/case_search.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        found, qs = search_rows(self.request.user, self.request.GET)
        page = keyed_page(qs, self.request.GET.get("page"), PAGE_SIZE)
        decorate(page.object_list)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(filter=found, page=page, cases=page.object_list, query=query.urlencode(),
                   can_intake=self.request.user.has_perm("workflows.register_request"))
        return ctx


EXPORT_HEADER = ["登记号", "查询号", "申请人", "申请的信息", "状态", "承办部门", "承办人", "提交日期", "收到申请日期",
                 "答复期限", "剩余期限", "答复日期"]


class CaseExportView(LoginRequiredMixin, View):
    """The rows of the search, as an .xlsx file (text that looks like a formula is written as text)."""

    def get(self, request):
        from openpyxl import Workbook

        found, qs = search_rows(request.user, request.GET)
        back = HttpResponseRedirect(reverse("workflow:cases:index") + "?" + request.GET.urlencode())
        if found.is_bound and not found.is_valid():
            return back  # the search page shows what to correct
        cases = list(qs[:EXPORT_LIMIT + 1])
        if len(cases) > EXPORT_LIMIT:
            messages.error(request, ERR_EXPORT_TOO_MANY.format(limit=EXPORT_LIMIT))
            return back
        book = Workbook(write_only=True)
        sheet = book.create_sheet("案件")
        sheet.append(EXPORT_HEADER)
        for c in decorate(cases):
            sheet.append([spreadsheet_text(v) for v in (
                c.registration_number, c.tracking_number, c.applicant_name, c.item_titles, c.get_status_display(),
                c.department.name if c.department_id else "", c.handler.get_full_name() if c.handler_id else "",
                date_words(timezone.localtime(c.submitted_at).date()), date_words(c.received_on),
                date_words(c.clock.due_date if c.clock_id else None), c.days_words or c.badge[0],
                date_words(c.issued_on))])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="cases-{local_today():%Y%m%d}.xlsx"'
        return response


# --- 督办 ---------------------------------------------------------------------------------------

class SupervisionView(LoginRequiredMixin, TemplateView):
    """督办: overdue and near-due open cases of the agency, with 催办 on each."""

    template_name = "workflows/supervision.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_supervise(request.user):
            raise PermissionDenied("只有公开工作机构负责人和政务公开工作人员可以督办。")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        calendar, today = get_calendar(), local_today()
        cases = supervision_cases(self.request.user, calendar=calendar, today=today)
        page = Paginator(cases, PAGE_SIZE).get_page(self.request.GET.get("page"))
        for case in page.object_list:
            case.badge = clock_badge(case.clock, calendar=calendar, today=today)
            case.days_words = days_left_words(case.badge[1])
        overdue = cases.filter(clock__due_date__lt=overdue_if_due_before(today, calendar)).order_by().count()
        ctx.update(cases=page.object_list, page=page, near_days=supervision_near_due_days(), today=today,
                   overdue_count=overdue, near_count=page.paginator.count - overdue)
        return ctx


class UrgeView(LoginRequiredMixin, View):
    """催办 (POST): tells whoever the case waits on; back to where it was pressed."""

    http_method_names = ["post"]

    def post(self, request, pk):
        case = cases_visible_to(request.user).filter(pk=pk).first()
        if case is None:
            raise Http404("没有找到该申请")
        try:  # PermissionDenied (not a supervisor) becomes the 403 page
            told = request_urge(actor=request.user, case=case, message=request.POST.get("message", ""))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            names = "、".join(u.get_full_name() or u.get_username() for u in told)
            messages.success(request, f"已催办 {case.registration_number or case.tracking_number}，已通知{names}。")
        back = request.POST.get("next") or ""
        if not back.startswith("/staff/"):
            back = reverse("workflow:supervision:index")
        return HttpResponseRedirect(back)
