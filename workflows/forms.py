"""The forms of the staff pages of an application: one per human step, and the paper
intake. They validate what a person typed; the rules live in the services."""
from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from agencies import roles
from agencies.models import Department
from agencies.selectors import SERVICE_ACCOUNT_PREFIX
from documents import kinds
from documents.content import body_paragraphs, body_text, compose
from legal import fees as fee_rules
from legal import outcomes as outcome_rules
from legal import receipt as receipt_rules
from legal import remedy as remedy_rules
from legal.forms import CalendarDateField
from legal.selectors import local_today

from .models import Delivery, DisclosureRequest, OtherAgencyConsultation, ThirdPartyConsultation, VolumeInquiry

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # the value a date input reads
TEXT = forms.Textarea(attrs={"rows": 3})


NOTICE_SENT_VIA = [("", "默认（有网上账户的申请人网上送达；第三方、申请人其余邮政寄送；其他机关直接送达）")] + \
    receipt_rules.NOTICE_METHODS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DisclosedFilesField(forms.FileField):
    """Several files at once; their content is checked by the service (documents.uploads)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(DisclosedFilesField, self).clean(f, initial) for f in files]


class CaseForm(forms.Form):
    """A step's form. A form whose first choice decides what follows names that field in
    `choice_field` and, in `show_for`, which choices each other field belongs to: the page
    shows only the part of the chosen branch (all of it without JavaScript)."""

    choice_field: str | None = None
    show_for: dict[str, str] = {}

    def __init__(self, *args, case=None, user=None, **kwargs):
        self.case, self.user = case, user
        super().__init__(*args, **kwargs)
        self.mark_branches()

    def mark_branches(self) -> None:
        """Tell each field which choices it belongs to (call again after adding fields)."""
        for name, field in self.fields.items():
            field.show_for = self.show_for.get(name) or next(
                (v for prefix, v in self.show_for.items() if prefix.endswith("*") and name.startswith(prefix[:-1])), "")


class PersonChoice(forms.ModelMultipleChoiceField):
    """Colleagues by name, department and role (never by log-in name)."""

    def label_from_instance(self, user):
        from agencies.roles import ROLE_LABELS

        profile = getattr(user, "staff_profile", None)
        department = profile.department.name if profile is not None and profile.department_id else ""
        roles = "、".join(str(ROLE_LABELS[g.name]) for g in user.groups.all() if g.name in ROLE_LABELS)
        extra = "，".join(x for x in (department, roles) if x)
        return f"{user.get_full_name() or user.get_username()}（{extra}）" if extra else (user.get_full_name() or user.get_username())


class RegisterForm(CaseForm):
    signed_for_on = CalendarDateField(label="签收日期（邮寄）", required=False, widget=DATE)
    confirmed_on = CalendarDateField(label="确认收到日期（平常信函、网上、传真、电子邮件）", required=False, widget=DATE)


class CompletenessForm(CaseForm):
    choice_field = "decision"
    show_for = {"department": "complete", "handler": "complete", "what": "supplement", "days": "supplement",
                "sent_via": "supplement"}
    decision = forms.ChoiceField(label="审查结论", widget=forms.RadioSelect,
                                 choices=[("complete", "内容明确，分送承办"), ("supplement", "需要补正（一次性告知）")])
    department = forms.ModelChoiceField(label="承办部门", queryset=None, required=False)
    handler = forms.ModelChoiceField(label="承办人（可不选，由部门认领）", queryset=None, required=False)
    what = forms.CharField(max_length=5000, label="需要补正的全部事项", required=False, widget=TEXT)
    days = forms.IntegerField(label="补正期限（工作日，自申请人收到告知书之日起算）", initial=15, min_value=1, max_value=30,
                              required=False)
    sent_via = forms.ChoiceField(label="补正告知书送达方式", choices=NOTICE_SENT_VIA, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(agency=self.case.agency)
        self.fields["handler"].queryset = get_user_model().objects.filter(
            staff_profile__agency=self.case.agency, groups__name="handler").distinct()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "complete" and not data.get("department"):
            self.add_error("department", "请选择承办部门。")
        return data


class SupplementReceivedForm(CaseForm):
    received_on = CalendarDateField(label="收到补正材料日期", widget=DATE, initial=local_today)
    note = forms.CharField(max_length=5000, label="说明", required=False, widget=TEXT)


class HandleForm(CaseForm):
    ACTIONS = [("determine", "作出处理决定（逐项）"), ("third_party", "征求第三方意见（暂停计时）"),
               ("other_agency", "征求其他机关意见（共同制作的信息，暂停计时）"),
               ("volume", "申请数量、频次明显超过合理范围：要求说明理由（第三十五条）"),
               ("consult", "发起会商"), ("extension", "申请延期"), ("fee", "发出收费通知（暂停计时）")]
    choice_field = "action"
    show_for = {"repeat_of": "determine", "item_*": "determine", "third_party": "third_party",
                "third_party_address": "third_party", "other_agency": "other_agency", "volume_question": "volume",
                "matter": "third_party other_agency", "participants": "consult", "question": "consult",
                "days": "extension", "reason": "extension", "fee_method": "fee", "fee_quantity": "fee", "amount": "fee",
                "basis": "fee", "sent_via": "third_party other_agency fee"}
    action = forms.ChoiceField(label="下一步", choices=ACTIONS, widget=forms.RadioSelect, initial="determine")
    repeat_of = forms.ModelChoiceField(label="重复申请所对应的已答复案件", queryset=None, required=False)
    third_party = forms.CharField(max_length=200, label="第三方名称", required=False)
    third_party_address = forms.CharField(max_length=300, label="第三方地址", required=False)
    other_agency = forms.CharField(max_length=200, label="被征求意见的机关", required=False)
    volume_question = forms.CharField(max_length=2000, label="要求申请人说明理由的事项", required=False, widget=TEXT)
    matter = forms.CharField(max_length=2000, label="征求意见的事项", required=False, widget=TEXT)
    participants = PersonChoice(label="会商参加人", queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    question = forms.CharField(max_length=2000, label="会商事项", required=False, widget=TEXT)
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20, required=False)
    reason = forms.CharField(max_length=2000, label="延期理由", required=False, widget=TEXT)
    fee_method = forms.ChoiceField(label="收费计收方式", choices=[("", "—")] + fee_rules.METHODS, required=False)
    fee_quantity = forms.IntegerField(label="本月第几件申请（按件计收）或提供的页数（按量计收）", min_value=1, required=False)
    amount = forms.DecimalField(label="收费金额（元；按标准自动计算，可不填）", required=False, min_value=0)
    basis = forms.CharField(max_length=2000, label="收费依据、标准和缴费方式", required=False, widget=TEXT)
    sent_via = forms.ChoiceField(label="征求意见书、意见函或收费通知的送达方式", choices=NOTICE_SENT_VIA, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import DisclosureRequest
        from .selectors import similar_answered_cases

        self.similar = similar_answered_cases(self.case)
        self.fields["repeat_of"].queryset = DisclosureRequest.objects.filter(pk__in=[c.pk for c in self.similar])
        self.fields["participants"].queryset = get_user_model().objects.filter(
            staff_profile__agency=self.case.agency, is_active=True).exclude(pk=self.user.pk).exclude(
            username__startswith=SERVICE_ACCOUNT_PREFIX).select_related(
            "staff_profile__department").prefetch_related("groups").order_by("staff_profile__department__name", "last_name",
                                                                                "first_name")
        choices = [("", "—")] + outcome_rules_choices()
        for item in self.case.items.all():
            p = f"item_{item.pk}_"
            self.fields[p + "outcome"] = forms.ChoiceField(label=f"第 {item.position} 项“{item.title}”处理结果",
                                                           choices=choices, required=False, initial=item.outcome)
            self.fields[p + "reasoning"] = forms.CharField(label="理由和法律依据", required=False, widget=TEXT,
                                                           initial=item.reasoning)
            self.fields[p + "withheld_parts"] = forms.CharField(label="不予公开的部分及理由（部分公开）", required=False)
            self.fields[p + "right_agency"] = forms.CharField(label="负责公开的机关（非本机关负责）", required=False)
            self.fields[p + "right_agency_contact"] = forms.CharField(label="该机关联系方式", required=False)
            self.fields[p + "where_published"] = forms.CharField(label="获取途径（已主动公开）", required=False)
        self.mark_branches()

    def decisions(self):
        out = []
        for item in self.case.items.all():
            p = f"item_{item.pk}_"
            out.append({"item": item.pk, **{k: self.cleaned_data.get(p + k) or "" for k in (
                "outcome", "reasoning", "withheld_parts", "right_agency", "right_agency_contact", "where_published")}})
        return out


def outcome_rules_choices():
    return list(outcome_rules.CHOOSABLE)


class VolumeDecideForm(CaseForm):
    reasons = forms.CharField(max_length=5000, label="申请人说明的理由", required=False, widget=TEXT)
    decision = forms.ChoiceField(label="认定", choices=VolumeInquiry.DECISIONS, widget=forms.RadioSelect)
    longer_days = forms.IntegerField(label="延迟答复的工作日数（理由合理时）", min_value=1, max_value=200, required=False)


class OtherAgencyAnswerForm(CaseForm):
    answer = forms.ChoiceField(label="该机关的意见", choices=OtherAgencyConsultation.ANSWERS, widget=forms.RadioSelect)
    answer_text = forms.CharField(max_length=5000, label="意见内容", required=False, widget=TEXT)
    received_on = CalendarDateField(label="收到答复日期（逾期未答复的，填写记录之日）", widget=DATE, initial=local_today)


class ThirdPartyOpinionForm(CaseForm):
    opinion = forms.ChoiceField(label="第三方意见", choices=ThirdPartyConsultation.OPINIONS, widget=forms.RadioSelect)
    opinion_text = forms.CharField(max_length=5000, label="意见内容", required=False, widget=TEXT)
    received_on = CalendarDateField(label="收到意见日期（逾期未答复的填今天）", widget=DATE, initial=local_today)
    public_interest_override = forms.BooleanField(label="不公开会对公共利益造成重大影响，决定予以公开", required=False)
    override_reasons = forms.CharField(max_length=5000, label="公共利益理由（将书面告知第三方）", required=False, widget=TEXT)


class OpinionForm(CaseForm):
    opinion = forms.CharField(max_length=5000, label="会商意见", widget=TEXT)


class DecisionForm(CaseForm):
    place = forms.CharField(label="会商地点（当面会商的填写；不填则为通过本系统书面会商）", max_length=100, required=False)
    decision = forms.CharField(max_length=5000, label="会商结论", widget=TEXT)


class ApproveForm(CaseForm):
    approve = forms.TypedChoiceField(label="审批结论", coerce=lambda v: v == "1", widget=forms.RadioSelect,
                                     choices=[("1", "同意"), ("0", "不同意 / 退回")])
    comment = forms.CharField(max_length=2000, label="意见", required=False, widget=TEXT)


class FeePaidForm(CaseForm):
    paid_on = CalendarDateField(label="缴费日期", widget=DATE, initial=local_today)


class ConfidentialityForm(CaseForm):
    decision = forms.ChoiceField(label="保密审查结论", widget=forms.RadioSelect,
                                 choices=[("clear", "通过，可以公开/答复"), ("return", "退回承办人")])
    reasons = forms.CharField(max_length=5000, label="意见或退回理由", required=False, widget=TEXT)


def reply_generated_text(case) -> str:
    """The reply's body as composed now from the decided items (and the remark kept from
    an earlier draft), as the editor shows it. An item whose information goes with the
    reply but has no file yet is counted with one (the step requires one), so the text
    the handler starts from already says 见附件N."""
    facts = case.document_facts()
    if case.form_wanted != "inspection":
        number = 0
        for item in facts.get("items", []):
            if item.get("outcome") in outcome_rules.PROVIDED_WITH_REPLY:
                count = len(item.get("attachments") or []) or 1
                item["attachments"] = list(range(number + 1, number + count + 1))
                number += count
    return body_text(compose(kinds.REPLY, {"case": facts, "note": case.reply_text if not _edited_draft(case) else ""},
                             case.agency))


def _edited_draft(case):
    draft = case.documents.filter(kind=kinds.REPLY).order_by("-id").only("data").first()
    return (draft.data.get("body") or "") if draft is not None and not draft.data.get("closure") else ""


def _same_text(a: str, b: str) -> bool:
    return body_paragraphs(a) == body_paragraphs(b)


class DraftReplyForm(CaseForm):
    """The reply is composed from the decided items in one place (documents.content); its
    body is the start of the editor here, and the handler edits it there. Sent back as it
    was, the body is composed anew (the attachments uploaded now get their numbers);
    edited, the handler's text replaces the generated body, once."""

    provided_form = forms.ChoiceField(label="提供信息的形式（第四十条：尽量按申请人要求的形式）",
                                      choices=DisclosureRequest.FORMS, required=False)
    provided_form_reason = forms.CharField(max_length=2000, label="未按申请人要求的形式提供的理由", required=False, widget=TEXT)
    remove = forms.ModelMultipleChoiceField(label="删除已上传的附件", queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    text = forms.CharField(
        max_length=10000, label="答复正文", required=False,
        help_text="已按逐项处理决定生成，请直接在此修改；每段一行。标题、称呼、救济途径、法律依据和联系方式由系统按规定生成。"
                  "清空后提交则恢复为系统生成的正文。",
        widget=forms.Textarea(attrs={"rows": 18, "class": "ogi-editor", "spellcheck": "false",
                                     "style": "width:100%;max-width:none;box-sizing:border-box;min-height:24em;"
                                              "font-size:1rem;line-height:1.8;font-family:inherit"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.case
        self.generated = reply_generated_text(case)
        self.fields["text"].initial = _edited_draft(case) or self.generated
        self.fields["provided_form"].initial = case.provided_form or case.form_wanted
        self.fields["provided_form_reason"].initial = case.provided_form_reason
        # one upload field per item that is disclosed: its files become the reply's 附件
        self.disclosing = [i for i in case.items.all() if i.outcome in outcome_rules.PROVIDED_WITH_REPLY]
        for item in self.disclosing:
            self.fields[f"files_{item.pk}"] = DisclosedFilesField(
                label=f"第{item.position}项“{item.title}”公开的信息（答复附件：PDF、图片、Word 或 Excel）", required=False)
        self.fields["remove"].queryset = case.disclosed_files.select_related("item")
        self.fields["remove"].label_from_instance = lambda f: f"{f.original_name}（第{f.item.position}项）"
        if not self.disclosing:
            for name in ("provided_form", "provided_form_reason", "remove"):
                del self.fields[name]
        elif not case.disclosed_files.exists():
            del self.fields["remove"]
        if "text" in self.fields:  # the remark last
            self.fields["text"] = self.fields.pop("text")

    def attachments(self) -> list:
        return [(item, f) for item in self.disclosing for f in self.cleaned_data.get(f"files_{item.pk}") or []]

    def reply_text(self) -> dict:
        """For `request_reply_draft`: the edited `body`, or (unchanged or emptied) the
        earlier remark as `text` so the body is composed anew."""
        submitted = self.cleaned_data.get("text") or ""
        if not submitted.strip() or _same_text(submitted, self.generated):
            return {"text": "" if _edited_draft(self.case) else self.case.reply_text, "body": ""}
        return {"text": "", "body": "\n".join(body_paragraphs(submitted))}


class SignOffForm(CaseForm):
    approve = forms.TypedChoiceField(label="审签", coerce=lambda v: v == "1", widget=forms.RadioSelect,
                                     choices=[("1", "同意签发"), ("0", "退回修改")])
    comments = forms.CharField(max_length=2000, label="修改意见", required=False, widget=TEXT)


class ClosureSignOffForm(CaseForm):
    confirm = forms.BooleanField(label="已阅终止处理告知书，同意签发")
    comments = forms.CharField(max_length=2000, label="意见（选填）", required=False, widget=TEXT)


class DeliveryForm(CaseForm):
    method = forms.ChoiceField(label="送达方式", choices=Delivery.METHODS)
    delivered_on = CalendarDateField(label="送达日期（直接送达为签收日，邮寄为交邮日）", widget=DATE, initial=local_today)
    tracking_number = forms.CharField(max_length=50, label="邮件号码", required=False)
    proof = forms.CharField(max_length=2000, label="送达回证 / 签收说明", required=False, widget=TEXT)


class ArchiveForm(CaseForm):
    confirm = forms.BooleanField(label="材料齐全，确认归档（归档后只读）")


PAPER_CHANNELS = [c for c in receipt_rules.CHANNELS if c[0] != receipt_rules.ONLINE]


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(label="申请方式", choices=PAPER_CHANNELS)
    submitted_at = forms.DateTimeField(
        label="提交时间（北京时间）", help_text="默认为现在，可按申请实际送达的时间修改。",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "请填写提交时间。", "invalid": "请按“年-月-日 时:分”填写提交时间。"})
    applicant_type = forms.ChoiceField(label="申请人类型", choices=DisclosureRequest.APPLICANT_TYPES)
    applicant_name = forms.CharField(max_length=200, label="申请人姓名/名称")
    id_type = forms.ChoiceField(label="证件类型", choices=DisclosureRequest.ID_TYPES)
    id_number = forms.CharField(max_length=50, label="证件号码")
    phone = forms.CharField(max_length=40, label="联系电话")
    address = forms.CharField(max_length=300, label="通信地址", required=False)
    description = forms.CharField(max_length=2000, label="所需信息的描述", widget=TEXT)
    items = forms.CharField(max_length=6000, label="所需信息（每行一项）", widget=TEXT)
    form_wanted = forms.ChoiceField(label="获取信息的形式", choices=DisclosureRequest.FORMS)
    delivery_wanted = forms.ChoiceField(label="获取信息的方式", choices=DisclosureRequest.DELIVERIES)


class NoticeReceiptForm(forms.Form):
    """The day the addressee signed for one of the agency's notices (送达回证, 邮件签收)."""

    received_on = CalendarDateField(label="签收日期", widget=DATE)
    proof = forms.CharField(label="签收凭证（送达回证、邮件号码及签收记录）", max_length=200, required=False)


class ReassignForm(CaseForm):
    """改派: another handler of the same agency takes the case over."""

    to_user = forms.ModelChoiceField(label="改派给（承办人）", queryset=None)
    reason = forms.CharField(label="改派理由", widget=TEXT, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = (
            get_user_model()._default_manager.filter(staff_profile__agency=self.case.agency_id,
                                                     groups__name=roles.HANDLER, is_active=True)
            .exclude(pk=self.case.handler_id).select_related("staff_profile__department").order_by("username").distinct())
        self.fields["to_user"].label_from_instance = (
            lambda u: f"{u.get_full_name() or u.username}（{u.staff_profile.department or '未分部门'}）")


class CorrectionForm(forms.Form):
    """更正申请 (Art. 41), as received on paper or at the counter."""

    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=200)
    id_number = forms.CharField(label="证件号码", max_length=40, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    address = forms.CharField(label="通信地址", max_length=300, required=False)
    department = forms.ModelChoiceField(label="承办部门（保存该记录的部门）", queryset=Department.objects.none())
    record = forms.CharField(label="需要更正的政府信息记录（名称、所在文件或系统）", max_length=300)
    inaccurate = forms.CharField(label="不准确之处", widget=TEXT, max_length=2000)
    correct_to = forms.CharField(label="要求更正为", widget=TEXT, max_length=2000)
    evidence = forms.CharField(label="申请人提供的证据", widget=TEXT, max_length=2000)
    received_on = CalendarDateField(label="收到申请之日", widget=DATE, initial=local_today)

    def __init__(self, *args, user=None, **kwargs):
        from agencies.selectors import user_agency

        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(agency=user_agency(user))


class CorrectionDecideForm(forms.Form):
    decision = forms.ChoiceField(label="核实结果", widget=forms.RadioSelect, choices=[])
    corrected_what = forms.CharField(label="更正的内容（予以更正的）", widget=TEXT, required=False, max_length=2000)
    right_agency = forms.CharField(label="有权更正的机关（转送或告知的）", max_length=200, required=False)
    reason = forms.CharField(label="核实情况和理由", widget=TEXT, required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import CorrectionRequest

        self.fields["decision"].choices = CorrectionRequest.DECISIONS


class CorrectionAnswerForm(forms.Form):
    confirm = forms.BooleanField(label="已阅答复书，同意签发")


# --- reconsideration and litigation -----------------------------------------------------------

ERR_REMEDY_CASE_NOT_FOUND = "没有找到该申请（请输入本机关申请的登记号或查询号）。"


class RemedyForm(forms.Form):
    """登记行政复议或行政诉讼: when the copy of the application or complaint is received."""

    kind = forms.ChoiceField(label="类别", widget=forms.RadioSelect, choices=remedy_rules.KINDS)
    case_ref = forms.CharField(label="所涉申请的登记号或查询号", max_length=40, required=False,
                               help_text="本机关作为复议机关共同被告、原申请不在本系统的，可不填")
    body = forms.CharField(label="行政复议机关或人民法院", max_length=200, required=False,
                           help_text="不填的，按本机关设置：行政复议机关或管辖法院")
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    applicant = forms.CharField(label="申请人或原告", max_length=200)
    received_on = CalendarDateField(label="收到行政复议申请书副本或起诉状副本之日", widget=DATE, initial=local_today)
    after_reconsideration = forms.BooleanField(label="经行政复议后起诉", required=False)
    follows = forms.ModelChoiceField(label="此前的行政复议（经复议后起诉的）", required=False, queryset=None)
    co_defendant = forms.BooleanField(label="本机关仅作为行政复议机关被列为共同被告（不计入年度报告表四）", required=False)

    def __init__(self, *args, user=None, **kwargs):
        from .models import RemedyProceeding
        from .selectors import cases_visible_to

        super().__init__(*args, **kwargs)
        self.user = user
        self._cases = cases_visible_to(user)
        self.fields["follows"].queryset = RemedyProceeding.objects.visible_to(user).filter(
            kind=remedy_rules.RECONSIDERATION).select_related("case")
        self.fields["follows"].label_from_instance = lambda p: (
            f"{p.case_number or '（无案号）'} {p.applicant}（{p.case.registration_number if p.case_id else ''}）")

    def clean_case_ref(self):
        ref = (self.cleaned_data.get("case_ref") or "").strip()
        if not ref:
            return None
        from django.db.models import Q

        case = self._cases.filter(Q(registration_number=ref) | Q(tracking_number=ref)).first()
        if case is None:
            raise forms.ValidationError(ERR_REMEDY_CASE_NOT_FOUND)
        return case


class RemedyAnswerForm(forms.Form):
    answered_on = CalendarDateField(label="提交书面答复或答辩状之日", widget=DATE, initial=local_today)


class RemedyResultForm(forms.Form):
    result = forms.ChoiceField(label="结果", widget=forms.RadioSelect, choices=remedy_rules.RESULTS,
                               help_text=remedy_rules.RESULT_HINT)
    result_on = CalendarDateField(label="审结日期（决定书或裁判文书送达之日）", widget=DATE, initial=local_today)
    detail = forms.CharField(label="结果说明（如：复议决定撤销并责令重新答复）", max_length=300, required=False)


class RemedyDocumentForm(forms.Form):
    title = forms.CharField(label="文书名称（如：起诉状副本、答辩状、行政复议决定书）", max_length=200)
    file = forms.FileField(label="文件（PDF、JPG、PNG、Word 或 Excel）")
