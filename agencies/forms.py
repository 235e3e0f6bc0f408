"""What an agency's administrator edits: the agency's details (also in the platform's admin),
its departments and its people."""
from django import forms
from django.contrib.auth import get_user_model, password_validation

from .models import Agency, Department
from .roles import ROLE_LABELS
from .services import AGENCY_SETTINGS, check_seal


class AgencyForm(forms.ModelForm):
    seal_upload = forms.FileField(label="上传印章图片（PNG，透明背景）", required=False,
                                  help_text="出具的文书在署名和成文日期上压盖此印章；未上传的，留出空白位置以便手工盖章。")
    seal_remove = forms.BooleanField(label="删除已上传的印章", required=False)
    website = forms.URLField(max_length=200, label="门户网站", required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = "__all__"

    def clean_seal_upload(self):
        f = self.cleaned_data.get("seal_upload")
        if f is None:
            return None
        data = f.read()
        check_seal(data)
        return data


class AgencySettingsForm(AgencyForm):
    """The staff page: the settings an agency keeps itself (`AGENCY_SETTINGS`) and its seal."""

    class Meta(AgencyForm.Meta):
        fields = AGENCY_SETTINGS


ROLE_CHOICES = [(code, str(label)) for code, label in ROLE_LABELS.items()]


class _AgencyForm(forms.Form):
    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        if "department" in self.fields:
            self.fields["department"].queryset = Department.objects.filter(agency=agency).order_by("name")


class DepartmentForm(_AgencyForm):
    name = forms.CharField(label="部门名称", max_length=200)
    code = forms.SlugField(label="部门代码（字母、数字）", max_length=30)


class NewStaffForm(_AgencyForm):
    username = forms.CharField(label="登录名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=150)
    department = forms.ModelChoiceField(label="部门", queryset=Department.objects.none(), required=False)
    roles = forms.MultipleChoiceField(label="角色", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple)
    email = forms.EmailField(label="电子邮箱", required=False)
    password = forms.CharField(max_length=128, label="初始密码", widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password"):
            probe = get_user_model()(username=data.get("username", ""), first_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(data["password"], probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class StaffChangeForm(_AgencyForm):
    department = forms.ModelChoiceField(label="部门", queryset=Department.objects.none(), required=False)
    roles = forms.MultipleChoiceField(label="角色", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple,
                                      required=False)
    is_active = forms.BooleanField(label="账号启用", required=False)
