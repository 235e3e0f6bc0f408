from django.contrib import admin

from .forms import AgencyForm
from .models import Agency, Department, StaffProfile
from .services import agency_seal_set


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
