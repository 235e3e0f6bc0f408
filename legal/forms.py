from django import forms
from django.utils.translation import gettext_lazy as _

from .calendar import validate_calendar_date
from .models import CalendarDay

ERR_DAYS_RANGE = _("工作日数应在 0 到 400 之间。")


class CalendarDateField(forms.DateField):
    """A date the legal clock counts from or to: inside the years the calendar computes."""

    default_validators = [validate_calendar_date]


class DeadlineCalculatorForm(forms.Form):
    start = CalendarDateField(label=_("起算日（收到申请或补正之日）"), widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label=_("工作日数"), initial=20, min_value=0, max_value=400,
                              error_messages={"min_value": ERR_DAYS_RANGE, "max_value": ERR_DAYS_RANGE})


class CalendarDayForm(forms.Form):
    date = CalendarDateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(label=_("当日"), choices=[("0", _("休息")), ("1", _("上班"))], coerce=lambda v: v == "1")
    kind = forms.ChoiceField(label=_("类型"), choices=CalendarDay.KIND_CHOICES, initial=CalendarDay.LOCAL_HOLIDAY)
    name = forms.CharField(label=_("名称"), max_length=100, required=False)
    reason = forms.CharField(max_length=200, label=_("变更理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ScheduleImportForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2099)
    source = forms.CharField(label=_("文件来源（如国务院办公厅通知文号）"), max_length=200)
    file = forms.FileField(label=_("放假安排 CSV（每行：日期,休|班,名称）"))

    MAX_BYTES = 64 * 1024

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件过大（不超过 64 KB）。"))
        try:
            return f.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("文件应为 UTF-8 编码的文本（CSV）。"))
