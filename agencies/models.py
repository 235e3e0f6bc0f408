"""Agencies (机关), their departments, and which staff belong where.

Everything a document needs about the agency is data here, never code: the remedy
sentence of a reply is built from `reconsideration_body` and `court` (regulation §2
Remedies; 行政复议法 2023 Art. 24/27, 行政诉讼法 Art. 46).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    name = models.CharField(_("机关全称"), max_length=200, unique=True)
    short_name = models.CharField(_("机关简称（用于文号）"), max_length=30, help_text=_("例如：石龙区政府办"))
    ogi_office = models.CharField(_("政府信息公开工作机构"), max_length=200)
    address = models.CharField(_("地址"), max_length=300)
    postcode = models.CharField(_("邮政编码"), max_length=10, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50)
    email = models.EmailField(_("电子邮箱"), blank=True)
    website = models.URLField(_("门户网站"), blank=True)
    reconsideration_body = models.CharField(
        _("行政复议机关"), max_length=200, help_text=_("一般为同级人民政府；垂直管理部门为上一级主管部门（行政复议法第24、27条）")
    )
    court = models.CharField(_("行政诉讼管辖法院"), max_length=200)
    # GB/T 9704-2012 7.3.5.1: the seal presses on the 署名 and 成文日期. Without an image the
    # space stays blank for a hand stamp. Set through agencies.services.agency_seal_set.
    seal_png = models.BinaryField(_("印章图片（PNG，透明背景）"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("机关")
        verbose_name_plural = _("机关")

    def __str__(self):
        return self.name


class Department(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="departments", verbose_name=_("机关"))
    name = models.CharField(_("部门名称"), max_length=200)
    code = models.SlugField(_("部门代码"), max_length=50)

    class Meta:
        ordering = ["agency", "name"]
        unique_together = [("agency", "code"), ("agency", "name")]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        return f"{self.agency.short_name}·{self.name}"


class StaffProfile(models.Model):
    """Which agency (and department) a staff member works for. Applicants have none."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff", verbose_name=_("机关"))
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="staff", verbose_name=_("部门")
    )
    title = models.CharField(_("职务"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username}（{self.agency.short_name}）"
