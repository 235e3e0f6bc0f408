"""The working-day calendar (regulation §3) and the clock ledger of every legal period
(条例 Art. 33 for applications, Art. 26 for proactive publication). The rules that read
these rows are the pure modules beside them: `calendar.py` and `clock.py`."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import clock as rules

BUILT_IN_SOURCE = "chinesecalendar"  # how services.calendar_seed_official names its rows' source


def source_in_words(source: str) -> str:
    """Where a schedule came from, as staff read it: the schedules shipped with the
    system (the chinesecalendar package) are the State Council's notices."""
    if source.startswith(BUILT_IN_SOURCE):
        version = source[len(BUILT_IN_SOURCE):].strip()
        return _("国务院办公厅放假安排（系统内置数据%s）") % (f"，版本 {version}" if version else "")
    return source


class OfficialYear(models.Model):
    """A year whose official schedule (国务院办公厅放假安排) is loaded; other years are provisional."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=200)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("官方放假安排年份")
        verbose_name_plural = _("官方放假安排年份")

    def __str__(self):
        return f"{self.year}（{self.source_label}）"

    @property
    def source_label(self) -> str:
        return source_in_words(self.source)


class CalendarDay(models.Model):
    """A date that differs from, or names, the ordinary Monday–Friday rule."""

    HOLIDAY, MAKEUP_WORKDAY, LOCAL_HOLIDAY, CORRECTION = "holiday", "makeup", "local", "correction"
    KIND_CHOICES = [
        (HOLIDAY, _("法定节假日")),
        (MAKEUP_WORKDAY, _("调休上班")),
        (LOCAL_HOLIDAY, _("地方节假日")),
        (CORRECTION, _("更正")),
    ]
    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    kind = models.CharField(_("类型"), max_length=20, choices=KIND_CHOICES)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("日历日")
        verbose_name_plural = _("日历日")
        permissions = [("manage_calendar", _("可维护工作日日历"))]

    def __str__(self):
        return f"{self.date} {self.name or self.get_kind_display()} {'上班' if self.is_workday else '休息'}"

    @property
    def source_label(self) -> str:
        return source_in_words(self.source)


class CalendarRevision(models.Model):
    """Singleton counter bumped on every calendar change, so every process reloads."""

    number = models.BigIntegerField(default=0)


class Clock(models.Model):
    """The legal clock of one case (or publication). Derived fields are a cache of
    `clock.compute` over the segments, refreshed by the services, used for sorting."""

    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("事项"), max_length=200)
    due_date = models.DateField(_("答复期限"), null=True, db_index=True)
    provisional = models.BooleanField(_("暂定"), default=False)
    paused = models.BooleanField(_("暂停计时"), default=False)
    stopped_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("法定期限")
        verbose_name_plural = _("法定期限")

    def __str__(self):
        return self.label

    @property
    def is_open(self) -> bool:
        return self.stopped_on is None


class ClockSegment(models.Model):
    KIND_CHOICES = [
        (rules.START, _("起算")),
        (rules.RESTART, _("补正后重新起算")),
        (rules.PAUSE, _("暂停计算")),
        (rules.EXTENSION, _("延期")),
        (rules.LONGER, _("确定更长期限")),
        (rules.STOP, _("办结")),
    ]
    PAUSE_CHOICES = [("", "")] + list(rules.PAUSE_LABELS.items())

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="segments")
    kind = models.CharField(_("类型"), max_length=20, choices=KIND_CHOICES)
    start_date = models.DateField(_("日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("工作日数"), null=True, blank=True)
    pause_reason = models.CharField(_("暂停原因"), max_length=20, blank=True, choices=PAUSE_CHOICES)
    basis = models.CharField(_("法律依据"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["clock", "id"]
        verbose_name = _("期限记录")
        verbose_name_plural = _("期限记录")

    def __str__(self):
        return f"{self.get_kind_display()} {self.start_date}"
