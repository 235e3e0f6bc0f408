"""Proactive disclosure (主动公开, regulation §5): the standard catalogue, publications with
their disclosure attribute, the findings of the automated checks, the review record, and
the viewflow process that moves a publication (or a policy with its interpretation)
from draft to published.

The legal state of a publication is `Publication.state`, moved only by
`reviews.services`; the flow calls those services."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from viewflow.workflow.models import Process

from . import catalogue as cat
from . import checks


class CatalogueItem(models.Model):
    """One disclosure item of an agency's standard catalogue (国办发〔2019〕54号)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="catalogue_items", verbose_name=_("机关"))
    domain = models.CharField(_("领域"), max_length=30, choices=[(d, d) for d in cat.DOMAINS], db_index=True)
    item_level1 = models.CharField(_("一级事项"), max_length=100)
    item_level2 = models.CharField(_("二级事项"), max_length=100, blank=True)
    content = models.TextField(_("公开内容（要素）"))
    basis = models.TextField(_("公开依据"), blank=True)
    time_limit = models.CharField(_("公开时限"), max_length=200, default=cat.DEFAULT_TIME_LIMIT)
    responsible_body = models.CharField(_("公开主体"), max_length=200, blank=True)
    channels = models.CharField(_("公开渠道和载体"), max_length=300, default=cat.DEFAULT_CHANNELS)
    audience = models.CharField(_("公开对象"), max_length=10, default=cat.AUDIENCE_PUBLIC,
                                choices=[(cat.AUDIENCE_PUBLIC, cat.AUDIENCE_PUBLIC), (cat.AUDIENCE_GROUP, cat.AUDIENCE_GROUP)])
    mode = models.CharField(_("公开方式"), max_length=10, default=cat.MODE_PROACTIVE,
                            choices=[(cat.MODE_PROACTIVE, cat.MODE_PROACTIVE), (cat.MODE_ON_REQUEST, cat.MODE_ON_REQUEST)])
    level = models.CharField(_("公开层级"), max_length=20, default="县级", help_text=_("县级、乡级，可多选，以“、”分隔"))

    class Meta:
        ordering = ["agency", "domain", "item_level1", "item_level2", "id"]
        unique_together = [("agency", "domain", "item_level1", "item_level2")]
        verbose_name = _("标准目录事项")
        verbose_name_plural = _("标准目录事项")
        permissions = [("manage_catalogue", _("维护标准目录和敏感词"))]

    def __str__(self):
        return "／".join(x for x in (self.domain, self.item_level1, self.item_level2) if x)


class SensitiveWord(models.Model):
    """An agency's own list of words the checks flag (敏感词)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="sensitive_words")
    word = models.CharField(_("敏感词"), max_length=50)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["word"]
        unique_together = [("agency", "word")]
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")

    def __str__(self):
        return self.word


class Publication(models.Model):
    """A piece of government information to be published proactively, a policy, or the
    interpretation of a policy. The attribute is decided at drafting (国办发〔2016〕80号)."""

    DRAFT, CHECKING, FIRST_REVIEW, SECOND_REVIEW, FINAL_REVIEW = "draft", "checking", "first_review", "second_review", "final_review"
    RETURNED, SCHEDULED, PUBLISHED, WITHDRAWN = "returned", "scheduled", "published", "withdrawn"
    STATE_CHOICES = [
        (DRAFT, _("草稿")),
        (CHECKING, _("待处理检查发现")),
        (FIRST_REVIEW, _("初审")),
        (SECOND_REVIEW, _("复审")),
        (FINAL_REVIEW, _("终审")),
        (RETURNED, _("退回修改")),
        (SCHEDULED, _("待发布")),
        (PUBLISHED, _("已发布")),
        (WITHDRAWN, _("已撤回")),
    ]
    IN_REVIEW = [CHECKING, FIRST_REVIEW, SECOND_REVIEW, FINAL_REVIEW]

    PROACTIVE, ON_REQUEST, NOT_DISCLOSED = "proactive", "on_request", "not_disclosed"
    ATTRIBUTE_CHOICES = [(PROACTIVE, _("主动公开")), (ON_REQUEST, _("依申请公开")), (NOT_DISCLOSED, _("不予公开"))]

    # What kind of normative document it is, for 表二 of the annual report (条例第二十条第（一）项)
    RULE, NORMATIVE = "rule", "normative"
    LEGAL_FORM_CHOICES = [("", _("不属于规章或行政规范性文件")), (RULE, _("规章")), (NORMATIVE, _("行政规范性文件"))]

    DOCUMENT, POLICY, INTERPRETATION = "document", "policy", "interpretation"
    KIND_CHOICES = [(DOCUMENT, _("一般信息")), (POLICY, _("政策文件")), (INTERPRETATION, _("政策解读"))]

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="publications", verbose_name=_("机关"))
    department = models.ForeignKey("agencies.Department", on_delete=models.PROTECT, related_name="publications",
                                   verbose_name=_("发文（起草）部门"))
    kind = models.CharField(_("类型"), max_length=20, choices=KIND_CHOICES, default=DOCUMENT)
    legal_form = models.CharField(_("文件类别"), max_length=20, choices=LEGAL_FORM_CHOICES, blank=True, default="")
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    repeal_reason = models.TextField(_("废止依据"), blank=True)
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文"), blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    catalogue_item = models.ForeignKey(CatalogueItem, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="publications", verbose_name=_("目录事项"))
    attribute = models.CharField(_("公开属性"), max_length=20, choices=ATTRIBUTE_CHOICES, default=PROACTIVE)
    attribute_reason = models.TextField(_("不主动公开的理由"), blank=True)
    attribute_ground = models.CharField(_("法律依据"), max_length=300, blank=True)
    created_on = models.DateField(_("形成或变更日期"))
    # interpretation materials (政策解读: 文字、问答、图表、视频)
    interprets = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="interpretation", verbose_name=_("所解读的政策"))
    qa = models.TextField(_("问答"), blank=True, help_text=_("每组以“问：”“答：”开头"))
    video_url = models.URLField(_("视频链接"), blank=True)
    no_interpretation_reason = models.TextField(_("无需解读的理由"), blank=True)
    no_interpretation_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="+", verbose_name=_("确认无需解读的负责人"))

    state = FSMField(_("状态"), default=DRAFT, choices=STATE_CHOICES, protected=True, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("起草人"))
    clock = models.ForeignKey("legal.Clock", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("公开期限"))
    publish_on = models.DateField(_("计划发布日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    checked_at = models.DateTimeField(_("最近一次自动检查"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.TextField(_("撤回理由"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        verbose_name = _("公开信息")
        verbose_name_plural = _("公开信息")
        permissions = [
            ("review_first", _("初审")),
            ("review_second", _("复审（保密审查）")),
            ("review_final", _("终审（审签）")),
            ("publish_publication", _("发布")),
            ("withdraw_publication", _("撤回已发布信息")),
        ]

    def __str__(self):
        return self.title

    # Transitions: called only from reviews.services, inside the flow step's transaction.
    @transition(field=state, source=[DRAFT, RETURNED, CHECKING], target=CHECKING)
    def enter_checks(self):
        pass

    @transition(field=state, source=CHECKING, target=FIRST_REVIEW)
    def checks_passed(self):
        pass

    @transition(field=state, source=FIRST_REVIEW, target=SECOND_REVIEW)
    def approve_first(self):
        pass

    @transition(field=state, source=SECOND_REVIEW, target=FINAL_REVIEW)
    def approve_second(self):
        pass

    @transition(field=state, source=FINAL_REVIEW, target=SCHEDULED)
    def sign(self):
        pass

    @transition(field=state, source=[FIRST_REVIEW, SECOND_REVIEW, FINAL_REVIEW], target=RETURNED)
    def send_back(self):
        pass

    @transition(field=state, source=SCHEDULED, target=PUBLISHED)
    def publish(self):
        pass

    @transition(field=state, source=PUBLISHED, target=WITHDRAWN)
    def withdraw(self):
        pass

    @property
    def package(self) -> list["Publication"]:
        """The policy and its interpretation, policy first; a single item otherwise."""
        if self.kind == self.INTERPRETATION and self.interprets_id:
            return [self.interprets, self]
        interp = getattr(self, "interpretation", None) if self.kind == self.POLICY else None
        return [self, interp] if interp else [self]

    @property
    def policy_document(self):
        return self.interprets if self.kind == self.INTERPRETATION else None


def attachment_path(instance, filename):
    return f"reviews/{instance.publication.agency_id}/{instance.publication_id}/{filename}"


class Attachment(models.Model):
    ATTACHMENT, CHART = "attachment", "chart"
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="attachments")
    role = models.CharField(_("用途"), max_length=20, default=ATTACHMENT, choices=[(ATTACHMENT, _("附件")), (CHART, _("图表解读"))])
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.name


class Finding(models.Model):
    """One result of the automated checks. Open until the text is fixed (a later run no
    longer finds it) or a reviewer records why it may stand."""

    OPEN, FIXED, JUSTIFIED = "open", "fixed", "justified"
    STATUS_CHOICES = [(OPEN, _("待处理")), (FIXED, _("已修改")), (JUSTIFIED, _("说明理由后保留"))]

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="findings")
    run = models.PositiveIntegerField(_("检查批次"))
    kind = models.CharField(_("类别"), max_length=20, choices=list(checks.KIND_LABELS.items()))
    source = models.CharField(_("位置（正文/附件）"), max_length=200)
    location = models.CharField(_("行:列"), max_length=50)
    matched = models.CharField(_("命中内容"), max_length=300)
    detail = models.CharField(_("说明"), max_length=100, blank=True)
    suggestion = models.TextField(_("修改建议"))
    status = models.CharField(_("处理状态"), max_length=20, choices=STATUS_CHOICES, default=OPEN, db_index=True)
    justification = models.TextField(_("保留理由"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["publication", "run", "id"]
        verbose_name = _("检查发现")
        verbose_name_plural = _("检查发现")

    def __str__(self):
        return f"{self.get_kind_display()} {self.source}:{self.location} {self.matched}"


class ReviewRecord(models.Model):
    """What each reviewer decided (审核记录); the audit record holds the same events."""

    CHECKS, FIRST, SECOND, FINAL, PUBLISH, WITHDRAW, RESUBMIT = "checks", "first", "second", "final", "publish", "withdraw", "resubmit"
    STEP_CHOICES = [(CHECKS, _("自动检查")), (FIRST, _("初审")), (SECOND, _("复审")), (FINAL, _("终审（审签）")),
                    (PUBLISH, _("发布")), (WITHDRAW, _("撤回")), (RESUBMIT, _("修改后重新提交"))]
    APPROVE, RETURN, NOTE = "approve", "return", "note"
    DECISION_CHOICES = [(APPROVE, _("同意")), (RETURN, _("退回")), (NOTE, _("记录"))]

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="review_records")
    step = models.CharField(_("环节"), max_length=20, choices=STEP_CHOICES)
    decision = models.CharField(_("意见"), max_length=20, choices=DECISION_CHOICES)
    comment = models.TextField(_("审核意见"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["publication", "at", "id"]
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")


class PublicationProcess(Process):
    """The viewflow process of one publication or one policy package (the policy is
    `publication`; its interpretation travels in a parallel branch)."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="processes", null=True, blank=True,
                                    verbose_name=_("公开信息"))

    class Meta:
        ordering = ["-created"]
        verbose_name = _("发布审核流程")
        verbose_name_plural = _("发布审核流程")
