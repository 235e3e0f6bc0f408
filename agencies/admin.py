from django import forms
from django.contrib import admin

from .models import Agency, Department, StaffProfile
from .services import agency_seal_set, check_seal


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


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    form = AgencyForm
    list_display = ["name", "short_name", "ogi_office", "phone", "reconsideration_body", "court", "has_seal"]

    @admin.display(boolean=True, description="已上传印章")
    def has_seal(self, obj):
        return bool(obj.seal_png)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("seal_upload"):
            agency_seal_set(actor=request.user, agency=obj, data=form.cleaned_data["seal_upload"])
        elif form.cleaned_data.get("seal_remove"):
            agency_seal_set(actor=request.user, agency=obj, data=None)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "code"]
    list_filter = ["agency"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "department", "title"]
    list_filter = ["agency"]
