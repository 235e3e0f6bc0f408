"""Issued documents (文书) and the case file (卷宗).

A document moves draft -> signed -> issued. Signing freezes `data` (the facts and the
free-text parts); issuing assigns the number from a per-agency/kind/year counter and
renders the PDF once; after that the row's content never changes (a correction is a
new document that names the old one in `corrects`).
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import kinds


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SIGNED = "signed", _("已审签")
    ISSUED = "issued", _("已出具")


class RenderStatus(models.TextChoices):
    NONE = "", _("未生成")
    PENDING = "pending", _("排队生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


ERR_FROZEN = "文书已审签或出具，内容不可再修改；如需更正，请另行制作更正文书。"


class Document(models.Model):
    # the application the document belongs to, or (Art. 41) the correction request
    request = models.ForeignKey("workflows.DisclosureRequest", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="documents", verbose_name=_("申请"))
    correction = models.ForeignKey("workflows.CorrectionRequest", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="documents", verbose_name=_("更正申请"))
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="documents", verbose_name=_("机关"))
    kind = models.CharField(_("文书种类"), max_length=40, choices=kinds.CHOICES, db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    data = models.JSONField(_("内容数据"), default=dict, blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections",
                                 verbose_name=_("更正的文书"))

    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("顺序号"), null=True, blank=True)
    number = models.CharField(_("文号"), max_length=80, blank=True, db_index=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)

    html = models.TextField(_("定稿HTML"), blank=True, editable=False)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    render_status = models.CharField(_("生成状态"), max_length=10, choices=RenderStatus.choices, blank=True,
                                     default=RenderStatus.NONE)
    render_error = models.TextField(_("生成错误"), blank=True)
    render_seconds = models.FloatField(_("生成耗时（秒）"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("审签时间"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("出具时间"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["request", "created_at", "id"]
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "year", "serial"], name="document_number_unique",
                                    condition=models.Q(serial__isnull=False)),
        ]
        permissions = [
            ("draft_document", _("可起草文书")),
            ("sign_document", _("可审签文书")),
            ("issue_document", _("可出具文书（编号、生成PDF）")),
        ]

    @property
    def subject(self):
        """The case the document belongs to: an application or a correction request."""
        return self.request if self.request_id else self.correction

    def __str__(self):
        return f"{self.kind_label} {self.number or self.get_status_display()}"

    @property
    def kind_info(self) -> kinds.Kind:
        return kinds.KINDS[self.kind]

    @property
    def kind_label(self) -> str:
        return self.kind_info.label

    @property
    def is_internal(self) -> bool:
        return self.kind in kinds.INTERNAL

    @property
    def is_frozen(self) -> bool:
        return self.status != DocumentStatus.DRAFT

    def save(self, *args, **kwargs):
        # Guard the "never changes again" promise at the lowest level too.
        if self.pk:
            old = Document.objects.filter(pk=self.pk).values("status", "data", "sha256", "number").first()
            if old and old["status"] != DocumentStatus.DRAFT and old["data"] != self.data:
                raise ValidationError(ERR_FROZEN)
            if old and old["sha256"] and (old["sha256"] != self.sha256 or old["number"] != self.number):
                raise ValidationError(ERR_FROZEN)
        super().save(*args, **kwargs)


class DocumentCounter(models.Model):
    """The last serial issued per agency, kind and year. Locked with select_for_update
    while a number is taken, so numbers are unique and gapless."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40, choices=kinds.CHOICES)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "year"], name="document_counter_unique")]
        verbose_name = _("文号计数器")
        verbose_name_plural = _("文号计数器")


class CaseFile(models.Model):
    """The case file (卷宗) of one request, built on archiving: one PDF with a table of
    contents plus a ZIP of the original issued PDFs. Rebuilding replaces the bundle."""

    request = models.OneToOneField("workflows.DisclosureRequest", on_delete=models.PROTECT, related_name="case_file")
    pdf = models.BinaryField(null=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    zip = models.BinaryField(null=True, editable=False)
    zip_sha256 = models.CharField(max_length=64, blank=True)
    contents = models.JSONField(default=list, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("卷宗")
        verbose_name_plural = _("卷宗")

    def __str__(self):
        return f"卷宗 {self.request}"
