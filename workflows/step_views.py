"""The pages of the human steps of `DisclosureRequestFlow`. Thin: a form, then one
service call from `workflows/requests.py` (which completes the task). Validation
errors of the service are shown on the form; nothing is written when they occur."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import FormView

from . import fees as fee_rules
from . import outcomes as outcome_rules
from .models import Delivery, ThirdPartyConsultation
from .selectors import local_today

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


def case_url(case) -> str:
    return reverse("workflow:case_detail", args=[case.pk])


class StepView(FormView):
    template_name = "workflows/step.html"
    title = ""

    @property
    def case(self):
        return self.request.activation.process.case

    @property
    def task(self):
        return self.request.activation.task

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["case"] = self.case
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        from .case_views import case_context

        ctx = super().get_context_data(**kwargs)
        ctx.update(case_context(self.case, self.request.user))
        ctx.update(activation=self.request.activation, step_title=self.title or str(self.task.flow_task),
                   process=self.request.activation.process, task=self.task)
        return ctx

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, f"已办理：{self.task.flow_task}", fail_silently=True)
        return HttpResponseRedirect(case_url(self.case))

    def perform(self, data):  # pragma: no cover - every step overrides
        raise NotImplementedError


class CaseForm(forms.Form):
    def __init__(self, *args, case=None, user=None, **kwargs):
        self.case, self.user = case, user
        super().__init__(*args, **kwargs)


# --- register, completeness, supplement --------------------------------------------------------

class RegisterForm(CaseForm):
    signed_for_on = forms.DateField(label="签收日期（邮寄）", required=False, widget=DATE)
    confirmed_on = forms.DateField(label="确认收到日期（平常信函、网上、传真、电子邮件）", required=False, widget=DATE)


class RegisterStep(StepView):
    form_class = RegisterForm
    title = "登记"

    def perform(self, data):
        from .requests import request_register

        request_register(actor=self.request.user, case=self.case, task=self.task, **data)


class CompletenessForm(CaseForm):
    decision = forms.ChoiceField(label="审查结论", widget=forms.RadioSelect,
                                 choices=[("complete", "内容明确，分送承办"), ("supplement", "需要补正（一次性告知）")])
    department = forms.ModelChoiceField(label="承办部门", queryset=None, required=False)
    handler = forms.ModelChoiceField(label="承办人（可不选，由部门认领）", queryset=None, required=False)
    what = forms.CharField(label="需要补正的全部事项", required=False, widget=TEXT)
    days = forms.IntegerField(label="补正期限（工作日）", initial=15, min_value=1, max_value=30, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from agencies.models import Department

        self.fields["department"].queryset = Department.objects.filter(agency=self.case.agency)
        self.fields["handler"].queryset = get_user_model().objects.filter(
            staff_profile__agency=self.case.agency, groups__name="handler").distinct()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "complete" and not data.get("department"):
            self.add_error("department", "请选择承办部门。")
        return data


class CompletenessStep(StepView):
    form_class = CompletenessForm
    title = "审查申请内容"

    def perform(self, data):
        from .requests import request_accept, request_supplement_notice

        if data["decision"] == "complete":
            request_accept(actor=self.request.user, case=self.case, department=data["department"],
                           handler=data.get("handler"), task=self.task)
        else:
            request_supplement_notice(actor=self.request.user, case=self.case, what=data.get("what") or "",
                                      days=data.get("days") or 15, task=self.task)


class SupplementReceivedForm(CaseForm):
    received_on = forms.DateField(label="收到补正材料日期", widget=DATE, initial=local_today)
    note = forms.CharField(label="说明", required=False, widget=TEXT)


class SupplementReceivedStep(StepView):
    form_class = SupplementReceivedForm
    title = "登记补正材料"

    def perform(self, data):
        from .requests import request_supplement_receive

        request_supplement_receive(actor=self.request.user, case=self.case, task=self.task, **data)


# --- handling -----------------------------------------------------------------------------------

class HandleForm(CaseForm):
    ACTIONS = [("determine", "作出处理决定（逐项）"), ("third_party", "征求第三方意见（暂停计时）"),
               ("consult", "发起会商"), ("extension", "申请延期"), ("fee", "发出收费通知（暂停计时）")]
    action = forms.ChoiceField(label="下一步", choices=ACTIONS, widget=forms.RadioSelect, initial="determine")
    repeat_of = forms.ModelChoiceField(label="重复申请所对应的已答复案件", queryset=None, required=False)
    third_party = forms.CharField(label="第三方名称", required=False)
    third_party_address = forms.CharField(label="第三方地址", required=False)
    matter = forms.CharField(label="征求意见的事项", required=False, widget=TEXT)
    participants = forms.ModelMultipleChoiceField(label="会商参加人", queryset=None, required=False,
                                                  widget=forms.CheckboxSelectMultiple)
    question = forms.CharField(label="会商事项", required=False, widget=TEXT)
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20, required=False)
    reason = forms.CharField(label="延期理由", required=False, widget=TEXT)
    fee_method = forms.ChoiceField(label="收费计收方式", choices=[("", "—")] + fee_rules.METHODS, required=False)
    fee_quantity = forms.IntegerField(label="页数（按件）或本月第几件申请（按量）", min_value=1, required=False)
    amount = forms.DecimalField(label="收费金额（元；按标准自动计算，可不填）", required=False, min_value=0)
    basis = forms.CharField(label="收费依据、标准和缴费方式", required=False, widget=TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import DisclosureRequest
        from .selectors import similar_answered_cases

        self.similar = similar_answered_cases(self.case)
        self.fields["repeat_of"].queryset = DisclosureRequest.objects.filter(pk__in=[c.pk for c in self.similar])
        self.fields["participants"].queryset = get_user_model().objects.filter(
            staff_profile__agency=self.case.agency).exclude(pk=self.user.pk).order_by("username")
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

    def decisions(self):
        out = []
        for item in self.case.items.all():
            p = f"item_{item.pk}_"
            out.append({"item": item.pk, **{k: self.cleaned_data.get(p + k) or "" for k in (
                "outcome", "reasoning", "withheld_parts", "right_agency", "right_agency_contact", "where_published")}})
        return out


def outcome_rules_choices():
    from .requests import CHOOSABLE_OUTCOMES

    return list(CHOOSABLE_OUTCOMES)


class HandleStep(StepView):
    form_class = HandleForm
    title = "承办"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["similar_cases"] = ctx["form"].similar
        return ctx

    def form_valid(self, form):
        self._form = form
        return super().form_valid(form)

    def perform(self, data):
        from . import requests as svc

        actor, case, task = self.request.user, self.case, self.task
        action = data["action"]
        if action == "determine":
            svc.request_determine(actor=actor, case=case, decisions=self._form.decisions(),
                                  repeat_of=data.get("repeat_of"), task=task)
        elif action == "third_party":
            svc.request_third_party_consult(actor=actor, case=case, third_party=data.get("third_party") or "",
                                            matter=data.get("matter") or "", address=data.get("third_party_address") or "",
                                            task=task)
        elif action == "consult":
            svc.request_consultation_convene(actor=actor, case=case, participants=list(data.get("participants") or []),
                                             question=data.get("question") or "", task=task)
        elif action == "extension":
            svc.request_extension_ask(actor=actor, case=case, days=data.get("days") or 0, reason=data.get("reason") or "",
                                      task=task)
        elif action == "fee":
            svc.request_fee_notice(actor=actor, case=case, amount=data.get("amount"), basis=data.get("basis") or "",
                                   method=data.get("fee_method") or "", quantity=data.get("fee_quantity"), task=task)


class ThirdPartyOpinionForm(CaseForm):
    opinion = forms.ChoiceField(label="第三方意见", choices=ThirdPartyConsultation.OPINIONS, widget=forms.RadioSelect)
    opinion_text = forms.CharField(label="意见内容", required=False, widget=TEXT)
    received_on = forms.DateField(label="收到意见日期（逾期未答复的填今天）", widget=DATE, initial=local_today)
    public_interest_override = forms.BooleanField(label="不公开会对公共利益造成重大影响，决定予以公开", required=False)
    override_reasons = forms.CharField(label="公共利益理由（将书面告知第三方）", required=False, widget=TEXT)


class ThirdPartyOpinionStep(StepView):
    form_class = ThirdPartyOpinionForm
    title = "记录第三方意见"

    def perform(self, data):
        from .requests import request_third_party_opinion

        request_third_party_opinion(actor=self.request.user, case=self.case, task=self.task, **data)


class OpinionForm(CaseForm):
    opinion = forms.CharField(label="会商意见", widget=TEXT)


class ConsultationOpinionStep(StepView):
    form_class = OpinionForm
    title = "出具会商意见"

    def perform(self, data):
        from .requests import request_consultation_opinion

        request_consultation_opinion(actor=self.request.user, case=self.case, opinion=data["opinion"], task=self.task)


class DecisionForm(CaseForm):
    decision = forms.CharField(label="会商结论", widget=TEXT)


class ConsultationDecideStep(StepView):
    form_class = DecisionForm
    title = "记录会商结论"

    def perform(self, data):
        from .requests import request_consultation_decide

        request_consultation_decide(actor=self.request.user, case=self.case, decision=data["decision"], task=self.task)


class ApproveForm(CaseForm):
    approve = forms.TypedChoiceField(label="审批结论", coerce=lambda v: v == "1", widget=forms.RadioSelect,
                                     choices=[("1", "同意"), ("0", "不同意 / 退回")])
    comment = forms.CharField(label="意见", required=False, widget=TEXT)


class ExtensionDecideStep(StepView):
    form_class = ApproveForm
    title = "审批延期"

    def perform(self, data):
        from .requests import request_extension_decide

        request_extension_decide(actor=self.request.user, case=self.case, approve=data["approve"],
                                 comment=data.get("comment") or "", task=self.task)


class FeePaidForm(CaseForm):
    paid_on = forms.DateField(label="缴费日期", widget=DATE, initial=local_today)


class FeePaidStep(StepView):
    form_class = FeePaidForm
    title = "登记缴费"

    def perform(self, data):
        from .requests import request_fee_paid

        request_fee_paid(actor=self.request.user, case=self.case, paid_on=data["paid_on"], task=self.task)


class ConfidentialityForm(CaseForm):
    decision = forms.ChoiceField(label="保密审查结论", widget=forms.RadioSelect,
                                 choices=[("clear", "通过，可以公开/答复"), ("return", "退回承办人")])
    reasons = forms.CharField(label="意见或退回理由", required=False, widget=TEXT)


class ConfidentialityStep(StepView):
    form_class = ConfidentialityForm
    title = "保密审查"

    def perform(self, data):
        from .requests import request_confidentiality_clear, request_confidentiality_return

        if data["decision"] == "clear":
            request_confidentiality_clear(actor=self.request.user, case=self.case, note=data.get("reasons") or "",
                                          task=self.task)
        else:
            request_confidentiality_return(actor=self.request.user, case=self.case, reasons=data.get("reasons") or "",
                                           task=self.task)


class DraftReplyForm(CaseForm):
    text = forms.CharField(label="答复正文", widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case.reply_text:
            self.fields["text"].initial = self.case.reply_text
        else:
            lines = [f"{self.case.applicant_name}：", f"本机关于 {self.case.received_on} 收到您的政府信息公开申请。经审查，答复如下："]
            for item in self.case.items.all():
                rule = outcome_rules.OUTCOMES.get(item.outcome)
                lines.append(f"{item.position}. “{item.title}”：{rule.label if rule else ''}。{item.reasoning}（{rule.article if rule else ''}）")
            self.fields["text"].initial = "\n".join(lines)


class DraftReplyStep(StepView):
    form_class = DraftReplyForm
    title = "拟写答复"

    def perform(self, data):
        from .requests import request_reply_draft

        request_reply_draft(actor=self.request.user, case=self.case, text=data["text"], task=self.task)


class SignOffForm(CaseForm):
    approve = forms.TypedChoiceField(label="审签", coerce=lambda v: v == "1", widget=forms.RadioSelect,
                                     choices=[("1", "同意签发"), ("0", "退回修改")])
    comments = forms.CharField(label="修改意见", required=False, widget=TEXT)


class SignOffStep(StepView):
    form_class = SignOffForm
    title = "审签"

    def perform(self, data):
        from .requests import request_sign_off

        request_sign_off(actor=self.request.user, case=self.case, approve=data["approve"],
                         comments=data.get("comments") or "", task=self.task)


class DeliveryForm(CaseForm):
    method = forms.ChoiceField(label="送达方式", choices=Delivery.METHODS)
    delivered_on = forms.DateField(label="送达日期（直接送达为签收日，邮寄为交邮日）", widget=DATE, initial=local_today)
    tracking_number = forms.CharField(label="邮件号码", required=False)
    proof = forms.CharField(label="送达回证 / 签收说明", required=False, widget=TEXT)


class DeliveryStep(StepView):
    form_class = DeliveryForm
    title = "送达"

    def perform(self, data):
        from .requests import request_delivery_record

        request_delivery_record(actor=self.request.user, case=self.case, task=self.task, **data)


class ArchiveForm(CaseForm):
    confirm = forms.BooleanField(label="材料齐全，确认归档（归档后只读）")


class ArchiveStep(StepView):
    form_class = ArchiveForm
    title = "归档"

    def perform(self, data):
        from .requests import request_archive

        request_archive(actor=self.request.user, case=self.case, task=self.task)


class ClaimTaskView(FormView):
    """认领: the viewflow assign page, through `request_task_claim` (audit, case handler)."""

    form_class = forms.Form
    template_name = "viewflow/workflow/task_assign.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(activation=self.request.activation, process=self.request.activation.process,
                   task=self.request.activation.task)
        return ctx

    def form_valid(self, form):
        from .requests import request_task_claim

        activation = self.request.activation
        try:
            request_task_claim(actor=self.request.user, case=activation.process.case, task=activation.task)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages), fail_silently=True)
            return HttpResponseRedirect(case_url(activation.process.case))
        task = activation.task
        return HttpResponseRedirect(task.flow_task.reverse("execute", args=[task.process_id, task.pk]))


from . import receipt as _receipt  # noqa: E402
from .models import DisclosureRequest as _DR  # noqa: E402

PAPER_CHANNELS = [c for c in _receipt.CHANNELS if c[0] != _receipt.ONLINE]


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(label="申请方式", choices=PAPER_CHANNELS)
    submitted_at = forms.DateTimeField(label="提交时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    applicant_type = forms.ChoiceField(label="申请人类型", choices=_DR.APPLICANT_TYPES)
    applicant_name = forms.CharField(label="申请人姓名/名称")
    id_type = forms.ChoiceField(label="证件类型", choices=_DR.ID_TYPES)
    id_number = forms.CharField(label="证件号码")
    phone = forms.CharField(label="联系电话")
    address = forms.CharField(label="通信地址", required=False)
    description = forms.CharField(label="所需信息的描述", widget=TEXT)
    items = forms.CharField(label="所需信息（每行一项）", widget=TEXT)
    form_wanted = forms.ChoiceField(label="获取信息的形式", choices=_DR.FORMS)
    delivery_wanted = forms.ChoiceField(label="获取信息的方式", choices=_DR.DELIVERIES)
