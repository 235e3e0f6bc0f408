"""Staff pages of the legal rules: the deadline calculator and the working-day calendar."""
from django.urls import path
from viewflow.urls import Application, AppMenuMixin, Viewset

from .views import CalendarView, DeadlineCalculatorView


class DeadlineCalculatorViewset(AppMenuMixin, Viewset):
    title = "期限计算器"
    icon = "calculate"
    index_path = path("", DeadlineCalculatorView.as_view(), name="index")


class WorkingCalendarViewset(AppMenuMixin, Viewset):
    title = "工作日日历"
    icon = "event"
    index_path = path("", CalendarView.as_view(), name="index")


class LegalClockApp(Application):
    title = "法定期限"
    icon = "schedule"
    app_name = "clock"
    viewsets = [DeadlineCalculatorViewset(), WorkingCalendarViewset()]


def staff_apps():
    return [LegalClockApp()]
