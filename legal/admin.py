from django.contrib import admin, messages

from .models import CalendarDay, Clock, ClockSegment, OfficialYear
from .services import calendar_day_delete, calendar_day_set


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Edits go through the calendar services: audited, and open deadlines recomputed."""

    list_display = ["date", "is_workday", "kind", "name", "source"]
    list_filter = ["kind", "is_workday"]
    date_hierarchy = "date"
    fields = ["date", "is_workday", "kind", "name"]

    def save_model(self, request, obj, form, change):
        calendar_day_set(actor=request.user, date=obj.date, is_workday=obj.is_workday, kind=obj.kind, name=obj.name,
                         reason="通过管理后台维护")
        messages.info(request, "在办案件的答复期限已按新日历重新计算。")

    def delete_model(self, request, obj):
        calendar_day_delete(actor=request.user, date=obj.date, reason="通过管理后台删除")

    def has_delete_permission(self, request, obj=None):
        return False if obj is None else super().has_delete_permission(request, obj)  # no bulk delete around the service


@admin.register(OfficialYear)
class OfficialYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "loaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClockSegmentInline(admin.TabularInline):
    model = ClockSegment
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Clock)
class ClockAdmin(admin.ModelAdmin):
    list_display = ["label", "agency", "due_date", "provisional", "paused", "stopped_on"]
    inlines = [ClockSegmentInline]

    def has_change_permission(self, request, obj=None):
        return False
