from django import forms

from agencies import roles
from agencies.models import Department

from .models import ApiKey
from .services import KEY_GRANTS

ERR_GRANTS_FULL = "办理角色只适用于“全部”范围的密钥；请选择“全部”，或不勾选角色。"


class ApiKeyForm(forms.Form):
    name = forms.CharField(label="调用方系统名称", max_length=100, help_text="如“省政务服务网”“12345 热线”")
    scope = forms.ChoiceField(label="权限范围", choices=ApiKey.SCOPES, widget=forms.RadioSelect,
                              help_text="仅推送申请：推送申请并查询自己推送的申请；只读：查询本机关的申请、文书和待办；"
                                        "全部：推送、查询，并以下面勾选的角色办理各步骤。")
    grants = forms.MultipleChoiceField(
        label="办理角色（仅“全部”范围）", required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(KEY_GRANTS.items()), initial=[roles.REGISTRAR],
        help_text="密钥以这些角色办理，系统像对工作人员一样检查其权限和部门；不勾选时为登记人员。"
                  "承办人的步骤须同时选择所属部门。")
    department = forms.ModelChoiceField(label="所属部门（承办时）", required=False, queryset=None,
                                        help_text="以承办人角色办理时，只能办理该部门的申请。")

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(agency=agency) if agency is not None \
            else Department.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("scope") != ApiKey.FULL:
            if data.get("grants") and data.get("grants") != [roles.REGISTRAR] or data.get("department"):
                raise forms.ValidationError(ERR_GRANTS_FULL)
            data["grants"], data["department"] = None, None
        else:
            data["grants"] = data.get("grants") or None
        return data
