"""Applications (依申请公开): the case, its items, its process and the records of each
step. The legal status moves only through the services in `workflows/services/`."""
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField
from viewflow.workflow.models import Process

from agencies.roles import AGENCY_WIDE_ROLES, user_roles
from agencies.selectors import scope_to_user, staff_profile
from dbrows import Columns, Reader
from documents.kinds import REPLY
from legal import outcomes as outcome_rules
from legal import receipt as receipt_rules
from legal import remedy as remedy_rules
from legal.clock import EXTENSION, compute
from legal.models import Clock
from legal.selectors import get_calendar, local_today

from .transitions import RequestTransitions

# --- applications (依申请公开) ----------------------------------------------------------



class RequestStatus(models.TextChoices):
    """The legal status of an application. Moved only by the services in
    `workflows/requests.py`, inside the flow step that causes it."""

    SUBMITTED = "submitted", _("待确认收到")  # online/paper, receipt not yet confirmed
    REGISTERED = "registered", _("已登记，待审查")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("待补正")
    IN_PROGRESS = "in_progress", _("办理中")
    CONSULTING = "consulting", _("征求意见中")  # third party / other agency: clock paused
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    CONFIDENTIALITY_REVIEW = "confidentiality_review", _("保密审查中")
    DRAFTING = "drafting", _("答复拟稿中")
    SIGN_OFF = "sign_off", _("待审签")
    ISSUED = "issued", _("已出具答复")
    DELIVERED = "delivered", _("已送达")
    ARCHIVED = "archived", _("已归档")
    WITHDRAWN = "withdrawn", _("申请人已撤回")
    CLOSED = "closed", _("已终止办理")  # supplement or fee lapsed (其他处理)


OPEN_STATUSES = [
    RequestStatus.SUBMITTED, RequestStatus.REGISTERED, RequestStatus.AWAITING_SUPPLEMENT, RequestStatus.IN_PROGRESS,
    RequestStatus.CONSULTING, RequestStatus.AWAITING_FEE, RequestStatus.CONFIDENTIALITY_REVIEW, RequestStatus.DRAFTING, RequestStatus.SIGN_OFF,
]
# A case archived or withdrawn has no live task (archiving ends the process; withdrawal
# cancels it); every other case may still have one (a lapsed case is closed by a notice).
FINISHED_STATUSES = [RequestStatus.ARCHIVED, RequestStatus.WITHDRAWN]




def visibility_q(user, prefix: str = "") -> Q | None:
    """The one rule of who sees a case, as a condition on the case row reached through
    `prefix` (e.g. "process__requestprocess__case__" from a task): own agency always; own
    department unless the role is agency-wide; plus the cases on which the user was asked
    for a 会商 opinion (they need to read them). None: every case (superusers).

    One condition on the row and an EXISTS, not `IN (…) OR IN (…)` with DISTINCT: the
    database then starts from the rows the page asks for, not from every visible case."""
    if getattr(user, "is_superuser", False):
        return None
    profile = staff_profile(user)
    if profile is None:
        return Q(pk__in=[])
    mine = Q(**{f"{prefix}agency_id": profile.agency_id})
    if user_roles(user) & AGENCY_WIDE_ROLES:
        return mine  # the invitations are to cases of the own agency: already in
    invited = Exists(ConsultationOpinion.objects.filter(consultation__request_id=OuterRef(f"{prefix}id"),
                                                        participant=user))
    if profile.department_id:
        return mine & (Q(**{f"{prefix}department_id": profile.department_id}) | invited)
    return mine & invited


def visible_row(user, case) -> bool:
    """`visibility_q` applied to a case row already in hand (a step has just read it under
    its lock): the agency and department compared here, the database asked only whether
    the user was invited to a 会商 on it, when nothing else lets them see it."""
    if case.pk is None:
        return False
    if getattr(user, "is_superuser", False):
        return True
    profile = staff_profile(user)
    if profile is None or case.agency_id != profile.agency_id:
        return False
    if user_roles(user) & AGENCY_WIDE_ROLES:
        return True
    if profile.department_id and case.department_id == profile.department_id:
        return True
    return ConsultationOpinion.objects.filter(consultation__request_id=case.pk, participant=user).exists()


class DisclosureRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DisclosureRequestQuerySet":
        """The cases `user` may see (the rule: `visibility_q`). Other apps (documents,
        reports) scope by it."""
        q = visibility_q(user)
        return self if q is None else self.filter(q)


class DisclosureRequest(RequestTransitions, models.Model):
    """An application for government information (条例 Art. 29)."""

    objects = DisclosureRequestQuerySet.as_manager()

    NATURAL, COMMERCIAL, RESEARCH, PUBLIC_WELFARE, LEGAL_SERVICE, OTHER = (
        "natural", "commercial", "research", "public_welfare", "legal_service", "other")
    APPLICANT_TYPES = [
        (NATURAL, _("自然人")), (COMMERCIAL, _("商业企业")), (RESEARCH, _("科研机构")),
        (PUBLIC_WELFARE, _("社会公益组织")), (LEGAL_SERVICE, _("法律服务机构")), (OTHER, _("其他")),
    ]
    ID_TYPES = [
        ("resident_id", _("居民身份证")), ("passport", _("护照")), ("hk_macao_permit", _("港澳居民来往内地通行证")),
        ("taiwan_permit", _("台湾居民来往大陆通行证")), ("foreign_permanent", _("外国人永久居留身份证")),
        ("uscc", _("统一社会信用代码")), ("other", _("其他证件")),
    ]
    FORMS = [("paper", _("纸质")), ("electronic", _("电子文件")), ("inspection", _("当场查阅、抄录"))]
    DELIVERIES = [("post", _("邮寄")), ("email", _("电子邮件")), ("pickup", _("自行领取")), ("online", _("网上获取"))]

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="requests", verbose_name=_("受理机关"))
    department = models.ForeignKey("agencies.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="requests", verbose_name=_("承办部门"))
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="handled_requests", verbose_name=_("承办人"))
    registration_number = models.CharField(_("登记号"), max_length=40, blank=True, db_index=True)
    tracking_number = models.CharField(_("查询号"), max_length=20, unique=True)
    access_code_hash = models.CharField(max_length=128, blank=True)
    applicant_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="applications", verbose_name=_("申请人账号"))

    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=APPLICANT_TYPES)
    applicant_name = models.CharField(_("申请人姓名/名称"), max_length=200)
    id_type = models.CharField(_("证件类型"), max_length=30, choices=ID_TYPES)
    id_number = models.CharField(_("证件号码"), max_length=50)
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=100, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=300, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=10, blank=True)

    channel = models.CharField(_("申请方式"), max_length=20, choices=receipt_rules.CHANNELS)
    submitted_at = models.DateTimeField(_("提交时间"))
    received_on = models.DateField(_("收到申请之日"), null=True, blank=True)
    receipt_confirmed_at = models.DateTimeField(_("确认收到时间"), null=True, blank=True)
    # what an applicant types is limited here as in the forms (full_clean in the services), so every
    # caller is held to it; a TextField's max_length alone only reaches the form, hence the validator
    description = models.TextField(_("所需信息的描述"), blank=True, max_length=2000,
                                   validators=[MaxLengthValidator(2000)])
    purpose = models.TextField(_("用途（选填）"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])
    form_wanted = models.CharField(_("获取信息的形式"), max_length=20, choices=FORMS)
    delivery_wanted = models.CharField(_("获取信息的方式"), max_length=20, choices=DELIVERIES)

    status = FSMField(_("状态"), default=RequestStatus.SUBMITTED, choices=RequestStatus.choices, protected=True, db_index=True)
    outcome = models.CharField(_("办理结果"), max_length=20, choices=outcome_rules.CHOICES, blank=True)
    clock = models.OneToOneField(Clock, null=True, blank=True, on_delete=models.PROTECT, related_name="request")
    repeat_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats",
                                  verbose_name=_("重复申请所对应的案件"))
    supplement_due = models.DateField(_("补正期限"), null=True, blank=True)
    fee_due = models.DateField(_("缴费期限"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    reply_text = models.TextField(_("答复正文（拟稿）"), blank=True)
    # Art. 40: the form the information is provided in (as asked where possible) and, when
    # another form is used, why.
    provided_form = models.CharField(_("提供信息的形式"), max_length=20, choices=FORMS, blank=True)
    provided_form_reason = models.TextField(_("未按申请的形式提供的理由"), blank=True)
    issued_on = models.DateField(_("出具答复日期"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    # Set on a case that came from the agency's earlier register (台账) rather than being
    # received in the system: the import it came with (who, which file), see RegisterImport.
    register_import = models.ForeignKey("RegisterImport", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="cases", verbose_name=_("从台账导入"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [  # an agency's newest cases first (the case list), without sorting them all
            models.Index(F("agency"), F("submitted_at").desc(), name="request_agency_submitted_idx"),
            # an agency's cases that may still have work (the queue starts from them,
            # selectors.request_queue_visible_to): a small part of 20 years of cases
            models.Index(fields=["agency"], condition=~Q(status__in=FINISHED_STATUSES),
                         name="request_agency_live_idx"),
        ]
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        permissions = [
            ("register_request", _("可登记申请")),
            ("handle_request", _("可承办申请")),
            ("review_confidentiality", _("可进行保密审查")),
            ("give_legal_opinion", _("可出具法制审核意见")),
            ("approve_request", _("可审批延期、审签答复")),
            ("view_all_departments", _("可查看本机关所有部门的申请")),
            ("import_register", _("可从台账导入申请")),
        ]

    def __str__(self):
        return f"{self.registration_number or self.tracking_number} {self.applicant_name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_read_only(self) -> bool:
        return self.status in (RequestStatus.ARCHIVED, RequestStatus.WITHDRAWN, RequestStatus.CLOSED)

    @property
    def receipt_rule(self) -> str:
        return receipt_rules.RULES[self.channel]

    def period_provisional(self, which: str) -> bool:
        """Is the supplement or fee period still counted provisionally (its notice not yet
        known to be received)?"""
        if which == "supplement":
            notice = Supplement.objects.filter(request=self).first()
        else:
            notice = self.fee_notices.order_by("-id").first()
        return bool(notice and notice.provisional)

    def items_in_order(self) -> list["RequestItem"]:
        """The items as `items.all()` orders them, read by a statement built once
        (`dbrows`): the steps that decide and write about the items all read them."""
        return [item for (item,) in _ITEMS.rows([self.pk])]

    def document_facts(self, *, today=None, clock=None, files=None) -> dict:
        """The facts of the case a document may quote, as plain JSON: frozen into each
        document when a step decides it is due (documents never read a case back).
        `clock`: (segments, state today) of the case's clock when the step has just
        computed them (a clock opened by the step), not read again. `files`: the disclosed
        files when the step knows them without reading (none before the reply is drafted)."""
        def iso(value):
            return value.isoformat() if value else ""

        items, numbered = [], 0
        files = list(self.disclosed_files.order_by("item__position", "id")) if files is None else list(files)
        for item in self.items_in_order():
            rule = item.outcome_rule
            own = [f for f in files if f.item_id == item.pk]
            attachment_numbers = list(range(numbered + 1, numbered + len(own) + 1))
            numbered += len(own)
            items.append({
                "position": item.position, "title": item.title, "document_number": item.document_number,
                "description": item.description, "outcome": item.outcome, "outcome_label": rule.label if rule else "",
                "article": rule.article if rule else "", "reasoning": item.reasoning,
                "withheld_parts": item.withheld_parts, "right_agency": item.right_agency,
                "right_agency_contact": item.right_agency_contact, "where_published": item.where_published,
                "attachments": attachment_numbers,
            })
        facts = {
            "applicant_name": self.applicant_name, "applicant_type": self.get_applicant_type_display(),
            "id_type": self.get_id_type_display(), "id_number": self.id_number,
            "legal_representative": self.legal_representative, "contact_person": self.contact_person,
            "phone": self.phone, "email": self.email, "address": self.address, "postcode": self.postcode,
            "registration_number": self.registration_number, "tracking_number": self.tracking_number,
            "channel": self.get_channel_display(), "receipt_rule": self.receipt_rule,
            "submitted_on": iso(self.submitted_at.date() if self.submitted_at else None),
            "received_on": iso(self.received_on), "description": self.description, "purpose": self.purpose,
            "form_wanted": self.get_form_wanted_display(), "delivery_wanted": self.get_delivery_wanted_display(),
            "outcome": self.outcome, "supplement_due": iso(self.supplement_due), "fee_due": iso(self.fee_due),
            "items": items,
            # 附件说明 gives each file's title, not its file name (GB/T 9704 7.3.3)
            "attachments": [f.title for f in files],
            "provided_form": self.get_provided_form_display() if self.provided_form else "",
            "provided_form_reason": self.provided_form_reason,
            "handler": (self.handler.get_full_name() or self.handler.get_username()) if self.handler_id else "",
            "department": self.department.name if self.department_id else "",
            "repeat_of": None,
        }
        if self.repeat_of_id:
            prior = self.repeat_of
            prior_reply = prior.documents.filter(kind=REPLY, status="issued").order_by("-issued_at").first()
            facts["repeat_of"] = {
                "registration_number": prior.registration_number or prior.tracking_number,
                "received_on": iso(prior.received_on),
                "reply_number": prior_reply.number if prior_reply else "",
                "reply_on": iso(prior_reply.issued_on if prior_reply else None),
            }
        if self.clock_id:
            if clock is not None:
                segments, state = clock
            else:
                segments = list(self.clock.segments.all())
                state = compute(segments, get_calendar(), today or local_today())
            facts["clock"] = {
                "received_on": iso(state.received_on), "counted_from": iso(state.counted_from),
                "allowed_days": state.allowed_days, "due_date": iso(state.due_date),
                "provisional": state.provisional, "paused": state.paused, "explanation": state.explanation,
                "extended": any(s.kind == EXTENSION for s in segments),
            }
        return facts


class RequestItem(models.Model):
    """One piece of information sought; each gets its own outcome."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("信息名称"), max_length=300)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    description = models.TextField(_("其他特征描述"), blank=True, max_length=2000,
                                   validators=[MaxLengthValidator(2000)])
    outcome = models.CharField(_("处理结果"), max_length=20, choices=outcome_rules.CHOICES, blank=True)
    reasoning = models.TextField(_("理由"), blank=True)
    withheld_parts = models.TextField(_("不予公开的部分及理由"), blank=True)
    right_agency = models.CharField(_("负责公开的机关"), max_length=200, blank=True)
    right_agency_contact = models.CharField(_("该机关联系方式"), max_length=200, blank=True)
    where_published = models.CharField(_("已主动公开的获取途径"), max_length=300, blank=True)

    class Meta:
        ordering = ["request", "position"]
        verbose_name = _("申请事项")
        verbose_name_plural = _("申请事项")

    def __str__(self):
        return self.title

    @property
    def outcome_rule(self):
        return outcome_rules.OUTCOMES.get(self.outcome)


def _items_sql(connection, select: str) -> str:
    qn = connection.ops.quote_name
    t = qn(RequestItem._meta.db_table)
    return f"SELECT {select} FROM {t} WHERE {t}.{qn('request_id')} = %s ORDER BY {t}.{qn('position')}, {t}.{qn('id')}"


_ITEMS = Reader([Columns(RequestItem)], _items_sql)


# --- the process and its records ------------------------------------------------------


class RequestProcess(Process):
    """The viewflow process of one application. `decision` is the route the last
    handler step chose (read by the flow's Switch)."""

    case = models.ForeignKey(DisclosureRequest, on_delete=models.PROTECT, related_name="processes", verbose_name=_("申请"))
    decision = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("办理流程")
        verbose_name_plural = _("办理流程")

    def __str__(self):
        return str(self.case)


class RegisterImport(models.Model):
    """One import of an agency's earlier applications from a register (台账) spreadsheet:
    an agency that starts mid-year, or leaves a legacy system, brings its earlier and
    still-open cases (workflows/register_sheet.py reads the file, services/register_import.py
    creates the cases, all or none). The file itself is not kept: its name and SHA-256 are."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="register_imports",
                               verbose_name=_("机关"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("导入人"))
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("导入的申请数"))
    open_cases = models.PositiveIntegerField(_("其中办理中"), default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")

    def __str__(self):
        return f"{self.file_name}（{self.rows}件）"


class RegistrationCounter(models.Model):
    """Gapless registration numbers per agency per year (the row stays locked by the step
    that takes a number until it commits: intake._next_registration_number)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("agency", "year")]


class NoticeSent(models.Model):
    """How one of the agency's notices was sent and when it was received: the periods that
    run from its receipt count from that day, provisional until it is known
    (legal/receipt.py: Art. 30, 32, 34; 国办函〔2020〕109号)."""

    SENT_FIELD = "notice_on"  # the day the notice was sent
    DUE_FIELD = "due_on"  # the last day of the period that runs from its receipt
    PERIOD_DAYS = 0  # working days of that period (the supplement sets its own)

    sent_via = models.CharField(_("送达方式"), max_length=20, choices=receipt_rules.NOTICE_METHODS)
    receipt_on = models.DateField(_("签收日期"), null=True, blank=True)
    receipt_proof = models.CharField(_("签收凭证"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def sent_on(self):
        return getattr(self, self.SENT_FIELD)

    @property
    def period_due(self):
        return getattr(self, self.DUE_FIELD)

    @property
    def period_length(self) -> int:
        """Working days of the period that runs from the notice's receipt."""
        return getattr(self, "days", None) or self.PERIOD_DAYS

    @property
    def received_day(self):
        """The day the addressee received the notice, None while unknown."""
        return receipt_rules.notice_received_on(self.sent_via, sent_on=self.sent_on, signed_on=self.receipt_on)

    @property
    def provisional(self) -> bool:
        """The period is counted from the sending day until the receipt is known."""
        return self.received_day is None

    @property
    def receipt_rule(self) -> str:
        return receipt_rules.NOTICE_RECEIPT_RULES[self.sent_via]


class Supplement(NoticeSent):
    """One supplement notice (补正, Art. 30): once, all at once, with a due date."""

    request = models.OneToOneField(DisclosureRequest, on_delete=models.CASCADE, related_name="supplement")
    what = models.TextField(_("需要补正的事项"))
    notice_on = models.DateField(_("告知日期"))
    days = models.PositiveSmallIntegerField(_("补正期限（工作日）"))
    due_on = models.DateField(_("补正截止日期"))
    received_on = models.DateField(_("收到补正日期"), null=True, blank=True)
    content = models.TextField(_("补正内容"), blank=True)
    lapsed_on = models.DateField(_("逾期日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")


class ThirdPartyConsultation(NoticeSent):
    """征求第三方意见 (Art. 32): the clock is paused from the letter to the opinion."""

    CONSENT, OBJECT, SILENT = "consent", "object", "silent"
    OPINIONS = [(CONSENT, _("同意公开")), (OBJECT, _("不同意公开")), (SILENT, _("逾期未答复"))]
    SENT_FIELD, DUE_FIELD, PERIOD_DAYS = "letter_on", "reply_due", 15
    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="third_party_consultations")
    third_party = models.CharField(_("第三方"), max_length=200)
    address = models.CharField(_("联系地址"), max_length=300, blank=True)
    matter = models.TextField(_("征求意见的事项"))
    letter_on = models.DateField(_("发函日期"))
    reply_due = models.DateField(_("答复截止日期"))
    opinion = models.CharField(_("第三方意见"), max_length=10, choices=OPINIONS, blank=True)
    opinion_text = models.TextField(_("意见内容"), blank=True)
    opinion_on = models.DateField(_("收到意见日期"), null=True, blank=True)
    public_interest_override = models.BooleanField(_("因公共利益决定公开"), default=False)
    override_reasons = models.TextField(_("公共利益理由"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["request", "id"]


class OtherAgencyConsultation(NoticeSent):
    """征求其他机关意见 (Art. 34): information made jointly with other agencies; the clock is
    paused from the letter to the answer; silence after 15 working days counts as consent."""

    CONSENT, OBJECT, SILENT = "consent", "object", "silent"
    ANSWERS = [(CONSENT, _("同意公开")), (OBJECT, _("不同意公开")), (SILENT, _("逾期未答复，视为同意"))]
    SENT_FIELD, DUE_FIELD, PERIOD_DAYS = "letter_on", "reply_due", 15
    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="other_agency_consultations")
    other_agency = models.CharField(_("被征求意见的机关"), max_length=200)
    matter = models.TextField(_("征求意见的事项"))
    letter_on = models.DateField(_("发函日期"))
    reply_due = models.DateField(_("答复截止日期"))
    answer = models.CharField(_("答复意见"), max_length=10, choices=ANSWERS, blank=True)
    answer_text = models.TextField(_("意见内容"), blank=True)
    answer_on = models.DateField(_("收到答复日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["request", "id"]


class VolumeInquiry(models.Model):
    """Art. 35: applications clearly beyond a reasonable volume. The agency asks the
    applicant for reasons; unreasonable -> 不予处理 (5.4, only through this path);
    reasonable but too much to answer in time -> a longer reasonable period, notified."""

    UNREASONABLE, LONGER = "unreasonable", "longer"
    DECISIONS = [(UNREASONABLE, _("理由不合理，不予处理")), (LONGER, _("理由合理，确定延迟答复的合理期限"))]
    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="volume_inquiries")
    question = models.TextField(_("要求说明的事项"))
    asked_on = models.DateField(_("通知日期"))
    reasons = models.TextField(_("申请人说明的理由"), blank=True)
    decision = models.CharField(_("认定"), max_length=20, choices=DECISIONS, blank=True)
    longer_days = models.PositiveSmallIntegerField(_("延迟答复的工作日数"), null=True, blank=True)
    decided_on = models.DateField(_("认定日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["request", "id"]


class Consultation(models.Model):
    """会商: the convener asks any number of colleagues; each answers in parallel."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="consultations")
    convener = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("会商事项"))
    decision = models.TextField(_("会商结论"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "id"]


class ConsultationOpinion(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="opinions")
    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField(_("意见"), blank=True)
    given_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["consultation", "id"]
        unique_together = [("consultation", "participant")]


class ExtensionRequest(models.Model):
    """延期 (Art. 33(2)): asked by the handler, decided by the person in charge."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长工作日数"))
    reason = models.TextField(_("延期理由"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    approved = models.BooleanField(null=True)
    comment = models.TextField(_("审批意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["request", "id"]


class FeeNotice(NoticeSent):
    """信息处理费 (Art. 42): the applicant pays within 20 working days or the case lapses."""

    PERIOD_DAYS = 20
    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="fee_notices")
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    basis = models.TextField(_("收费依据和标准"))
    notice_on = models.DateField(_("通知日期"))
    due_on = models.DateField(_("缴费截止日期"))
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)  # recorded by staff only
    payment_claimed_at = models.DateTimeField(_("申请人告知已缴费时间"), null=True, blank=True)
    lapsed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["request", "id"]


class Delivery(models.Model):
    """送达 (国办公开办函〔2016〕235号): direct → the day signed; post → the day posted."""

    DIRECT, VIA_AGENCY, POST, EMAIL, ONLINE = "direct", "via_agency", "post", "email", "online"
    METHODS = [(DIRECT, _("直接送达")), (VIA_AGENCY, _("委托其他机关送达")), (POST, _("邮政寄送")),
               (EMAIL, _("电子邮件")), (ONLINE, _("网上送达"))]
    request = models.OneToOneField(DisclosureRequest, on_delete=models.CASCADE, related_name="delivery")
    method = models.CharField(_("送达方式"), max_length=20, choices=METHODS)
    delivered_on = models.DateField(_("送达日期"))
    tracking_number = models.CharField(_("邮件号码"), max_length=50, blank=True)
    proof = models.TextField(_("送达回证/签收说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)


class CaseNote(models.Model):
    """Reasons given at a step: send-back by the reviewer, sign-off comments, reassignment."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=40)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "id"]


def _attachment_path(instance, filename: str) -> str:
    """Stored under a random name outside any public URL (staff fetch it through an
    access-checked view); the applicant's file name is kept apart, never used as a path."""
    import uuid

    return f"attachments/{instance.request_id}/{uuid.uuid4().hex}"


class RequestAttachment(models.Model):
    """A file that came with the application or its supplement (ID copy, authorisation…).
    Opened and checked (portal.validators, documents.uploads) before it is stored."""

    APPLICATION, SUPPLEMENT = "application", "supplement"
    PURPOSES = [(APPLICATION, _("申请材料")), (SUPPLEMENT, _("补正材料"))]

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField(_("用途"), max_length=20, choices=PURPOSES, default=APPLICATION)
    file = models.FileField(_("文件"), upload_to=_attachment_path)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("申请附件")
        verbose_name_plural = _("申请附件")

    def __str__(self):
        return self.original_name

    @property
    def title(self) -> str:
        import os

        return os.path.splitext(self.original_name)[0] or self.original_name

    @property
    def size_label(self) -> str:
        """The size in words a reader of any language setting sees the same (431 字节, 1.2 MB)."""
        if self.size < 1024:
            return f"{self.size} 字节"
        if self.size < 1024 * 1024:
            return f"{self.size / 1024:.1f} KB"
        return f"{self.size / 1024 / 1024:.1f} MB"


def _disclosed_path(instance, filename: str) -> str:
    """Stored under a random name outside any public URL; the original name is kept apart."""
    import uuid

    return f"disclosed/{instance.request_id}/{uuid.uuid4().hex}"


class DisclosedFile(models.Model):
    """The information provided with a reply (Art. 36(2), Art. 40): attached by the handler to
    the item it answers, listed in the reply as 附件, delivered with it and kept in the case
    file. Checked by opening it (documents.uploads) before it is stored."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="disclosed_files")
    item = models.ForeignKey(RequestItem, on_delete=models.CASCADE, related_name="disclosed_files",
                             verbose_name=_("对应的申请事项"))
    file = models.FileField(_("文件"), upload_to=_disclosed_path)
    original_name = models.CharField(_("附件名称"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "item__position", "id"]
        verbose_name = _("公开的信息（答复附件）")
        verbose_name_plural = _("公开的信息（答复附件）")

    def __str__(self):
        return self.original_name

    @property
    def title(self) -> str:
        import os

        return os.path.splitext(self.original_name)[0] or self.original_name


# --- corrections (条例 Art. 41) ------------------------------------------------------------

class CorrectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CorrectionQuerySet":
        """The agency's office-wide roles see them all; a department's handlers see the ones
        sent to their department (the one holding the record), as for applications."""
        return scope_to_user(self, user, department_field="department")


class CorrectionRequest(models.Model):
    """更正申请 (Art. 41): a person with evidence that a record about themself held by the
    agency is inaccurate asks for it to be corrected. The agency verifies it and corrects
    it, or finds it accurate, or — when correcting is not its function — refers the request
    to the agency that may correct it or tells the person to apply there; it answers in
    writing. The regulation sets no period for it: the answer is watched on the legal
    clock with Art. 33's 20 working days (documented choice)."""

    objects = CorrectionQuerySet.as_manager()

    RECEIVED, DECIDED, ANSWERED = "received", "decided", "answered"
    STATUSES = [(RECEIVED, _("待核实")), (DECIDED, _("待签发答复")), (ANSWERED, _("已答复"))]
    CORRECTED, ACCURATE, REFERRED, TOLD = "corrected", "accurate", "referred", "told"
    DECISIONS = [
        (CORRECTED, _("经核实，予以更正")),
        (ACCURATE, _("经核实，记录准确，不予更正")),
        (REFERRED, _("不属于本机关职能，转送有权更正的机关处理")),
        (TOLD, _("不属于本机关职能，告知向有权更正的机关提出")),
    ]

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="correction_requests",
                               verbose_name=_("受理机关"))
    department = models.ForeignKey("agencies.Department", on_delete=models.PROTECT, related_name="correction_requests",
                                   verbose_name=_("承办部门（保存该记录的部门）"))
    number = models.CharField(_("登记号"), max_length=30, blank=True)
    applicant_name = models.CharField(_("申请人"), max_length=200)
    id_number = models.CharField(_("证件号码"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("通信地址"), max_length=300, blank=True)
    record = models.CharField(_("需要更正的政府信息记录"), max_length=300)
    inaccurate = models.TextField(_("不准确之处"), max_length=2000)
    correct_to = models.TextField(_("要求更正为"), max_length=2000)
    evidence = models.TextField(_("证据"), max_length=2000)
    received_on = models.DateField(_("收到申请之日"))
    clock = models.OneToOneField(Clock, null=True, blank=True, on_delete=models.PROTECT, related_name="correction")
    status = models.CharField(_("状态"), max_length=20, choices=STATUSES, default=RECEIVED)
    decision = models.CharField(_("处理结果"), max_length=20, choices=DECISIONS, blank=True)
    reason = models.TextField(_("核实情况和理由"), blank=True, max_length=2000)
    corrected_what = models.TextField(_("更正的内容"), blank=True, max_length=2000)
    right_agency = models.CharField(_("有权更正的机关"), max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_on = models.DateField(_("核实日期"), null=True, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("更正申请")
        verbose_name_plural = _("更正申请")

    def __str__(self):
        return f"{self.number} {self.applicant_name}"

    def document_facts(self, *, today=None) -> dict:
        """What the written answer quotes (frozen into the document)."""
        state = compute(list(self.clock.segments.all()), get_calendar(), today or local_today()) if self.clock_id else None
        return {
            "correction": True, "applicant_name": self.applicant_name, "registration_number": self.number,
            "received_on": self.received_on.isoformat(), "record": self.record, "inaccurate": self.inaccurate,
            "correct_to": self.correct_to, "evidence": self.evidence, "decision": self.decision,
            "decision_label": self.get_decision_display() if self.decision else "", "reason": self.reason,
            "corrected_what": self.corrected_what, "right_agency": self.right_agency,
            "address": self.address,
            "clock": {"due_date": state.due_date.isoformat(), "provisional": state.provisional} if state else {},
        }


# --- reconsideration and litigation (行政复议 / 行政诉讼) ------------------------------------

class RemedyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RemedyQuerySet":
        """The agency's office-wide roles see them all; a department's handlers see those of
        their department's cases, as for applications."""
        return scope_to_user(self, user, department_field="department")


class RemedyProceeding(models.Model):
    """A reconsideration (行政复议) or a lawsuit (行政诉讼) against the agency's handling of a
    case. The agency's answer is due by the legal rule (`legal.remedy.answer_due`), computed
    from the day the copy of the application or complaint was received, never typed. A
    lawsuit after reconsideration links to it; when the agency is a co-defendant only as the
    reconsideration body, the matter is recorded but not counted in 表四 (国办公开办函〔2016〕201号)."""

    objects = RemedyQuerySet.as_manager()

    KINDS = remedy_rules.KINDS
    RESULTS = remedy_rules.RESULTS

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="remedy_proceedings",
                               verbose_name=_("机关"))
    department = models.ForeignKey("agencies.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="remedy_proceedings", verbose_name=_("承办部门"))
    case = models.ForeignKey(DisclosureRequest, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="remedy_proceedings", verbose_name=_("所涉申请"))
    kind = models.CharField(_("类别"), max_length=20, choices=remedy_rules.KINDS)
    body = models.CharField(_("行政复议机关或人民法院"), max_length=200)
    case_number = models.CharField(_("案号"), max_length=100, blank=True)
    applicant = models.CharField(_("申请人或原告"), max_length=200)
    received_on = models.DateField(_("收到申请书或起诉状副本之日"))
    answer_due = models.DateField(_("答复或答辩期限"))
    answer_due_provisional = models.BooleanField(default=False)
    answered_on = models.DateField(_("提交答复或答辩状之日"), null=True, blank=True)
    after_reconsideration = models.BooleanField(_("经复议后起诉"), default=False)
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="lawsuits",
                                verbose_name=_("此前的行政复议"))
    co_defendant = models.BooleanField(_("本机关作为复议机关共同被告"), default=False)
    result = models.CharField(_("结果"), max_length=20, choices=remedy_rules.RESULTS, blank=True)
    result_detail = models.CharField(_("结果说明"), max_length=300, blank=True)
    result_on = models.DateField(_("审结日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("行政复议或行政诉讼")
        verbose_name_plural = _("行政复议和行政诉讼")
        permissions = [("manage_remedy", _("可登记行政复议、行政诉讼及其答复和结果"))]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case_number or self.applicant}"

    @property
    def result_label(self) -> str:
        return remedy_rules.RESULT_LABELS[self.result]

    @property
    def basis(self) -> str:
        return remedy_rules.ANSWER_BASIS[self.kind]

    @property
    def labels(self) -> dict:
        k = self.kind
        return {"received": remedy_rules.RECEIVED_WHAT[k], "body": remedy_rules.BODY_LABELS[k],
                "applicant": remedy_rules.APPLICANT_LABELS[k], "answer": remedy_rules.ANSWER_LABELS[k]}


def _remedy_path(instance, filename: str) -> str:
    """Stored under a random name outside any public URL; the original name is kept apart."""
    import uuid

    return f"remedies/{instance.proceeding_id}/{uuid.uuid4().hex}"


class RemedyDocument(models.Model):
    """A paper of the proceeding (申请书副本, 起诉状副本, 答复书, 答辩状, 决定书, 判决书…),
    checked by opening it (documents.uploads) before it is stored."""

    proceeding = models.ForeignKey(RemedyProceeding, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("文书名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=_remedy_path)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proceeding", "id"]
        verbose_name = _("复议诉讼文书")
        verbose_name_plural = _("复议诉讼文书")

    def __str__(self):
        return self.title
