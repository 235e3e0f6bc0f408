"""What the API reads and writes. Every field says what it is in Chinese and English."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import serializers

from legal import fees as fee_rules
from legal import outcomes as outcome_rules
from legal import receipt as receipt_rules
from legal.calendar import ERR_YEAR_RANGE, FIRST_YEAR, LAST_YEAR
from workflows.models import (
    Delivery,
    DisclosureRequest,
    OtherAgencyConsultation,
    RequestStatus,
    ThirdPartyConsultation,
    VolumeInquiry,
)

ERR_SUBMITTED_FUTURE = "提交时间不能晚于当前时间。"
ERR_YEAR = ERR_YEAR_RANGE  # the years the working-day calendar computes (legal/calendar.py)
ERR_RECEIPT_WITHOUT_REGISTER = "只有同时登记（register 为 true）时才能提供收到申请的事实。"


def h(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def _year_ok(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise serializers.ValidationError(ERR_YEAR)
    return value


class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=h("问题类型（URI）", "problem type URI"))
    title = serializers.CharField(help_text=h("问题概述（随 Accept-Language）", "short summary, in the caller's language"))
    status = serializers.IntegerField(help_text=h("HTTP 状态码", "HTTP status code"))
    detail = serializers.CharField(help_text=h("具体说明（与办理页面的提示相同）", "explanation, as the staff pages word it"))
    errors = serializers.DictField(required=False, help_text=h("各字段的错误", "errors per field"))


# --- applications ----------------------------------------------------------------------------

class ItemInput(serializers.Serializer):
    title = serializers.CharField(max_length=300, help_text=h("所需信息的名称", "title of the information asked for"))
    document_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                            help_text=h("文号（如知道）", "document number, if known"))
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                        help_text=h("其他特征描述", "other identifying description"))


class ApplicationInput(serializers.Serializer):
    """An application pushed by another system (政务服务网, 12345 hotline…)."""

    applicant_type = serializers.ChoiceField(choices=DisclosureRequest.APPLICANT_TYPES,
                                             help_text=h("申请人类型", "kind of applicant"))
    applicant_name = serializers.CharField(max_length=200, help_text=h("申请人姓名或名称", "applicant's name"))
    id_type = serializers.ChoiceField(choices=DisclosureRequest.ID_TYPES, help_text=h("证件类型", "identity document type"))
    id_number = serializers.CharField(max_length=50, help_text=h("证件号码", "identity document number"))
    phone = serializers.CharField(max_length=50, help_text=h("联系电话", "telephone"))
    email = serializers.EmailField(required=False, allow_blank=True, default="", help_text=h("电子邮箱", "e-mail"))
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                    help_text=h("通信地址", "postal address"))
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True, default="",
                                     help_text=h("邮政编码", "postcode"))
    legal_representative = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                                 help_text=h("法定代表人或负责人", "legal representative"))
    contact_person = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                           help_text=h("联系人", "contact person"))
    channel = serializers.ChoiceField(choices=receipt_rules.CHANNELS,
                                      help_text=h("受理渠道（决定收到申请之日，条例第三十一条）",
                                                  "intake channel (decides the receipt date, Art. 31)"))
    submitted_at = serializers.DateTimeField(help_text=h("申请人提交的时间", "when the applicant submitted"))
    form_wanted = serializers.ChoiceField(choices=DisclosureRequest.FORMS,
                                          help_text=h("获取信息的形式", "form in which the information is wanted"))
    delivery_wanted = serializers.ChoiceField(choices=DisclosureRequest.DELIVERIES,
                                              help_text=h("获取信息的方式", "how the information is to be delivered"))
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="",
                                        help_text=h("所需信息的描述", "description of the information asked for"))
    purpose = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                    help_text=h("用途（选填）", "purpose (optional)"))
    items = ItemInput(many=True, allow_empty=False, help_text=h("所需信息（逐项）", "the information asked for, item by item"))
    register = serializers.BooleanField(required=False, default=False,
                                        help_text=h("是否同时确认收到并登记", "also confirm receipt and register now"))
    signed_for_on = serializers.DateField(required=False, allow_null=True, default=None, validators=[_year_ok],
                                          help_text=h("签收日期（邮寄申请，条例第三十一条第（二）项）",
                                                      "day the agency signed for the letter (post, Art. 31(2))"))
    confirmed_on = serializers.DateField(required=False, allow_null=True, default=None, validators=[_year_ok],
                                         help_text=h("双方确认收到之日（条例第三十一条第（二）（三）项）",
                                                     "day receipt was confirmed (Art. 31(2)(3))"))

    def validate_submitted_at(self, value):
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise serializers.ValidationError(ERR_SUBMITTED_FUTURE)
        if value.year < 2000:
            raise serializers.ValidationError(ERR_YEAR)
        return value

    def validate(self, data):
        if not data.get("register") and (data.get("signed_for_on") or data.get("confirmed_on")):
            raise serializers.ValidationError(ERR_RECEIPT_WITHOUT_REGISTER)
        return data


class ItemOut(serializers.Serializer):
    id = serializers.IntegerField(help_text=h("事项编号（作出处理决定时引用）", "item id (named in a decision)"))
    position = serializers.IntegerField(help_text=h("序号", "position"))
    title = serializers.CharField(help_text=h("所需信息的名称", "title"))
    document_number = serializers.CharField(help_text=h("文号", "document number"))
    description = serializers.CharField(help_text=h("其他特征描述", "description"))
    outcome = serializers.CharField(help_text=h("处理结果代码（空为未决定）", "outcome code (empty: not decided)"))
    outcome_label = serializers.CharField(source="get_outcome_display",
                                          help_text=h("处理结果", "outcome in words"))


class ClockOut(serializers.Serializer):
    received_on = serializers.DateField(help_text=h("收到申请之日", "receipt date"))
    counted_from = serializers.DateField(help_text=h("起算日", "counted from"))
    allowed_days = serializers.IntegerField(help_text=h("答复期限（工作日）", "working days allowed"))
    due_date = serializers.DateField(help_text=h("答复期限届满日", "due date"))
    used_days = serializers.IntegerField(help_text=h("已用工作日", "working days used"))
    left_days = serializers.IntegerField(help_text=h("剩余工作日", "working days left"))
    paused = serializers.BooleanField(help_text=h("是否暂停计时", "clock paused"))
    provisional = serializers.BooleanField(help_text=h("是否暂定（跨越尚未公布的放假安排）",
                                                       "provisional (spans a year whose holidays are not published)"))
    overdue = serializers.BooleanField(help_text=h("是否超期", "overdue"))
    stopped_on = serializers.DateField(allow_null=True, help_text=h("停止计时之日", "day the clock stopped"))
    paused_days = serializers.IntegerField(help_text=h("暂停的工作日数", "working days paused"))
    status_label = serializers.CharField(help_text=h("计时状态", "clock state in words"))
    explanation = serializers.ListField(child=serializers.CharField(), help_text=h("期限推算说明", "how the due date was derived"))


class TimelineOut(serializers.Serializer):
    at = serializers.DateTimeField(help_text=h("时间", "when"))
    text = serializers.CharField(help_text=h("申请人可见的进展", "progress as the applicant reads it"))


class DocumentOut(serializers.Serializer):
    id = serializers.IntegerField(help_text=h("文书编号（接口内）", "document id"))
    request = serializers.IntegerField(source="request_id", allow_null=True, help_text=h("所属申请", "application id"))
    kind = serializers.CharField(help_text=h("文书种类代码", "document kind code"))
    kind_label = serializers.CharField(help_text=h("文书种类", "document kind"))
    status = serializers.CharField(help_text=h("文书状态代码", "document status code"))
    status_label = serializers.CharField(source="get_status_display", help_text=h("文书状态", "document status"))
    number = serializers.CharField(help_text=h("文号", "document number"))
    issued_on = serializers.DateField(allow_null=True, help_text=h("成文日期", "date of the document"))
    issued_at = serializers.DateTimeField(allow_null=True, help_text=h("出具时间", "when issued"))
    sha256 = serializers.CharField(help_text=h("PDF 的 SHA-256（未生成时为空）", "SHA-256 of the PDF (empty until made)"))
    has_pdf = serializers.SerializerMethodField(help_text=h("是否已生成 PDF", "whether the PDF exists"))

    def get_has_pdf(self, doc) -> bool:
        return bool(doc.sha256)


class ApplicationListOut(serializers.Serializer):
    id = serializers.IntegerField(help_text=h("申请编号（接口内）", "application id"))
    tracking_number = serializers.CharField(help_text=h("查询号", "tracking number"))
    registration_number = serializers.CharField(help_text=h("登记号（登记后才有）", "registration number (after registration)"))
    status = serializers.ChoiceField(choices=RequestStatus.choices, help_text=h("状态代码", "status code"))
    status_label = serializers.CharField(source="get_status_display", help_text=h("状态", "status in words"))
    applicant_name = serializers.CharField(help_text=h("申请人", "applicant"))
    channel = serializers.CharField(help_text=h("受理渠道代码", "intake channel code"))
    submitted_at = serializers.DateTimeField(help_text=h("提交时间", "submitted at"))
    received_on = serializers.DateField(allow_null=True, help_text=h("收到申请之日", "receipt date"))
    due_date = serializers.DateField(source="clock.due_date", allow_null=True, default=None,
                                     help_text=h("答复期限届满日", "due date"))
    closed_on = serializers.DateField(allow_null=True, help_text=h("办结日期", "closed on"))


class ApplicationOut(ApplicationListOut):
    channel_label = serializers.CharField(source="get_channel_display", help_text=h("受理渠道", "intake channel"))
    receipt_rule = serializers.CharField(help_text=h("收到申请之日的依据（条例第三十一条）", "receipt-date rule (Art. 31)"))
    department = serializers.CharField(source="department.name", allow_null=True, default=None,
                                       help_text=h("承办部门", "handling department"))
    outcome = serializers.CharField(help_text=h("办理结果代码", "outcome code"))
    outcome_label = serializers.CharField(source="get_outcome_display", help_text=h("办理结果", "outcome"))
    issued_on = serializers.DateField(allow_null=True, help_text=h("出具答复日期", "reply issued on"))
    delivered_on = serializers.DateField(allow_null=True, help_text=h("送达日期", "delivered on"))
    items = ItemOut(many=True, source="items.all", help_text=h("所需信息（逐项）及处理结果", "items and their outcomes"))
    clock = serializers.SerializerMethodField(help_text=h("答复期限（含推算说明）", "the legal clock and its derivation"))
    timeline = serializers.SerializerMethodField(help_text=h("公开进展（申请人可见）", "public timeline"))
    documents = serializers.SerializerMethodField(help_text=h("文书", "documents"))

    def _ctx(self, name):
        return self.context.get(name, {}).get(self.instance.pk if hasattr(self.instance, "pk") else None)

    def get_clock(self, case) -> ClockOut(allow_null=True):
        state = self.context["clock"](case)
        return ClockOut(state).data if state is not None else None

    def get_timeline(self, case) -> TimelineOut(many=True):
        return TimelineOut(self.context["timeline"](case), many=True).data

    def get_documents(self, case) -> DocumentOut(many=True):
        return DocumentOut(self.context["documents"](case), many=True).data


class ApplicationCreated(ApplicationOut):
    access_code = serializers.CharField(allow_null=True, help_text=h(
        "查询码（仅在首次应答中出现一次，本系统只保存其摘要；重放的应答中为空）",
        "portal access code: only in the first answer (only its hash is kept); null in a replayed answer"))


class RegisterInput(serializers.Serializer):
    signed_for_on = serializers.DateField(required=False, allow_null=True, default=None, validators=[_year_ok],
                                          help_text=h("签收日期（邮寄申请）", "day signed for (post)"))
    confirmed_on = serializers.DateField(required=False, allow_null=True, default=None, validators=[_year_ok],
                                         help_text=h("双方确认收到之日", "day receipt was confirmed"))


class AcceptInput(serializers.Serializer):
    department = serializers.IntegerField(min_value=1, max_value=2**31 - 1,
                                          help_text=h("承办部门编号（本机关）", "handling department id (own agency)"))
    handler = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                       max_value=2**31 - 1, help_text=h("承办人编号（选填）", "handler's user id (optional)"))


class SupplementNoticeInput(serializers.Serializer):
    what = serializers.CharField(max_length=5000, help_text=h("需要补正的全部事项", "everything to supplement"))
    days = serializers.IntegerField(required=False, default=15, min_value=1, max_value=30,
                                    help_text=h("补正期限（工作日）", "working days to supplement"))


class SupplementReceiveInput(serializers.Serializer):
    received_on = serializers.DateField(required=False, allow_null=True, default=None, validators=[_year_ok],
                                        help_text=h("收到补正之日（默认今天）", "day the supplement arrived (default today)"))
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="",
                                 help_text=h("补正内容摘要", "what was supplemented"))


# --- tasks, calendar, publications ----------------------------------------------------------

class TaskOut(serializers.Serializer):
    id = serializers.IntegerField(help_text=h("任务编号", "task id"))
    step = serializers.CharField(help_text=h("步骤", "step"))
    status = serializers.CharField(help_text=h("任务状态代码", "task status code"))
    status_label = serializers.CharField(help_text=h("任务状态", "task status"))
    created = serializers.DateTimeField(help_text=h("创建时间", "created at"))
    application = serializers.IntegerField(allow_null=True, help_text=h("所属申请编号", "application id"))
    registration_number = serializers.CharField(help_text=h("登记号", "registration number"))


class IsWorkdayQuery(serializers.Serializer):
    date = serializers.DateField(validators=[_year_ok], help_text=h("日期", "date"))


class IsWorkdayOut(serializers.Serializer):
    date = serializers.DateField(help_text=h("日期", "date"))
    is_workday = serializers.BooleanField(help_text=h("是否工作日", "is a working day"))
    name = serializers.CharField(help_text=h("节假日或调休名称", "holiday or make-up day name"))
    provisional = serializers.BooleanField(help_text=h("是否暂定（官方安排尚未公布）", "provisional (not yet published)"))


class AddWorkdaysQuery(serializers.Serializer):
    start = serializers.DateField(validators=[_year_ok], help_text=h("起算日（当日不计）", "start day (not counted)"))
    days = serializers.IntegerField(min_value=0, max_value=400, help_text=h("工作日数", "number of working days"))


class AddWorkdaysOut(serializers.Serializer):
    due_date = serializers.DateField(help_text=h("届满日", "due date"))
    provisional = serializers.BooleanField(help_text=h("是否暂定", "provisional"))
    derivation = serializers.ListField(child=serializers.CharField(), help_text=h("推算过程", "derivation, day by day"))


class CalendarDayOut(serializers.Serializer):
    date = serializers.DateField(help_text=h("日期", "date"))
    is_workday = serializers.BooleanField(help_text=h("是否工作日", "is a working day"))
    kind = serializers.CharField(help_text=h("类型代码（holiday/makeup/local/correction）", "kind code"))
    kind_label = serializers.CharField(source="get_kind_display", help_text=h("类型", "kind"))
    name = serializers.CharField(help_text=h("名称", "name"))


class CalendarYearOut(serializers.Serializer):
    year = serializers.IntegerField(help_text=h("年份", "year"))
    official = serializers.BooleanField(help_text=h("是否已载入国务院办公厅放假安排（否则为暂定）",
                                                    "official schedule loaded (otherwise provisional)"))
    source = serializers.CharField(help_text=h("来源", "source"))
    days = CalendarDayOut(many=True, help_text=h("与周一至周五规则不同或有名称的日期", "days that differ from Monday–Friday or are named"))


class PublicationOut(serializers.Serializer):
    id = serializers.IntegerField(help_text=h("信息编号", "publication id"))
    title = serializers.CharField(help_text=h("标题", "title"))
    kind = serializers.CharField(help_text=h("类型代码", "kind code"))
    document_number = serializers.CharField(help_text=h("文号", "document number"))
    agency = serializers.CharField(source="agency.name", help_text=h("发布机关", "publishing agency"))
    domain = serializers.CharField(source="catalogue_item.domain", allow_null=True, default=None,
                                   help_text=h("领域", "domain"))
    published_at = serializers.DateTimeField(allow_null=True, help_text=h("发布时间", "published at"))
    state = serializers.CharField(help_text=h("状态代码（已发布/已撤回）", "state code (published/withdrawn)"))
    url = serializers.SerializerMethodField(help_text=h("公开专栏中的页面", "page in the public column"))
    body = serializers.CharField(help_text=h("正文", "body text"))

    def get_url(self, p) -> str:
        request = self.context.get("request")
        path = f"/gk/{p.pk}/"
        return request.build_absolute_uri(path) if request is not None else path


class PublicationQuery(serializers.Serializer):
    domain = serializers.CharField(required=False, allow_blank=True, default="", max_length=30,
                                   help_text=h("领域（如“财政预决算”）", "domain"))
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=100,
                              help_text=h("关键词", "keywords"))


class RootOut(serializers.Serializer):
    name = serializers.CharField(help_text=h("接口名称", "API name"))
    parts = serializers.DictField(child=serializers.CharField(), help_text=h("各部分的地址", "where each part is"))


class ReportQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2090, help_text=h("报告年度", "report year"))


class ReportRowOut(serializers.Serializer):
    row = serializers.CharField(help_text=h("行号（如 三.1）", "row code (e.g. 三.1)"))
    title = serializers.CharField(help_text=h("项目", "row title"))
    values = serializers.ListField(child=serializers.IntegerField(), help_text=h("各列数值，顺序同 columns", "values in the order of columns"))


class ReportCheckOut(serializers.Serializer):
    rule = serializers.CharField(help_text=h("勾稽规则", "balance rule"))
    explanation = serializers.CharField(help_text=h("说明", "explanation"))
    cases = serializers.ListField(child=serializers.CharField(), help_text=h("造成不符的案件（登记号或查询号）", "cases causing it"))


class ReportTableOut(serializers.Serializer):
    title = serializers.CharField(help_text=h("表名", "table title"))
    columns = serializers.ListField(child=serializers.CharField(), help_text=h("列", "columns"))
    rows = ReportRowOut(many=True, help_text=h("行，顺序同国家格式", "rows, in the order of the national format"))
    balanced = serializers.BooleanField(help_text=h("勾稽关系是否全部相符", "every balance rule holds"))
    failures = ReportCheckOut(many=True, help_text=h("不相符的勾稽关系", "rules that do not hold"))


class AnnualReportOut(serializers.Serializer):
    agency = serializers.CharField(help_text=h("机关", "agency"))
    year = serializers.IntegerField(help_text=h("报告年度", "report year"))
    table3 = ReportTableOut(help_text=h("表三：收到和处理政府信息公开申请情况", "table 3: applications received and handled"))
    table4 = ReportTableOut(help_text=h("表四：政府信息公开行政复议、行政诉讼情况", "table 4: reconsideration and litigation"))
    fees_count = serializers.IntegerField(help_text=h("收取信息处理费的件数", "applications charged a fee"))
    fees_amount = serializers.CharField(help_text=h("收取信息处理费金额（元）", "fees charged (yuan)"))


# --- the steps after routing (each an action endpoint; api/actions.py) ----------------------

def _text(zh: str, en: str, *, max_length: int = 5000, required: bool = False):
    if required:
        return serializers.CharField(max_length=max_length, help_text=h(zh, en))
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, default="", help_text=h(zh, en))


def _day(zh: str, en: str, *, required: bool = False):
    if required:
        return serializers.DateField(validators=[_year_ok], help_text=h(zh, en))
    return serializers.DateField(required=False, allow_null=True, default=None, validators=[_year_ok],
                                 help_text=h(zh, en))


def _id(zh: str, en: str, *, required: bool = True):
    kw = {} if required else {"required": False, "allow_null": True, "default": None}
    return serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text=h(zh, en), **kw)


_NOTICE_METHODS = [("", "默认 / default")] + list(receipt_rules.NOTICE_METHODS)


def _sent_via(zh: str, en: str):
    return serializers.ChoiceField(choices=_NOTICE_METHODS, required=False, allow_blank=True, default="",
                                   help_text=h(zh, en))


class ItemDecisionInput(serializers.Serializer):
    item = _id("所需信息（逐项）的编号，取自申请详情 items[].id", "item id, from the application's items[].id")
    outcome = serializers.ChoiceField(choices=outcome_rules.CHOICES,
                                      help_text=h("处理结果代码（年度报告表三的口径）", "outcome code (as in report table 3)"))
    reasoning = _text("理由和法律依据", "reasons and legal basis")
    withheld_parts = _text("不予公开的部分及理由（部分公开）", "parts withheld and why (partial disclosure)")
    right_agency = _text("负责公开的机关（非本机关负责）", "the agency responsible (not this agency's)", max_length=200)
    right_agency_contact = _text("该机关联系方式", "that agency's contact", max_length=200)
    where_published = _text("获取途径（已主动公开）", "where it is published (already public)", max_length=500)


class DetermineInput(serializers.Serializer):
    decisions = ItemDecisionInput(many=True, allow_empty=False,
                                  help_text=h("每一项所需信息的处理决定", "a decision for every item"))
    repeat_of = _id("重复申请所对应的已答复申请编号", "the answered application this repeats", required=False)


class ThirdPartyConsultInput(serializers.Serializer):
    third_party = _text("第三方名称", "third party's name", max_length=200, required=True)
    address = _text("第三方地址", "third party's address", max_length=300)
    matter = _text("征求意见的事项", "what the third party is asked about", max_length=2000, required=True)
    sent_via = _sent_via("征求意见书的送达方式（默认邮政寄送）", "how the letter is sent (default post)")


class ThirdPartyOpinionInput(serializers.Serializer):
    opinion = serializers.ChoiceField(choices=ThirdPartyConsultation.OPINIONS, help_text=h("第三方意见", "the opinion"))
    opinion_text = _text("意见内容", "the opinion in words")
    received_on = _day("收到意见之日（默认今天）", "day the opinion arrived (default today)")
    public_interest_override = serializers.BooleanField(
        required=False, default=False, help_text=h("不公开会对公共利益造成重大影响，决定予以公开（条例第三十二条）",
                                                   "disclose in the public interest despite the objection (Art. 32)"))
    override_reasons = _text("公共利益理由（将书面告知第三方）", "public-interest reasons (told to the third party)")


class OtherAgencyConsultInput(serializers.Serializer):
    other_agency = _text("被征求意见的机关", "the other agency", max_length=200, required=True)
    matter = _text("征求意见的事项", "what it is asked about", max_length=2000, required=True)
    sent_via = _sent_via("征求意见函的送达方式（默认直接送达）", "how the letter is sent (default by hand)")


class OtherAgencyAnswerInput(serializers.Serializer):
    answer = serializers.ChoiceField(choices=OtherAgencyConsultation.ANSWERS, help_text=h("该机关的意见", "its answer"))
    answer_text = _text("意见内容", "the answer in words")
    received_on = _day("收到意见之日（默认今天）", "day the answer arrived (default today)")


class VolumeReasonsInput(serializers.Serializer):
    question = _text("要求申请人说明理由的事项（条例第三十五条）", "what the applicant is asked to explain (Art. 35)",
                     max_length=2000, required=True)


class VolumeDecideInput(serializers.Serializer):
    reasons = _text("申请人说明的理由", "the applicant's reasons")
    decision = serializers.ChoiceField(choices=VolumeInquiry.DECISIONS, help_text=h("认定", "the finding"))
    longer_days = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=200,
                                           help_text=h("延迟答复的工作日数（理由合理时）", "working days longer (reasons accepted)"))


class ConsultationInput(serializers.Serializer):
    participants = serializers.ListField(child=_id("参加人编号", "participant's user id"), allow_empty=False, max_length=50,
                                         help_text=h("会商参加人（本机关工作人员编号）", "participants (user ids of the agency)"))
    question = _text("会商事项", "the question", max_length=2000, required=True)


class ConsultationOpinionInput(serializers.Serializer):
    opinion = _text("会商意见", "the participant's opinion", required=True)


class ConsultationDecideInput(serializers.Serializer):
    decision = _text("会商结论", "the conclusion", required=True)
    place = _text("会商地点（不填为通过本系统书面会商）", "where it was held (empty: in writing in this system)", max_length=100)


class ExtensionAskInput(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=20, help_text=h("延长工作日数（累计不超过 20 个）",
                                                                         "working days (at most 20 in all)"))
    reason = _text("延期理由", "why", max_length=2000, required=True)


class ApproveInput(serializers.Serializer):
    approve = serializers.BooleanField(help_text=h("是否同意", "approve (true) or refuse/return (false)"))
    comment = _text("意见（不同意时必填）", "comment (required when refusing)", max_length=2000)


class FeeNoticeInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=[("", "—")] + list(fee_rules.METHODS), required=False, allow_blank=True,
                                     default="", help_text=h("计收方式（按件或按量）", "charging method (per application or per page)"))
    quantity = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=100000,
                                        help_text=h("本月第几件申请或提供的页数", "n-th application this month, or pages"))
    amount = serializers.DecimalField(required=False, allow_null=True, default=None, max_digits=10, decimal_places=2,
                                      min_value=0, help_text=h("收费金额（元；按标准自动计算，可不填）",
                                                               "amount in yuan (computed from the bands if empty)"))
    basis = _text("收费依据、标准和缴费方式", "basis, standard and how to pay", max_length=2000)
    sent_via = _sent_via("收费通知的送达方式", "how the notice is sent")


class FeePaidInput(serializers.Serializer):
    paid_on = _day("缴费日期（核实到账后登记，默认今天）", "day paid (after checking, default today)")


class DayInput(serializers.Serializer):
    on = _day("日期（默认今天）", "day (default today)")


class ConfidentialityInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("clear", "通过 / cleared"), ("return", "退回承办人 / returned")],
                                       help_text=h("保密审查结论", "the review's finding"))
    reasons = _text("意见或退回理由（退回时必填）", "opinion, or why returned (required when returning)")


class DisclosedFileInput(serializers.Serializer):
    item = _id("所对应的申请事项编号", "item id it answers")
    name = serializers.CharField(max_length=200, help_text=h("文件名", "file name"))
    content_base64 = serializers.CharField(max_length=28_000_000, help_text=h(
        "文件内容（Base64；PDF、图片、Word 或 Excel，不超过 20 MB）", "file content, base64 (PDF, image, Word or Excel, ≤20 MB)"))


class ReplyDraftInput(serializers.Serializer):
    text = _text("补充说明（选填，附在答复正文之后）", "remark added after the reply (optional)", max_length=10000)
    provided_form = serializers.ChoiceField(choices=[("", "—")] + list(DisclosureRequest.FORMS), required=False,
                                            allow_blank=True, default="",
                                            help_text=h("提供信息的形式（默认申请人要求的形式）", "form provided (default: as asked)"))
    provided_form_reason = _text("未按申请人要求的形式提供的理由", "why not in the form asked for", max_length=2000)
    attachments = DisclosedFileInput(many=True, required=False, default=list, max_length=50,
                                     help_text=h("公开的信息（答复附件）", "the information disclosed (attached to the reply)"))
    remove = serializers.ListField(child=_id("附件编号", "attachment id"), required=False, default=list, max_length=50,
                                   help_text=h("删除已上传的附件", "attachments to remove"))


class SignOffInput(serializers.Serializer):
    approve = serializers.BooleanField(help_text=h("签发（true）或退回修改（false）", "sign (true) or return (false)"))
    comments = _text("意见（退回时必填）", "comments (required when returning)", max_length=2000)


class DeliveryInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=Delivery.METHODS, help_text=h("送达方式", "how it was served"))
    delivered_on = _day("送达日期（签收或寄出之日）", "day served (signed for or posted)", required=True)
    tracking_number = _text("邮件号码（邮政寄送必填）", "postal tracking number (required for post)", max_length=50)
    proof = _text("送达回证 / 签收说明", "proof of service", max_length=2000)


class EmptyInput(serializers.Serializer):
    pass


class ClosureSignOffInput(serializers.Serializer):
    comments = _text("意见（选填）", "comments (optional)", max_length=2000)


class WithdrawInput(serializers.Serializer):
    reason = _text("撤回说明（如申请人书面撤回）", "what the withdrawal says", max_length=2000)
    on = _day("撤回日期（默认今天）", "day withdrawn (default today)")


class ReassignInput(serializers.Serializer):
    to_user = _id("改派给（本机关承办人编号）", "the handler (user id) to take it over")
    reason = _text("改派理由", "why", max_length=500, required=True)


class NoticeReceiptInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("supplement", "补正告知书 / supplement notice"), ("fee", "收费通知书 / fee notice"),
                                            ("third_party", "征求第三方意见书 / letter to a third party"),
                                            ("other_agency", "征求其他机关意见函 / letter to another agency")],
                                   help_text=h("文书种类", "which notice"))
    notice = _id("该文书记录的编号", "the notice's id")
    received_on = _day("签收日期", "day signed for", required=True)
    proof = _text("签收凭证", "proof of receipt", max_length=200)


class CalendarImportDay(serializers.Serializer):
    date = serializers.DateField(validators=[_year_ok], help_text=h("日期", "date"))
    is_workday = serializers.BooleanField(help_text=h("调休上班为 true，放假为 false", "true: make-up working day; false: holiday"))
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                 help_text=h("节日名称", "holiday name"))


class CalendarImportInput(serializers.Serializer):
    source = serializers.CharField(max_length=200, help_text=h("文件来源（如国务院办公厅通知文号）",
                                                               "source (e.g. the State Council notice number)"))
    days = CalendarImportDay(many=True, required=False, max_length=400,
                             help_text=h("该年的全部放假日和调休上班日", "every holiday and make-up working day of the year"))
    csv = serializers.CharField(max_length=65536, required=False, allow_blank=True, default="",
                                help_text=h("或：CSV 文本，每行“日期,休|班,名称”（与办理页面的导入相同）",
                                            "or: CSV text, `date,休|班,name` per line (as the staff page imports)"))


class CalendarImportOut(serializers.Serializer):
    year = serializers.IntegerField(help_text=h("年份", "year"))
    days = serializers.IntegerField(help_text=h("导入的天数", "days imported"))
    source = serializers.CharField(help_text=h("来源", "source"))
