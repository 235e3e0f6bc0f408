"""The report app keeps no data of its own: every figure is computed from the cases.
This model only carries the permission to see the consolidated report (汇总) of all
agencies of the installation; it has no table."""
from django.conf import settings
from django.db import models


class AnnualReport(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_all_agencies", "可查看全部机关汇总的年度报告和统计")]
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"


class ProactiveFigures(models.Model):
    """表二 (主动公开政府信息情况, 国办公开办函〔2021〕30号) of one agency for one year. The
    system holds none of these figures (规章 and 行政规范性文件 are not marked as such on
    publications; licensing, penalty, enforcement and fee figures come from other
    systems), so the agency enters them; each change is recorded in the audit chain
    (`reports.services.proactive_figures_set`)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="机关")
    year = models.PositiveSmallIntegerField("年度")
    rules_made = models.PositiveIntegerField("规章：本年制发件数", default=0)
    rules_repealed = models.PositiveIntegerField("规章：本年废止件数", default=0)
    rules_in_force = models.PositiveIntegerField("规章：现行有效件数", default=0)
    normative_made = models.PositiveIntegerField("行政规范性文件：本年制发件数", default=0)
    normative_repealed = models.PositiveIntegerField("行政规范性文件：本年废止件数", default=0)
    normative_in_force = models.PositiveIntegerField("行政规范性文件：现行有效件数", default=0)
    licensing_decisions = models.PositiveIntegerField("行政许可：本年处理决定数量", default=0)
    penalty_decisions = models.PositiveIntegerField("行政处罚：本年处理决定数量", default=0)
    enforcement_decisions = models.PositiveIntegerField("行政强制：本年处理决定数量", default=0)
    fees_amount = models.DecimalField("行政事业性收费：本年收费金额（万元）", max_digits=14, decimal_places=4, default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("agency", "year")]
        default_permissions = ()
        verbose_name = "年度报告表二数据"
        verbose_name_plural = "年度报告表二数据"

    def __str__(self):
        return f"{self.agency}{self.year}年主动公开政府信息情况"
