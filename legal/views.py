"""Staff pages for the legal calendar: the deadline calculator and calendar maintenance."""
import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from . import clock as rules
from .calendar import ERR_YEAR_RANGE, FIRST_YEAR, LAST_YEAR, UnsupportedYear
from .forms import CalendarDayForm, DeadlineCalculatorForm, ScheduleImportForm
from .models import CalendarDay, OfficialYear
from .selectors import get_calendar, local_today
from .services import calendar_day_delete, calendar_day_set, calendar_import_year, parse_schedule_csv


class DeadlineCalculatorView(LoginRequiredMixin, FormView):
    template_name = "legal/calculator.html"
    form_class = DeadlineCalculatorForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "start" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get_initial(self):
        return {"start": local_today(), "days": rules.STATUTORY_DAYS}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        if form.is_bound and form.is_valid():
            cal = get_calendar()
            start, days = form.cleaned_data["start"], form.cleaned_data["days"]
            try:
                due, provisional = rules.due_date_for(cal, start, days)
                ctx.update(due=due, provisional=provisional, explanation=rules.explain_add_workdays(cal, start, days))
            except UnsupportedYear as exc:  # the period runs past the last year the calendar computes
                form.add_error("start", str(exc))
        return ctx


class CalendarView(LoginRequiredMixin, TemplateView):
    template_name = "legal/calendar.html"

    def year(self) -> int:
        try:
            year = int(self.request.GET.get("year") or local_today().year)
        except ValueError:
            return local_today().year
        if not FIRST_YEAR <= year <= LAST_YEAR:
            messages.error(self.request, ERR_YEAR_RANGE)
            return local_today().year
        return year

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = self.year()
        cal = get_calendar()
        days = list(CalendarDay.objects.filter(date__year=year))
        if year not in cal.official_years:
            from .calendar import provisional_holidays

            stored = {x.date for x in days}
            days += [CalendarDay(date=d_, is_workday=False, kind=CalendarDay.HOLIDAY, name=n, source="按放假办法推算（暂定）")
                     for d_, n in provisional_holidays(year).items() if d_ not in stored]
            days.sort(key=lambda x: x.date)
        can_manage = self.request.user.has_perm("legal.manage_calendar")
        ctx.update(
            year=year, days=days, official=year in cal.official_years,
            official_record=OfficialYear.objects.filter(year=year).first(),
            can_manage=can_manage,
            day_form=kwargs.get("day_form") or CalendarDayForm(initial={"date": dt.date(year, 1, 1)}),
            import_form=kwargs.get("import_form") or ScheduleImportForm(initial={"year": year}),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("legal.manage_calendar"):
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "set_day":
            form = CalendarDayForm(request.POST)
            if form.is_valid():
                try:
                    calendar_day_set(actor=request.user, **form.cleaned_data)
                    messages.success(request, f"已保存 {form.cleaned_data['date']}，在办案件的答复期限已重新计算。")
                    return redirect(f"{request.path}?year={form.cleaned_data['date'].year}")
                except ValidationError as exc:
                    form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(day_form=form))
        if action == "delete_day":
            try:
                date = dt.date.fromisoformat(request.POST.get("date", ""))
                calendar_day_delete(actor=request.user, date=date, reason=request.POST.get("reason") or "管理员删除")
                messages.success(request, f"已删除 {date} 的特别安排。")
            except (ValueError, CalendarDay.DoesNotExist):
                messages.error(request, "日期不正确或没有该日的特别安排。")
            return redirect(f"{request.path}?year={self.year()}")
        if action == "import":
            form = ScheduleImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    rows = parse_schedule_csv(form.cleaned_data["file"])
                    n = calendar_import_year(actor=request.user, year=form.cleaned_data["year"], rows=rows,
                                             source=form.cleaned_data["source"])
                    messages.success(request, f"已导入 {form.cleaned_data['year']} 年官方放假安排 {n} 天。")
                    return redirect(f"{request.path}?year={form.cleaned_data['year']}")
                except ValidationError as exc:
                    form.add_error("file", exc)
            return self.render_to_response(self.get_context_data(import_form=form))
        return redirect(request.path)
