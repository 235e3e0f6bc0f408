"""The online application form: exactly what Art. 29 asks for."""
from __future__ import annotations

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory

from agencies.models import Agency
from workflows.models import DisclosureRequest

from .security import ERR_HUMAN_CHECK
from .validators import ERR_UPLOAD_COUNT, MAX_UPLOADS, validate_phone, validate_resident_id, validate_upload

ERR_ORG_NEEDS_REPRESENTATIVE = "法人或其他组织申请的，请填写法定代表人或负责人。"
ERR_NEED_ITEM = "请至少填写一项所需的政府信息。"
ERR_ITEM_EMPTY = "请填写信息名称、文号或能够识别该信息的其他特征。"
ERR_EMAIL_DELIVERY = "选择电子邮件方式获取的，请填写电子邮箱。"
ERR_POST_DELIVERY = "选择邮寄方式获取的，请填写通信地址。"


class PortalCaptchaInput(CaptchaTextInput):
    """The picture with a "换一张" button, then the answer box."""

    template_name = "portal/_captcha.html"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_UPLOADS:
            raise ValidationError(ERR_UPLOAD_COUNT)
        cleaned = []
        for f in files:
            f = super().clean(f, initial)
            f.detected_content_type = validate_upload(f)
            cleaned.append(f)
        return cleaned


class ApplicationForm(forms.Form):
    agency = forms.ModelChoiceField(label="受理机关", queryset=Agency.objects.filter(is_active=True), empty_label="请选择")
    applicant_type = forms.ChoiceField(label="申请人类型", choices=DisclosureRequest.APPLICANT_TYPES,
                                       widget=forms.RadioSelect, initial=DisclosureRequest.NATURAL)
    applicant_name = forms.CharField(label="姓名或名称", max_length=200)
    id_type = forms.ChoiceField(label="证件类型", choices=DisclosureRequest.ID_TYPES, initial="resident_id")
    id_number = forms.CharField(label="证件号码", max_length=50)
    legal_representative = forms.CharField(label="法定代表人或负责人（组织填写）", max_length=100, required=False)
    contact_person = forms.CharField(label="联系人（组织填写）", max_length=100, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, help_text="11位手机号码，或带区号的固定电话")
    email = forms.EmailField(label="电子邮箱", required=False)
    address = forms.CharField(label="通信地址", max_length=300, required=False)
    postcode = forms.RegexField(label="邮政编码", regex=r"^\d{6}$", max_length=6, required=False,
                                error_messages={"invalid": "邮政编码应为6位数字。"})
    description = forms.CharField(max_length=2000, label="补充说明（选填）", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    form_wanted = forms.ChoiceField(label="获取信息的形式", choices=DisclosureRequest.FORMS, widget=forms.RadioSelect,
                                    initial="electronic")
    delivery_wanted = forms.ChoiceField(label="获取信息的方式", choices=DisclosureRequest.DELIVERIES,
                                        widget=forms.RadioSelect, initial="online")
    attachments = MultipleFileField(label="附件（身份证件复印件、授权委托书等，PDF/JPG/PNG，每个不超过5MB，选填）",
                                    required=False)
    captcha = CaptchaField(label="验证码", widget=PortalCaptchaInput(),
                           help_text="请输入图片中的字母和数字，不区分大小写；看不清请点“换一张”。",
                           error_messages={"invalid": ERR_HUMAN_CHECK, "required": "请输入图片中的验证码。"})

    def clean_phone(self):
        return validate_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("id_type") == "resident_id" and data.get("id_number"):
            try:
                data["id_number"] = validate_resident_id(data["id_number"])
            except ValidationError as exc:
                self.add_error("id_number", exc)
        if data.get("applicant_type") not in (None, DisclosureRequest.NATURAL) and not data.get("legal_representative"):
            self.add_error("legal_representative", ERR_ORG_NEEDS_REPRESENTATIVE)
        if data.get("delivery_wanted") == "email" and not data.get("email"):
            self.add_error("email", ERR_EMAIL_DELIVERY)
        if data.get("delivery_wanted") == "post" and not data.get("address"):
            self.add_error("address", ERR_POST_DELIVERY)
        return data


class ItemForm(forms.Form):
    title = forms.CharField(label="信息名称", max_length=300, required=False)
    document_number = forms.CharField(label="文号（选填）", max_length=100, required=False)
    description = forms.CharField(max_length=2000, label="其他特征描述（时间、范围等）", widget=forms.Textarea(attrs={"rows": 2}),
                                  required=False)

    def clean(self):
        data = super().clean()
        if self.has_changed() and not (data.get("title") or data.get("document_number") or data.get("description")):
            raise ValidationError(ERR_ITEM_EMPTY)
        return data


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not [f for f in self.forms if f.has_changed() and f.cleaned_data]:
            raise ValidationError(ERR_NEED_ITEM)


ItemFormSet = formset_factory(ItemForm, formset=BaseItemFormSet, extra=3, max_num=20, absolute_max=20)


class TrackForm(forms.Form):
    tracking_number = forms.CharField(label="查询号", max_length=20)
    access_code = forms.CharField(label="查询码", max_length=32, widget=forms.PasswordInput(render_value=True))


class SupplementForm(forms.Form):
    text = forms.CharField(max_length=5000, label="补正内容", widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label="补正材料（PDF/JPG/PNG，选填）", required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=1000, label="撤回理由（选填）", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    confirm = forms.BooleanField(label="我确认撤回本申请，撤回后本申请不再办理", required=True,
                                 error_messages={"required": "请勾选确认后再撤回。"})
