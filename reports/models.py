"""The report app keeps no data of its own: every figure is computed from the cases.
This model only carries the permission to see the consolidated report (汇总) of all
agencies of the installation; it has no table."""
from django.db import models


class AnnualReport(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_all_agencies", "可查看全部机关汇总的年度报告和统计")]
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
