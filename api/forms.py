from django import forms

from .models import ApiKey


class ApiKeyForm(forms.Form):
    name = forms.CharField(label="调用方系统名称", max_length=100, help_text="如“省政务服务网”“12345 热线”")
    scope = forms.ChoiceField(label="权限范围", choices=ApiKey.SCOPES, widget=forms.RadioSelect,
                              help_text="仅推送申请：推送申请并查询自己推送的申请；只读：查询本机关的申请、文书和待办；"
                                        "全部：推送、查询，并办理登记、分送、补正等步骤。")
