"""The agency's details as its administrator (or the platform's, in the admin) edits them."""
from django import forms

from .models import Agency
from .services import AGENCY_SETTINGS, check_seal


class AgencyForm(forms.ModelForm):
    seal_upload = forms.FileField(label="上传印章图片（PNG，透明背景）", required=False,
                                  help_text="出具的文书在署名和成文日期上压盖此印章；未上传的，留出空白位置以便手工盖章。")
    seal_remove = forms.BooleanField(label="删除已上传的印章", required=False)
    website = forms.URLField(label="门户网站", required=False, assume_scheme="https")

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
